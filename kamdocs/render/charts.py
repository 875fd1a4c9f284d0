"""Native, editable charts from one :class:`ChartSpec`, in PPTX and in DOCX.

PPTX uses python-pptx's chart API. python-docx has no charts, so for DOCX we generate the same
chart XML (python-pptx's writer) and its data workbook, add both to the Word package as a chart
part and an embedded xlsx part, and reference the chart from an inline ``<w:drawing>``: Word and
LibreOffice open it as a native chart whose "edit data" shows exactly the spec's numbers.

House rules applied here (DESIGN.md): bars from zero; bars sorted by value unless the axis is
time; no 3D, no shadows, light gridlines; direct data labels when a chart has 12 points or
fewer, and then no value axis; Okabe-Ito colours, the same series keeping its colour through a
document (pass ``Series.colour`` from :meth:`Palette.series_colours`); KPI charts show the target
and say "missed"; waterfalls colour increases green, decreases vermilion and totals grey, with a
signed label on every bar. Empty or all-missing data draws a "no data" panel naming what would
fill it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from docx.opc.constants import CONTENT_TYPE as DOCX_CT
from docx.opc.constants import RELATIONSHIP_TYPE as DOCX_RT
from docx.opc.part import Part as DocxPart
from docx.opc.part import XmlPart as DocxXmlPart
from docx.oxml import parse_xml as docx_parse_xml
from docx.shared import Pt as DocxPt
from docx.shared import RGBColor as DocxRGB
from lxml import etree
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_TICK_MARK
from pptx.enum.shapes import MSO_SHAPE
from pptx.oxml import parse_xml as pptx_parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Pt

from kamdocs.render.geometry import Box
from kamdocs.render.palette import (
    GREEN,
    GREY,
    VERMILION,
    WHITE,
    Palette,
    contrast_ratio,
    readable_text_on,
)
from kamdocs.render.text import DEFAULT_FONT, Font, Insets, fill_frame, fit, xml_safe
from kamdocs.render.workbook import category_workbook

Number = int | float | Decimal

#: DESIGN.md: direct labels (and no value axis) up to this many points.
MAX_LABELLED_POINTS = 12
MISSED_WORD = "missed"
NO_DATA_WORD = "no data"
CHART_FONT_PT = 11
#: WCAG AA contrast for text of the chart's size.
MIN_CONTRAST = 4.5
BLACK = "000000"
TITLE_FONT_PT = 12
_GRIDLINE = "D9DDE2"
_BASE_SERIES = "(base)"


class ChartKind(StrEnum):
    BAR = "bar"
    COLUMN = "column"
    STACKED_BAR = "stacked_bar"
    STACKED_COLUMN = "stacked_column"
    LINE = "line"
    DOUGHNUT = "doughnut"
    WATERFALL = "waterfall"
    KPI_ATTAINMENT = "kpi_attainment"


_XL_TYPE = {
    ChartKind.BAR: XL_CHART_TYPE.BAR_CLUSTERED,
    ChartKind.COLUMN: XL_CHART_TYPE.COLUMN_CLUSTERED,
    ChartKind.STACKED_BAR: XL_CHART_TYPE.BAR_STACKED,
    ChartKind.STACKED_COLUMN: XL_CHART_TYPE.COLUMN_STACKED,
    ChartKind.LINE: XL_CHART_TYPE.LINE_MARKERS,
    ChartKind.DOUGHNUT: XL_CHART_TYPE.DOUGHNUT,
    ChartKind.WATERFALL: XL_CHART_TYPE.COLUMN_STACKED,
    ChartKind.KPI_ATTAINMENT: XL_CHART_TYPE.COLUMN_CLUSTERED,
}
_KIND_WORD = {
    ChartKind.BAR: "Bar chart",
    ChartKind.COLUMN: "Column chart",
    ChartKind.STACKED_BAR: "Stacked bar chart",
    ChartKind.STACKED_COLUMN: "Stacked column chart",
    ChartKind.LINE: "Line chart",
    ChartKind.DOUGHNUT: "Doughnut chart",
    ChartKind.WATERFALL: "Waterfall chart",
    ChartKind.KPI_ATTAINMENT: "KPI attainment chart",
}


@dataclass(frozen=True, slots=True)
class Series:
    """One named series; ``None`` marks a missing value (drawn as a gap, never as zero)."""

    name: str
    values: tuple[Number | None, ...]
    #: RRGGBB; None = the palette colour for the series' position.
    colour: str | None = None
    #: False: no data labels on this series (a reference line such as a target, whose value
    #: the chart title states), so the labels of the series that matter stay readable.
    labels: bool = True


@dataclass(frozen=True)
class ChartSpec:
    """Everything one chart shows, as plain values.

    ``kind`` decides how ``series`` are read:

    - bar / column / stacked_* / line / doughnut: one value per category per series
      (doughnut: the first series only; negative values are not allowed).
    - waterfall: one series ``(start, change, ..., end)``; ``totals`` indexes the bars drawn
      from zero (default first and last) and start + changes must equal end exactly.
    - kpi_attainment: the first series is the actual per KPI, ``targets`` the target per KPI
      (same unit per category: pass attainment fractions when units differ);
      ``higher_is_better`` says per KPI which side of the target is a miss.
    """

    kind: ChartKind | str
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    #: Excel format code for labels and the value axis (see NumberStyle.chart_format).
    number_format: str = "#,##0"
    targets: tuple[Number | None, ...] | None = None
    higher_is_better: bool | tuple[bool, ...] = True
    #: States the chart's message and key numbers; a plain description is made if empty.
    alt_text: str = ""
    #: Categories are periods: keep their order (no sorting by value).
    is_time: bool = False
    #: For the "no data" panel: what is missing and which object/field would fill it.
    missing: str = ""
    totals: tuple[int, ...] | None = None
    font: Font = DEFAULT_FONT
    palette: Palette = field(default_factory=Palette)
    #: Sort bars by value; None = yes unless ``is_time`` (DESIGN.md).
    sort: bool | None = None

    def __post_init__(self) -> None:
        kind = ChartKind(self.kind)
        object.__setattr__(self, "kind", kind)
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(
                    f"chart {self.title!r}: series {series.name!r} has {len(series.values)} "
                    f"values for {len(self.categories)} categories"
                )
        if self.targets is not None and len(self.targets) != len(self.categories):
            raise ValueError(f"chart {self.title!r}: one target per category is required")
        better = self.higher_is_better
        if isinstance(better, tuple) and len(better) != len(self.categories):
            raise ValueError(f"chart {self.title!r}: one higher_is_better flag per category")

    @property
    def has_data(self) -> bool:
        return any(_num(v) is not None for s in self.series for v in s.values)


# --- the plan: what to draw, as plain values (pure, tested on its own) ----------------------


@dataclass
class PlotSeries:
    name: str
    values: list[float | None]
    #: None = invisible (the waterfall's base).
    colour: str | None
    labels: bool = False
    label_format: str = "#,##0"
    #: Per point: fill colours that differ from the series colour.
    point_colours: dict[int, str] = field(default_factory=dict)
    #: Per point: label text that replaces the value (waterfall pieces crossing zero).
    point_labels: dict[int, str] = field(default_factory=dict)
    #: Per point: labels to hide.
    hidden_labels: set[int] = field(default_factory=set)
    #: Per point: a label position other than the plan's (OOXML dLblPos value).
    label_positions: dict[int, str] = field(default_factory=dict)
    #: Drawn as target markers (a line series without a line) over the bars.
    is_target: bool = False


@dataclass
class ChartPlan:
    chart_type: XL_CHART_TYPE
    categories: list[str]
    series: list[PlotSeries]
    number_format: str
    labels: bool
    value_axis: bool
    legend: bool
    min_zero: bool
    label_position: str  # OOXML dLblPos value or "" for the application default
    horizontal: bool = False


def _num(value: Number | None) -> float | None:
    """A chartable float, or None for missing (None, NaN and infinities alike)."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _signed(code: str, sign: str) -> str:
    """An Excel code that shows every value with ``sign`` (``+$1.2M``), for both signs."""
    code = code.split(";")[0]
    if code.startswith('"'):
        signed = '"' + sign + code[1:]
    else:
        signed = '"' + sign + '"' + code
    return f"{signed};{signed}"


