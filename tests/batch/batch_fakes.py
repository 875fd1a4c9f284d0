"""Stand-in builders for the batch tests, registered on import (also inside workers).

Each renders a small deterministic text from the account it is given. An account's name
decides how it misbehaves: "POISON" raises, "HANG" never returns, "GREEDY" allocates 1 GB,
"CRASH" kills its own process. Imported by name ("batch_fakes") so that spawned workers
and `kamdocs batch` subprocesses (KAMDOCS_PLUGINS=batch_fakes) register them too.
"""

from __future__ import annotations

import os
import signal
import time
from typing import ClassVar

from kamdocs.builders.base import Artifact, Builder, PortfolioContext
from kamdocs.builders.registry import register
from kamdocs.errors import TemplateError
from kamdocs.model import Account, Audience

#: Bytes the GREEDY account asks for: far above the tests' memory limit, far below RAM.
GREEDY_BYTES = 1 << 30


def misbehave(account: Account) -> None:
    # Lets a test kill a run while it is surely in the middle of its items.
    time.sleep(float(os.environ.get("BATCH_FAKES_DELAY", "0")))
    if "POISON" in account.name or account.id in os.environ.get("BATCH_FAKES_POISON", ""):
        raise ValueError(f"poisoned account {account.id}")
    if "HANG" in account.name:
        time.sleep(3600)
    if "GREEDY" in account.name:
        hog = bytearray(GREEDY_BYTES)
        del hog
    if "CRASH" in account.name:
        os.kill(os.getpid(), signal.SIGKILL)


def render_text(kind: str, account: Account, context: PortfolioContext) -> bytes:
    tier = account.tiering.current_tier
    revenue = account.revenue.current_annual
    lines = [
        f"kind={kind}", f"id={account.id}", f"name={account.name}",
        f"audience={account.audience.value}", f"tier={tier}", f"revenue={revenue}",
        f"company={context.company}", f"as_of={context.as_of.isoformat()}",
        f"changes={len(account.changes.items) if account.changes else 'none'}",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


@register
class FakePlan(Builder):
    name: ClassVar[str] = "fakeplan"
    default_audience: ClassVar[Audience] = Audience.INTERNAL

    def prepare(self, context: PortfolioContext) -> None:
        if os.environ.get("BATCH_FAKES_BROKEN_TEMPLATE"):
            raise TemplateError("fakeplan.docx: no layout named 'Title' (layouts: Blank)")

    def render(self, account: Account, context: PortfolioContext) -> list[Artifact]:
        misbehave(account)
        return [Artifact(account.id, account.name, self.name, self.options.audience, None,
                         ".txt", render_text(self.name, account, context))]


@register
class FakeQbr(Builder):
    name: ClassVar[str] = "fakeqbr"
    default_audience: ClassVar[Audience] = Audience.CUSTOMER

    def render(self, account: Account, context: PortfolioContext) -> list[Artifact]:
        misbehave(account)
        return [Artifact(account.id, account.name, self.name, self.options.audience, None,
                         ".txt", render_text(self.name, account, context))]


@register
class FakePack(Builder):
    name: ClassVar[str] = "fakepack"
    default_audience: ClassVar[Audience] = Audience.CUSTOMER
    audiences: ClassVar[tuple[Audience, ...]] = (Audience.CUSTOMER,)
    is_pack: ClassVar[bool] = True

    def render(self, account: Account, context: PortfolioContext) -> list[Artifact]:
        misbehave(account)
        body = render_text(self.name, account, context)
        return [
            Artifact(account.id, account.name, self.name, self.options.audience, "deck.txt",
                     ".txt", body, role="executive deck"),
            Artifact(account.id, account.name, self.name, self.options.audience,
                     "briefing.txt", ".txt", body[::-1], role="briefing"),
        ]
