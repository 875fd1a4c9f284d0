"""The EBR pack built from hand-built accounts: deck, briefing, manifest, audience, PDF.

Expected titles and chart values are worked out by hand in test_ebr_accounts.py's docstring,
never copied from the builder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
import stat
import zipfile
from datetime import date
from functools import cache
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pptx import Presentation

from kamdocs.audience import view_for
from kamdocs.builders.base import Artifact, BuildOptions
from kamdocs.builders.ebr import EbrBuilder
from kamdocs.builders.ebr.facts import review_year
from kamdocs.builders.ebr.slides import plan_deck
from kamdocs.builders.qbr.words import Words
from kamdocs.builders.registry import get_builder
from kamdocs.config import Settings
from kamdocs.documents import write_artifacts
from kamdocs.errors import UsageError
from kamdocs.model import Account, ActionStatus, Audience, Portfolio
from kamdocs.render.check import check_bytes, leak_terms, money_forms
from tests.builders.test_ebr_accounts import (
    AS_OF,
    COMPANY,
    SECRETS,
    minimal_account,
    rich_account,
    without_kpis,
)

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
INPUTS = (("data/Account.csv", "a" * 64), ("data/Task.csv", "b" * 64))


def build(account: Account, **options: object) -> list[Artifact]:
    portfolio = Portfolio(AS_OF, COMPANY, "USD", "en_US", "hand-built", (account,),
                          input_hashes=INPUTS)
    builder = EbrBuilder(BuildOptions(Settings(), Audience.INTERNAL, AS_OF, **options))
    return list(builder.build(portfolio, [account]))


def member(artifacts: list[Artifact], suffix: str) -> Artifact:
    (found,) = [a for a in artifacts if a.suffix == suffix]
    return found


@cache
def rich() -> tuple[Artifact, ...]:
    return tuple(build(rich_account()))


def deck_of(artifacts: tuple[Artifact, ...] | list[Artifact]):
    return Presentation(io.BytesIO(member(list(artifacts), ".pptx").data))


def titles(prs) -> list[str]:
    return [s.shapes.title.text_frame.text for s in prs.slides]


def slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [c.text for r in shape.table.rows for c in r.cells]
    return "\n".join(parts)


def all_part_texts(data: bytes) -> str:
    """Every part of a package, embedded workbooks unzipped too, as one string."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            blob = archive.read(name)
            if name.endswith((".xlsx", ".xlsm")):
                out.append(all_part_texts(blob))
            else:
                out.append(blob.decode("utf-8", "replace"))
    return "\n".join(out)


def chart_series(chart_xml: bytes) -> tuple[list[str], dict[str, dict[int, float]]]:
    """(categories, series name -> {point index: value}) of a chart part."""
    root = etree.fromstring(chart_xml)
    first = root.find(f".//{C}ser")
    categories = [v.text for v in first.find(f"{C}cat").iter(f"{C}v")]
    series = {}
    for ser in root.iter(f"{C}ser"):
        name = "".join(v.text for v in ser.find(f"{C}tx").iter(f"{C}v"))
        points = {int(pt.get("idx")): float(pt.find(f"{C}v").text)
                  for pt in ser.find(f"{C}val").iter(f"{C}pt")}
        series[name] = points
    return categories, series


def charts_of(slide) -> list:
    return [s.chart for s in slide.shapes if s.has_chart]


# --------------------------------------------------------------------------- the builder


def test_ebr_is_a_pack_built_from_the_internal_account() -> None:
    cls = get_builder("ebr")
    assert cls is EbrBuilder and cls.is_pack
    assert cls.default_audience is Audience.INTERNAL and cls.audiences == (Audience.INTERNAL,)
    with pytest.raises(UsageError):
        EbrBuilder(BuildOptions(Settings(), Audience.CUSTOMER, AS_OF))


def test_pack_holds_customer_deck_internal_briefing_and_manifest() -> None:
    artifacts = rich()
    assert [(a.suffix, a.audience, a.role) for a in artifacts] == [
        (".pptx", Audience.CUSTOMER, "executive deck"),
        (".docx", Audience.INTERNAL, "executive briefing"),
        (".json", Audience.INTERNAL, "manifest"),
    ]
    assert [a.member for a in artifacts] == ["acme-corp_ebr-deck_2026-11-23.pptx",
                                             "acme-corp_ebr-briefing_2026-11-23.docx",
                                             "manifest.json"]
    assert all(a.kind == "ebr" and a.account_id == "001ACME" and not a.problems
               for a in artifacts)