def _order(spec: ChartSpec, keys: list[float | None]) -> list[int]:
    """Category order: by value, largest first, missing last (unless time or told not to)."""
    indexes = list(range(len(spec.categories)))
    sort = spec.sort if spec.sort is not None else not spec.is_time
    if not sort:
        return indexes
    return sorted(indexes, key=lambda i: (keys[i] is None, -(keys[i] or 0.0), i))


def _mark_missing(name: str, values: Sequence[float | None]) -> str:
    return name if any(v is not None for v in values) else f"{name} ({NO_DATA_WORD})"


def _colour(spec: ChartSpec, index: int, series: Series) -> str:
    return series.colour or spec.palette.data[index % len(spec.palette.data)]


def plan_chart(spec: ChartSpec) -> ChartPlan:
    """Decide categories order, series, colours, labels and axes for ``spec`` (pure)."""
    kind = ChartKind(spec.kind)
    if kind is ChartKind.WATERFALL:
        return _plan_waterfall(spec)
    if kind is ChartKind.KPI_ATTAINMENT:
        return _plan_kpi(spec)
    if kind is ChartKind.DOUGHNUT:
        return _plan_doughnut(spec)
    values = [[_num(v) for v in s.values] for s in spec.series]
    totals: list[float | None] = []
    for i in range(len(spec.categories)):
        present = [column[i] for column in values if column[i] is not None]
        totals.append(sum(present) if present else None)
    horizontal = kind in (ChartKind.BAR, ChartKind.STACKED_BAR)
    stacked = kind in (ChartKind.STACKED_BAR, ChartKind.STACKED_COLUMN)
    order = _order(spec, totals) if kind is not ChartKind.LINE else list(range(len(totals)))
    if horizontal:
        # python-pptx draws the first category at the bottom: feed the largest last.
        order = order[::-1]
    categories = [
        _mark_missing(spec.categories[i], [column[i] for column in values]) for i in order
    ]
    points = sum(1 for k, column in enumerate(values) if spec.series[k].labels
                 for v in column if v is not None)
    labels = points <= MAX_LABELLED_POINTS
    plot = [
        PlotSeries(
            name=s.name,
            values=[values[k][i] for i in order],
            colour=_colour(spec, k, s),
            labels=labels and s.labels,
            label_format=spec.number_format,
        )
        for k, s in enumerate(spec.series)
    ]
    everything = [v for column in values for v in column if v is not None]
    if kind is ChartKind.LINE:
        position = "t"
    elif stacked:
        position = "ctr"
    else:
        position = "outEnd"
    return ChartPlan(
        chart_type=_XL_TYPE[kind],
        categories=categories,
        series=plot,
        number_format=spec.number_format,
        labels=labels,
        value_axis=not labels,
        legend=len(spec.series) > 1,
        min_zero=kind is not ChartKind.LINE and min(everything, default=0.0) >= 0,
        label_position=position,
        horizontal=horizontal,
    )


