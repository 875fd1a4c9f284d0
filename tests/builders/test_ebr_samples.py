"""The EBR pack on the sample portfolio and the scenario accounts (extreme, one year, Account
row only), and through LibreOffice: the briefing's two pages and the deck's PDF."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pptx import Presentation

import kamdocs
from kamdocs.audience import view_for
from kamdocs.builders.base import Artifact, BuildOptions
from kamdocs.builders.ebr import EbrBuilder
from kamdocs.cli import main
from kamdocs.config import find_config, load_settings
from kamdocs.model import Audience, Portfolio
from kamdocs.render.check import check_bytes, leak_terms, money_forms
from kamdocs.render.convert import find_soffice, page_count, to_pdf
from tests.builders.test_ebr_accounts import rich_account
from tests.scenarios import (
    AS_OF,
    MARKED_ACCOUNT_IDS,
    MARKER_PREFIX,
    SAMPLES_DIR,
    extreme,
    minimal,
    one_year,
    write_scenario,
)

#: A Tier 1 sample account with every section (and a red health, a late renewal).
SAMPLE_ID = "001Kd00000tqor7IAA"
needs_libreoffice = pytest.mark.skipif(find_soffice() is None,
                                       reason="LibreOffice (soffice) is not installed")


def load(folder: Path | str) -> Portfolio:
    settings = load_settings(find_config(folder, None))
    return kamdocs.load_portfolio(folder, config=settings, as_of=AS_OF)


def build(portfolio: Portfolio, account_id: str, **options: object) -> list[Artifact]:
    settings = load_settings(find_config(SAMPLES_DIR, None))
    builder = EbrBuilder(BuildOptions(settings, Audience.INTERNAL, AS_OF, **options))
    account = next(a for a in portfolio.accounts if a.id == account_id)
    return list(builder.build(portfolio, [account]))


def member(artifacts: list[Artifact], suffix: str) -> bytes:
    (found,) = [a.data for a in artifacts if a.suffix == suffix]
    return found


def every_part(data: bytes) -> str:
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            blob = archive.read(name)
            out.append(every_part(blob) if name.endswith(".xlsx") else
                       blob.decode("utf-8", "replace"))
    return "\n".join(out)


def label_of(slide) -> str:
    """The section label above the title ("KPIs over the year"), "" if none."""
    for shape in slide.placeholders:
        if shape.placeholder_format.idx == 13:
            return shape.text_frame.text
    return ""


def audience_findings(portfolio: Portfolio, account_id: str, data: bytes) -> list:
    account = next(a for a in portfolio.accounts if a.id == account_id)
    others = [(a.id, a.name) for a in portfolio.accounts if a.id != account_id]
    terms = leak_terms(account, view_for(account, Audience.CUSTOMER), others,
                       money=money_forms("en_US", "USD"), allow=(portfolio.company,))
    return check_bytes(data, "deck.pptx", terms=terms)


@pytest.fixture(scope="module")
def samples() -> Portfolio:
    return load(SAMPLES_DIR)


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Portfolio]:
    root = tmp_path_factory.mktemp("ebr-scenarios")
    return {name: load(write_scenario(frames(), root / name))
            for name, frames in (("extreme", extreme), ("minimal", minimal),
                                 ("one_year", one_year))}


# --------------------------------------------------------------------------- samples


@pytest.mark.parametrize("account_id", MARKED_ACCOUNT_IDS)
def test_marked_sample_accounts_keep_every_internal_marker_out_of_the_deck(
        samples: Portfolio, account_id: str) -> None:
    artifacts = build(samples, account_id)
    deck = member(artifacts, ".pptx")
    assert MARKER_PREFIX not in every_part(deck)
    assert audience_findings(samples, account_id, deck) == []


def test_check_command_finds_nothing_in_a_sample_customer_deck(samples: Portfolio,
                                                               tmp_path: Path) -> None:
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(member(build(samples, SAMPLE_ID), ".pptx"))
    result = CliRunner().invoke(main, ["check", "--audience", "customer", "--data",
                                       str(SAMPLES_DIR), "--account", SAMPLE_ID,
                                       "--as-of", AS_OF.isoformat(), str(deck)])
    assert result.exit_code == 0, result.output


def test_build_command_writes_the_pack_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "ebr", str(SAMPLES_DIR), SAMPLE_ID, "-o",
                                       str(tmp_path), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    (folder,) = tmp_path.iterdir()
    assert folder.name == f"chandrapur-capital-ltd_{SAMPLE_ID}_ebr_2026-11-23"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["chandrapur-capital-ltd_ebr-briefing_2026-11-23.docx",
                     "chandrapur-capital-ltd_ebr-deck_2026-11-23.pptx", "manifest.json"]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    hashed = {i["file"].rsplit("/", 1)[-1] for i in manifest["inputs"]}
    assert {"Account.csv", "Asset.csv", "KPI_Measurement__c.csv"} <= hashed


def test_sample_waterfall_adds_up_to_the_models_bridge(samples: Portfolio) -> None:
    account = next(a for a in samples.accounts if a.id == SAMPLE_ID)
    bridge = account.revenue.arr_bridge
    prs = Presentation(io.BytesIO(member(build(samples, SAMPLE_ID), ".pptx")))
    chart = next(s.chart for slide in prs.slides for s in slide.shapes
                 if s.has_chart and s.chart.chart_title.text_frame.text.startswith(
                     "Annual value of products held"))
    values = {p.name: list(p.values) for p in chart.plots[0].series}
    total = values["Total"]
    up = sum(v or 0 for v in values.get("Increase", []))
    down = sum(v or 0 for v in values.get("Decrease", []))
    assert total[0] == float(bridge.start) and total[-1] == float(bridge.end)
    assert round(total[0] + up - down, 2) == round(total[-1], 2)
    assert round(up, 2) == float(bridge.expansion + bridge.new_products)
    assert round(down, 2) == float(bridge.contraction + bridge.churn)


# --------------------------------------------------------------------------- scenarios


def test_extreme_account_deck_fits_every_box_and_points_to_the_appendix(
        scenarios: dict[str, Portfolio]) -> None:
    portfolio = scenarios["extreme"]
    account = portfolio.accounts[0]
    artifacts = build(portfolio, account.id)
    deck = member(artifacts, ".pptx")
    assert check_bytes(deck, "deck.pptx") == []
    assert audience_findings(portfolio, account.id, deck) == []
    prs = Presentation(io.BytesIO(deck))
    kpis = sum(1 for k in account.kpis if k.kind == "KPI")
    all_measures = len(account.kpis)
    kpi_slide = next(s for s in prs.slides if label_of(s) == "KPIs over the year")
    captions = [sh.text_frame.text for sh in kpi_slide.shapes if sh.name.startswith("Caption")]
    assert captions == [(f"3 of {kpis} KPIs charted; all {all_measures} KPIs and SLAs: "
                         "appendix A1")]
    appendix_titles = [s.shapes.title.text_frame.text for s in prs.slides
                       if s.shapes.title.text_frame.text.startswith("A1 ")]
    assert appendix_titles[0].endswith(f": {all_measures} KPIs and SLAs")
    assert check_bytes(member(artifacts, ".docx"), "briefing.docx") == []


def test_one_year_account_without_kpis_builds_every_other_section(
        scenarios: dict[str, Portfolio]) -> None:
    portfolio = scenarios["one_year"]
    account = portfolio.accounts[0]
    artifacts = build(portfolio, account.id)
    prs = Presentation(io.BytesIO(member(artifacts, ".pptx")))
    labels = [label_of(s) for s in prs.slides]
    assert "KPIs over the year" not in labels
    assert {"Year in review", "Revenue bridge", "Partnership scorecard",
            "Asks from both sides"} <= set(labels)
    text = "\n".join(p.text for p in docx.Document(
        io.BytesIO(member(artifacts, ".docx"))).paragraphs)
    assert "KPIs over the year: KPI_Measurement__c rows" in text


def test_account_row_only_builds_a_pack(scenarios: dict[str, Portfolio]) -> None:
    portfolio = scenarios["minimal"]
    artifacts = build(portfolio, portfolio.accounts[0].id)
    assert [a.suffix for a in artifacts] == [".pptx", ".docx", ".json"]
    assert check_bytes(member(artifacts, ".pptx"), "deck.pptx") == []


# --------------------------------------------------------------------------- LibreOffice


@needs_libreoffice
@pytest.mark.libreoffice
@pytest.mark.slow
def test_briefing_is_two_pages_in_libreoffice(samples: Portfolio,
                                              scenarios: dict[str, Portfolio]) -> None:
    hand_built = Portfolio(AS_OF, "Northwind Analytics", "USD", "en_US", "hand-built",
                           (rich_account(),))
    briefings = {
        "hand-built": member(build(hand_built, "001ACME"), ".docx"),
        "sample": member(build(samples, SAMPLE_ID), ".docx"),
        "extreme": member(build(scenarios["extreme"],
                                scenarios["extreme"].accounts[0].id), ".docx"),
        "account row only": member(build(scenarios["minimal"],
                                         scenarios["minimal"].accounts[0].id), ".docx"),
    }
    pages = {name: page_count(to_pdf(data, ".docx", name=name))
             for name, data in briefings.items()}
    # Two pages whenever there is enough to say; an account with no data fits on one.
    assert pages == {"hand-built": 2, "sample": 2, "extreme": 2, "account row only": 1}


@needs_libreoffice
@pytest.mark.libreoffice
def test_pdf_of_the_deck_is_in_the_pack_when_libreoffice_is_present(samples: Portfolio) -> None:
    artifacts = build(samples, SAMPLE_ID, pdf=True)
    assert [a.suffix for a in artifacts] == [".pptx", ".docx", ".pdf", ".json"]
    pdf = member(artifacts, ".pdf")
    assert pdf.startswith(b"%PDF")
    slides = len(Presentation(io.BytesIO(member(artifacts, ".pptx"))).slides)
    assert page_count(pdf) == slides
    manifest = json.loads(member(artifacts, ".json"))
    assert [(f["role"], f["audience"]) for f in manifest["files"]] == [
        ("executive deck", "customer"), ("executive briefing", "internal"),
        ("executive deck (PDF)", "customer")]
    assert manifest["problems"] == []


@needs_libreoffice
@pytest.mark.libreoffice
def test_real_conversion_forced_to_time_out_is_a_clear_problem(
        samples: Portfolio, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(EbrBuilder, "pdf_timeout", 0.05)
    artifacts = build(samples, SAMPLE_ID, pdf=True)
    assert [a.suffix for a in artifacts] == [".pptx", ".docx", ".json"]
    (problem,) = next(a for a in artifacts if a.suffix == ".pptx").problems
    assert problem == ("PDF of the executive deck not produced: "
                       f"{SAMPLE_ID} executive deck: LibreOffice timed out after 0.05 s")
