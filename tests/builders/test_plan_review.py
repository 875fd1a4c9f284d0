"""Regressions of the account plan review: what a key account manager and their VP saw on the
rendered pages, each pinned by a test (layout, words, numbers, customer wording, the map).

Expected values are worked out here from the hand-built accounts in plan_accounts.py.
"""

from __future__ import annotations

import dataclasses
import html
import io
import re
import shutil
import subprocess
import zipfile
from datetime import date
from functools import cache

import numpy as np
import pytest
from docx.document import Document as DocxDocument
from lxml import etree
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager, get_font

import kamdocs
from kamdocs.builders.account_plan import AccountPlanBuilder
from kamdocs.builders.base import BuildOptions
from kamdocs.config import Settings, find_config, load_settings
from kamdocs.model import (
    Action,
    Audience,
    Cadence,
    Kpi,
    KpiMeasurement,
    KpiSummary,
    Portfolio,
    RagStatus,
    Scorecard,
    TeamMember,
)
from kamdocs.render import orgmap
from kamdocs.render.convert import find_soffice, to_pdf
from kamdocs.render.orgmap import OrgNode, OrgStyle, layout_org
from kamdocs.render.text import DEFAULT_FONT, measure
from tests.builders.plan_accounts import AS_OF, minimal_account, rich_account
from tests.builders.test_plan import body_text, build, charts, open_doc, table_after
from tests.scenarios import SAMPLES_DIR

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@cache
def rich(audience: Audience = Audience.INTERNAL) -> bytes:
    return build(rich_account(), audience)


def paragraph_with(document: DocxDocument, start: str):
    return next(p for p in document.paragraphs if p.text.startswith(start))