def test_pack_is_written_as_one_folder(tmp_path: Path) -> None:
    result = write_artifacts(list(rich()), tmp_path, kind="ebr", as_of=AS_OF, is_pack=True,
                             default_audience=Audience.INTERNAL)
    (folder,) = result.paths
    assert folder.name == "acme-corp_001ACME_ebr_2026-11-23"
    assert sorted(p.name for p in folder.iterdir()) == sorted(a.member for a in rich())


# --------------------------------------------------------------------------- the deck


def test_deck_slides_say_the_years_messages_in_order() -> None:
    assert titles(deck_of(rich())) == [
        "Acme Corp and Northwind Analytics",
        "Agenda: 2026 in review and the year ahead",
        "2026 in review: Annual value up 25% to $250K and 1 of 2 KPIs on target",
        "1 of 2 joint objectives for 2026 achieved; 1 missed",
        "1 of 2 KPIs on target at the end of 2026; Adoption improved from 60% to 74%",
        "Annual value up 25% to $250K; largest move: growth in products held +$50K",
        ("Partnership scorecard: 1 of 2 SLAs met all year, 3 of 4 QBRs held, "
         "2 of 4 actions delivered on time"),
        ("The year ahead: 2 joint objectives, agreement renews on Mar 31, 2027, next executive "
         "review by Dec 5, 2026"),
        "5 asks of Acme Corp and 4 commitments from Northwind Analytics",
        "Executive sponsors: Pat Kim for Northwind Analytics; 3 executives at Acme Corp",
        "Appendix: 2 full tables",
        "A1 KPIs and SLAs over 2026: 5 KPIs and SLAs",
        "A2 Asks from both sides: 9 asks and commitments",
    ]


def test_main_slides_are_at_most_ten_and_the_agenda_lists_them() -> None:
    prs = deck_of(rich())
    main = [s for s in prs.slides if not s.shapes.title.text_frame.text.startswith(
        ("A1", "A2", "Appendix"))]
    assert len(main) <= 10
    agenda = slide_text(prs.slides[1])
    for label in ("Year in review", "Value against objectives", "KPIs over the year",
                  "Revenue bridge", "Partnership scorecard", "Roadmap and joint objectives",
                  "Asks from both sides", "Executive sponsors", "Appendix"):
        assert label in agenda


def test_cover_says_customer_company_and_period() -> None:
    cover = slide_text(deck_of(rich()).slides[0])
    assert "Executive business review · 2026 · Nov 24, 2025 to Nov 23, 2026" in cover


def test_waterfall_values_sum_from_start_to_end() -> None:
    prs = deck_of(rich())
    (chart,) = charts_of(prs.slides[5])
    categories, series = chart_series(chart._chartSpace.xml.encode())
    assert categories == ["Start, Nov 23, 2025", "Growth in products held", "New products",
                          "Reduction in products held", "Products ended", "End, Nov 23, 2026"]
    total, up, down = series["Total"], series["Increase"], series["Decrease"]
    start, end = total[0], total[5]
    assert (start, end) == (200_000, 250_000)
    assert up == {1: 50_000, 2: 30_000} and down == {3: 10_000, 4: 20_000}
    assert start + sum(up.values()) - sum(down.values()) == end
    # Each floating bar stands on the running total: 200K, 250K, then 280K - 10K, 270K - 20K.
    assert series["(base)"] == {1: 200_000, 2: 250_000, 3: 270_000, 4: 250_000}


def test_waterfall_workbook_holds_the_same_values() -> None:
    from openpyxl import load_workbook

    data = member(list(rich()), ".pptx").data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.startswith("ppt/embeddings/")]
        books = [load_workbook(io.BytesIO(archive.read(n))) for n in names]
    sheets = [[c.value for c in row] for b in books for row in b.active.iter_rows()]
    assert ["Start, Nov 23, 2025", None, 200000, None, None] in sheets


def test_kpi_slide_charts_the_kpis_that_moved_most_with_their_targets() -> None:
    slide = deck_of(rich()).slides[4]
    charts = charts_of(slide)
    # Movement against target: Adoption 14/70, Cost per ticket 2/12, NPS 5/40 (no target).
    assert [c.chart_title.text_frame.text.split(":")[0] for c in charts] == [
        "Adoption (%)", "Cost per ticket (USD)", "NPS"]
    categories, series = chart_series(charts[0]._chartSpace.xml.encode())
    # From the value before the year (Sep 2025) to the year's last.
    assert categories == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert series["Actual"] == {0: 60, 1: 64, 2: 68, 3: 71, 4: 74}
    assert series["Target"] == {i: 70 for i in range(5)}
    # All three KPIs of the year are charted: no pointer to the appendix is needed.
    assert "appendix" not in slide_text(slide)


