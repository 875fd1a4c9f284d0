"""The QBR deck, built from hand-made accounts and reopened with python-pptx.

Expected titles, rows and chart values are worked out by hand from test_qbr_accounts.py.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import zipfile
from datetime import date
from functools import cache

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pptx import Presentation
from pptx.presentation import Presentation as PresentationObject
from pptx.slide import Slide

from kamdocs.audience import view_for
from kamdocs.builders.base import Artifact, BuildOptions
from kamdocs.builders.registry import get_builder
from kamdocs.config import Settings
from kamdocs.model import Account, Action, ActionStatus, Audience, Portfolio
from kamdocs.render.check import check_bytes, leak_terms, money_forms
from tests.builders.test_qbr_accounts import (
    AS_OF,
    SAM,
    SECRETS,
    minimal_account,
    rich_account,
)

COMPANY = "Northwind Analytics"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
HAS_SOFFICE = shutil.which("soffice") is not None


def build(account: Account, audience: Audience = Audience.CUSTOMER, *,
          quarter: str | None = None, pdf: bool = False) -> list[Artifact]:
    portfolio = Portfolio(AS_OF, COMPANY, "USD", "en_US", "hand-built", (account,))
    builder = get_builder("qbr")(BuildOptions(Settings(), audience, AS_OF, quarter=quarter,
                                              pdf=pdf))
    return list(builder.build(portfolio, [account]))


@cache
def deck_bytes(which: str, audience: Audience = Audience.CUSTOMER) -> bytes:
    account = {"rich": rich_account, "minimal": minimal_account, "long": long_account}[which]()
    (artifact,) = build(account, audience)
    assert (artifact.kind, artifact.suffix, artifact.audience) == ("qbr", ".pptx", audience)
    return artifact.data


def open_deck(data: bytes) -> PresentationObject:
    return Presentation(io.BytesIO(data))


def titles(prs: PresentationObject) -> list[str]:
    return [s.shapes.title.text_frame.text for s in prs.slides]


def tables(s: Slide) -> list[list[list[str]]]:
    return [[[c.text_frame.text for c in row.cells] for row in shape.table.rows]
            for shape in s.shapes if shape.has_table]


def texts(s: Slide) -> list[str]:
    return [shape.text_frame.text for shape in s.shapes if shape.has_text_frame]


def slide_titled(prs: PresentationObject, start: str) -> Slide:
    (found,) = [s for s in prs.slides if s.shapes.title.text_frame.text.startswith(start)]
    return found


def every_text(data: bytes) -> str:
    """Every XML part of the package, and of the workbooks embedded in it, as one string."""
    chunks = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            blob = package.read(name)
            if name.endswith(".xlsx"):
                chunks.append(every_text(blob))
            elif name.endswith((".xml", ".rels")):
                chunks.append(blob.decode("utf-8"))
    return "\n".join(chunks)


def customer_leak_terms(account: Account) -> list:
    """What ``kamdocs check --audience customer`` searches for (the same allow list)."""
    settings = Settings()
    return leak_terms(account, view_for(account, Audience.CUSTOMER), [],
                      money=money_forms("en_US", "USD"),
                      allow=(COMPANY, settings.company.data_source,
                             *settings.opportunities.renewal_types,
                             *settings.opportunities.expansion_types))


def long_account() -> Account:
    """The rich account with 30 shared open items "Follow-up 01".."Follow-up 30"."""
    extra = tuple(
        Action(f"00X{n:02d}", f"Follow-up {n:02d}", ActionStatus.OPEN, "Not Started",
               date(2026, 12, 1 + n % 20), SAM, "Normal", is_customer_visible=True)
        for n in range(1, 31)
    )
    account = rich_account()
    shared = tuple(a for a in account.actions if a.status is ActionStatus.DONE)
    return dataclasses.replace(account, actions=extra + shared)


# --------------------------------------------------------------------------- slides


def test_customer_deck_has_every_section_in_order_with_generated_titles() -> None:
    assert titles(open_deck(deck_bytes("rich"))) == [
        "Acme Corp and Northwind Analytics",
        "Agenda: 2026-Q3 results and priorities for 2026-Q4",
        "2026-Q3 at a glance: 2 of 3 KPIs met, 1 of 2 SLAs met, 2 actions delivered together",
        "2 of 3 KPIs met in 2026-Q3; missed: Cost per ticket",
        "1 of 2 SLAs met in 2026-Q3; Uptime missed in August 2026",
        "2 actions completed together and 1 agreement signed in 2026-Q3",
        "2 open items; 1 past due needs a decision today",
        "2026-Q4: 1 joint priority and 2 milestones; next review by Dec 10, 2026",
        "1 area to grow together, starting with Analytics for Forecasting",
        "Our agreement renews on May 15, 2027; next review due by Dec 10, 2026",
        "Working together: 4 people at Northwind Analytics and 3 people at Acme Corp",
    ]


def test_cover_names_both_companies_the_quarter_and_the_date() -> None:
    cover = open_deck(deck_bytes("rich")).slides[0]
    assert "Quarterly business review · 2026-Q3 · Nov 23, 2026" in texts(cover)


def test_agenda_is_generated_from_the_slides_present() -> None:
    agenda = slide_titled(open_deck(deck_bytes("rich")), "Agenda")
    body = [t for t in texts(agenda) if "Executive summary" in t]
    assert body[0].split("\n") == [
        "Executive summary", "Value delivered: KPIs", "SLA performance", "Delivered together",
        "Open items and decisions", "Priorities and roadmap", "Growing together",
        "Renewal timeline", "Our teams"]


def test_summary_states_the_headline_results() -> None:
    summary = slide_titled(open_deck(deck_bytes("rich")), "2026-Q3 at a glance")
    body = next(t for t in texts(summary) if "KPIs met" in t and "\n" in t).split("\n")
    assert 3 <= len(body) <= 5
    assert body[0] == ("2 of 3 KPIs met in 2026-Q3; Tickets solved in 24 h improved from "
                       "88% to 93%")


def test_kpi_table_marks_met_missed_and_change_vs_last_quarter() -> None:
    kpis = slide_titled(open_deck(deck_bytes("rich")), "2 of 3 KPIs met")
    (table,) = tables(kpis)
    assert table[0] == ["KPI", "Actual", "Target", "Status", "Change vs 2026-Q2"]
    assert table[1:] == [
        ["Cost per ticket", "$13.50", "$12", "Missed", "-$0.50 (better)"],
        ["Adoption", "71%", "70%", "Met", "\u2014"],
        ["Tickets solved in 24 h", "93%", "90%", "Met", "+5 pts (better)"],
    ]
    assert any("no data provided" in t for t in texts(kpis))  # the em dash's footnote


def test_kpi_chart_shows_attainment_against_the_target_in_its_xml_and_workbook() -> None:
    prs = open_deck(deck_bytes("rich"))
    kpis = slide_titled(prs, "2 of 3 KPIs met")
    (frame,) = [s for s in kpis.shapes if s.has_chart]
    xml = etree.fromstring(frame.chart.part.blob)
    series = xml.findall(f".//{C}ser")
    names = [s.find(f"{C}tx//{C}v").text for s in series]
    assert names == ["Attainment", "Target"]
    categories = [v.text for v in series[0].findall(f"{C}cat//{C}pt/{C}v")]
    assert categories == ["Cost per ticket (missed)", "Adoption", "Tickets solved in 24 h"]
    values = [float(v.text) for v in series[0].findall(f"{C}val//{C}pt/{C}v")]
    assert values == pytest.approx([12 / 13.5, 71 / 70, 93 / 90])
    targets = [float(v.text) for v in series[1].findall(f"{C}val//{C}pt/{C}v")]
    assert targets == [1.0, 1.0, 1.0]
    workbook = openpyxl.load_workbook(io.BytesIO(frame.chart.part.chart_workbook.xlsx_part.blob))
    cells = [row[1] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert cells == pytest.approx([12 / 13.5, 71 / 70, 93 / 90])
    descr = frame._element.nvGraphicFramePr.cNvPr.get("descr")
    assert descr.startswith("Bar chart: 2 of 3 KPIs met in 2026-Q3")


def test_sla_table_names_the_missed_month() -> None:
    slas = slide_titled(open_deck(deck_bytes("rich")), "1 of 2 SLAs met")
    (table,) = tables(slas)
    assert table[2] == ["Uptime", "99.9%", "99.93%", "2 of 3", "August 2026", "Missed"]


def test_open_items_show_owner_date_and_past_due_in_words() -> None:
    items = slide_titled(open_deck(deck_bytes("rich")), "2 open items")
    (table,) = tables(items)
    assert table[1] == ["Sign off the API rate-limit change", "Sam Lee", "Nov 11, 2026",
                        "Past due (12 days)", "High"]
    assert table[2][0] == "Plan the analytics pilot"


def test_growth_names_products_and_use_cases_without_amounts() -> None:
    growth = slide_titled(open_deck(deck_bytes("rich")), "1 area to grow together")
    (table,) = tables(growth)
    assert table[1] == ["Analytics", "Forecasting", "Finance", "EMEA"]
    assert not any("$" in t for t in texts(growth))


def test_renewal_timeline_shows_dates_only() -> None:
    renewal = slide_titled(open_deck(deck_bytes("rich")), "Our agreement renews")
    (table,) = tables(renewal)
    assert table[1:] == [["May 16, 2024", "Contract started"], ["Nov 23, 2026", "This review"],
                         ["Dec 10, 2026", "Next quarterly business review due"],
                         ["May 15, 2027", "Contract ends; renewal date"]]


def test_every_slide_has_speaker_notes_a_footer_marking_and_a_number() -> None:
    for audience, marking in ((Audience.CUSTOMER, "Prepared for Acme Corp"),
                              (Audience.INTERNAL, "Internal - do not send")):
        prs = open_deck(deck_bytes("rich", audience))
        for number, s in enumerate(prs.slides, start=1):
            assert s.has_notes_slide and s.notes_slide.notes_text_frame.text.strip()
            footer = " | ".join(texts(s))
            assert marking in footer, (audience, number)
            assert "As of Nov 23, 2026" in footer
            slide_xml = etree.tostring(s._element).decode()
            assert 'type="slidenum"' in slide_xml


# --------------------------------------------------------------------------- internal version


def test_internal_deck_prepares_first_then_shows_the_meeting() -> None:
    found = titles(open_deck(deck_bytes("rich", Audience.INTERNAL)))
    assert found[:7] == [
        "Acme Corp and Northwind Analytics",
        "2 customer attendees: 1 champion, 1 detractor",
        "6 risks to handle in the room; 3 high, starting with SECRET budget freeze at the CFO",
        "$400K whitespace; the ask: Analytics in Finance / EMEA, $350K not yet in pipeline",
        "Renewal on May 15, 2027 is late: no opportunity inside the window",
        "Health amber: 2 actions overdue; 2 changes since Aug 20, 2026",
        "Agenda: 2026-Q3 results and priorities for 2026-Q4",
    ]
    assert found[7:] == titles(open_deck(deck_bytes("rich")))[2:]


def test_internal_preparation_lists_attendees_and_who_attends_from_our_side() -> None:
    prep = open_deck(deck_bytes("rich", Audience.INTERNAL)).slides[1]
    (table,) = tables(prep)
    assert table[0] == ["Attendee", "Buying role", "Stance", "Influence", "Access path",
                        "Last contact"]
    assert table[2] == ["Omar Haddad, VP Support", "Decision Maker", "Detractor", "4 of 5",
                        "via Dana Ruiz (CIO), owner Pat Kim", "Jul 1, 2026 (stale)"]
    ours = next(t for t in texts(prep) if "leads the review" in t)
    assert "Sam Lee (Key Account Manager): leads the review" in ours
    assert "Lee Moss (Customer Success): answers for delivery (2 targets missed)" in ours


def test_internal_notes_carry_the_candid_talking_points() -> None:
    prs = open_deck(deck_bytes("rich", Audience.INTERNAL))
    notes = prs.slides[7].notes_slide.notes_text_frame.text  # the executive summary
    assert "Internal only: Health is amber (2 actions overdue). The ask this time: Analytics." \
        in notes


# --------------------------------------------------------------------------- audience


@pytest.mark.parametrize("which", ["rich", "long", "minimal"])
def test_customer_deck_holds_no_internal_value_in_any_part(which: str) -> None:
    data = deck_bytes(which)
    everything = every_text(data)
    for secret in SECRETS:
        assert secret not in everything, secret
    account = {"rich": rich_account, "long": long_account, "minimal": minimal_account}[which]()
    assert check_bytes(data, "deck.pptx", terms=customer_leak_terms(account)) == []


def test_internal_deck_is_marked_and_does_hold_the_internal_values() -> None:
    everything = every_text(deck_bytes("rich", Audience.INTERNAL))
    assert "SECRET budget freeze at the CFO" in everything
    assert "$400K" in everything


# --------------------------------------------------------------------------- layout


@pytest.mark.parametrize("which", ["rich", "long", "minimal"])
@pytest.mark.parametrize("audience", [Audience.CUSTOMER, Audience.INTERNAL])
def test_deck_passes_the_linter_shapes_inside_text_fitted(which: str, audience: Audience) -> None:
    data = deck_bytes(which, audience)
    assert check_bytes(data, "deck.pptx") == []
    prs = open_deck(data)
    for s in prs.slides:
        for shape in s.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= prs.slide_width
            assert shape.top + shape.height <= prs.slide_height


def test_long_table_shows_a_page_and_continues_in_full_in_the_appendix() -> None:
    prs = open_deck(deck_bytes("long"))
    main = slide_titled(prs, "30 open items")
    (table,) = tables(main)
    shown = len(table) - 1
    assert 0 < shown < 30
    assert f"{shown} of 30 open items shown; all 30: appendix A1" in texts(main)
    appendix = [s for s in prs.slides
                if s.shapes.title.text_frame.text.startswith("A1 Open items: 30 open items")]
    assert len(appendix) >= 2
    assert all(s.shapes.title.text_frame.text.endswith("(cont.)") for s in appendix[1:])
    rows = [row[0] for s in appendix for row in tables(s)[0][1:]]
    assert rows == [f"Follow-up {n:02d}" for n in range(1, 31)]  # every row, once, in order
    captions = [t for s in appendix for t in texts(s) if t.startswith("rows ")]
    first_page = len(tables(appendix[0])[0]) - 1
    assert captions[0] == f"rows 1\u2013{first_page} of 30 open items"
    assert captions[-1].endswith("\u201330 of 30 open items")
    agenda = next(t for t in texts(slide_titled(prs, "Agenda")) if "Executive summary" in t)
    assert agenda.split("\n")[-1] == "Appendix"


def test_minimal_account_gives_a_short_honest_customer_deck() -> None:
    # Only the summary has something to say: no one-item agenda, no empty sections.
    assert titles(open_deck(deck_bytes("minimal"))) == [
        "Bare Minimum Ltd and Northwind Analytics",
        "2026-Q3 review: agreeing how we measure success together",
    ]


def test_minimal_internal_deck_says_which_data_would_fill_each_missing_section() -> None:
    prs = open_deck(deck_bytes("minimal", Audience.INTERNAL))
    pages = [s for s in prs.slides
             if s.shapes.title.text_frame.text.startswith("13 sections left out of this deck")]
    rows = {row[0]: row[1] for s in pages for row in tables(s)[0][1:]}
    assert len(rows) == 13
    assert "KPI_Measurement__c" in rows["KPIs vs targets"]
    assert "Kind__c = SLA" in rows["SLA performance"]
    assert "Account_Risk__c" in rows["Risks to handle in the room"]


def test_no_kpi_data_drops_the_kpi_slide_and_the_agenda_follows() -> None:
    (artifact,) = build(dataclasses.replace(rich_account(), kpis=()))
    prs = open_deck(artifact.data)
    assert not any("KPI" in t for t in titles(prs)[2:])
    agenda = " ".join(texts(slide_titled(prs, "Agenda")))
    assert "Value delivered: KPIs" not in agenda and "SLA performance" not in agenda


def test_quarter_option_reports_on_that_quarter() -> None:
    (artifact,) = build(rich_account(), quarter="2026-Q2")
    found = titles(open_deck(artifact.data))
    # 2026-Q2: Cost per ticket 14 vs 12 and Tickets 88 % vs 90 % both missed; Adoption and
    # Old KPI have no value in Q2. Uptime's June value 99.9 meets 99.9.
    assert "None of 2 KPIs met in 2026-Q2" in found
    assert "1 SLA met in every period of 2026-Q2" in found


def test_core_properties_name_our_company_and_the_as_of_date() -> None:
    props = open_deck(deck_bytes("rich")).core_properties
    assert props.author == COMPANY and props.last_modified_by == COMPANY
    assert props.created.date() == AS_OF and props.modified.date() == AS_OF
    assert "Acme Corp" in props.title and "2026-Q3" in props.subject


@pytest.mark.parametrize("audience", [Audience.CUSTOMER, Audience.INTERNAL])
def test_building_twice_gives_identical_bytes(audience: Audience) -> None:
    first = build(long_account(), audience)[0].data
    assert build(long_account(), audience)[0].data == first


def test_slide_titles_are_unique_but_continuations_and_sentence_case() -> None:
    found = titles(open_deck(deck_bytes("long", Audience.INTERNAL)))
    firsts = [t for t in found if not t.endswith("(cont.)")]
    assert len(firsts) == len(set(firsts))
    assert all(t.removesuffix(" (cont.)") in firsts for t in found)
    assert not any(re.fullmatch(r"[A-Z0-9 ,;:]{8,}", t) for t in found)


# --------------------------------------------------------------------------- LibreOffice


@pytest.mark.libreoffice
@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")
def test_pdf_option_adds_a_pdf_with_one_page_per_slide() -> None:
    from kamdocs.render.convert import page_count

    deck, pdf = build(rich_account(), Audience.INTERNAL, pdf=True)
    assert (deck.suffix, pdf.suffix) == (".pptx", ".pdf") and not deck.problems
    assert pdf.data.startswith(b"%PDF")
    assert page_count(pdf.data) == len(open_deck(deck.data).slides)


def test_a_table_a_little_too_long_continues_on_the_next_slide_not_in_the_appendix() -> None:
    # 4 of ours + 14 contacts + 2 group rows = 20 rows: two pages of at most 12.
    contacts = tuple(
        dataclasses.replace(rich_account().stakeholders[2], id=f"003X{n:02d}",
                            name=f"Contact {n:02d}")
        for n in range(1, 15))
    (artifact,) = build(dataclasses.replace(rich_account(), stakeholders=contacts))
    found = titles(open_deck(artifact.data))
    teams = "Working together: 4 people at Northwind Analytics and 14 people at Acme Corp"
    assert found[-2:] == [teams, teams + " (cont.)"]
    assert not any(t.startswith("Appendix") for t in found)
    names = [row[0] for s in list(open_deck(artifact.data).slides)[-2:] for row in tables(s)[0]]
    assert [n for n in names if n.startswith("Contact")] == [
        f"Contact {n:02d}" for n in range(1, 15)]


#: Letters, digits, punctuation and symbols of any script, spaces, line breaks, and a
#: control character XML 1.0 cannot hold.
TEXT = st.text(alphabet=st.one_of(
    st.characters(whitelist_categories=("L", "N", "P", "S", "Zs")),
    st.sampled_from(["\n", "\x01", "&", "<", ">", '"', "'"])), min_size=1, max_size=400)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subject=TEXT.filter(lambda t: t.strip()), kpi=TEXT.filter(lambda t: t.strip()))
def test_any_text_survives_in_full_and_stays_inside_its_slide(subject: str, kpi: str) -> None:
    from kamdocs.render.text import xml_safe

    account = rich_account()
    actions = (dataclasses.replace(account.actions[0], subject=subject),) + account.actions[1:]
    kpis = (dataclasses.replace(account.kpis[1], name=kpi),) + account.kpis[2:]
    (artifact,) = build(dataclasses.replace(account, actions=actions, kpis=kpis))
    assert check_bytes(artifact.data, "deck.pptx") == []
    cells = {c for s in open_deck(artifact.data).slides for t in tables(s) for row in t
             for c in row}
    # Characters XML cannot hold are shown as U+FFFD (visible), never dropped.
    assert xml_safe(subject) in cells
    assert xml_safe(kpi) in cells
