"""The account plan DOCX, opened with python-docx and checked against hand-built accounts.

Every expected figure is worked out here from the numbers in plan_accounts.py, not copied
from the builder.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from functools import cache
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from lxml import etree

from kamdocs.audience import view_for
from kamdocs.builders.account_plan import AccountPlanBuilder
from kamdocs.builders.base import BuildOptions
from kamdocs.builders.registry import get_builder
from kamdocs import samples
from kamdocs.config import Settings, load_settings
from kamdocs.model import Account, Audience, Portfolio
from kamdocs.render.check import check_bytes, leak_terms, money_forms
from tests.builders.plan_accounts import (
    AS_OF,
    SECRETS,
    minimal_account,
    rich_account,
    with_changes,
)

COMPANY = "Northwind Analytics"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def build(account: Account, audience: Audience = Audience.INTERNAL,
          settings: Settings | None = None) -> bytes:
    portfolio = Portfolio(AS_OF, COMPANY, "USD", "en_US", "hand-built", (account,))
    builder = AccountPlanBuilder(BuildOptions(settings or Settings(), audience, AS_OF))
    (artifact,) = builder.build(portfolio, [account])
    assert artifact.suffix == ".docx" and artifact.kind == "plan"
    return artifact.data


@cache
def rich(audience: Audience = Audience.INTERNAL) -> bytes:
    return build(rich_account(), audience)


def open_doc(data: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(data))


def headings(document: DocxDocument, level: int) -> list[str]:
    return [
        p.text.split("  ", 1)[-1] if "  " in p.text else p.text
        for p in document.paragraphs
        if p.style.name == f"Heading {level}"
    ]


def body_text(document: DocxDocument) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def table_after(document: DocxDocument, *header: str) -> list[list[str]]:
    """Rows (as text) of the first table whose header row starts with ``header``."""
    for table in document.tables:
        first = [c.text for c in table.rows[0].cells]
        if first[: len(header)] == list(header):
            return [[c.text for c in row.cells] for row in table.rows]
    raise AssertionError(f"no table with header {header}")


def all_part_text(data: bytes) -> str:
    """Every text node of every XML part, and every cell of embedded workbooks."""
    chunks = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            blob = package.read(name)
            if name.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(blob)) as book:
                    for inner in book.namelist():
                        if inner.endswith(".xml"):
                            chunks.append(_xml_text(book.read(inner)))
            elif name.endswith((".xml", ".rels")):
                chunks.append(_xml_text(blob))
    return "\n".join(chunks)


def _xml_text(blob: bytes) -> str:
    root = etree.fromstring(blob)
    texts = [t for t in root.itertext()]
    texts += [v for el in root.iter() for v in el.attrib.values()]
    return " ".join(texts)


def charts(data: bytes) -> dict[str, tuple[list[str], list[float]]]:
    """Chart title -> (categories, values of the first series) from the chart parts."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in sorted(n for n in package.namelist() if n.startswith("word/charts/chart")):
            root = etree.fromstring(package.read(name))
            title = "".join(t.text or "" for t in root.find(f"{C}chart/{C}title").iter(
                "{http://schemas.openxmlformats.org/drawingml/2006/main}t"))
            ser = root.find(f".//{C}ser")
            cats = [v.text for v in ser.find(f"{C}cat").iter(f"{C}v")]
            vals = [float(v.text) for v in ser.find(f"{C}val").iter(f"{C}v")]
            out[title] = (cats, vals)
    return out


# --------------------------------------------------------------------------- structure


def test_plan_is_registered_as_an_internal_builder_for_both_audiences() -> None:
    cls = get_builder("plan")
    assert cls is AccountPlanBuilder
    assert cls.default_audience is Audience.INTERNAL
    assert set(cls.audiences) == {Audience.INTERNAL, Audience.CUSTOMER}


