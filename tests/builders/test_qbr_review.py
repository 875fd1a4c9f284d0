"""What a demanding key account manager found looking at rendered QBR decks, one test per fix.

Each test builds a deck from a hand-made account (tests/builders/test_qbr_accounts.py),
reopens it with python-pptx and checks what was wrong before: labels on the target marker, a
legend key in the wrong colour, KPI names squeezed onto three lines, a narrow continuation
table, a lonely last row, a stranger's logo, "1,084 count", "$192.4K" beside "$192K", an
agreement out of date order, a nine-paragraph mitigation filling four slides. The last tests
pin the speed-ups of render/pptx.py and render/text.py to what python-pptx itself writes.
"""

from __future__ import annotations

import dataclasses
import io
import math
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.presentation import Presentation as PresentationObject
from pptx.slide import Slide

from kamdocs.builders.base import BuildOptions
from kamdocs.builders.qbr.deck import CATEGORY_LABEL_SHARE, MAX_CATEGORY_LINES, QbrDeck
from kamdocs.builders.qbr.slides import BRIEF_CHARS, IN_FULL_MARKER, ChartPlan
from kamdocs.builders.qbr.words import Words
from kamdocs.builders.registry import get_builder
from kamdocs.config import Settings, load_settings
from kamdocs.model import (
    Account,
    Action,
    ActionStatus,
    Audience,
    Kpi,
    KpiMeasurement,
    Opportunity,
    Portfolio,
    Risk,
    Stakeholder,
    WhitespaceCell,
    WhitespaceSummary,
)
from kamdocs.render.charts import CHART_FONT_PT, ChartSpec, Series, plan_chart
from kamdocs.render.geometry import EMU_PER_INCH, Box
from kamdocs.render.lookup import load_template
from kamdocs.render.numbers import NumberStyle
from kamdocs.render.package import CoreProperties, normalize
from kamdocs.render.palette import contrast_ratio
from kamdocs.render.pptx import Deck, DeckInfo, _NotesMaker, _notes_text_frame
from kamdocs.render.text import Font, Insets, fill_frame, fit, wrap_lines
from tests.builders.test_qbr_accounts import AS_OF, SAM, rich_account

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
NS = {"c": C[1:-1], "a": A[1:-1]}
NORTHWIND = "Northwind Analytics"  # the packaged default brand's name (brand.toml)
WORDS = Words(Settings())


def build(account: Account, audience: Audience = Audience.CUSTOMER, *,
          company: str = NORTHWIND, settings: Settings | None = None) -> bytes:
    portfolio = Portfolio(AS_OF, company, "USD", "en_US", "hand-built", (account,))
    builder = get_builder("qbr")(BuildOptions(settings or Settings(), audience, AS_OF))
    (artifact,) = [a for a in builder.build(portfolio, [account]) if a.suffix == ".pptx"]
    return artifact.data


def open_deck(data: bytes) -> PresentationObject:
    return Presentation(io.BytesIO(data))


def titled(prs: PresentationObject, start: str) -> list[Slide]:
    return [s for s in prs.slides if s.shapes.title.text_frame.text.startswith(start)]


def table_of(slide: Slide) -> Any:
    (frame,) = [shape for shape in slide.shapes if shape.has_table]
    return frame


def rows_of(slide: Slide) -> list[list[str]]:
    return [[c.text_frame.text for c in row.cells] for row in table_of(slide).table.rows]


def chart_space(slide: Slide) -> etree._Element:
    (frame,) = [shape for shape in slide.shapes if shape.has_chart]
    return frame.chart._chartSpace


def notes_of(slide: Slide) -> str:
    return slide.notes_slide.notes_text_frame.text


def kpi(name: str, actual: float, target: float, unit: str | None = "%") -> Kpi:
    return Kpi(name, "KPI", unit, True, (KpiMeasurement(date(2026, 9, 30), actual, target),))


# --------------------------------------------------------------------------- KPI chart


def test_kpi_label_close_under_its_target_marker_sits_inside_its_bar() -> None:
    # Attainment 30 % (far below: label above the bar, clear of the marker), 90 % (the label
    # above the bar would sit on the marker at 100 %), 100 % and 120 % (the marker is inside
    # the bar or at its top: the label above is clear).
    spec = ChartSpec("kpi_attainment", "Attainment", ("Far", "Near", "Exact", "Over"),
                     (Series("Attainment", (0.3, 0.9, 1.0, 1.2)),), "0%",
                     targets=(1.0, 1.0, 1.0, 1.0), sort=False)
    plan = plan_chart(spec)
    assert plan.series[0].label_positions == {1: "inEnd"}
    assert plan.label_position == "outEnd"