def _plan_doughnut(spec: ChartSpec) -> ChartPlan:
    first = spec.series[0]
    values = [_num(v) for v in first.values]
    if any(v is not None and v < 0 for v in values):
        raise ValueError(f"doughnut {spec.title!r}: negative values cannot be shares")
    order = _order(spec, values)
    colours = {
        n: spec.palette.data[n % len(spec.palette.data)] for n in range(len(order))
    }
    labels = len(order) <= MAX_LABELLED_POINTS
    return ChartPlan(
        chart_type=XL_CHART_TYPE.DOUGHNUT,
        categories=[_mark_missing(spec.categories[i], [values[i]]) for i in order],
        series=[
            PlotSeries(
                name=first.name,
                values=[values[i] for i in order],
                colour=None,  # each slice has its own colour (point_colours)
                labels=labels,
                label_format="0%",
                point_colours=colours,
            )
        ],
        number_format=spec.number_format,
        labels=labels,
        value_axis=False,
        legend=True,
        min_zero=True,
        label_position="",
    )


def _is_missed(actual: float, target: float, higher_is_better: bool) -> bool:
    return actual < target if higher_is_better else actual > target


#: A bar reaching at least this share of its target ends close under the target marker.
_NEAR_TARGET = 0.5


def _label_meets_marker(actual: float | None, target: float | None) -> bool:
    """A label drawn above this bar would overlap the target marker: the bar ends below its
    target, and close enough to it that a label's height reaches the marker."""
    if actual is None or target is None or target <= 0:
        return False
    return _NEAR_TARGET * target <= actual < target


def _plan_kpi(spec: ChartSpec) -> ChartPlan:
    if spec.targets is None:
        raise ValueError(f"KPI chart {spec.title!r} needs targets")
    actual = [_num(v) for v in spec.series[0].values]
    targets = [_num(v) for v in spec.targets]
    better = spec.higher_is_better
    flags = better if isinstance(better, tuple) else (better,) * len(actual)
    order = _order(spec, actual)
    colour = _colour(spec, 0, spec.series[0])
    categories, missed, inside = [], {}, {}
    for n, i in enumerate(order):
        name = spec.categories[i]
        if actual[i] is None:
            name = f"{name} ({NO_DATA_WORD})"
        elif targets[i] is not None and _is_missed(actual[i], targets[i], flags[i]):
            name = f"{name} ({MISSED_WORD})"
            missed[n] = VERMILION
        if _label_meets_marker(actual[i], targets[i]):
            # Above the bar the label would sit on the target marker just over it: print it
            # inside the top of the bar instead.
            inside[n] = "inEnd"
        categories.append(name)
    points = sum(1 for v in actual if v is not None)
    # Series.labels=False: the caller states each value elsewhere (in the category names), so
    # the value axis is drawn instead of labels the target markers would cover.
    labels = points <= MAX_LABELLED_POINTS and spec.series[0].labels
    present = [v for v in actual + targets if v is not None]
    return ChartPlan(
        chart_type=XL_CHART_TYPE.COLUMN_CLUSTERED,
        categories=categories,
        series=[
            PlotSeries(
                name=spec.series[0].name,
                values=[actual[i] for i in order],
                colour=colour,
                labels=labels,
                label_format=spec.number_format,
                point_colours=missed,
                label_positions=inside,
            ),
            PlotSeries(
                name="Target",
                values=[targets[i] for i in order],
                colour=spec.palette.text,
                is_target=True,
            ),
        ],
        number_format=spec.number_format,
        labels=labels,
        value_axis=not labels,
        legend=True,
        min_zero=min(present, default=0.0) >= 0,
        label_position="outEnd",
    )