def test_internal_plan_has_every_section_in_order() -> None:
    document = open_doc(rich())
    assert headings(document, 1) == [
        "Executive summary", "Current state", "Goals and objectives", "Relationships",
        "Whitespace", "Risks", "Action plan", "Renewal and expansion", "Review scorecard",
        "Changes since the last review", "Appendix A: Whitespace cells",
    ]
    assert headings(document, 2)[:4] == [
        "Products held", "Closed-won revenue by quarter", "Open pipeline by stage",
        "KPI and SLA attainment",
    ]


def test_contents_are_filled_and_link_to_the_headings() -> None:
    data = rich()
    document = open_doc(data)
    toc = [p for p in document.paragraphs if re.fullmatch(r"TOC \d", p.style.name)]
    assert [p.text for p in toc][:2] == ["1  Executive summary", "2  Current state"]
    anchors = [h.get(f"{W}anchor") for p in toc for h in p._p.iter(f"{W}hyperlink")]
    bookmarks = {b.get(f"{W}name") for b in document.element.body.iter(f"{W}bookmarkStart")}
    assert anchors and set(anchors) <= bookmarks
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert b"updateFields" not in package.read("word/settings.xml")


def test_cover_names_account_owner_tier_and_marking() -> None:
    text = "\n".join(p.text for p in open_doc(rich()).paragraphs[:12])
    for expected in ("Acme Corp", "Account owner: Sam Lee", "Tier: Tier 1",
                     "As of: Nov 23, 2026", "Internal - confidential"):
        assert expected in text


def test_header_and_footer_carry_marking_account_page_numbers_as_of_and_source() -> None:
    section = open_doc(rich()).sections[0]
    header = section.header.paragraphs[0]
    footer = section.footer.paragraphs[0]
    assert header.text == "Internal - confidential\tAcme Corp"
    assert "As of Nov 23, 2026" in footer.text and "Source: Salesforce export" in footer.text
    instructions = [f.get(f"{W}instr").strip() for f in footer._p.iter(f"{W}fldSimple")]
    assert instructions == ["PAGE", "NUMPAGES"]


def test_core_properties_name_our_company_and_the_as_of_date() -> None:
    props = open_doc(rich()).core_properties
    assert props.author == COMPANY
    assert props.title == "Account plan: Acme Corp"
    assert props.created.date() == AS_OF


# --------------------------------------------------------------------------- figures


def test_key_figures_match_the_model() -> None:
    rows = {r[0]: r[1:] for r in table_after(open_doc(rich()), "Key figure")}
    assert rows["Annual revenue"] == ["$190,000", "active assets"]
    # 190,000 / 160,000 - 1 = 18.75 % -> "+19%"
    assert rows["Growth year on year"] == ["+19%", "prior year $160,000"]
    assert rows["Tier"] == ["Tier 1", "revenue rank 3 of 40"]
    assert rows["Health"] == ["Amber", "1 action overdue; QBR overdue"]
    assert rows["Renewal date"] == ["May 31, 2027", "in the renewal window, opportunity open"]
    assert rows["Total whitespace"][0] == "$430,000"
    assert rows["Open pipeline"][0] == "$250,000"
    assert rows["Margin"][0] == "31%"
    # one overdue among the two open actions
    assert rows["Overdue actions"][0] == "1 of 2 open"
    assert rows["Next QBR"][0] == "Nov 15, 2026"
    assert rows["Next QBR"][1].startswith("overdue, not yet scheduled")


def test_summary_sentence_states_the_numbers() -> None:
    text = body_text(open_doc(rich()))
    # The health driver "1 action overdue" is already said by "2 actions open, 1 overdue".
    assert ("Acme Corp brings $190,000 a year (+19% year on year); 1 of 2 KPIs and 1 of 1 "
            "SLAs met; 2 actions open, 1 overdue; renewal due May 31, 2027 (in the renewal "
            "window, opportunity open). Health is amber (QBR overdue).") in text


def test_revenue_and_pipeline_are_native_charts_with_the_models_values() -> None:
    found = charts(rich())
    assert found["Closed won by quarter, USD"] == (
        ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4 (to date)"],
        [100000.0, 250000.0, 50000.0, 0.0])
    cats, vals = found["Open pipeline by stage, USD"]
    assert dict(zip(cats, vals, strict=True)) == {"Prospecting": 50000.0, "Negotiation": 200000.0}