def test_kpi_chart_in_the_deck_writes_inside_labels_readable_on_their_bar() -> None:
    # Rich account: Cost per ticket 12 / 13.5 = 89 % (missed, vermilion bar: label inside),
    # Adoption 71 / 70 = 101 % and Tickets 93 / 90 = 103 % (labels above their bars).
    slide = titled(open_deck(build(rich_account())), "2 of 3 KPIs met")[0]
    space = chart_space(slide)
    labels = space.findall(".//c:barChart/c:ser/c:dLbls/c:dLbl", NS)
    inside = {int(d.find("c:idx", NS).get("val")): d for d in labels
              if d.find("c:dLblPos", NS) is not None
              and d.find("c:dLblPos", NS).get("val") == "inEnd"}
    assert list(inside) == [0]
    fill = space.find(".//c:barChart/c:ser/c:dPt/c:spPr/a:solidFill/a:srgbClr", NS).get("val")
    text = inside[0].find(".//a:defRPr/a:solidFill/a:srgbClr", NS).get("val")
    assert contrast_ratio(text, fill) >= 4.5
    series_position = space.find(".//c:barChart/c:ser/c:dLbls/c:dLblPos", NS)
    assert series_position.get("val") == "outEnd"


def test_kpi_legend_has_no_key_in_a_colour_the_missed_bars_do_not_have() -> None:
    slide = titled(open_deck(build(rich_account())), "2 of 3 KPIs met")[0]
    entries = chart_space(slide).findall(".//c:legend/c:legendEntry", NS)
    # The attainment series (index 0) has vermilion and blue bars: no single key for it; the
    # target marker (index 1) keeps its key.
    assert [(e.find("c:idx", NS).get("val"), e.find("c:delete", NS).get("val"))
            for e in entries] == [("0", "1")]
    all_met = dataclasses.replace(rich_account(), kpis=(kpi("Adoption", 71, 70),))
    slide = titled(open_deck(build(all_met)), "Adoption met its target")[0]
    assert chart_space(slide).findall(".//c:legend/c:legendEntry", NS) == []


def test_long_kpi_names_take_fewer_bars_so_each_name_wraps_to_two_lines() -> None:
    tail = ' - Clinical Trials <"net"> & \'adj.\''
    names = ["Self-service report share", "Month-end close ratio", "Automated workflows live",
             "Report turnaround share", "Manual reconciliation rate", "Forecast accuracy"]
    long_kpis = tuple(kpi(n + tail, 60.0 + i, 75.0) for i, n in enumerate(names))
    account = dataclasses.replace(rich_account(), kpis=long_kpis)
    prs = open_deck(build(account))
    slides = titled(prs, "None of 6 KPIs met")
    assert slides, [s.shapes.title.text_frame.text for s in prs.slides]
    body_width = prs.slide_width - EMU_PER_INCH  # the half-inch margins
    shown = 0
    for slide in slides:
        categories = [pt.text for pt in chart_space(slide).findall(
            ".//c:barChart/c:ser/c:cat//c:pt/c:v", NS)]
        assert len(categories) < 5  # five would wrap these names to three lines
        room = int(body_width / len(categories) * CATEGORY_LABEL_SHARE)
        for name in categories:
            lines = wrap_lines(name, Font("Calibri"), CHART_FONT_PT, room)
            assert len(lines) <= MAX_CATEGORY_LINES, name
        shown += len(categories)
    assert shown == 6
    # Short names keep five bars to a chart.
    deck = QbrDeck(load_template("qbr"), DeckInfo("m", "a"), CoreProperties("T", "C", AS_OF),
                   NumberStyle())
    short = ChartPlan("kpi_attainment", "A", tuple(f"KPI {n}" for n in range(6)), (0.5,) * 6,
                      "Attainment", "percent", "alt", (1.0,) * 6, (True,) * 6)
    assert deck._categories_per_chart(short, body_width, 5) == 5