def _plan_waterfall(spec: ChartSpec) -> ChartPlan:
    raw = spec.series[0].values
    if any(v is None for v in raw):
        raise ValueError(f"waterfall {spec.title!r}: every bar needs a value")
    count = len(raw)
    totals = {t % count for t in (spec.totals if spec.totals is not None else (0, count - 1))}
    # start + changes = end, exactly: checked in Decimal when the inputs are Decimal.
    running: Any = Decimal(0) if all(isinstance(v, Decimal) for v in raw) else 0.0
    for i, value in enumerate(raw):
        if i in totals and i > 0:
            tolerance = 1e-9 * max(1.0, abs(float(value)))  # type: ignore[arg-type]
            if abs(float(running - value)) > tolerance:  # type: ignore[operator]
                raise ValueError(
                    f"waterfall {spec.title!r}: bar {spec.categories[i]!r} is {value} but the "
                    f"bars before it add up to {running}"
                )
        running = value if i in totals else running + value  # type: ignore[operator]
    base: list[float | None] = []
    pieces: dict[str, list[float | None]] = {
        k: [None] * count for k in ("up", "up_low", "down", "down_low", "total")
    }
    labels: dict[str, dict[int, str]] = {k: {} for k in pieces}
    hidden: dict[str, set[int]] = {k: set() for k in pieces}
    level = 0.0
    for i, value in enumerate(raw):
        amount = float(value)  # type: ignore[arg-type]
        if i in totals:
            base.append(None)
            pieces["total"][i] = amount
            level = amount
            continue
        before, after = level, level + amount
        low, high = min(before, after), max(before, after)
        up = amount >= 0
        key, key_low = ("up", "up_low") if up else ("down", "down_low")
        if low >= 0:  # the whole bar above zero: an invisible base lifts it
            base.append(low)
            pieces[key][i] = high - low
        elif high <= 0:  # the whole bar below zero: the base hangs down to its top
            base.append(high)
            pieces[key_low][i] = low - high
        else:  # crossing zero: one piece each side, one label for the whole change
            base.append(None)
            pieces[key][i] = high
            pieces[key_low][i] = low
            labels[key][i] = format_like(amount, spec.number_format, sign=True)
            hidden[key_low].add(i)
        level = after
    colours = {"up": GREEN, "up_low": GREEN, "down": VERMILION, "down_low": VERMILION,
               "total": GREY}
    names = {"up": "Increase", "up_low": "Increase (below zero)", "down": "Decrease",
             "down_low": "Decrease (below zero)", "total": "Total"}
    formats = {
        "up": _signed(spec.number_format, "+"),
        "up_low": _signed(spec.number_format, "+"),
        "down": _signed(spec.number_format, "\u2212"),
        "down_low": _signed(spec.number_format, "\u2212"),
        "total": spec.number_format,
    }
    labelled = count <= MAX_LABELLED_POINTS
    series = [PlotSeries(_BASE_SERIES, base, None)]
    for key in ("total", "up", "down", "up_low", "down_low"):
        if all(v is None for v in pieces[key]):
            continue
        series.append(
            PlotSeries(
                name=names[key],
                values=pieces[key],
                colour=colours[key],
                labels=True,
                label_format=formats[key],
                point_labels=labels[key],
                hidden_labels=hidden[key],
            )
        )
    return ChartPlan(
        chart_type=XL_CHART_TYPE.COLUMN_STACKED,
        categories=list(spec.categories),
        series=series,
        number_format=spec.number_format,
        labels=True,
        value_axis=not labelled,
        legend=False,
        min_zero=False,
        label_position="ctr",
    )


# --- chart XML ---------------------------------------------------------------------------------


class _ChartData(CategoryChartData):
    """python-pptx's category chart data, with the embedded workbook written by
    :func:`kamdocs.render.workbook.category_workbook` (same sheet layout, a tenth of the time)."""

    @property
    def xlsx_blob(self) -> bytes:
        return category_workbook([category.label for category in self.categories],
                                 [(series.name, series.values) for series in self])


def _chart_data(plan: ChartPlan) -> CategoryChartData:
    data = _ChartData(number_format=plan.number_format)
    data.categories = [xml_safe(c) for c in plan.categories]
    for series in plan.series:
        data.add_series(xml_safe(series.name), series.values)
    return data


