"""The QBR over real loaded data: the committed samples, the extreme and the minimal scenarios.

The audience contract: a customer deck of any sample account holds no internal value and no
other account's name or Id in any part (what ``kamdocs check --audience customer --data
samples --account ID FILE`` searches for).
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

import kamdocs
from kamdocs.audience import view_for
from kamdocs.builders.base import BuildOptions
from kamdocs.builders.registry import get_builder
from kamdocs.cli import main
from kamdocs.config import Settings, find_config, load_settings
from kamdocs.model import Account, ActionStatus, Audience, Portfolio
from kamdocs.render.check import check_bytes, leak_terms, money_forms
from tests.builders.test_qbr_deck import every_text, open_deck, tables, texts, titles
from tests.scenarios import (
    AS_OF,
    EXTREME_ACCOUNT_NAME,
    INTERNAL_MARKERS,
    MARKED_ACCOUNT_IDS,
    MARKER_PREFIX,
    MINIMAL_ACCOUNT_NAME,
    SAMPLES_DIR,
    extreme,
    minimal,
    write_scenario,
)


@cache
def load(folder: str) -> tuple[Portfolio, Settings]:
    settings = load_settings(find_config(folder, None))
    return kamdocs.load_portfolio(folder, config=settings, as_of=AS_OF), settings


@cache
def scenario(name: str, root: str) -> str:
    frames = {"extreme": extreme, "minimal": minimal}[name]()
    return str(write_scenario(frames, Path(root) / name))


@pytest.fixture(scope="module")
def scenarios_root(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("qbr_scenarios"))


def build(folder: str, account: Account, audience: Audience) -> bytes:
    portfolio, settings = load(folder)
    builder = get_builder("qbr")(BuildOptions(settings, audience, AS_OF))
    (artifact,) = builder.build(portfolio, [account])
    return artifact.data


def terms_for(folder: str, account: Account) -> list:
    """Exactly what ``kamdocs check --audience customer --data FOLDER`` searches for."""
    portfolio, settings = load(folder)
    others = [(a.id, a.name) for a in portfolio.accounts if a.id != account.id]
    return leak_terms(
        account, view_for(account, Audience.CUSTOMER), others,
        money=money_forms(settings.locale.locale, settings.locale.currency),
        allow=(settings.company.name, portfolio.company, settings.company.data_source,
               *settings.opportunities.renewal_types, *settings.opportunities.expansion_types),
    )


# --------------------------------------------------------------------------- samples


@pytest.mark.slow
def test_every_sample_customer_deck_is_clean_for_kamdocs_check() -> None:
    portfolio, _ = load(str(SAMPLES_DIR))
    findings = []
    for account in portfolio.accounts:
        data = build(str(SAMPLES_DIR), account, Audience.CUSTOMER)
        findings += check_bytes(data, f"{account.id}.pptx", terms=terms_for(str(SAMPLES_DIR),
                                                                              account))
        if account.id in MARKED_ACCOUNT_IDS:
            assert MARKER_PREFIX not in every_text(data), account.id
    assert findings == []


def test_planted_markers_are_in_the_internal_deck_only() -> None:
    portfolio, _ = load(str(SAMPLES_DIR))
    account = next(a for a in portfolio.accounts if a.id == MARKED_ACCOUNT_IDS[0])
    internal = every_text(build(str(SAMPLES_DIR), account, Audience.INTERNAL))
    # The internal risk and its mitigation are on the "risks to handle" slide.
    assert INTERNAL_MARKERS[0] in internal
    customer = every_text(build(str(SAMPLES_DIR), account, Audience.CUSTOMER))
    assert not any(marker in customer for marker in INTERNAL_MARKERS)


def test_kamdocs_check_command_finds_nothing_in_a_customer_deck(tmp_path: Path) -> None:
    portfolio, _ = load(str(SAMPLES_DIR))
    account = next(a for a in portfolio.accounts if a.id == MARKED_ACCOUNT_IDS[1])
    deck = tmp_path / "qbr.pptx"
    deck.write_bytes(build(str(SAMPLES_DIR), account, Audience.CUSTOMER))
    result = CliRunner().invoke(main, [
        "check", "--data", str(SAMPLES_DIR), "--account", account.id, "--audience",
        "customer", "--as-of", AS_OF.isoformat(), str(deck)])
    assert result.exit_code == 0, result.output


def test_sample_internal_decks_pass_the_linter() -> None:
    portfolio, _ = load(str(SAMPLES_DIR))
    for account in portfolio.accounts[:3]:
        data = build(str(SAMPLES_DIR), account, Audience.INTERNAL)
        assert check_bytes(data, f"{account.id}.pptx") == []
        assert all("Internal - do not send" in " ".join(texts(s))
                   for s in open_deck(data).slides)


# --------------------------------------------------------------------------- extreme


@pytest.mark.slow
@pytest.mark.parametrize("audience", [Audience.CUSTOMER, Audience.INTERNAL])
def test_extreme_account_gives_a_clean_deck_that_loses_no_text(
        scenarios_root: str, audience: Audience) -> None:
    folder = scenario("extreme", scenarios_root)
    portfolio, _ = load(folder)
    account = next(a for a in portfolio.accounts if a.name == EXTREME_ACCOUNT_NAME)
    data = build(folder, account, audience)
    terms = terms_for(folder, account) if audience is Audience.CUSTOMER else ()
    assert check_bytes(data, "extreme.pptx", terms=terms) == []
    prs = open_deck(data)
    assert titles(prs)[0] == f"{EXTREME_ACCOUNT_NAME} and {portfolio.company}"
    cells = {cell for s in prs.slides for table in tables(s) for row in table for cell in row}
    shared_open = [a for a in account.actions
                   if a.status is ActionStatus.OPEN and a.is_customer_visible]
    assert len(shared_open) > 12  # the main slide cannot hold them: the appendix must
    assert all(a.subject in cells for a in shared_open)
    # Every contact, CJK and right-to-left names included, is on the teams slides.
    assert all(s.name in cells for s in account.stakeholders)
    # Every KPI measured in the quarter is in the full KPI table.
    measured = [k.name for k in account.kpis if k.kind == "KPI" and any(
        m.period_end.year == 2026 and 7 <= m.period_end.month <= 9 for m in k.history)]
    assert measured and all(name in cells for name in measured)


# --------------------------------------------------------------------------- minimal


@pytest.mark.parametrize("audience", [Audience.CUSTOMER, Audience.INTERNAL])
def test_account_with_only_an_account_row_gives_a_correct_deck(
        scenarios_root: str, audience: Audience) -> None:
    folder = scenario("minimal", scenarios_root)
    portfolio, _ = load(folder)
    (account,) = portfolio.accounts
    data = build(folder, account, audience)
    assert check_bytes(data, "minimal.pptx") == []
    found = titles(Presentation(io.BytesIO(data)))
    assert found[0] == f"{MINIMAL_ACCOUNT_NAME} and {portfolio.company}"
    if audience is Audience.CUSTOMER:
        assert found[1:] == ["2026-Q3 review: agreeing how we measure success together"]
    else:
        assert any("sections left out of this deck for lack of data" in t for t in found)