def test_trend_charts_label_actuals_only_and_carry_alt_text() -> None:
    slide = deck_of(rich()).slides[4]
    for shape in slide.shapes:
        if not shape.has_chart:
            continue
        assert shape._element.nvGraphicFramePr.cNvPr.get("descr").startswith("Line chart: ")
        sers = list(shape.chart._chartSpace.iter(f"{C}ser"))
        shown = [s.find(f"{C}dLbls/{C}showVal").get("val") for s in sers]
        assert shown == ["1", "0"]


def test_scorecard_lists_slas_reviews_and_actions_with_status_words() -> None:
    prs = deck_of(rich())
    (table,) = [s.table for s in prs.slides[6].shapes if s.has_table]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[1:] == [
        ["SLA: First response", "at most 4 h", "met in 4 of 4 periods", "Met"],
        ["SLA: Uptime", "at least 99.9%", "met in 3 of 4 periods", "Missed"],
        ["Quarterly business reviews", "4 planned", "3 held", "Missed"],
        ["Executive business review", "1 a year", "held Dec 5, 2025", "Met"],
        ["Shared actions due in 2026", "4 due", "3 delivered, 2 on time", "Past due (1)"],
    ]


def test_actions_all_delivered_but_late_are_not_called_met() -> None:
    # Delivered is not kept: the row says how many were late, and the notes own the misses.
    account = rich_account()
    year = review_year(None, AS_OF, 1)
    actions = tuple(
        dataclasses.replace(a, status=ActionStatus.DONE, is_overdue=False, days_overdue=0,
                            completed=date.fromordinal(a.due.toordinal() + 5))
        if year.contains(a.due) else a
        for a in account.actions)
    prs = deck_of(build(dataclasses.replace(account, actions=actions)))
    (slide,) = [s for s in prs.slides if s.shapes.title.text.startswith("Partnership scorecard")]
    (table,) = [s.table for s in slide.shapes if s.has_table]
    (row,) = [[c.text for c in r.cells] for r in table.rows if r.cells[0].text.startswith(
        "Shared actions")]
    assert row[1:] == ["4 due", "4 delivered, 0 on time", "Delivered late (4)"]
    assert "none of the 4 actions delivered on time" in slide.shapes.title.text
    notes = slide.notes_slide.notes_text_frame.text
    assert "every commitment was kept" not in notes and "Shared actions due in" in notes


def test_asks_show_three_per_side_and_the_rest_in_the_appendix() -> None:
    prs = deck_of(rich())
    text = slide_text(prs.slides[8])
    assert "What we ask of you" in text and "Our commitments to you" in text
    assert "Confirm how our agreement renews on Mar 31, 2027" in text
    assert "Bring Uptime back within its target (at least 99.9%); missed in 1 of 4 periods" in text
    assert "6 of 9 shown; all 9 asks and commitments: appendix A2" in text
    appendix = slide_text(prs.slides[12])
    assert "Protect the quarterly review calendar (3 of 4 held in 2026)" in appendix
    assert "An executive review every year and quarterly reviews on the agreed calendar" in \
        appendix


def test_sponsors_list_our_sponsor_first_and_their_executives_by_seniority() -> None:
    (table,) = [s.table for s in deck_of(rich()).slides[9].shapes if s.has_table]
    names = [r.cells[0].text for r in table.rows][1:]
    assert names == ["Northwind Analytics: 2 people", "Pat Kim", "Sam Lee",
                     "Acme Corp: 3 people", "Dana Ruiz", "Omar Haddad", "Lin Wu"]


# --------------------------------------------------------------------------- audience


def test_customer_deck_holds_no_internal_text_in_any_part() -> None:
    everything = all_part_texts(member(list(rich()), ".pptx").data)
    for secret in SECRETS:
        assert secret not in everything, secret
    assert "Prepared for Acme Corp" in everything


def test_customer_deck_passes_the_audience_check() -> None:
    account = rich_account()
    terms = leak_terms(account, view_for(account, Audience.CUSTOMER), [("001OTHER", "Globex")],
                       money=money_forms("en_US", "USD"), allow=(COMPANY,))
    findings = check_bytes(member(list(rich()), ".pptx").data, "deck.pptx", terms=terms)
    assert findings == []


def test_deck_planner_refuses_an_account_not_filtered_for_the_customer() -> None:
    year = review_year(None, AS_OF, 1)
    with pytest.raises(ValueError, match="customer view"):
        plan_deck(rich_account(), year, Words(Settings()), company=COMPANY, fill=str)