def test_charts_carry_alt_text_and_an_embedded_workbook() -> None:
    with zipfile.ZipFile(io.BytesIO(rich())) as package:
        names = package.namelist()
        document = package.read("word/document.xml").decode()
    # revenue, pipeline, KPI and SLA attainment
    assert sum(n.startswith("word/embeddings/") and n.endswith(".xlsx") for n in names) == 4
    descriptions = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', document)
    assert any(d.startswith("Column chart: $400,000 closed won over 4 quarters") for d in
               descriptions)


def test_kpi_table_marks_the_missed_kpi_with_a_word_and_a_highlight() -> None:
    document = open_doc(rich())
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Measure")
    rows = {r.cells[0].text: r for r in table.rows[1:]}
    missed = rows["Tickets closed"]
    assert missed.cells[5].text == "Missed"
    assert missed.cells[4].text == "75%"  # 90 / 120
    fills = {s.get(f"{W}fill") for s in missed._tr.iter(f"{W}shd")}
    assert "FBE3D6" in fills
    assert rows["Adoption"].cells[4].text == "107%"  # 80 / 75
    # 70 % -> 80 %: ten points up on a higher-is-better KPI
    assert rows["Adoption"].cells[6].text == "+10 pts (better)"


def test_kpi_charts_show_attainment_against_target_per_kind() -> None:
    found = charts(rich())
    cats, vals = found["KPI attainment, % of target: 1 of 2 met"]
    got = dict(zip([c.replace(" (missed)", "") for c in cats], vals, strict=True))
    # each name carries its attainment: 80 / 75 = 107 %, 90 / 120 = 75 %
    assert got == pytest.approx({"Adoption: 107%": 80 / 75, "Tickets closed: 75%": 90 / 120})
    assert "Tickets closed: 75% (missed)" in cats
    cats, vals = found["SLA attainment, % of target: 1 of 1 met"]
    assert (cats, vals) == (["Uptime: 100%"], pytest.approx([99.95 / 99.9]))


# --------------------------------------------------------------------------- relationships


def test_relationships_warn_about_single_threading_and_name_the_detractor() -> None:
    text = body_text(open_doc(rich()))
    assert "1 of 2 key stakeholders reached directly (50% coverage)" in text
    assert "Single-threaded: only one contact at Acme Corp has a direct line to us" in text
    assert "1 detractor: Omar Haddad (VP Operations)" in text
    assert "no customer success assigned" in text