def _solid(colour: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'


def _rpr(tag: str, size_pt: float, colour: str, font: Font, bold: bool = False) -> str:
    family = xml_safe(font.family).replace('"', "&quot;")
    return (
        f'<a:{tag} sz="{round(size_pt * 100)}" b="{int(bold)}">{_solid(colour)}'
        f'<a:latin typeface="{family}"/><a:ea typeface="{family}"/>'
        f'<a:cs typeface="{family}"/></a:{tag}>'
    )


def _txpr(size_pt: float, colour: str, font: Font, bold: bool = False) -> str:
    return (
        "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>"
        f"{_rpr('defRPr', size_pt, colour, font, bold)}"
        '</a:pPr><a:endParaRPr lang="en-US"/></a:p></c:txPr>'
    )


_NO_LINE = "<a:ln><a:noFill/></a:ln>"


def _escape(text: str) -> str:
    return (
        xml_safe(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def _dlbls(series: PlotSeries, plan: ChartPlan, spec: ChartSpec, doughnut: bool) -> str:
    """The ``c:dLbls`` of one series: value (or share) labels with readable text colours."""
    font = spec.font
    on_bar = plan.label_position == "ctr" or doughnut
    text_colour = (
        readable_text_on(series.colour) if on_bar and series.colour else spec.palette.text
    )
    value, share = (0, 1) if doughnut else (1, 0)
    show = (
        f'<c:showLegendKey val="0"/><c:showVal val="{value}"/><c:showCatName val="0"/>'
        f'<c:showSerName val="0"/><c:showPercent val="{share}"/><c:showBubbleSize val="0"/>'
    )
    default_position = (
        f'<c:dLblPos val="{plan.label_position}"/>' if plan.label_position else ""
    )
    points = []
    for idx in sorted(set(series.point_labels) | series.hidden_labels | set(
        series.point_colours if doughnut else ()
    ) | set(series.label_positions)):
        if idx in series.hidden_labels:
            points.append(f'<c:dLbl><c:idx val="{idx}"/><c:delete val="1"/></c:dLbl>')
            continue
        colour = text_colour
        if doughnut and idx in series.point_colours:
            colour = readable_text_on(series.point_colours[idx])
        if idx in series.label_positions:
            # A label inside its bar: readable on that bar's own colour (11 pt needs 4.5:1;
            # on vermilion only black reaches it).
            bar = series.point_colours.get(idx) or series.colour or WHITE
            colour = readable_text_on(bar, dark=spec.palette.text)
            if contrast_ratio(colour, bar) < MIN_CONTRAST:
                colour = readable_text_on(bar, dark=BLACK)
            position = f'<c:dLblPos val="{series.label_positions[idx]}"/>'
        else:
            position = default_position
        if idx in series.point_labels:
            rich = (
                "<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r>"
                f"{_rpr('rPr', CHART_FONT_PT, colour, font)}"
                f"<a:t>{_escape(series.point_labels[idx])}</a:t></a:r></a:p></c:rich></c:tx>"
            )
            points.append(
                f'<c:dLbl><c:idx val="{idx}"/>{rich}<c:spPr><a:noFill/>{_NO_LINE}</c:spPr>'
                f"{position}{show}</c:dLbl>"
            )
        else:
            points.append(
                f'<c:dLbl><c:idx val="{idx}"/>'
                f'<c:numFmt formatCode="{_escape(series.label_format)}" sourceLinked="0"/>'
                f"<c:spPr><a:noFill/>{_NO_LINE}</c:spPr>{_txpr(CHART_FONT_PT, colour, font)}"
                f"{position}{show}</c:dLbl>"
            )
    return (
        f"<c:dLbls {nsdecls('c', 'a')}>{''.join(points)}"
        f'<c:numFmt formatCode="{_escape(series.label_format)}" sourceLinked="0"/>'
        f"<c:spPr><a:noFill/>{_NO_LINE}</c:spPr>"
        f"{_txpr(CHART_FONT_PT, text_colour, font)}{default_position}{show}"
        + ('<c:showLeaderLines val="0"/>' if doughnut else "")
        + "</c:dLbls>"
    )


def _no_dlbls() -> str:
    return (
        f"<c:dLbls {nsdecls('c')}>"
        '<c:showLegendKey val="0"/><c:showVal val="0"/><c:showCatName val="0"/>'
        '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>'
        "</c:dLbls>"
    )


def _set_dlbls(ser: Any, xml: str) -> None:
    existing = ser.find(qn("c:dLbls"))
    if existing is not None:
        ser.remove(existing)
    ser.get_or_add_dLbls()  # inserts at the schema position
    placeholder = ser.find(qn("c:dLbls"))
    placeholder.addprevious(pptx_parse_xml(xml))
    ser.remove(placeholder)


def _move_to_line_chart(ser: Any, colour: str) -> None:
    """Turn one bar series into a marker-only line series on the same axes (a target)."""
    bar_chart = ser.getparent()
    ax_ids = [el.get("val") for el in bar_chart.findall(qn("c:axId"))]
    for tag in ("c:invertIfNegative", "c:dLbls", "c:dPt"):
        for el in ser.findall(qn(tag)):
            ser.remove(el)
    for el in ser.findall(qn("c:spPr")):
        ser.remove(el)
    # The line itself is invisible: only the dash markers mark each KPI's target.
    line = pptx_parse_xml(f'<c:spPr {nsdecls("c", "a")}>{_NO_LINE}</c:spPr>')
    ser.find(qn("c:tx")).addnext(line)
    marker = pptx_parse_xml(
        f'<c:marker {nsdecls("c", "a")}><c:symbol val="dash"/><c:size val="20"/>'
        f"<c:spPr>{_solid(colour)}{_NO_LINE}</c:spPr></c:marker>"
    )
    line.addnext(marker)
    ser.append(pptx_parse_xml(f'<c:smooth {nsdecls("c")} val="0"/>'))
    line_chart = pptx_parse_xml(
        f'<c:lineChart {nsdecls("c")}><c:grouping val="standard"/><c:varyColors val="0"/>'
        f'<c:marker val="1"/><c:axId val="{ax_ids[0]}"/><c:axId val="{ax_ids[1]}"/>'
        "</c:lineChart>"
    )
    bar_chart.remove(ser)
    line_chart.insert(2, ser)
    bar_chart.addnext(line_chart)


def _colour_series(ser: Any, colour: str | None, is_line: bool) -> None:
    """Solid fill (bars) or a 2.25 pt line with round markers; no colour = invisible.

    ``ser`` is the series' ``c:ser`` element. Written as XML in one piece: python-pptx's fill
    and line objects take ~0.3 ms a series.
    """
    if colour is None:
        shape = f"<a:noFill/>{_NO_LINE}"
    elif is_line:
        shape = f'<a:ln w="{Pt(2.25)}">{_solid(colour)}</a:ln>'
    else:
        shape = f"{_solid(colour)}{_NO_LINE}"
    _replace_children(ser.get_or_add_spPr(), shape)
    if colour is None or not is_line:
        return
    smooth = ser.get_or_add_smooth()
    smooth.set("val", "0")
    marker = ser.get_or_add_marker()
    _replace_children(marker, (
        f'<c:symbol val="circle"/><c:size val="6"/>'
        f"<c:spPr>{_solid(colour)}<a:ln>{_solid(colour)}</a:ln></c:spPr>"
    ))


def _replace_children(element: Any, xml: str) -> None:
    """Replace the children of ``element`` (a c: element) by ``xml`` (c: and a: elements)."""
    for child in list(element):
        element.remove(child)
    holder = pptx_parse_xml(f'<c:holder {nsdecls("c", "a")}>{xml}</c:holder>')
    element.extend(list(holder))


def _hide_misleading_legend_keys(chart: Chart, plan: ChartPlan) -> None:
    """No legend key for a series whose bars are recoloured point by point (KPI bars turn
    vermilion when missed): one swatch would misstate the colour of those bars, which say
    what they are in their category names."""
    legend = chart._chartSpace.chart.find(qn("c:legend"))
    position = legend.find(qn("c:legendPos"))
    for idx, pseries in reversed(list(enumerate(plan.series))):
        if pseries.point_colours and not pseries.is_target:
            entry = pptx_parse_xml(
                f'<c:legendEntry {nsdecls("c")}><c:idx val="{idx}"/><c:delete val="1"/>'
                "</c:legendEntry>"
            )
            # Schema order: c:legendPos, then c:legendEntry elements.
            if position is not None:
                position.addnext(entry)
            else:
                legend.insert(0, entry)


def _style(chart: Chart, plan: ChartPlan, spec: ChartSpec) -> None:
    """Apply the house style and the plan's colours, labels and axes to a generated chart."""
    space = chart._chartSpace
    palette, font = spec.palette, spec.font
    doughnut = plan.chart_type is XL_CHART_TYPE.DOUGHNUT
    # Square corners and no chart border: Word draws both by default when unspecified.
    date1904 = space.find(qn("c:date1904"))
    date1904.addnext(pptx_parse_xml(f'<c:roundedCorners {nsdecls("c")} val="0"/>'))
    space.find(qn("c:chart")).addnext(
        pptx_parse_xml(f'<c:spPr {nsdecls("c", "a")}><a:noFill/>{_NO_LINE}</c:spPr>')
    )
    txpr = space.find(qn("c:txPr"))
    txpr.addprevious(pptx_parse_xml(_txpr(CHART_FONT_PT, palette.muted, font).replace(
        "<c:txPr>", f"<c:txPr {nsdecls('c', 'a')}>", 1)))
    space.remove(txpr)

    if spec.title:
        chart.has_title = True
        frame = chart.chart_title.text_frame
        frame.text = xml_safe(spec.title)
        run_font = frame.paragraphs[0].runs[0].font
        run_font.size, run_font.bold = Pt(TITLE_FONT_PT), True
        run_font.name = font.family
        run_font.color.rgb = RGBColor.from_string(palette.text)
        title = chart._chartSpace.chart.find(qn("c:title"))
        if title.find(qn("c:overlay")) is None:
            title.append(pptx_parse_xml(f'<c:overlay {nsdecls("c")} val="0"/>'))
    else:
        chart.has_title = False

    chart.has_legend = plan.legend
    if plan.legend:
        chart.legend.position = XL_LEGEND_POSITION.RIGHT if doughnut else XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(CHART_FONT_PT)
        chart.legend.font.color.rgb = RGBColor.from_string(palette.muted)
        if not doughnut:
            _hide_misleading_legend_keys(chart, plan)

    plot = chart.plots[0]
    if doughnut:
        plot.vary_by_categories = True
        hole = space.find(".//" + qn("c:holeSize"))
        if hole is not None:
            hole.set("val", "55")
    else:
        plot.vary_by_categories = False
        plot.gap_width = 60 if plan.label_position != "ctr" else 50

    sers = list(plot._element.iter(qn("c:ser")))
    is_line = plan.chart_type is XL_CHART_TYPE.LINE_MARKERS
    for ser, pseries in zip(sers, plan.series, strict=True):
        # Doughnut slices are coloured point by point below; targets become markers later.
        if not doughnut and not pseries.is_target:
            _colour_series(ser, pseries.colour, is_line)
        invert = ser.find(qn("c:invertIfNegative"))
        if invert is not None:
            invert.set("val", "0")  # negative bars keep their colour
        for idx, colour in sorted(pseries.point_colours.items()):
            # As python-pptx's point.format.fill / .line would write it, in one piece.
            outline = f"<a:ln>{_solid('FFFFFF')}</a:ln>" if doughnut else ""
            point = ser.get_or_add_dPt_for_point(idx)
            _replace_children(point.get_or_add_spPr(), _solid(colour) + outline)
        if pseries.labels and plan.labels:
            _set_dlbls(ser, _dlbls(pseries, plan, spec, doughnut))
        else:
            _set_dlbls(ser, _no_dlbls())

    for ser, pseries in zip(sers, plan.series, strict=True):
        if pseries.is_target:
            _move_to_line_chart(ser, pseries.colour or palette.text)

    if doughnut:
        return
    category_axis, value_axis = chart.category_axis, chart.value_axis
    category_axis.major_tick_mark = XL_TICK_MARK.NONE
    category_axis.tick_labels.font.size = Pt(CHART_FONT_PT)
    category_axis.tick_labels.font.color.rgb = RGBColor.from_string(palette.text)
    # Horizontal labels, wrapped: PowerPoint otherwise turns long category names diagonal.
    body_pr = category_axis._element.find(qn("c:txPr")).find(qn("a:bodyPr"))
    body_pr.set("rot", "0")
    body_pr.set("vert", "horz")
    category_axis.format.line.color.rgb = RGBColor.from_string(palette.rule)
    category_axis.has_major_gridlines = False
    value_axis.has_minor_gridlines = False
    value_axis.major_tick_mark = XL_TICK_MARK.NONE
    value_axis.tick_labels.number_format = plan.number_format
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.format.line.fill.background()
    if plan.min_zero:
        value_axis.minimum_scale = 0
    if plan.value_axis:
        value_axis.visible = True
        value_axis.has_major_gridlines = True
        gridlines = value_axis.major_gridlines.format.line
        gridlines.color.rgb = RGBColor.from_string(_GRIDLINE)
        gridlines.width = Pt(0.75)
    else:
        value_axis.has_major_gridlines = False
        value_axis.visible = False


def format_like(value: float, code: str, sign: bool = False) -> str:
    """Text for ``value`` as the Excel ``code`` would show it (literals, scale, decimals).

    For labels Excel cannot format itself: a waterfall bar crossing zero is two pieces whose
    label must show the whole change. Thousands separators are written the en-US way.
    """
    body = code.split(";")[0]
    parts = body.split('"')
    numeric = "".join(parts[0::2])
    literals_before, literals_after, seen_digit = [], [], False
    for i, part in enumerate(parts):
        if i % 2 == 0:
            seen_digit = seen_digit or any(c in "0#" for c in part)
        else:
            (literals_after if seen_digit else literals_before).append(part)
    digits = numeric.rstrip()
    scale = len(digits) - len(digits.rstrip(","))
    decimals = len(digits.split(".")[1].rstrip(",")) if "." in digits else 0
    if "%" in numeric:
        value, literals_after = value * 100, [*literals_after, "%"]
    # Excel rounds halves away from zero (1.25 -> 1.3); Python's float formatting would not.
    magnitude = (Decimal(str(abs(value))) / Decimal(1000) ** scale).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP
    )
    mark = ("+" if value >= 0 else "\u2212") if sign else ("-" if value < 0 else "")
    return f"{mark}{''.join(literals_before)}{magnitude:,}{''.join(literals_after)}"


def _alt_text(spec: ChartSpec) -> str:
    if spec.alt_text:
        return spec.alt_text
    kind = ChartKind(spec.kind)
    names = ", ".join(spec.categories[:6]) + (", ..." if len(spec.categories) > 6 else "")
    return f"{_KIND_WORD[kind]}: {spec.title}. Categories: {names}."


def chart_xml(spec: ChartSpec) -> tuple[bytes, bytes]:
    """The chart part XML and its data workbook (xlsx bytes) for ``spec`` (with data)."""
    plan = plan_chart(spec)
    data = _chart_data(plan)
    space = pptx_parse_xml(data.xml_bytes(plan.chart_type))
    _style(Chart(space, None), plan, spec)
    blob = etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)
    return blob, data.xlsx_blob


# --- PPTX --------------------------------------------------------------------------------------


def render_pptx(slide: Any, spec: ChartSpec, box: Box) -> Any:
    """Draw ``spec`` as a native chart in ``box`` on a python-pptx slide; returns the shape.

    Without data, a "no data" panel (a rectangle saying what is missing) takes its place.
    """
    if not spec.has_data or not spec.categories:
        return no_data_pptx(slide, spec, box)
    plan = plan_chart(spec)
    frame = slide.shapes.add_chart(
        plan.chart_type, Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height),
        _chart_data(plan),
    )
    _style(frame.chart, plan, spec)
    c_nv_pr = frame._element.nvGraphicFramePr.cNvPr
    c_nv_pr.set("descr", xml_safe(_alt_text(spec)))
    c_nv_pr.set("name", f"Chart {c_nv_pr.get('id')}")
    return frame