def test_briefing_is_internal_and_candid() -> None:
    document = docx.Document(io.BytesIO(member(list(rich()), ".docx").data))
    header = document.sections[0].header.paragraphs[0].text
    assert header.startswith("Internal - confidential") and "Acme Corp" in header
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "SECRET budget freeze at the CFO (internal)" in text
    assert "Do not raise: \u201cSECRET budget freeze at the CFO\u201d (internal risk)." in text
    assert "Detractor" in text and "via Dana Ruiz (CIO), owner Pat Kim" in text


def test_briefing_attendees_give_role_stance_access_last_contact_and_interest() -> None:
    document = docx.Document(io.BytesIO(member(list(rich()), ".docx").data))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Attendee")
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["Attendee", "Role", "Stance", "Access path", "Last contact",
                       "Cares about"]
    # Influence 5 first (Dana before Omar by name), then Lin (4); Ann is neither key nor
    # an executive.
    assert [r[0] for r in rows[1:]] == ["Dana Ruiz (CIO)", "Omar Haddad (CFO)",
                                        "Lin Wu (VP Operations)"]
    assert rows[2] == ["Omar Haddad (CFO)", "Economic Buyer, influence 5 of 5", "Detractor",
                       "none", "Jun 1, 2026 (stale)", "Bring finance data onto the platform"]


def test_briefing_asks_tie_the_renewal_to_the_detractor_and_the_missed_sla() -> None:
    document = docx.Document(io.BytesIO(member(list(rich()), ".docx").data))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Our ask")
    first = [c.text for c in table.rows[1].cells]
    assert first[0] == "Commit to renew by Mar 31, 2027 at $250,000 or more"
    assert first[1] == "Push-back from Omar Haddad (CFO) (Detractor), citing Uptime."
    assert first[2] == "Adoption improvement and the fix plan for Uptime"


# --------------------------------------------------------------------------- manifest


def test_manifest_lists_files_inputs_as_of_and_audiences() -> None:
    artifacts = list(rich())
    manifest = json.loads(member(artifacts, ".json").data)
    assert manifest["kind"] == "ebr" and manifest["as_of"] == "2026-11-23"
    assert manifest["account"] == {"id": "001ACME", "name": "Acme Corp"}
    assert manifest["review_period"] == {"label": "2026", "start": "2025-11-24",
                                         "end": "2026-11-23"}
    assert manifest["inputs"] == [{"file": f, "sha256": h} for f, h in INPUTS]
    assert manifest["kamdocs_version"]
    files = {f["name"]: f for f in manifest["files"]}
    for artifact in artifacts[:2]:
        entry = files[artifact.member]
        assert entry["audience"] == artifact.audience.value
        assert entry["sha256"] == hashlib.sha256(artifact.data).hexdigest()
        assert entry["bytes"] == len(artifact.data)


def test_building_twice_gives_identical_bytes() -> None:
    first = build(rich_account())
    second = build(rich_account())
    assert [a.data for a in first] == [a.data for a in second]


# --------------------------------------------------------------------------- the year


def test_year_option_reviews_that_fiscal_year() -> None:
    artifacts = build(rich_account(), year=2025)
    prs = deck_of(artifacts)
    assert titles(prs)[2].startswith("2025 in review")
    manifest = json.loads(member(artifacts, ".json").data)
    assert manifest["review_period"] == {"label": "2025", "start": "2025-01-01",
                                         "end": "2025-12-31"}


def test_running_year_is_labelled_to_date_and_a_future_year_is_refused() -> None:
    year = review_year(2026, AS_OF, 1)
    assert (year.label, year.start, year.end) == ("2026 to date", date(2026, 1, 1), AS_OF)
    with pytest.raises(UsageError, match="2027"):
        review_year(2027, AS_OF, 1)


def test_fiscal_year_follows_the_configured_start_month() -> None:
    # Fiscal 2027 runs 1 Feb 2026 - 31 Jan 2027; at 23 Nov 2026 it is under way.
    year = review_year(2027, AS_OF, 2)
    assert (year.start, year.end, year.label) == (date(2026, 2, 1), AS_OF, "2027 to date")


# --------------------------------------------------------------------------- graceful