def test_stakeholder_table_gives_role_influence_stance_access_and_last_contact() -> None:
    rows = table_after(open_doc(rich()), "Name")
    assert rows[0] == ["Name", "Title", "Buying role", "Influence", "Stance", "Access path",
                       "Last contact"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Omar Haddad"][3:6] == ["3", "Blocker", "none"]
    assert by_name["Lee Park"][5] == "via Dana Ruiz (CIO), owner Sam Lee"
    assert by_name["Dana Ruiz"][6] == "Nov 2, 2026"


def test_relationship_map_is_a_picture_with_alt_text_stating_its_message() -> None:
    with zipfile.ZipFile(io.BytesIO(rich())) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        document = package.read("word/document.xml").decode()
    assert len(media) == 2  # the cover logo and the map
    assert ("Relationship map: 3 contacts in 1 reporting line; 1 champion, 1 detractor; 1 of 2 "
            "key stakeholders reached directly.") in document


def _media_and_alt_texts(data: bytes) -> tuple[list[str], list[str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        document = package.read("word/document.xml").decode()
    return media, re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', document)


def test_cover_never_shows_another_companys_logo(tmp_path: Path) -> None:
    # The packaged brand's logo names the brand's company; a plan of another company has none.
    account = rich_account()
    portfolio = Portfolio(AS_OF, "Lumenfield Software", "USD", "en_US", "hand-built", (account,))
    (artifact,) = AccountPlanBuilder(
        BuildOptions(Settings(), Audience.INTERNAL, AS_OF)).build(portfolio, [account])
    media, alt_texts = _media_and_alt_texts(artifact.data)
    assert len(media) == 1 and not any("logo" in t for t in alt_texts)
    # Its own logo, configured, is on the cover.
    (tmp_path / "ours.png").write_bytes(samples.logo_png("Lumenfield Software"))
    (tmp_path / "kamdocs.toml").write_text('[templates]\nlogo = "ours.png"\n', encoding="utf-8")
    options = BuildOptions(load_settings(tmp_path / "kamdocs.toml"), Audience.INTERNAL, AS_OF)
    (artifact,) = AccountPlanBuilder(options).build(portfolio, [account])
    media, alt_texts = _media_and_alt_texts(artifact.data)
    assert len(media) == 2 and "Lumenfield Software logo" in alt_texts


def test_account_team_lists_roles() -> None:
    rows = table_after(open_doc(rich()), "Role")
    assert [r[:2] for r in rows[1:]] == [["Key Account Manager", "Sam Lee"],
                                         ["Executive Sponsor", "Pat Kim"],
                                         ["Sales Engineer", "Ana Cruz"]]


# --------------------------------------------------------------------------- whitespace


def test_whitespace_heat_table_prints_each_product_by_business_unit() -> None:
    rows = table_after(open_doc(rich()), "Product", "Finance")
    heat = {r[0]: r[1:] for r in rows}
    assert heat["Product"] == ["Finance", "Retail"]
    assert heat["Analytics"] == ["$310,000", "$120,000"]
    # Platform in Finance is above potential; it has no Retail cell.
    assert heat["Platform"] == ["-$30,000", "\u2014"]


def test_whitespace_totals_by_region_sum_to_the_total() -> None:
    rows = table_after(open_doc(rich()), "Region")
    assert rows[1:] == [["EMEA", "$310,000"], ["NA", "$120,000"], ["Total", "$430,000"]]


def test_top_candidates_show_score_and_whether_pipeline_covers_them() -> None:
    document = open_doc(rich())
    rows = table_after(document, "Product", "Business unit", "Region", "Whitespace")
    assert rows[0][-2:] == ["Score", "Covered by pipeline"]
    # $50,000 of pipeline against $310,000 of whitespace: partly covered
    assert rows[1] == ["Analytics", "Finance", "EMEA", "$310,000", "$50,000", "2.5", "Partly"]


# --------------------------------------------------------------------------- risks, actions


def test_risks_list_severity_mitigation_and_the_escalation_plan_in_danger() -> None:
    document = open_doc(rich())
    rows = table_after(document, "Risk")
    assert rows[1][:4] == ["SECRET budget freeze at the CFO", "High", "Medium", "Early renewal"]
    text = body_text(document)
    # single-threaded with a detractor counts as danger
    assert "The account is in danger (single-threaded with detractors): escalate now." in text
    assert "Executive sponsor (Pat Kim) calls the customer's economic buyer" in text


def test_overdue_actions_come_first_highlighted_and_in_words() -> None:
    document = open_doc(rich())
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "What")
    first = table.rows[1]
    assert first.cells[0].text == "Run adoption workshop"
    assert first.cells[4].text == "Overdue by 12 days"
    assert "FBE3D6" in {s.get(f"{W}fill") for s in first._tr.iter(f"{W}shd")}
    assert [c.text for c in table.rows[0].cells] == [
        "What", "Due", "Owner", "Success measure", "Status", "Escalation path"]
    assert first.cells[5].text == "SECRET escalation: Sam Lee -> Pat Kim"
    # The joint plan lists the same shared action without our escalation path.
    joint = open_doc(rich(Audience.CUSTOMER))
    table = next(t for t in joint.tables if t.rows[0].cells[0].text == "What")
    assert [c.text for c in table.rows[0].cells] == [
        "What", "Due", "Owner", "Success measure", "Status"]
    assert table.rows[1].cells[0].text == "Run adoption workshop"


def test_data_gaps_are_called_out_per_action() -> None:
    document = open_doc(rich())
    text = body_text(document)
    assert ("1 of 2 open actions have data gaps: 1 with no owner; 1 with no success "
            "measure.") in text
    rows = table_after(document, "Action")
    assert rows[1] == ["SECRET call the CIO about pricing", "no owner, no success measure"]


def test_renewal_states_window_and_retention_against_target() -> None:
    text = body_text(open_doc(rich()))
    # 23 Nov 2026 -> 31 May 2027 is 189 days; 200,000 / 190,000 = 105 %
    assert ("Renewal May 31, 2027 (in 189 days): in the renewal window, opportunity open; "
            "retention 105% meets the 100% target.") in text
    assert "2 open opportunities worth $250,000." in text


def test_scorecard_gives_each_question_a_status_word_and_the_roster_call() -> None:
    document = open_doc(rich())
    rows = table_after(document, "Question")
    assert [r[2] for r in rows[1:]] == ["Green", "Amber", "Red"]
    assert "Roster recommendation: keep. Why: top-3 revenue." in body_text(document)


def test_first_plan_says_there_is_no_earlier_review() -> None:
    assert ("There is no earlier review of Acme Corp to compare with, so no changes are listed"
            in body_text(open_doc(rich())))


def test_changes_since_the_last_review_are_listed() -> None:
    document = open_doc(build(with_changes(rich_account())))
    text = body_text(document)
    assert "2 changes since Aug 23, 2026." in text
    assert table_after(document, "Area")[1:] == [["tier", "Tier 2 -> Tier 1"],
                                                ["kpi", "Adoption now met"]]
    assert "refresh the relationship map" in text


# --------------------------------------------------------------------------- audience


def test_customer_plan_is_prepared_for_the_customer_and_leaves_internal_sections_out() -> None:
    document = open_doc(rich(Audience.CUSTOMER))
    assert headings(document, 1) == [
        "Executive summary", "Current state", "Goals and objectives", "Our joint team",
        "Opportunities to explore together", "Shared risks", "Joint action plan", "Renewal",
    ]
    assert document.sections[0].header.paragraphs[0].text == "Prepared for Acme Corp"
    text = body_text(document)
    for internal in ("Tier", "Health", "Open pipeline", "Whitespace", "Stance", "Influence",
                     "Escalation plan", "Review scorecard", "Margin", "31%"):
        assert internal not in text


def test_customer_plan_contains_no_internal_value_in_any_part() -> None:
    data = rich(Audience.CUSTOMER)
    everything = all_part_text(data)
    for secret in SECRETS:
        assert secret not in everything
    account = rich_account()
    # Picklist vocabulary ("Renewal") is a word of the document, not a leaked value.
    settings = Settings()
    terms = leak_terms(account, view_for(account, Audience.CUSTOMER),
                       [("001A000000000002AA", "Bare Minimum Ltd")],
                       money=money_forms("en_US", "USD"),
                       allow=[COMPANY, *settings.opportunities.renewal_types])
    assert check_bytes(data, "customer.docx", terms=terms) == []


def test_customer_plan_lists_explore_areas_without_amounts() -> None:
    document = open_doc(rich(Audience.CUSTOMER))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    assert [["Product", "Business unit", "Region", "Use case"],
            ["Analytics", "Finance", "EMEA", "Reporting"]] in tables


def test_internal_plan_passes_the_linter() -> None:
    assert check_bytes(rich(), "internal.docx") == []


# --------------------------------------------------------------------------- edge cases


def test_minimal_account_says_what_would_fill_each_section() -> None:
    document = open_doc(build(minimal_account()))
    text = body_text(document)
    for source in ("Asset records", "KPI_Measurement__c records", "Contact records",
                   "Whitespace_Potential__c records", "Task records", "Account_Goal__c records",
                   "AccountTeamMember records", "Account.Renewal_Date__c"):
        assert f"No data yet: this section is filled from {source}" in text
    for junk in ("None", "nan", "NaT"):
        assert not re.search(rf"\b{junk}\b", text)
    # no table without rows
    assert all(len(t.rows) > 1 for t in document.tables)


def test_minimal_customer_plan_builds_without_empty_sections() -> None:
    document = open_doc(build(minimal_account(), Audience.CUSTOMER))
    assert "Shared risks" not in headings(document, 1)
    assert all(len(t.rows) > 1 for t in document.tables)


def test_long_lists_show_a_head_and_go_complete_to_the_appendix_with_a_count() -> None:
    account = rich_account()
    template = account.actions[2]
    many = tuple(
        dataclasses.replace(template, id=f"00T{i:04d}", subject=f"Follow-up call number {i}")
        for i in range(40)
    )
    document = open_doc(build(dataclasses.replace(account, actions=account.actions + many)))
    text = body_text(document)
    # 2 open + 41 done: the section keeps the open ones, the appendix all 43
    assert "2 open actions shown; all 43 actions, with the 41 done, are in appendix B." in text
    assert "Appendix B: Action plan" in headings(document, 1)
    section = next(t for t in document.tables if t.rows[0].cells[0].text == "What")
    assert len(section.rows) == 1 + 2
    for i in range(40):
        assert f"Follow-up call number {i}" in text


def test_over_long_cell_text_moves_whole_to_a_note_under_the_table() -> None:
    account = rich_account()
    long_text = "Automate the monthly close. " * 30
    goals = (dataclasses.replace(account.goals[0], description=long_text),)
    document = open_doc(build(dataclasses.replace(account, goals=goals)))
    text = body_text(document)
    assert "(note 1)" in table_after(document, "Goal")[1][1]
    assert long_text.strip() in text


def test_building_twice_gives_identical_bytes() -> None:
    assert build(rich_account()) == build(rich_account())


def test_a_pdf_failure_keeps_the_word_file_and_reports_a_problem(monkeypatch) -> None:
    from kamdocs.builders import account_plan
    from kamdocs.errors import RenderError

    def no_office(*args, **kwargs):
        raise RenderError("LibreOffice (soffice) is not installed")

    monkeypatch.setattr(account_plan, "to_pdf", no_office)
    account = rich_account()
    portfolio = Portfolio(AS_OF, COMPANY, "USD", "en_US", "hand-built", (account,))
    options = BuildOptions(Settings(), Audience.INTERNAL, AS_OF, pdf=True)
    artifacts = list(AccountPlanBuilder(options).build(portfolio, [account]))
    assert [a.suffix for a in artifacts] == [".docx"]
    assert artifacts[0].problems == ("LibreOffice (soffice) is not installed",)


def test_a_users_word_template_is_used_for_styles(tmp_path) -> None:
    # A bare python-docx document: none of our custom styles, its own theme.
    brand = tmp_path / "brand.docx"
    plain = docx.Document()
    plain.styles["Normal"].font.name = "Liberation Serif"
    plain.save(brand)
    account = rich_account()
    portfolio = Portfolio(AS_OF, COMPANY, "USD", "en_US", "hand-built", (account,))
    options = BuildOptions(Settings(), Audience.INTERNAL, AS_OF, template=brand)
    (artifact,) = AccountPlanBuilder(options).build(portfolio, [account])
    document = open_doc(artifact.data)
    assert document.styles["Normal"].font.name == "Liberation Serif"
    assert headings(document, 1)[0] == "Executive summary"
    # The user's theme font (Cambria) may be missing here; that is their template's choice.
    findings = check_bytes(artifact.data, "user-template.docx")
    assert [f for f in findings if f.kind != "missing-font"] == []


def test_locale_and_currency_come_from_the_settings() -> None:
    from kamdocs.config import LocaleSettings

    settings = Settings(locale=LocaleSettings(currency="EUR", locale="de_DE"))
    document = open_doc(build(rich_account(), settings=settings))
    rows = {r[0]: r[1:] for r in table_after(document, "Key figure")}
    assert rows["Annual revenue"][0] == "190.000\u00a0€"
    assert rows["Renewal date"][0] == "31.05.2027"
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