def no_data_message(spec: ChartSpec) -> str:
    reason = spec.missing or "there are no values to chart"
    return f"No data: {spec.title}\n{reason}" if spec.title else f"No data\n{reason}"


def no_data_pptx(slide: Any, spec: ChartSpec, box: Box) -> Any:
    """A light panel in ``box`` that says what is missing and which field would fill it."""
    shape = slide.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height)
    )
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(spec.palette.zebra)
    shape.line.color.rgb = RGBColor.from_string(spec.palette.rule)
    shape.line.width = Pt(0.75)
    shape.shadow.inherit = False
    insets = Insets.uniform(round(0.15 * 914400))
    fitted = fit(
        no_data_message(spec), box, spec.font, max_pt=16, min_pt=10, insets=insets,
        marker=" ...",
    )
    fill_frame(shape, fitted, colour=spec.palette.muted, align="center", anchor="middle")
    shape.name = f"No data {shape.shape_id}"
    shape._element.nvSpPr.cNvPr.set("descr", xml_safe(no_data_message(spec).replace("\n", ": ")))
    return shape


# --- DOCX --------------------------------------------------------------------------------------

_CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_DOCX_INLINE = (
    '<wp:inline distT="0" distB="0" distL="0" distR="0" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
    '<wp:docPr id="{id}" name="Chart {id}" descr="{descr}"/>'
    "<wp:cNvGraphicFramePr/>"
    f'<a:graphic><a:graphicData uri="{_CHART_URI}"><c:chart r:id="{{rid}}"/>'
    "</a:graphicData></a:graphic></wp:inline>"
)