def test_category_labels_stay_horizontal() -> None:
    slide = titled(open_deck(build(rich_account())), "2 of 3 KPIs met")[0]
    body = chart_space(slide).find(".//c:catAx/c:txPr/a:bodyPr", NS)
    assert (body.get("rot"), body.get("vert")) == ("0", "horz")


# --------------------------------------------------------------------------- tables


def _stakeholders(count: int) -> tuple[Stakeholder, ...]:
    return tuple(
        Stakeholder(f"003K{n:02d}", f"Person {n:02d}", "Person", f"{n:02d}", "Director",
                    "Operations", depth=1, buying_role="Influencer", influence=3,
                    stance="Neutral", is_key=True, last_contact=date(2026, 10, 1))
        for n in range(count)
    )


def test_preparation_table_takes_the_whole_width_where_the_aside_is_gone() -> None:
    account = dataclasses.replace(rich_account(), stakeholders=_stakeholders(16))
    prs = open_deck(build(account, Audience.INTERNAL))
    first, *rest = titled(prs, "16 customer attendees")
    assert rest, "16 attendees continue on a second slide"
    narrow = table_of(first)
    aside = next(s for s in first.shapes if s.name.startswith("Aside "))
    for slide in rest:
        wide = table_of(slide)
        assert "(cont.)" in slide.shapes.title.text_frame.text
        assert not [s for s in slide.shapes if s.name.startswith("Aside")]
        # The table starts where it did and reaches the right edge of the aside column.
        assert wide.left == narrow.left
        assert wide.width == aside.left + aside.width - narrow.left
        assert wide.width > narrow.width
    people = [row[0] for slide in (first, *rest) for row in rows_of(slide)[1:]]
    assert sorted(people) == sorted(f"Person {n:02d}, Director" for n in range(16))
    captions = [t for s in rest for t in (sh.text_frame.text for sh in s.shapes
                                          if sh.has_text_frame) if t.startswith("rows ")]
    assert captions and captions[-1].endswith("of 16 attendees")


def _open_items(count: int) -> tuple[Action, ...]:
    return tuple(
        Action(f"00TX{n:02d}", f"Open item {n:02d}", ActionStatus.OPEN, "Not Started",
               date(2027, 1, 1) + timedelta(days=n), SAM, "Normal", is_customer_visible=True)
        for n in range(count)
    )


def test_a_table_continued_on_the_next_slide_shares_its_rows_evenly() -> None:
    # 13 open items: 12 + 1 would leave one lonely row on the second slide; even is 7 + 6.
    account = dataclasses.replace(rich_account(), actions=_open_items(13))
    slides = titled(open_deck(build(account)), "13 open items")
    assert [len(rows_of(s)) - 1 for s in slides] == [7, 6]


def test_appendix_pages_share_their_rows_evenly() -> None:
    # 40 open items go to the appendix: at 12 a page that is 12, 12, 12, 4; even is 10 x 4.
    account = dataclasses.replace(rich_account(), actions=_open_items(40))
    slides = titled(open_deck(build(account)), "A1 Open items: 40 open items")
    counts = [len(rows_of(s)) - 1 for s in slides]
    assert sum(counts) == 40 and len(counts) == math.ceil(40 / 12)
    assert max(counts) - min(counts) <= 1


def test_long_risk_handling_is_brief_in_the_table_and_whole_in_the_notes() -> None:
    paragraph = ("The steering group reviewed scope, owners and dependencies in detail and "
                 "agreed to revisit the plan at every fortnightly checkpoint.")
    long_text = "\n".join(f"{paragraph} ({n}/9)" for n in range(1, 10))
    risks = (Risk("a21", "Budget freeze", "High", "Medium", long_text, "Pat Kim", "Open", True),
             Risk("a22", "Migration delay", "Medium", "Low", "Weekly checkpoint", "Ana Cruz",
                  "Open", True))
    account = dataclasses.replace(rich_account(), risks=risks)
    prs = open_deck(build(account, Audience.INTERNAL))
    slide = next(s for s in prs.slides if "risks to handle" in s.shapes.title.text_frame.text)
    rows = {row[0]: row[2] for row in rows_of(slide)[1:]}
    brief = rows["Budget freeze"]
    assert brief.endswith(IN_FULL_MARKER)
    assert len(brief) <= BRIEF_CHARS + len(IN_FULL_MARKER)
    assert long_text.startswith(brief.removesuffix(IN_FULL_MARKER))
    assert rows["Migration delay"] == "Weekly checkpoint"  # short: untouched
    notes = notes_of(slide)
    assert all(f"{paragraph} ({n}/9)" in notes for n in range(1, 10))
    assert not [s for s in prs.slides
                if s.shapes.title.text_frame.text.startswith("2 risks to handle")
                and "(cont.)" in s.shapes.title.text_frame.text]