def chart_parts(data: bytes) -> dict[str, etree._Element]:
    """Chart title -> the chart part's XML root."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.startswith("word/charts/chart"):
                root = etree.fromstring(package.read(name))
                title = "".join(t.text or "" for t in root.find(f"{C}chart/{C}title").iter(
                    f"{A}t"))
                out[title] = root
    return out


def twips_to_emu(twips: str) -> int:
    return int(twips) * 635


# --------------------------------------------------------------------------- page flow


def test_the_sentence_that_introduces_a_chart_keeps_with_it() -> None:
    # The pipeline heading and its message sat at a page bottom, the chart overleaf.
    document = open_doc(rich())
    lead = paragraph_with(document, "$250,000 open pipeline in 2 stages")
    assert lead.paragraph_format.keep_with_next is True


def test_a_sections_opening_sentence_keeps_with_its_first_subsection() -> None:
    document = open_doc(rich())
    lead = paragraph_with(document, "Acme Corp holds")
    assert lead.paragraph_format.keep_with_next is True


def test_short_tables_keep_their_rows_on_one_page_long_ones_do_not() -> None:
    account = rich_account()
    template = account.actions[2]
    many = tuple(dataclasses.replace(template, id=f"00T{i:04d}", subject=f"Call {i}")
                 for i in range(40))
    document = open_doc(build(dataclasses.replace(account, actions=account.actions + many)))
    region = next(t for t in document.tables if t.rows[0].cells[0].text == "Region")
    # header, EMEA, NA keep with the next row; the totals row ends the chain
    keeps = [all(p.paragraph_format.keep_with_next for c in r.cells for p in c.paragraphs)
             for r in region.rows]
    assert keeps == [True, True, True, False]
    every_action = max((t for t in document.tables if t.rows[0].cells[0].text == "What"),
                       key=lambda t: len(t.rows))
    assert len(every_action.rows) == 1 + 43
    assert not any(p.paragraph_format.keep_with_next
                   for r in every_action.rows[1:] for c in r.cells for p in c.paragraphs)


def test_date_columns_are_wide_enough_never_to_break_a_date() -> None:
    document = open_doc(rich())
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Name")
    header = [c.text for c in table.rows[0].cells]
    column = header.index("Last contact")
    width = twips_to_emu(table._tbl.tblGrid.findall(f"{W}gridCol")[column].get(f"{W}w"))
    dates = [r.cells[column].text for r in table.rows[1:] if r.cells[column].text != "\u2014"]
    assert dates
    # 9.5 pt text plus the cell's side insets (0.06 in each)
    assert all(width >= measure(d, size_pt=9.5) + 2 * 54864 for d in dates)


# --------------------------------------------------------------------------- charts


def test_an_empty_quarter_reads_0_dollars_not_0k_and_the_running_quarter_says_to_date() -> None:
    root = chart_parts(rich())["Closed won by quarter, USD"]
    code = root.find(f".//{C}dLbls/{C}numFmt").get("formatCode")
    positive, negative, zero = code.split(";")
    assert positive.endswith('"K"') and negative.startswith("-")
    assert zero == '"$"0'
    cats, _ = charts(rich())["Closed won by quarter, USD"]
    # as of 23 Nov 2026 the fourth quarter has five weeks to run
    assert cats[-1] == "2026-Q4 (to date)" and cats[0] == "2026-Q1"


def test_attainment_bars_are_green_in_every_plan_whatever_charts_come_before() -> None:
    # The customer plan has no pipeline chart: the attainment series took the palette's
    # second colour (orange), a hair from the vermilion of a missed bar.
    for audience in Audience:
        root = chart_parts(rich(audience))["KPI attainment, % of target: 1 of 2 met"]
        fill = root.find(f".//{C}ser/{C}spPr/{A}solidFill/{A}srgbClr").get("val")
        assert fill == "009E73"


def test_attainment_values_ride_in_the_names_not_in_labels_under_the_target_marks() -> None:
    root = chart_parts(rich())["KPI attainment, % of target: 1 of 2 met"]
    shown = [v.get("val") for v in root.findall(f".//{C}ser/{C}dLbls/{C}showVal")]
    assert shown and set(shown) == {"0"}
    cats, _ = charts(rich())["KPI attainment, % of target: 1 of 2 met"]
    assert sorted(cats) == ["Adoption: 107%", "Tickets closed: 75% (missed)"]


# --------------------------------------------------------------------------- words and figures


def _with_kpis(*kpis: Kpi) -> bytes:
    account = dataclasses.replace(rich_account(), kpis=kpis,
                                  kpi_summary=KpiSummary(len(kpis), 0, 0, 0, None))
    return build(account)


def test_kpi_change_carries_its_unit_and_says_better_or_worse() -> None:
    kpis = (
        Kpi("P2 resolution", "KPI", "hours", False,
            latest=KpiMeasurement(date(2026, 9, 30), 24.5, 24.0),
            previous=KpiMeasurement(date(2026, 6, 30), 25.3, 24.0),
            attainment=24 / 24.5, is_met=False, change=-0.8),
        Kpi("Weekly users", "KPI", "count", True,
            latest=KpiMeasurement(date(2026, 9, 30), 1084.0, 1163.0),
            attainment=1084 / 1163, is_met=False, change=-24.0),
        Kpi("Flat one", "KPI", "%", True,
            latest=KpiMeasurement(date(2026, 9, 30), 98.0, 98.0),
            attainment=1.0, is_met=True, change=0.0),
    )
    rows = {r[0]: r for r in table_after(open_doc(_with_kpis(*kpis)), "Measure")[1:]}
    # lower is better: 0.8 hours less is better
    assert rows["P2 resolution"][2:4] == ["24.5 hours", "24 hours"]
    assert rows["P2 resolution"][6] == "-0.8 hours (better)"
    # a count needs no unit word: "1,084", not "1,084 count"
    assert rows["Weekly users"][2] == "1,084"
    assert rows["Weekly users"][6] == "-24 (worse)"
    # percentages read like the attainment column: "98%", not "98 %"; no change is no verdict
    assert rows["Flat one"][2] == "98%"
    assert rows["Flat one"][6] == "0 pts"
    # missed measures come first, so a table cut for length keeps them in the section
    order = [r[0] for r in table_after(open_doc(_with_kpis(*reversed(kpis))), "Measure")[1:]]
    assert order == ["Weekly users", "P2 resolution", "Flat one"]


def test_status_words_are_sentence_case_never_shouted() -> None:
    document = open_doc(rich())
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    for shouted in ("OVERDUE", "MISSED", "PAST TARGET DATE", "NO RECENT CONTACT"):
        assert not any(shouted in c for c in cells)
    # the raw picklist value "Not Started" of the overdue action is not shown: it is overdue
    statuses = [r[4] for r in table_after(document, "What")[1:]]
    assert statuses == ["Overdue by 12 days", "Due soon", "Done"]


def test_picklist_statuses_lose_their_title_case() -> None:
    account = rich_account()
    action = dataclasses.replace(account.actions[1], is_due_soon=False,
                                 raw_status="Waiting On Someone Else")
    document = open_doc(build(dataclasses.replace(
        account, actions=(account.actions[0], action, account.actions[2]))))
    assert [r[4] for r in table_after(document, "What")[1:]][1] == "Waiting on someone else"


def test_the_summary_states_health_drivers_it_has_not_already_said() -> None:
    account = dataclasses.replace(
        rich_account(),
        health=dataclasses.replace(rich_account().health, status=RagStatus.RED, drivers=(
            "revenue +19% year on year", "1 action overdue of 2 open", "QBR overdue",
            "key stakeholder detractor: Omar Haddad")),
    )
    text = body_text(open_doc(build(account)))
    # growth and actions are in the first sentence already; the other two drivers are new
    assert "Health is red (QBR overdue; key stakeholder detractor: Omar Haddad)." in text
    assert "health is red (revenue" not in text


def test_a_booked_qbr_that_is_late_still_says_it_is_overdue_internally_only() -> None:
    cadence = Cadence(last_qbr=date(2026, 5, 31), next_qbr_due=date(2026, 8, 31),
                      next_qbr_scheduled=date(2026, 12, 16), is_qbr_overdue=True)
    account = dataclasses.replace(rich_account(), cadence=cadence)
    internal = {r[0]: r[1:] for r in table_after(open_doc(build(account)), "Key figure")}
    assert internal["Next QBR"] == [
        "Dec 16, 2026", "scheduled; overdue since Aug 31, 2026; last held May 31, 2026"]
    customer = {r[0]: r[1:] for r in table_after(
        open_doc(build(account, Audience.CUSTOMER)), "Key figure")}
    assert customer["Next QBR"] == ["Dec 16, 2026", "scheduled; last held May 31, 2026"]


def test_renewal_status_is_a_word_with_its_meaning_spelled_out() -> None:
    document = open_doc(rich())
    facts = [t for t in document.tables if t.rows[0].cells[0].text == "Key figure"]
    renewal = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in facts[-1].rows}
    assert renewal["Status"] == ["Covered", "in the renewal window, opportunity open"]
    assert "past the window, no renewal opportunity" not in body_text(document)


def test_a_customer_success_manager_fills_the_customer_success_role() -> None:
    account = rich_account()
    team = account.team + (TeamMember(account.team[2].user, "Customer Success Manager"),)
    text = body_text(open_doc(build(dataclasses.replace(account, team=team))))
    assert "no customer success" not in text
    # the rich account itself has none: the warning stays
    assert "Warning: no customer success assigned." in body_text(open_doc(rich()))


@pytest.mark.parametrize(("direct", "key_direct", "expected"), [
    (0, 0, "Single-threaded: no one at Acme Corp has a direct line to us"),
    (1, 0, "Single-threaded: only one contact at Acme Corp has a direct line to us"),
    (0, 1, "Single-threaded: only one contact at Acme Corp has a direct line to us"),
])
def test_single_threading_is_described_by_the_real_number_of_direct_lines(
    direct: int, key_direct: int, expected: str,
) -> None:
    account = rich_account()
    relationships = dataclasses.replace(account.relationships, direct_count=direct,
                                        key_direct_count=key_direct)
    text = body_text(open_doc(build(dataclasses.replace(account, relationships=relationships))))
    assert expected in text


def test_scores_keep_one_decimal_so_the_column_lines_up() -> None:
    document = open_doc(rich())
    rows = table_after(document, "Product", "Business unit", "Region", "Use case", "Current")
    # scores 2.5, 1.2 and 0.0 (the above-potential cell) in score order
    assert [r[-1] for r in rows[1:]] == ["2.5", "1.2", "0.0"]


def test_an_account_name_ending_in_a_full_stop_is_not_followed_by_another() -> None:
    account = dataclasses.replace(rich_account(), name="Acme Holdings Ltd.")
    for audience in Audience:
        text = body_text(open_doc(build(account, audience)))
        assert "Ltd.." not in text


# --------------------------------------------------------------------------- actions


def _open_action(i: int) -> Action:
    template = rich_account().actions[0]
    return dataclasses.replace(template, id=f"00O{i:04d}", subject=f"Open step {i}",
                               is_overdue=False, days_overdue=0, is_due_soon=False,
                               due=date(2027, 1, 1))


def test_a_long_action_list_keeps_the_open_ones_in_the_plan_and_all_in_the_appendix() -> None:
    account = rich_account()
    done = tuple(dataclasses.replace(account.actions[2], id=f"00D{i:04d}", subject=f"Done {i}")
                 for i in range(10))
    actions = tuple(_open_action(i) for i in range(30)) + done
    document = open_doc(build(dataclasses.replace(account, actions=actions)))
    text = body_text(document)
    assert "25 of 30 open actions shown; all 40 actions, with the 10 done, are in appendix" in text
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "What"]
    section, appendix = tables[0], tables[-1]
    assert len(section.rows) == 1 + 25
    assert all(r.cells[4].text != "Done" for r in section.rows[1:])
    assert len(appendix.rows) == 1 + 40


def test_data_gaps_of_done_actions_are_not_counted() -> None:
    account = rich_account()
    done_gap = dataclasses.replace(account.actions[2], data_gaps=("no success measure",))
    actions = (account.actions[0], account.actions[1], done_gap)
    text = body_text(open_doc(build(dataclasses.replace(account, actions=actions))))
    assert "1 of 2 open actions have data gaps: 1 with no owner; 1 with no success measure." \
        in text


# --------------------------------------------------------------------------- customer plan


def test_the_joint_plan_speaks_of_investment_not_of_closed_won_deals() -> None:
    text = body_text(open_doc(rich(Audience.CUSTOMER)))
    assert not re.search(r"closed[ -]won", text, re.IGNORECASE)
    assert "$400,000 invested over 4 quarters" in text
    assert "Invested by quarter, USD" in chart_parts(rich(Audience.CUSTOMER))


def test_the_joint_plan_counts_projects_delivered_without_renewals() -> None:
    account = rich_account()
    renewed = dataclasses.replace(account.opportunities[0], id="006R",
                                  name="Acme renewal 2025", type="Renewal")
    data = build(dataclasses.replace(account, opportunities=account.opportunities + (renewed,)),
                 Audience.CUSTOMER)
    document = open_doc(data)
    assert "1 project delivered together so far." in body_text(document)
    assert [r[0] for r in table_after(document, "Delivered")[1:]] == ["Acme analytics 2026"]


def test_the_joint_plan_names_gaps_in_plain_words_not_crm_fields() -> None:
    text = body_text(open_doc(build(minimal_account(), Audience.CUSTOMER)))
    assert "Not recorded yet: the products you use" in text
    assert "This joint plan with Bare Minimum Ltd is at an early stage" in text
    for jargon in ("__c", "records", "Task", "Opportunity"):
        assert jargon not in text
    internal = body_text(open_doc(build(minimal_account())))
    assert "No data yet: this section is filled from Asset records" in internal


# --------------------------------------------------------------------------- danger, scorecard


def test_without_a_health_status_the_plan_does_not_call_the_account_safe() -> None:
    text = body_text(open_doc(build(minimal_account())))
    assert "not in danger today" not in text
    assert "The data does not show whether the account is in danger (no health status)." in text


def test_the_scorecard_lead_counts_questions_the_data_could_not_rate() -> None:
    account = rich_account()
    lines = account.scorecard.lines + (("Renewal", "no renewal date", None),)
    scorecard = Scorecard(lines, account.scorecard.roster, account.scorecard.roster_reason)
    text = body_text(open_doc(build(dataclasses.replace(account, scorecard=scorecard))))
    assert ("4 review questions: 1 green, 1 amber, 1 red, 1 not rated for lack of data; "
            "recommendation: keep.") in text


# --------------------------------------------------------------------------- relationship map


def _chain(prefix: str, length: int) -> list[OrgNode]:
    return [OrgNode(f"{prefix}{i}", f"{prefix}{i - 1}" if i else None, f"{prefix} person {i}")
            for i in range(length)]


def test_small_trees_fill_the_room_a_big_tree_leaves_instead_of_taking_pages() -> None:
    style = OrgStyle()
    area = orgmap.Box(0, 0, orgmap.inches(9), orgmap.inches(6))
    # a pair, a tree as tall as the page (stacked reports of one manager), another pair
    tall = [OrgNode("boss", None, "Boss")] + [
        OrgNode(f"r{i}", "boss", f"Report {i}") for i in range(12)]
    nodes = _chain("a", 2) + tall + _chain("b", 2)
    pages = layout_org(nodes, area, style=style)
    on_page = {b.node_id: p.number for p in pages for b in p.boxes}
    # both pairs share a page; the old in-order shelves put the second pair on a third page
    assert on_page["a0"] == on_page["b0"]
    assert len(pages) == len({on_page["a0"], on_page["boss"]})


def test_a_map_split_inside_a_document_speaks_of_parts_not_pages() -> None:
    style = dataclasses.replace(OrgStyle(), page_abbr="part", page_word="part")
    area = orgmap.Box(0, 0, orgmap.inches(6), orgmap.inches(3))
    pages = layout_org(_chain("c", 8), area, style=style)
    assert len(pages) > 1
    notes = " ".join(n for p in pages for n in p.notes)
    assert "team continues on part 2" in notes and "page" not in notes
    markers = [t for p in pages for b in p.boxes for t, role in b.lines if role == "marker"]
    assert markers and all(re.fullmatch(r"[\u2192\u2191] (part \d+|this part)", m)
                           for m in markers)


_LINES = [
    ("Director of Demand Planning", 9.0, False),
    ("Neutral \u00b7 infl. 2 \u00b7 Jessica Kelly", 9.0, False),
    ("AV Wave To  double  spaces", 8.5, True),
    ("\u5f20\u4f1f \u00b7 \u5b89\u5168\u5206\u6790\u5e08", 9.0, False),
    ("\u0645\u062d\u0645\u062f \u0627\u0644\u0647\u0627\u0634\u0645\u064a", 9.0, True),
    ("Ops lead \u2014 \u201cquoted\u201d & <R&D>", 8.0, False),
]


def _canvas(draw_lines) -> np.ndarray:
    figure = Figure(figsize=(4, 2), dpi=200)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, 400)
    axes.set_ylim(200, 0)
    axes.set_axis_off()
    draw_lines(axes)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def test_map_text_is_drawn_pixel_for_pixel_as_matplotlib_text_draws_it() -> None:
    families = list(orgmap.PNG_FAMILIES)

    def prop(size: float, bold: bool) -> FontProperties:
        return FontProperties(family=families, size=size, weight="bold" if bold else "normal")

    def with_text(axes) -> None:
        for i, (text, size, bold) in enumerate(_LINES):
            axes.text(13.3, 20 + 30 * i, text, fontproperties=prop(size, bold), color="#222222",
                      va="baseline", ha="left", parse_math=False)

    def with_lines(axes) -> None:
        lines = [(13.3, 20 + 30 * i, text, prop(size, bold), (0.133, 0.133, 0.133, 1.0))
                 for i, (text, size, bold) in enumerate(_LINES)]
        axes.add_artist(orgmap._TextLines(lines, axes.transData))

    expected, got = _canvas(with_text), _canvas(with_lines)
    assert (expected != 255).any()
    assert np.array_equal(expected, got)


def test_words_laid_out_one_by_one_land_where_the_whole_line_puts_them() -> None:
    font = get_font(fontManager._find_fonts_by_props(FontProperties(
        family=list(orgmap.PNG_FAMILIES), size=9)))
    if not hasattr(font, "_layout"):
        pytest.skip("this matplotlib lays out text without FT2Font._layout")
    font.set_size(9, 200)
    flags = orgmap.get_hinting_flag()
    for text, _, _ in _LINES[:3] + _LINES[5:]:
        whole = tuple((i.ft_object, i.glyph_index, i.x, i.y)
                      for i in font._layout(text, flags=flags, features=None, language=None))
        assert orgmap._line_glyphs(font, 9, 200, flags, text) == whole


# --------------------------------------------------------------------------- rendered pages


_WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(.*?)</word>')


def page_lines(bbox_html: str) -> list[tuple[float, list[tuple[float, str]]]]:
    """``pdftotext -bbox`` output as pages: (page height, [(top of line, line text)]), without
    the running footer (as of, source, "Page X of Y") and the header every page repeats."""
    pages = []
    for page in bbox_html.split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        rows: dict[float, list[str]] = {}
        for top, word in _WORD.findall(page):
            rows.setdefault(round(float(top)), []).append(html.unescape(word))
        lines = [(top, " ".join(words)) for top, words in sorted(rows.items())]
        pages.append((height, [(top, text) for top, text in lines
                               if not re.search(r"(^As of |Page \d+ of \d+$)", text)]))
    firsts = [lines[0][1] for _, lines in pages if lines]
    header = max(set(firsts), key=firsts.count) if firsts else None
    if header is not None and firsts.count(header) * 2 < len(firsts):
        header = None
    return [(height, [line for line in lines if line[1] != header]) for height, lines in pages]


def pages_ending_with_a_heading(bbox_html: str, headings: set[str]) -> list[int]:
    """Pages whose last lines (at most two after it, in the lower half of the page) hold a
    heading while the next page does not start a new one: a heading left behind at the page
    bottom, its content overleaf."""
    bare = {re.sub(r"^\d+(\.\d+)*\s+", "", h) for h in headings}

    def is_heading(text: str) -> bool:
        return re.sub(r"^\d+(\.\d+)*\s+", "", text) in bare

    pages = page_lines(bbox_html)
    found = []
    for number, ((height, lines), (_, following)) in enumerate(
            zip(pages, [*pages[1:], (0.0, [])], strict=True), 1):
        if not lines or lines[0][1] == "Contents" or not following:
            continue
        left_behind = [top for top, text in lines[-3:] if is_heading(text)]
        if left_behind and left_behind[-1] > height / 2 and not is_heading(following[0][1]):
            found.append(number)
    return found


def _bbox(*pages: list[tuple[int, str]]) -> str:
    words = "".join(
        '<page width="600" height="800">'
        + "".join(f'<word xMin="70" yMin="{top}" xMax="90" yMax="{top + 10}">{w}</word>'
                  for top, line in page for w in line.split())
        + "</page>"
        for page in pages
    )
    return f"<doc>{words}</doc>"


def test_the_page_check_finds_a_heading_left_at_a_page_bottom() -> None:
    header, footer = (30, "Acme &amp; Co"), (770, "Page 1 of 4")
    text = _bbox(
        [header, (100, "1 Summary"), (120, "Some text."), (690, "2 Pipeline"), (710, "Its"),
         footer],
        [header, (100, "Chart title"), (600, "A bar"), footer],
        [header, (100, "3 Risks"), (130, "Relationship map, part 1"), (700, "4 Actions"),
         (720, "None."), footer],
        [header, (100, "5 Map"), (120, "Relationship map, part 2"), footer],
        [header, (100, "Caption of a picture"), footer],
    )
    headings = {"Summary", "Pipeline", "Risks", "Actions", "Map"}
    # page 1 leaves "2 Pipeline" behind; page 3's last section is complete (a heading follows);
    # page 4's heading sits at the top, over a picture that pdftotext does not show
    assert pages_ending_with_a_heading(text, headings) == [1]


@cache
def _samples() -> tuple[Portfolio, Settings]:
    settings = load_settings(find_config(SAMPLES_DIR, None))
    return kamdocs.load_portfolio(SAMPLES_DIR, config=settings, as_of=AS_OF), settings


def _sample_plan(name: str, audience: Audience) -> bytes:
    portfolio, settings = _samples()
    account = next(a for a in portfolio.accounts if a.name == name)
    (artifact,) = AccountPlanBuilder(BuildOptions(settings, audience, AS_OF)).build(
        portfolio, [account])
    return artifact.data


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(find_soffice() is None or shutil.which("pdftotext") is None,
                    reason="needs LibreOffice (soffice) and poppler's pdftotext")
@pytest.mark.parametrize(("name", "audience"), [
    ("Chandrapur Capital Ltd.", Audience.INTERNAL),
    ("Harbourside Media Inc.", Audience.INTERNAL),
    ("Blackthorn Freight AG", Audience.CUSTOMER),
])
def test_no_rendered_page_ends_with_a_heading(name: str, audience: Audience) -> None:
    data = _sample_plan(name, audience)
    headings = {p.text.strip() for p in open_doc(data).paragraphs
                if p.style.name.startswith("Heading")}
    pdf = to_pdf(data, ".docx", name=name)
    text = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")
    assert text.count("<page ") >= 5
    assert pages_ending_with_a_heading(text, headings) == []



def test_no_column_is_narrower_than_its_longest_header_word() -> None:
    # Date columns grown to their dates squeezed the stakeholder table until "Influence"
    # broke as "Influenc-e".
    bold = DEFAULT_FONT.with_bold()
    for audience in Audience:
        document = open_doc(_sample_plan("Harbourside Media Inc.", audience))
        for table in document.tables:
            if table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is None:
                continue  # the heat-table's colour key: a row of cells, not headers
            grid = table._tbl.tblGrid.findall(f"{W}gridCol")
            for cell, column in zip(table.rows[0].cells, grid, strict=True):
                words = cell.text.split() or [""]
                need = max(measure(w, bold, 9.5) for w in words)
                assert twips_to_emu(column.get(f"{W}w")) >= need, (cell.text, audience)


def test_long_kpi_names_get_four_wide_columns_instead_of_eight_slanted_ones() -> None:
    def kpi(name: str, attainment: float) -> Kpi:
        return Kpi(name, "KPI", "%", True,
                   latest=KpiMeasurement(date(2026, 9, 30), 90.0 * attainment, 90.0),
                   attainment=attainment, is_met=attainment >= 1)

    short = [kpi(f"Short {i}", 0.8 + i / 100) for i in range(6)]
    found = charts(_with_kpis(*short))
    assert len(found["KPI attainment, % of target: 0 of 6 met"][0]) == 6
    # 40 characters of name: the five lowest of six would slant; the four lowest are shown
    long = [kpi(f"Automated workflows live in division {i:03d}", 0.8 + i / 100) for i in range(6)]
    cats, _ = charts(_with_kpis(*long))[
        "KPI attainment, % of target: 0 of 6 met; the 4 lowest shown (every measure is in the "
        "table)"]
    assert sorted(c.split(":")[0][-3:] for c in cats) == ["000", "001", "002", "003"]


def test_a_short_heat_table_stays_on_one_page() -> None:
    document = open_doc(rich())
    heat = next(t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == [
        "Product", "Finance"])
    keeps = [all(p.paragraph_format.keep_with_next for c in r.cells for p in c.paragraphs)
             for r in heat.rows]
    assert keeps == [True] * (len(heat.rows) - 1) + [False]
