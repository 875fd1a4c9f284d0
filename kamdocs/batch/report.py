"""index.html: the portfolio report an operations lead opens from the output folder.

Static and self-contained: one file, inline CSS and JavaScript, charts drawn here as
inline SVG, no external asset, font or script, so it works from a file share, offline and
in a mail attachment. Every value is HTML-escaped (jinja2 autoescape; SVG text through
the same escaping). The table sorts by any column and filters by text, tier and status
in the browser; ``@media print`` gives a clean printout with the header repeated on every
page. Status is always a word as well as a colour (DESIGN.md).
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath

import jinja2
from babel import dates as babel_dates

from kamdocs.batch.manifest import FAILED, ItemRecord
from kamdocs.batch.select import account_tier
from kamdocs.config import Settings
from kamdocs.formatting import MISSING, add_months, format_date, format_money
from kamdocs.model import Account, RagStatus, RejectedAccount, RenewalStatus

# Okabe-Ito, as in DESIGN.md; status colours with a word beside them, never alone.
BLUE, ORANGE, GREEN, VERMILION, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#8C8C8C"
_HEALTH_COLOURS = {"green": GREEN, "amber": ORANGE, "red": VERMILION, "not rated": GREY}
_RENEWAL_GROUPS = (
    ("covered", BLUE, (RenewalStatus.COVERED, RenewalStatus.RENEWED)),
    ("missing", ORANGE, (RenewalStatus.MISSING,)),
    ("late", VERMILION, (RenewalStatus.LATE, RenewalStatus.LAPSED)),
    ("not yet in window", GREY, (RenewalStatus.NOT_IN_WINDOW, RenewalStatus.NO_DATE)),
)


@dataclass(frozen=True)
class DocumentLink:
    label: str
    href: str | None
    error: str | None = None


@dataclass(frozen=True)
class AccountRow:
    id: str
    name: str
    tier: int | None
    revenue: Decimal | None
    revenue_text: str
    health: str
    health_drivers: str
    renewal_status: str
    renewal_date: date | None
    renewal_text: str
    overdue: int
    documents: tuple[DocumentLink, ...]
    failures: int
    rejected: bool = False

    @property
    def renewal_uncovered(self) -> bool:
        """In or past the renewal window with no renewal opportunity."""
        return self.renewal_status in (RenewalStatus.MISSING.value, RenewalStatus.LATE.value)


def report_html(
    accounts: Sequence[Account],
    records: Sequence[ItemRecord],
    rejected: Sequence[RejectedAccount],
    settings: Settings,
    *,
    company: str,
    source: str,
    as_of: date,
) -> str:
    """The whole report as one HTML string (the caller writes it atomically)."""
    by_account: dict[str, list[ItemRecord]] = defaultdict(list)
    for record in records:
        by_account[record.account_id].append(record)
    rows = [_row(a, by_account.get(a.id, []), settings) for a in accounts]
    rows += [_rejected_row(r) for r in sorted(rejected, key=lambda r: r.id)]
    failed_items = sum(1 for r in records if r.status == FAILED)
    total_revenue = sum((a.revenue.current_annual or Decimal(0) for a in accounts), Decimal(0))
    template = _ENVIRONMENT.from_string(_TEMPLATE)
    return template.render(
        title=f"Portfolio report - {company}",
        company=company,
        source=source,
        as_of=format_date(as_of, settings),
        as_of_iso=as_of.isoformat(),
        rows=rows,
        accounts=len(accounts),
        rejected=len(rejected),
        documents=sum(1 for r in records if r.status != FAILED),
        failed_items=failed_items,
        total_revenue=format_money(total_revenue, settings),
        charts=(
            _revenue_by_tier(accounts, settings),
            _renewals_by_month(accounts, as_of, settings),
            _health_distribution(accounts),
        ),
        tiers=sorted({r.tier for r in rows if r.tier is not None}),
        css=_CSS,
        script=_SCRIPT,
    )


# --------------------------------------------------------------------------- rows


#: What a reader calls each kind of document.
_KIND_NAMES = {"plan": "Account plan", "qbr": "QBR deck", "ebr": "EBR"}
#: Pack members, recognised by a word in their file name.
_MEMBER_NAMES = (("deck", "deck"), ("briefing", "briefing"), ("manifest", "manifest"))


def _file_label(label: str, path: PurePosixPath) -> str:
    """"Account plan (DOCX)", "EBR deck (PPTX)", "EBR manifest (JSON)"."""
    suffix = path.suffix.lstrip(".").upper()
    for word, name in _MEMBER_NAMES:
        if word in path.stem:
            return f"{label} {name} ({suffix})"
    return f"{label} ({suffix})"


def _row(account: Account, records: list[ItemRecord], settings: Settings) -> AccountRow:
    health = account.health.status.value if account.health.status else "not rated"
    renewal = account.renewal
    renewal_text = (
        f"{renewal.status.value}, {format_date(renewal.date, settings)}"
        if renewal.date else renewal.status.value
    )
    documents = []
    audiences = Counter(r.kind for r in records)
    for record in sorted(records, key=lambda r: (r.kind, r.audience)):
        # The audience is named only when the account has the kind for both.
        kind = _KIND_NAMES.get(record.kind, record.kind)
        label = (f"{kind} ({record.audience})" if audiences[record.kind] > 1 else kind)
        if record.status == FAILED:
            documents.append(DocumentLink(f"{label} failed", None, record.error or "no reason"))
            continue
        for path, _digest in record.files:
            documents.append(DocumentLink(_file_label(label, PurePosixPath(path)), _href(path)))
    return AccountRow(
        id=account.id,
        name=account.name,
        tier=account_tier(account),
        revenue=account.revenue.current_annual,
        revenue_text=format_money(account.revenue.current_annual, settings),
        health=health,
        health_drivers="; ".join(account.health.drivers),
        renewal_status=renewal.status.value,
        renewal_date=renewal.date,
        renewal_text=renewal_text,
        overdue=account.action_summary.overdue,
        documents=tuple(documents),
        failures=sum(1 for r in records if r.status == FAILED),
    )


def _rejected_row(bad: RejectedAccount) -> AccountRow:
    return AccountRow(
        id=bad.id, name=bad.name or bad.id, tier=None, revenue=None, revenue_text=MISSING,
        health="not rated", health_drivers="", renewal_status="", renewal_date=None,
        renewal_text=MISSING, overdue=0,
        documents=(DocumentLink("rejected by validation", None, "; ".join(bad.reasons)),),
        failures=1, rejected=True,
    )


def _href(path: str) -> str:
    # Relative to index.html, percent-encoded per segment: names may hold any character.
    from urllib.parse import quote

    return "/".join(quote(part) for part in path.split("/"))


# --------------------------------------------------------------------------- charts


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    colour: str


def _revenue_by_tier(accounts: Sequence[Account], settings: Settings) -> str:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for account in accounts:
        tier = account_tier(account)
        totals[f"Tier {tier}" if tier is not None else "No tier"] += (
            account.revenue.current_annual or Decimal(0)
        )
    order = sorted(totals, key=lambda k: (k == "No tier", k))
    bars = [Bar(k, float(totals[k]), format_money(totals[k], settings, short=True), BLUE)
            for k in order]
    top = max(bars, key=lambda b: b.value) if bars else None
    title = (f"{top.label} brings {top.text} of annual revenue" if top and top.value > 0
             else "No revenue data in the portfolio")
    return _bar_chart(title, f"Annual revenue by tier ({settings.locale.currency})", bars)


def _health_distribution(accounts: Sequence[Account]) -> str:
    counts = Counter(a.health.status.value if a.health.status else "not rated" for a in accounts)
    order = [RagStatus.GREEN.value, RagStatus.AMBER.value, RagStatus.RED.value, "not rated"]
    bars = [Bar(k, float(counts.get(k, 0)), str(counts.get(k, 0)), _HEALTH_COLOURS[k])
            for k in order]
    red = counts.get(RagStatus.RED.value, 0)
    title = f"{red} of {len(accounts)} accounts are red" if accounts else "No accounts"
    return _bar_chart(title, "Accounts by health status", bars)


def _renewals_by_month(accounts: Sequence[Account], as_of: date, settings: Settings) -> str:
    """Renewals in the 12 months from as-of, stacked by whether an opportunity covers them."""
    first = as_of.replace(day=1)
    months = [add_months(first, i) for i in range(12)]
    counts: dict[tuple[date, str], int] = Counter()
    for account in accounts:
        when = account.renewal.date
        if when is None or not months[0] <= when < add_months(months[-1], 1):
            continue
        group = next((name for name, _c, statuses in _RENEWAL_GROUPS
                      if account.renewal.status in statuses), "not yet in window")
        counts[(when.replace(day=1), group)] += 1
    missing = sum(v for (m, g), v in counts.items() if g in ("missing", "late"))
    total = sum(counts.values())
    title = (f"{total} renewals in the next 12 months, {missing} without an opportunity"
             if total else "No renewals in the next 12 months")
    return _stacked_chart(title, "Renewals by month", months, counts, settings)


_W, _H, _PAD_L, _PAD_B, _PAD_T = 420, 220, 92, 40, 16


def _bar_chart(title: str, caption: str, bars: Sequence[Bar]) -> str:
    """Horizontal bars from zero with a direct label on each; no value axis needed."""
    e = html.escape
    top = max((b.value for b in bars), default=0.0) or 1.0
    row = (_H - _PAD_T - 8) / max(len(bars), 1)
    width = _W - _PAD_L - 70
    parts = []
    for index, bar in enumerate(bars):
        y = _PAD_T + index * row
        length = max(bar.value / top * width, 0.0)
        parts.append(
            f'<text x="{_PAD_L - 6}" y="{y + row / 2 + 4:.1f}" text-anchor="end">{e(bar.label)}'
            f'</text><rect x="{_PAD_L}" y="{y + row * 0.15:.1f}" width="{length:.1f}" '
            f'height="{row * 0.7:.1f}" fill="{bar.colour}"><title>{e(bar.label)}: '
            f'{e(bar.text)}</title></rect><text x="{_PAD_L + length + 4:.1f}" '
            f'y="{y + row / 2 + 4:.1f}">{e(bar.text)}</text>'
        )
    return _figure(title, caption, "".join(parts), f"{caption}: " + ", ".join(
        f"{b.label} {b.text}" for b in bars))


def _stacked_chart(
    title: str, caption: str, months: Sequence[date], counts: dict[tuple[date, str], int],
    settings: Settings,
) -> str:
    e = html.escape
    totals = [sum(counts.get((m, g), 0) for g, _c, _s in _RENEWAL_GROUPS) for m in months]
    top = max(totals, default=0) or 1
    plot_h = _H - _PAD_T - _PAD_B - 18
    step = (_W - 40) / len(months)
    parts = []
    for index, month in enumerate(months):
        x = 30 + index * step
        y = _PAD_T + plot_h
        for group, colour, _statuses in _RENEWAL_GROUPS:
            value = counts.get((month, group), 0)
            if not value:
                continue
            height = value / top * plot_h
            y -= height
            parts.append(
                f'<rect x="{x + 3:.1f}" y="{y:.1f}" width="{step - 6:.1f}" '
                f'height="{height:.1f}" fill="{colour}"><title>'
                f'{e(month.strftime("%Y-%m"))}: {value} {e(group)}</title></rect>'
            )
        if totals[index]:
            parts.append(f'<text x="{x + step / 2:.1f}" y="{y - 3:.1f}" '
                         f'text-anchor="middle">{totals[index]}</text>')
        short = babel_dates.format_date(month, "MMM", locale=settings.locale.locale)
        parts.append(f'<text x="{x + step / 2:.1f}" y="{_PAD_T + plot_h + 14}" '
                     f'text-anchor="middle">{e(short)}</text>')
    legend_y = _H - 12
    for index, (group, colour, _statuses) in enumerate(_RENEWAL_GROUPS):
        x = 10 + index * 102
        parts.append(f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" '
                     f'fill="{colour}"/><text x="{x + 14}" y="{legend_y}">{e(group)}</text>')
    described = ", ".join(f"{m.strftime('%Y-%m')} {t}" for m, t in zip(months, totals,
                                                                          strict=True) if t)
    return _figure(title, caption, "".join(parts), f"{caption}: {described or 'none'}")


def _figure(title: str, caption: str, body: str, description: str) -> str:
    e = html.escape
    return (
        f'<figure class="chart"><figcaption><strong>{e(title)}</strong><br>'
        f'<span>{e(caption)}</span></figcaption><svg viewBox="0 0 {_W} {_H}" role="img" '
        f'aria-label="{e(description)}" xmlns="http://www.w3.org/2000/svg">{body}</svg></figure>'
    )


# --------------------------------------------------------------------------- page

_ENVIRONMENT = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


_ENVIRONMENT.filters["sortkey"] = lambda v: "" if v is None else v

_CSS = """
:root { --brand: #1F4E79; --text: #222; --muted: #595959; --rule: #d0d0d0; --zebra: #f5f7fa; }
* { box-sizing: border-box; }
body { font-family: Calibri, Carlito, "Segoe UI", Arial, sans-serif; color: var(--text);
  margin: 0 auto; padding: 1.5rem; max-width: 1400px; font-size: 15px; line-height: 1.4; }
h1 { color: var(--brand); font-size: 1.6rem; margin: 0 0 .25rem; }
.meta { color: var(--muted); margin: 0 0 1rem; }
.figures { display: flex; flex-wrap: wrap; gap: 1.5rem; margin: 0 0 1rem; padding: 0;
  list-style: none; }
.figures li strong { display: block; font-size: 1.4rem; color: var(--brand); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr));
  gap: 1rem; margin-bottom: 1.25rem; }