# --------------------------------------------------------------------------- cover logo


def test_cover_shows_the_logo_when_the_brand_is_our_company() -> None:
    prs = open_deck(build(rich_account(), company=NORTHWIND))
    cover = prs.slides[0]
    (logo,) = [s for s in cover.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert logo._element.nvPicPr.cNvPr.get("descr") == f"{NORTHWIND} logo"
    title = cover.shapes.title
    assert logo.left == title.left and logo.top + logo.height <= title.top
    assert 0 <= logo.top and logo.left + logo.width <= prs.slide_width
    # Proportions of the 240 x 60 px logo kept.
    assert abs(logo.width / logo.height - 240 / 60) < 0.01


def test_cover_never_shows_another_companys_logo() -> None:
    # The packaged default brand's logo says "Northwind Analytics": not on Lumenfield's deck.
    prs = open_deck(build(rich_account(), company="Lumenfield Software"))
    assert [s for s in prs.slides[0].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE] == []


def test_a_configured_logo_is_ours_whatever_the_brand_name(tmp_path: Path) -> None:
    source = load_template("qbr").brand.logo
    assert source is not None
    (tmp_path / "ours.png").write_bytes(source)
    (tmp_path / "kamdocs.toml").write_text('[templates]\nlogo = "ours.png"\n', encoding="utf-8")
    settings = load_settings(tmp_path / "kamdocs.toml")
    prs = open_deck(build(rich_account(), company="Lumenfield Software", settings=settings))
    (logo,) = [s for s in prs.slides[0].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert logo._element.nvPicPr.cNvPr.get("descr") == "Lumenfield Software logo"


# --------------------------------------------------------------------------- words


def test_kpi_amounts_in_the_document_currency_read_as_money_and_counts_have_no_unit() -> None:
    assert WORDS.kpi(127.64, "USD") == "$127.64"
    assert WORDS.kpi(120.0, "USD") == "$120"
    assert WORDS.kpi(1084.0, "count") == "1,084"
    assert WORDS.kpi(4.67, "score") == "4.67"
    assert WORDS.kpi(24.5, "hours") == "24.5 hours"
    assert WORDS.kpi(62.1, "%") == "62.1%"
    assert WORDS.kpi(None, "USD") == "\u2014"
    account = dataclasses.replace(rich_account(), kpis=(
        Kpi("Weekly active users", "KPI", "count", True,
            (KpiMeasurement(date(2026, 6, 30), 1108.0, 1163.0),
             KpiMeasurement(date(2026, 9, 30), 1084.0, 1163.0))),
        Kpi("Cost per report", "KPI", "USD", False,
            (KpiMeasurement(date(2026, 6, 30), 132.0, 120.0),
             KpiMeasurement(date(2026, 9, 30), 127.64, 120.0))),
    ))
    slide = titled(open_deck(build(account)), "None of 2 KPIs met")[0]
    rows = {row[0]: row[1:] for row in rows_of(slide)[1:]}
    # 1084 - 1108 = -24 (worse); 127.64 - 132 = -4.36, lower is better (better).
    assert rows["Weekly active users"] == ["1,084", "1,163", "Missed", "-24 (worse)"]
    assert rows["Cost per report"] == ["$127.64", "$120", "Missed", "-$4.36 (better)"]


def test_whitespace_amounts_share_one_precision_with_their_chart() -> None:
    def cell(product: str, whitespace: int, pipeline: int) -> WhitespaceCell:
        return WhitespaceCell(product, "Finance", "EMEA", "Forecasting", Decimal(0),
                              Decimal(whitespace), Decimal(whitespace), False,
                              Decimal(pipeline), Decimal(whitespace - pipeline), 3.0, True,
                              False)

    cells = (cell("Analytics", 232000, 39650), cell("Stream", 197000, 0),
             cell("Vault", 85400, 830))
    whitespace = WhitespaceSummary(cells=cells, candidates=cells, total_current=Decimal(0),
                                   total_potential=Decimal(514400),
                                   total_whitespace=Decimal(514400))
    account = dataclasses.replace(rich_account(), whitespace=whitespace)
    slide = next(s for s in open_deck(build(account, Audience.INTERNAL)).slides
                 if "whitespace; the ask" in s.shapes.title.text_frame.text)
    assert slide.shapes.title.text_frame.text.startswith("$514K whitespace")
    rows = {row[0]: row[2:] for row in rows_of(slide)[1:]}
    # Thousands without decimals, as the chart's "$192K"; under a thousand in whole dollars;
    # no open pipeline is "none", not the em dash of a missing value.
    assert rows["Analytics"] == ["$232K", "$40K", "$192K"]
    assert rows["Stream"] == ["$197K", "none", "$197K"]
    assert rows["Vault"] == ["$85K", "$830", "$85K"]
    assert chart_space(slide).find(".//c:dLbls/c:numFmt", NS).get("formatCode") == '"$"#,##0,"K"'


def test_signed_agreements_sit_in_date_order_named_by_what_they_cover() -> None:
    won = (
        Opportunity("006R", "Acme - Renewal 2026-07", "Closed Won", date(2026, 7, 5),
                    "Renewal", True, True, None, None, ("Analytics", "Service Desk")),
        Opportunity("006U", "Acme - Gateway (Finance)", "Closed Won", date(2026, 8, 20),
                    "Upsell", True, True, "Integration", "Finance", ("Gateway",)),
    )
    account = dataclasses.replace(rich_account(), opportunities=won)
    prs = open_deck(build(account))
    slide = titled(prs, "2 actions completed together and 2 agreements signed")[0]
    rows = rows_of(slide)[1:]
    # SSO done 14 Aug, data quality review due 20 Sep; renewal 5 Jul, Gateway 20 Aug.
    assert [(r[0], r[1]) for r in rows] == [
        ("Jul 5, 2026", "Agreement signed: renewal of 2 products"),
        ("Aug 14, 2026", "Roll out SSO to the EMEA team"),
        ("Aug 20, 2026", "Agreement signed: Gateway (Finance)"),
        ("Sep 20, 2026", "Quarterly data quality review"),
    ]
    assert "Upsell" not in "".join(r[1] for r in rows)
    summary = titled(prs, "2026-Q3 at a glance")[0]
    text = "\n".join(s.text_frame.text for s in summary.shapes if s.has_text_frame)
    assert "2 agreements signed: renewal of 2 products and Gateway (Finance)" in text
    assert "new agreement" not in text


def test_summary_words_one_delivered_action_and_several_missed_slas_truthfully() -> None:
    base = rich_account()
    one_done = tuple(a for a in base.actions if a.id != "00T5")
    slas = tuple(dataclasses.replace(k, kind="SLA") for k in base.kpis
                 if k.name in ("Uptime",)) + (
        Kpi("Response", "SLA", "h", False, (KpiMeasurement(date(2026, 9, 30), 5.0, 4.0),)),
        Kpi("Backups", "SLA", "%", True, (KpiMeasurement(date(2026, 9, 30), 100.0, 99.0),)),
    )
    account = dataclasses.replace(base, actions=one_done, kpis=slas)
    summary = titled(open_deck(build(account)), "2026-Q3 at a glance")[0]
    text = "\n".join(s.text_frame.text for s in summary.shapes if s.has_text_frame)
    assert "1 action completed together: Roll out SSO to the EMEA team" in text
    assert "including" not in text
    # Uptime (missed in August) and Response (5 h vs 4 h) missed; Backups met.
    assert "1 of 3 SLAs met; missed: Uptime and Response" in text
    assert "agreement signed" in summary.shapes.title.text_frame.text


# --------------------------------------------------------------------------- speed-ups


def test_fast_text_fill_writes_what_python_pptx_writes() -> None:
    prs = Presentation(io.BytesIO(load_template("qbr").data))
    layout = next(lo for lo in prs.slide_layouts if lo.name == "Blank")
    slide = prs.slides.add_slide(layout)
    box = Box(0, 0, 4 * EMU_PER_INCH, 2 * EMU_PER_INCH)
    for text, family, align in (("One line", True, "left"),
                                ("Two\nparagraphs & <marks> \x07 bell", False, "right"),
                                ("", True, "center")):
        fitted = fit(text, box, Font("Calibri", bold=not family), 18, 10,
                     insets=Insets.uniform(0), space_after_pt=6)
        fast = slide.shapes.add_textbox(0, 0, box.width, box.height)
        fill_frame(fast, fitted, colour="1F3A5F", align=align, set_family=family)
        slow = slide.shapes.add_textbox(0, 0, box.width, box.height)
        # A first paragraph that is not empty takes python-pptx's own path.
        slow.text_frame.paragraphs[0].add_run().text = "x"
        fill_frame(slow, fitted, colour="1F3A5F", align=align, set_family=family)
        assert etree.tostring(fast._element.txBody) == etree.tostring(slow._element.txBody)


def test_new_slides_and_their_notes_are_exactly_those_python_pptx_makes() -> None:
    template = load_template("qbr")
    # The first deck on a master learns each layout's start and the notes prototype from
    # python-pptx; the second deck makes every slide and notes slide from what was learnt.
    for _deck_number in (1, 2):
        deck = Deck(template, DeckInfo("Internal - do not send", "As of Nov 23, 2026"),
                    CoreProperties("T", NORTHWIND, AS_OF))
        reference = Presentation(io.BytesIO(template.data))
        names = {lo.name: lo for m in reference.slide_masters for lo in m.slide_layouts}
        roles = ("title", "content", "title_only", "content", "title_only", "appendix",
                 "blank", "blank", "two_content", "two_content")
        for role in roles:
            ours, _, _ = deck._new_slide(deck.layout(role))
            theirs = reference.slides.add_slide(names[template.brand.layouts[role]])
            assert ours.part.partname == theirs.part.partname
            assert etree.tostring(ours._element) == etree.tostring(theirs._element)
        assert etree.tostring(deck.prs.part._element) == etree.tostring(reference.part._element)
        maker = _NotesMaker(deck.prs, template.data)
        for ours, theirs in zip(deck.prs.slides, reference.slides, strict=True):
            made, expected = maker.notes_slide(ours), theirs.notes_slide
            assert made.part.partname == expected.part.partname
            assert etree.tostring(made._element) == etree.tostring(expected._element)
            assert made.part.rels.xml == expected.part.rels.xml
            assert ours.part.rels.xml == theirs.part.rels.xml
            assert _notes_text_frame(made)._txBody is made.notes_text_frame._txBody
        # Asked again, a slide's notes are the ones it has.
        first = deck.prs.slides[0]
        assert maker.notes_slide(first).part is first.notes_slide.part


def test_saving_without_the_zip_round_trip_gives_the_same_bytes() -> None:
    template = load_template("qbr")
    core = CoreProperties("T", NORTHWIND, AS_OF)

    def deck() -> Deck:
        made = Deck(template, DeckInfo("Prepared for Acme", "As of Nov 23, 2026"), core)
        for n in range(3):
            made.add_slide("title_only", f"Slide {n}", label="Label", notes="Notes")
        return made

    fast = deck().to_bytes()
    slow = deck()
    slow.finish()
    buffer = io.BytesIO()
    slow.prs.save(buffer)
    assert fast == normalize(buffer.getvalue(), core)


def test_past_due_items_agree_with_their_number() -> None:
    # Rich account: one shared item 12 days past due.
    prs = open_deck(build(rich_account()))
    assert titled(prs, "2 open items; 1 past due needs a decision today")
    late = tuple(dataclasses.replace(a, id=a.id + "L", due=date(2026, 11, 1), is_overdue=True,
                                     days_overdue=22) for a in _open_items(2))
    prs = open_deck(build(dataclasses.replace(rich_account(), actions=late)))
    assert titled(prs, "2 open items; 2 past due need a decision today")
    summary = titled(prs, "2026-Q3 at a glance")[0]
    text = "\n".join(s.text_frame.text for s in summary.shapes if s.has_text_frame)
    assert "2 open items to review together; 2 past due need a decision" in text


def test_a_single_expansion_candidate_gets_no_one_bar_chart() -> None:
    # Rich account: one candidate (Analytics): a chart of one bar compares nothing.
    prs = open_deck(build(rich_account(), Audience.INTERNAL))
    slide = next(s for s in prs.slides if "whitespace; the ask" in s.shapes.title.text_frame.text)
    assert [s for s in slide.shapes if s.has_chart] == []
    assert rows_of(slide)[1][0] == "Analytics"