def _paragraph(container: Any) -> Any:
    return container if hasattr(container, "add_run") else container.add_paragraph()


def render_docx(container: Any, spec: ChartSpec, width: int, height: int) -> Any:
    """Add ``spec`` as a native Word chart of ``width`` x ``height`` EMU; returns the paragraph.

    ``container`` is a python-docx paragraph (the chart is appended to it) or anything with
    ``add_paragraph`` (document, cell, header). Without data, a bordered "no data" paragraph.
    """
    paragraph = _paragraph(container)
    if not spec.has_data or not spec.categories:
        return no_data_docx(paragraph, spec)
    chart_blob, xlsx_blob = chart_xml(spec)
    story = paragraph.part
    package = story.package
    xlsx_part = DocxPart(
        package.next_partname("/word/embeddings/Microsoft_Excel_Sheet%d.xlsx"),
        DOCX_CT.SML_SHEET,
        xlsx_blob,
        package,
    )
    element = docx_parse_xml(chart_blob)
    chart_part = DocxXmlPart(
        package.next_partname("/word/charts/chart%d.xml"), DOCX_CT.DML_CHART, element, package
    )
    xlsx_rid = chart_part.relate_to(xlsx_part, DOCX_RT.PACKAGE)
    external = docx_parse_xml(
        f'<c:externalData {nsdecls("c", "r")} r:id="{xlsx_rid}">'
        '<c:autoUpdate val="0"/></c:externalData>'
    )
    # Schema order: ... c:chart, c:spPr, c:txPr, c:externalData.
    element.find(qn("c:txPr")).addnext(external)
    chart_rid = story.relate_to(chart_part, DOCX_RT.CHART)
    inline = docx_parse_xml(
        _DOCX_INLINE.format(
            cx=int(width), cy=int(height), id=story.next_id, rid=chart_rid,
            descr=_escape(_alt_text(spec)),
        )
    )
    run = paragraph.add_run()
    drawing = docx_parse_xml(
        '<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
    )
    drawing.append(inline)
    run._r.append(drawing)
    return paragraph


def no_data_docx(paragraph: Any, spec: ChartSpec) -> Any:
    """A bordered, shaded paragraph saying what is missing and which field would fill it."""
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="6" w:space="4" w:color="{spec.palette.rule}"/>'
        for side in ("top", "left", "bottom", "right")
    )
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(docx_parse_xml(
        '<w:pBdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"{borders}</w:pBdr>"
    ))
    ppr.append(docx_parse_xml(
        '<w:shd xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'w:val="clear" w:color="auto" w:fill="{spec.palette.zebra}"/>'
    ))
    for i, line in enumerate(no_data_message(spec).split("\n")):
        if i:
            paragraph.add_run().add_break()
        run = paragraph.add_run(xml_safe(line))
        run.font.bold = i == 0
        run.font.size = DocxPt(CHART_FONT_PT)
        run.font.color.rgb = DocxRGB.from_string(spec.palette.muted)
        run.font.name = spec.font.family
    return paragraph