.chart { margin: 0; border: 1px solid var(--rule); padding: .5rem; }
.chart figcaption span { color: var(--muted); font-size: .85rem; }
.chart svg { width: 100%; height: auto; font-size: 11px; fill: var(--text); }
.controls { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center;
  margin-bottom: .5rem; }
.controls input[type=search] { min-width: 16rem; padding: .3rem .5rem; font: inherit; }
.controls select { padding: .25rem; font: inherit; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem;
  border-bottom: 1px solid var(--rule); }
th { background: var(--brand); color: #fff; position: sticky; top: 0; }
th button { all: unset; cursor: pointer; display: block; width: 100%; }
th button:focus-visible { outline: 2px solid #fff; }
th[aria-sort=ascending] button::after { content: " \\25B2"; }
th[aria-sort=descending] button::after { content: " \\25BC"; }
tbody tr:nth-child(even) { background: var(--zebra); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.id { font-family: Consolas, "Liberation Mono", monospace; font-size: .85rem;
  color: var(--muted); }
.status::before { content: "\\25CF "; }
.status-green::before { color: #009E73; } .status-amber::before { color: #B07800; }
.status-red::before { color: #D55E00; } .status-not-rated::before { color: #8C8C8C; }
.docs { margin: 0; padding: 0; list-style: none; }
.failed { color: #A33A00; font-weight: bold; }
.reason { color: #A33A00; font-weight: normal; }
tr.rejected td { background: #fff4ec; }
.empty { padding: 1rem; color: var(--muted); }
footer { margin-top: 1.5rem; color: var(--muted); font-size: .85rem; }
@media print {
  body { padding: 0; max-width: none; font-size: 10pt; }
  .controls, .noprint { display: none !important; }
  .charts { grid-template-columns: repeat(3, 1fr); }
  th { position: static; color: #000; background: #e8e8e8; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  tr[hidden] { display: table-row !important; }
  a { color: inherit; text-decoration: none; }
  th[aria-sort] button::after { content: ""; }
}
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var table = document.getElementById("accounts");
  var body = table.tBodies[0];
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var search = document.getElementById("filter-text");
  var tier = document.getElementById("filter-tier");
  var status = document.getElementById("filter-status");
  var shown = document.getElementById("shown");
  function key(row, index, numeric) {
    var value = row.cells[index].getAttribute("data-sort");
    if (numeric) { return value === "" ? null : parseFloat(value); }
    return value;
  }
  function sortBy(index) {
    var header = headers[index];
    var numeric = header.getAttribute("data-type") === "number";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, index, numeric), y = key(b, index, numeric);
      // Missing values sort last in both directions.
      if (x === null || x === "") { return (y === null || y === "") ? 0 : 1; }
      if (y === null || y === "") { return -1; }
      var order = numeric ? x - y : x.localeCompare(y, undefined, {sensitivity: "base"});
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  function applyFilters() {
    var text = search.value.trim().toLowerCase();
    var count = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var visible = (!text || row.textContent.toLowerCase().indexOf(text) !== -1) &&
        (!tier.value || row.getAttribute("data-tier") === tier.value) &&
        (!status.value ||
         (row.getAttribute("data-flags") || "").split(" ").indexOf(status.value) !== -1);
      row.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = String(count);
  }
  headers.forEach(function (header, index) {
    var button = header.querySelector("button");
    if (button) { button.addEventListener("click", function () { sortBy(index); }); }
  });
  [search, tier, status].forEach(function (control) {
    control.addEventListener("input", applyFilters);
    control.addEventListener("change", applyFilters);
  });
  window.kamdocsReport = {sortBy: sortBy, applyFilters: applyFilters};
  applyFilters();
})();
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kamdocs batch">
<title>{{ title }}</title>
<style>{{ css | safe }}</style>
</head>
<body>
<header>
<h1>{{ title }}</h1>
<p class="meta">As of {{ as_of }} &middot; data: {{ source }}</p>
<ul class="figures">
<li><strong>{{ accounts }}</strong> accounts</li>
<li><strong>{{ documents }}</strong> documents</li>
<li><strong>{{ failed_items }}</strong> documents failed</li>
<li><strong>{{ rejected }}</strong> accounts rejected by validation</li>
<li><strong>{{ total_revenue }}</strong> annual revenue</li>
</ul>
</header>
<section class="charts" aria-label="Charts">
{% for chart in charts %}{{ chart | safe }}
{% endfor %}</section>
<section aria-label="Accounts">
<div class="controls">
<label>Filter <input type="search" id="filter-text" placeholder="name, id, owner, status"></label>
<label>Tier <select id="filter-tier"><option value="">all</option>
{% for t in tiers %}<option value="{{ t }}">Tier {{ t }}</option>
{% endfor %}</select></label>
<label>Show <select id="filter-status"><option value="">all accounts</option>
<option value="failed">failed or rejected</option>
<option value="overdue">with overdue actions</option>
<option value="renewal-missing">renewal opportunity missing</option>
<option value="red">health red</option></select></label>
<span>showing <span id="shown">{{ rows | length }}</span> of {{ rows | length }}</span>
</div>
<table id="accounts">
<thead><tr>
<th scope="col" data-type="text"><button type="button">Account</button></th>
<th scope="col" data-type="number"><button type="button">Tier</button></th>
<th scope="col" data-type="number"><button type="button">Revenue</button></th>
<th scope="col" data-type="text"><button type="button">Health</button></th>
<th scope="col" data-type="text"><button type="button">Renewal</button></th>
<th scope="col" data-type="number"><button type="button">Overdue actions</button></th>
<th scope="col" data-type="number"><button type="button">Documents</button></th>
</tr></thead>
<tbody>
{% for row in rows %}<tr id="account-{{ row.id }}" data-tier="{{ row.tier | sortkey }}" data-flags="
{%- if row.failures %}failed {% endif %}{% if row.overdue %}overdue {% endif %}
{%- if row.renewal_uncovered -%}
renewal-missing {% endif %}
{%- if row.health == 'red' %}red{% endif %}"{% if row.rejected %} class="rejected"{% endif %}>
<td data-sort="{{ row.name }}">{{ row.name }}<br><span class="id">{{ row.id }}</span></td>
<td class="num" data-sort="{{ row.tier | sortkey }}">
{{- row.tier if row.tier is not none else "\u2014" }}</td>
<td class="num" data-sort="{{ row.revenue | sortkey }}">{{ row.revenue_text }}</td>
<td data-sort="{{ row.health }}">
<span class="status status-{{ row.health | replace(' ', '-') }}">{{ row.health }}</span>
{%- if row.health_drivers %}<br><small>{{ row.health_drivers }}</small>{% endif %}</td>
<td data-sort="{{ row.renewal_date.isoformat() if row.renewal_date else '' }}">
{{- row.renewal_text }}</td>
<td class="num" data-sort="{{ row.overdue }}">{{ row.overdue }}</td>
<td data-sort="{{ row.failures }}"><ul class="docs">
{% for doc in row.documents %}<li>{% if doc.href %}<a href="{{ doc.href }}">{{ doc.label }}</a>
{%- else %}<span class="failed">{{ doc.label }}:</span>
<span class="reason">{{ doc.error }}</span>{% endif %}</li>
{% endfor %}</ul></td>
</tr>
{% else %}<tr><td colspan="7" class="empty">No accounts selected.</td></tr>
{% endfor %}</tbody>
</table>
</section>
<footer>Generated by kamdocs from {{ source }} as of {{ as_of_iso }}. Open the documents from
this folder; links are relative to it.</footer>
<script>{{ script | safe }}</script>
</body>
</html>
"""