def test_account_row_only_gives_a_short_deck_and_says_what_would_fill_it() -> None:
    artifacts = build(minimal_account())
    prs = deck_of(artifacts)
    assert titles(prs) == [
        "Solo Minimal Industries and Northwind Analytics",
        "Agenda: 2026 in review and the year ahead",
        "2026 in review: setting the baseline of our partnership",
        "1 ask of Solo Minimal Industries and 2 commitments from Northwind Analytics",
    ]
    deck_text = all_part_texts(member(artifacts, ".pptx").data)
    for junk in (">None<", ">nan<", ">NaT<"):
        assert junk not in deck_text
    document = docx.Document(io.BytesIO(member(artifacts, ".docx").data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Left out of the customer deck for lack of data" in text
    assert "Revenue bridge: Asset rows with Annual_Value__c" in text
    assert "unknown: the input has no Event table" in text
    assert "Asset, Opportunity, Contract, Whitespace_Potential__c" in text


def test_no_kpis_leaves_out_the_trend_slide_and_keeps_the_rest() -> None:
    prs = deck_of(build(without_kpis(rich_account())))
    found = titles(prs)
    assert not any("KPIs on target" in t for t in found)
    assert "Partnership scorecard: 3 of 4 QBRs held, 2 of 4 actions delivered on time" in found
    assert not any(t.startswith("A1 KPIs") for t in found)


def test_one_year_customer_without_history_before_the_year() -> None:
    account = rich_account()
    kpis = tuple(dataclasses.replace(k, history=tuple(
        m for m in k.history if m.period_end >= date(2025, 11, 24))) for k in account.kpis)
    prs = deck_of(build(dataclasses.replace(account, kpis=kpis)))
    # Adoption now starts at its first value in the year (64%): it moved 10/70 = 0.14 of its
    # target, less than Cost per ticket's 2/12 = 0.17, which becomes the year's best move.
    assert titles(prs)[4] == ("1 of 2 KPIs on target at the end of 2026; Cost per ticket "
                              "improved from $15 to $13")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(min_size=1, max_size=400).filter(lambda s: s.strip()))
def test_objective_names_of_any_length_survive_whole(name: str) -> None:
    account = rich_account()
    goals = (dataclasses.replace(account.goals[0], name=name),) + account.goals[1:]
    data = member(build(dataclasses.replace(account, goals=goals)), ".pptx").data
    prs = Presentation(io.BytesIO(data))
    shown = "\n".join(slide_text(s) for s in prs.slides)
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides
                      if s.has_notes_slide)
    expected = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "\ufffd", name)
    flat = " ".join(expected.split())
    assert flat in " ".join((shown + "\n" + notes).split())


# --------------------------------------------------------------------------- layout


def test_deck_and_briefing_pass_the_linter() -> None:
    artifacts = list(rich())
    for artifact in artifacts[:2]:
        findings = check_bytes(artifact.data, artifact.member)
        assert findings == [], findings


# --------------------------------------------------------------------------- PDF


def test_pdf_failure_keeps_deck_and_briefing_and_reports_it(monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path) -> None:
    script = tmp_path / "slow-soffice"
    script.write_text("#!/bin/sh\nsleep 30\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("KAMDOCS_SOFFICE", str(script))
    monkeypatch.setattr(EbrBuilder, "pdf_timeout", 0.5)
    artifacts = build(rich_account(), pdf=True)
    assert [a.suffix for a in artifacts] == [".pptx", ".docx", ".json"]
    (problem,) = member(artifacts, ".pptx").problems
    assert problem.startswith("PDF of the executive deck not produced: ")
    assert "timed out after 0.5 s" in problem
    assert json.loads(member(artifacts, ".json").data)["problems"] == [problem]
    result = write_artifacts(artifacts, tmp_path / "out", kind="ebr", as_of=AS_OF,
                             is_pack=True, default_audience=Audience.INTERNAL)
    assert result.problems == (problem,)
    assert Presentation(io.BytesIO(member(artifacts, ".pptx").data)).slides


# --------------------------------------------------------------------------- brand templates


def test_a_brand_file_is_used_for_the_document_of_its_kind(tmp_path: Path) -> None:
    from importlib import resources

    from kamdocs.errors import TemplateError

    default = resources.files("kamdocs") / "templates" / "default"
    deck_brand = tmp_path / "brand deck.pptx"
    deck_brand.write_bytes((default / "ebr.pptx").read_bytes())
    document_brand = tmp_path / "brand briefing.docx"
    document_brand.write_bytes((default / "briefing.docx").read_bytes())
    for brand in (deck_brand, document_brand):
        artifacts = build(rich_account(), template=brand)
        assert [a.suffix for a in artifacts] == [".pptx", ".docx", ".json"]
    notes = tmp_path / "brand.txt"
    notes.write_text("not a template", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"\.pptx \(the deck\) or a \.docx"):
        build(rich_account(), template=notes)
