"""Helpers of the batch tests: small hand-made portfolios and a one-call batch run.

Importable as ``batch_support`` (tests/batch is put on sys.path by conftest.py, so that
spawned workers and subprocesses can import ``batch_fakes`` the same way).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from kamdocs.batch import BatchResult
from kamdocs.config import Settings
from kamdocs.model import (
    Account,
    Action,
    ActionStatus,
    ActionSummary,
    Cadence,
    Health,
    Person,
    Portfolio,
    RagStatus,
    RejectedAccount,
    Renewal,
    RenewalStatus,
    Revenue,
    Tiering,
    WhitespaceCell,
    WhitespaceSummary,
)

HERE = Path(__file__).resolve().parent
AS_OF = date(2026, 11, 23)
FAKES = "batch_fakes"


def account_id(number: int) -> str:
    return f"001{number:012d}AAA"


def make_account(number: int, name: str | None = None, *, revenue: int | None = None,
                 as_of: date = AS_OF) -> Account:
    """A plausible account whose fields vary with ``number`` (tier, health, renewal...)."""
    tier = number % 3 + 1
    owner = Person(id=f"005{number % 4:012d}AAA", name=f"Owner {number % 4}")
    overdue = number % 4
    actions = tuple(
        Action(id=f"00T{number:08d}{i:04d}AAA", subject=f"Follow up {i}", status=ActionStatus.OPEN,
               due=as_of - timedelta(days=10 * (i + 1)), owner=owner, is_overdue=True,
               days_overdue=10 * (i + 1))
        for i in range(overdue)
    )
    renewal_status = list(RenewalStatus)[number % len(RenewalStatus)]
    cell = WhitespaceCell(product=f"Product {number % 5}", business_unit="Ops", region="EMEA",
                          whitespace=Decimal(50000 + number), uncovered=Decimal(40000 + number),
                          score=1.0 + number / 100, is_candidate=True)
    return Account(
        id=account_id(number),
        name=name or f"Account {number:03d} & Co <GmbH>",
        as_of=as_of,
        tiering=Tiering(current_tier=tier, proposed_tier=(tier % 3) + 1 if number % 5 == 0
                        else tier, is_change=number % 5 == 0, score=0.5 + number / 1000,
                        reason=f"revenue rank {number}"),
        revenue=Revenue(current_annual=Decimal(revenue if revenue is not None
                                               else 100000 * (number + 1))),
        renewal=Renewal(date=as_of + timedelta(days=30 * (number % 14)), source="account",
                        status=renewal_status),
        health=Health(status=list(RagStatus)[number % 3], drivers=(f"{overdue} actions overdue",)),
        actions=actions,
        action_summary=ActionSummary(open=overdue, overdue=overdue),
        whitespace=WhitespaceSummary(cells=(cell,), candidates=(cell,)),
        cadence=Cadence(last_qbr=as_of - timedelta(days=100),
                        next_qbr_due=as_of - timedelta(days=8), is_qbr_overdue=number % 2 == 0),
        owner=owner,
    )


def make_portfolio(accounts: list[Account], rejected: tuple[RejectedAccount, ...] = (),
                   as_of: date = AS_OF) -> Portfolio:
    return Portfolio(
        as_of=as_of, company="Northwind Analytics", currency="USD", locale="en_US",
        source="hand-made portfolio", accounts=tuple(sorted(accounts, key=lambda a: a.id)),
        rejected=rejected,
    )


def files_of(folder: Path, *, exclude: tuple[str, ...] = ("manifest.sqlite", "batch.log")
             ) -> dict[str, bytes]:
    """Every file under ``folder`` (relative POSIX path -> bytes), but the run's own records."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and not relative.startswith(exclude):
            found[relative] = path.read_bytes()
    return found




def batch(out: Path, accounts: list[Account], settings: Settings | None = None,
          rejected: tuple[RejectedAccount, ...] = (), client: object = None,
          **options: object) -> BatchResult:
    """Run the batch over a hand-made portfolio with the stand-in builders."""
    from kamdocs.batch import BatchRequest, run_batch

    options.setdefault("kinds", ("fakeplan", "fakeqbr"))
    options.setdefault("jobs", 2)
    options.setdefault("timeout", 20.0)
    request = BatchRequest(out=out, plugins=(FAKES,), **options)  # type: ignore[arg-type]
    return run_batch(make_portfolio(accounts, rejected), settings or Settings(), request,
                     client=client)
