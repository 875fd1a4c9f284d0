"""`kamdocs check`: each finding kind on a deliberately broken file, and a clean pass."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Inches, Pt

import kamdocs
from kamdocs.cli import main
from kamdocs.model import (
    Account,
    Opportunity,
    Portfolio,
    RelationshipSummary,
    Risk,
    Stakeholder,
)
from kamdocs.render.check import KINDS, check_bytes, leak_terms, money_forms
from kamdocs.render.lookup import load_template
from kamdocs.writer import write_atomic

AS_OF = date(2026, 11, 23)


def _run(tmp_path: Path, data: bytes, name: str = "deck.pptx", *args: str):  # noqa: ANN202
    path = write_atomic(tmp_path / name, data)
    return CliRunner().invoke(main, ["check", str(path), *args]), str(path)


def _finding_lines(output: str, kind: str) -> list[str]:
    return [line for line in output.splitlines() if f": {kind}: " in line]


def _raw_deck():  # noqa: ANN202
    """A presentation on the default master, without the scaffolding's care."""
    return Presentation(io.BytesIO(load_template("qbr").data))


def _layout(prs, name: str):  # noqa: ANN001, ANN202
    return next(layout for layout in prs.slide_layouts if layout.name == name)


def _titled(prs, title: str):  # noqa: ANN001, ANN202
    slide = prs.slides.add_slide(_layout(prs, "Title Only"))
    slide.shapes.title.text = title
    for shape in list(slide.placeholders):
        if not shape.text_frame.text:
            shape._element.getparent().remove(shape._element)
    return slide


def _save(prs) -> bytes:  # noqa: ANN001
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _rezip(data: bytes, changes: dict[str, bytes]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {n: source.read(n) for n in source.namelist()}
    entries.update(changes)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, blob in entries.items():
            target.writestr(name, blob)
    return buffer.getvalue()


# --------------------------------------------------------------------------- clean files


def test_scaffolded_deck_and_document_are_clean(tmp_path: Path, deck_bytes: bytes,
                                                document_bytes: bytes) -> None:
    deck = write_atomic(tmp_path / "deck.pptx", deck_bytes)
    document = write_atomic(tmp_path / "plan.docx", document_bytes)
    result = CliRunner().invoke(main, ["check", str(deck), str(document)])
    assert result.exit_code == 0, result.output
    assert "2 files: clean" in result.output


# --------------------------------------------------------------------------- one per kind


def test_shape_outside_the_slide_is_located(tmp_path: Path) -> None:
    prs = _raw_deck()
    slide = _titled(prs, "Revenue")
    box = slide.shapes.add_textbox(prs.slide_width - Inches(1), Inches(2), Inches(3), Inches(1))
    box.name = "Stray box"
    result, path = _run(tmp_path, _save(prs))
    assert result.exit_code == 1
    assert _finding_lines(result.output, "outside") == [
        f"{path}: slide 1 [Stray box]: outside: shape at (12.33, 2.00) size 3.00 x 1.00 in "
        "extends beyond the 13.33 x 7.50 in slide"]


def test_text_overflowing_its_box_is_measured(tmp_path: Path) -> None:
    prs = _raw_deck()
    slide = _titled(prs, "Risks")
    box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(3), Inches(0.6))
    box.name = "Risk text"
    box.text_frame.word_wrap = True
    box.text_frame.text = "The customer is consolidating vendors and may cut our scope. " * 3
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    box.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    # By hand: 3 x 61 characters at 14 pt Calibri (about 6.5 pt each) on 2.8 in lines is
    # 5+ lines of 17 pt, over 1.2 in, in a 0.5 in inner height.
    ok = slide.shapes.add_textbox(Inches(5), Inches(2), Inches(6), Inches(1.2))
    ok.text_frame.word_wrap = True
    ok.text_frame.text = "Short line that fits."
    ok.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    grower = slide.shapes.add_textbox(Inches(1), Inches(6.5), Inches(2), Inches(0.4))
    grower.name = "Growing note"
    grower.text_frame.word_wrap = True  # python-pptx text boxes resize to fit their text
    grower.text_frame.text = "A note that wraps onto many lines near the bottom. " * 4
    result, _ = _run(tmp_path, _save(prs))
    lines = _finding_lines(result.output, "overflow")
    assert len(lines) == 2, result.output
    assert "[Risk text]" in lines[0] and "slide 1" in lines[0] and "box holds 0.50 in" in lines[0]
    assert "[Growing note]" in lines[1] and "past the slide bottom" in lines[1]


def test_empty_placeholder_is_found(tmp_path: Path) -> None:
    prs = _raw_deck()
    slide = prs.slides.add_slide(_layout(prs, "Title and Content"))
    slide.shapes.title.text = "Agenda"
    result, _ = _run(tmp_path, _save(prs))
    lines = _finding_lines(result.output, "empty-placeholder")
    assert any("[Content Placeholder" in line for line in lines), result.output
    assert any("[Text Placeholder" in line for line in lines)  # the section label


def test_unresolved_template_code_is_found_in_notes(tmp_path: Path) -> None:
    prs = _raw_deck()
    slide = _titled(prs, "Summary")
    slide.notes_slide.notes_text_frame.text = "Thank {{ account.owner.name }} for the year"
    result, _ = _run(tmp_path, _save(prs))
    lines = _finding_lines(result.output, "unresolved-template")
    assert len(lines) == 1 and "slide 1 (notes)" in lines[0] and "{{ account" in lines[0]


def test_picture_and_chart_without_alt_text_are_found(tmp_path: Path) -> None:
    prs = _raw_deck()
    slide = _titled(prs, "Revenue by quarter")
    logo = load_template("qbr").brand.logo
    picture = slide.shapes.add_picture(io.BytesIO(logo), Inches(1), Inches(2), Inches(2))
    picture.name = "Logo"
    data = CategoryChartData()
    data.categories = ["Q1", "Q2"]
    data.add_series("Revenue", (1, 2))
    chart = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(4), Inches(2),
                                   Inches(4), Inches(3), data)
    chart.name = "Revenue chart"
    described = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(8.5), Inches(2),
                                       Inches(4), Inches(3), data)
    described._element.nvGraphicFramePr.cNvPr.set("descr", "Column chart: revenue doubled")
    result, _ = _run(tmp_path, _save(prs))
    lines = _finding_lines(result.output, "missing-alt-text")
    # python-pptx writes the image's file name as "alt text": that is no description.
    assert len(lines) == 2
    assert "[Logo]" in lines[0] and "picture" in lines[0]
    assert "[Revenue chart]" in lines[1] and "chart" in lines[1]


def test_slide_without_a_title_is_found(tmp_path: Path) -> None:
    prs = _raw_deck()
    _titled(prs, "First")
    prs.slides.add_slide(_layout(prs, "Blank"))
    result, path = _run(tmp_path, _save(prs))
    assert f"{path}: slide 2: missing-title: slide has no title" in result.output


def test_duplicate_titles_are_found_but_continuations_are_not(tmp_path: Path) -> None:
    prs = _raw_deck()
    for title in ("Open actions", "Open actions (cont.)", "Open actions (cont.)", "Risks",
                  "open  actions"):
        _titled(prs, title)
    result, _ = _run(tmp_path, _save(prs))
    lines = _finding_lines(result.output, "duplicate-title")
    assert len(lines) == 1 and "slide 5" in lines[0] and "same title as slide 1" in lines[0]


def test_a_font_libreoffice_lacks_is_found(tmp_path: Path) -> None:
    prs = _raw_deck()
    slide = _titled(prs, "Fonts")
    box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(4), Inches(1))
    box.text_frame.text = "Brand words"
    box.text_frame.paragraphs[0].runs[0].font.name = "Zapfino Imaginary Sans"
    result, _ = _run(tmp_path, _save(prs))
    lines = _finding_lines(result.output, "missing-font")
    assert len(lines) == 1 and "'Zapfino Imaginary Sans'" in lines[0] and "slide 1" in lines[0]
    # Calibri is fine: LibreOffice lays it out with its metric twin Carlito.
    assert "Calibri" not in result.output


def test_macros_are_found(tmp_path: Path, deck_bytes: bytes) -> None:
    data = _rezip(deck_bytes, {"ppt/vbaProject.bin": b"fake"})
    result, _ = _run(tmp_path, data)
    assert len(_finding_lines(result.output, "macro")) == 1


def test_external_links_are_found(tmp_path: Path, deck_bytes: bytes) -> None:
    rels_name = "ppt/slides/_rels/slide2.xml.rels"
    with zipfile.ZipFile(io.BytesIO(deck_bytes)) as archive:
        rels = archive.read(rels_name)
    rels = rels.replace(b"</Relationships>", (
        b'<Relationship Id="rId42" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/oleObject" Target="file:///C:/finance/pipeline.xlsx" '
        b'TargetMode="External"/></Relationships>'))
    result, _ = _run(tmp_path, _rezip(deck_bytes, {rels_name: rels}))
    lines = _finding_lines(result.output, "external-link")
    assert len(lines) == 1 and "slide 2" in lines[0] and "pipeline.xlsx" in lines[0]


def test_comments_are_found(tmp_path: Path, deck_bytes: bytes) -> None:
    comment = (b'<p:cmLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
               b'<p:cm authorId="0" idx="1"><p:pos x="0" y="0"/><p:text>Check numbers</p:text>'
               b"</p:cm></p:cmLst>")
    result, _ = _run(tmp_path, _rezip(deck_bytes, {"ppt/comments/comment1.xml": comment}))
    assert len(_finding_lines(result.output, "comment")) == 1


def test_hidden_slides_and_hidden_text_are_found(tmp_path: Path, document_bytes: bytes) -> None:
    prs = _raw_deck()
    _titled(prs, "Visible")
    _titled(prs, "Secret prep").element.set("show", "0")
    result, _ = _run(tmp_path, _save(prs))
    assert len(_finding_lines(result.output, "hidden")) == 1
    assert "slide 2: hidden" in result.output
    with zipfile.ZipFile(io.BytesIO(document_bytes)) as archive:
        body = archive.read("word/document.xml")
    body = body.replace(b"</w:body>", b'<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>stance: '
                        b"detractor</w:t></w:r></w:p></w:body>")
    result, _ = _run(tmp_path, _rezip(document_bytes, {"word/document.xml": body}), "plan.docx")
    lines = _finding_lines(result.output, "hidden")
    assert len(lines) == 1 and "body" in lines[0] and "detractor" in lines[0]


# --------------------------------------------------------------------------- audience


def _account(id_: str, name: str) -> Account:
    return Account(
        id=id_, name=name, as_of=AS_OF,
        stakeholders=(
            Stakeholder(id="003A", name="Dana Ruiz", stance="Detractor", influence=5,
                        buying_role="Economic Buyer"),
            Stakeholder(id="003B", name="Lee Park", stance="Champion"),
        ),
        relationships=RelationshipSummary(detractors=("003A",)),
        risks=(Risk(id="a0R1", name="Budget freeze in the CFO office"),
               Risk(id="a0R2", name="Data migration slips", is_customer_visible=True)),
        opportunities=(
            Opportunity(id="006A", name="Platform expansion", stage="Negotiation",
                        amount=Decimal("1250000")),
        ),
    )


def _portfolio() -> Portfolio:
    return Portfolio(as_of=AS_OF, company="Northwind Analytics", currency="USD",
                     locale="en_US", source="test",
                     accounts=(_account("001A00000000001AAA", "Acme Corp"),
                               _account("001A00000000002AAA", "Globex Corporation")))


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # The loader is another engineer's; the CLI's audience wiring is tested on a known portfolio.
    monkeypatch.setattr(kamdocs, "load_portfolio", lambda *a, **k: _portfolio())
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


def _customer_deck(build_deck, notes: str = "", series: str = "Revenue") -> bytes:  # noqa: ANN001
    deck = build_deck()
    slide = deck.add_slide("content", "Stakeholders we work with", notes=notes)
    slide.add_bullets(["Dana Ruiz, Lee Park", "Data migration slips: mitigation agreed"])
    data = CategoryChartData()
    data.categories = ["Q1", "Q2"]
    data.add_series(series, (1, 2))
    frame = slide.slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, slide.body.left,
                                         Inches(4), Inches(4), Inches(2), data)
    frame._element.nvGraphicFramePr.cNvPr.set("descr", "Column chart: revenue")
    return deck.to_bytes()


def test_customer_deck_with_only_visible_values_passes(tmp_path: Path, data_dir: Path,
                                                       build_deck) -> None:  # noqa: ANN001
    result, _ = _run(tmp_path, _customer_deck(build_deck), "deck.pptx", "--data",
                     str(data_dir), "--account", "Acme Corp", "--audience", "customer")
    assert result.exit_code == 0, result.output


def test_internal_values_in_notes_are_found(tmp_path: Path, data_dir: Path,
                                            build_deck) -> None:  # noqa: ANN001
    notes = ("Dana is a Detractor. Budget freeze in the CFO office. "
             "Ask for the $1,250,000 expansion.")
    result, _ = _run(tmp_path, _customer_deck(build_deck, notes), "deck.pptx", "--data",
                     str(data_dir), "--account", "001A00000000001AAA", "--json")
    assert result.exit_code == 1
    found = json.loads(result.output)["findings"]
    leaks = sorted((f["where"], f["message"]) for f in found if f["kind"] == "internal-value")
    assert [w for w, _ in leaks] == ["slide 4 (notes)"] * 3
    messages = " ".join(m for _, m in leaks)
    assert "'Detractor'" in messages and "stance" in messages
    assert "'Budget freeze in the CFO office'" in messages
    assert "'$1,250,000'" in messages and "opportunities[0].amount" in messages


def test_the_same_deck_is_fine_for_an_internal_audience(tmp_path: Path, data_dir: Path,
                                                        build_deck) -> None:  # noqa: ANN001
    notes = "Dana is a Detractor. Budget freeze in the CFO office."
    result, _ = _run(tmp_path, _customer_deck(build_deck, notes), "deck.pptx", "--data",
                     str(data_dir), "--account", "Acme Corp", "--audience", "internal")
    assert result.exit_code == 0, result.output


def test_another_accounts_name_in_a_chart_workbook_is_found(tmp_path: Path, data_dir: Path,
                                                            build_deck) -> None:  # noqa: ANN001
    data = _customer_deck(build_deck, series="Globex Corporation benchmark")
    result, path = _run(tmp_path, data, "deck.pptx", "--data", str(data_dir), "--account",
                        "Acme Corp", "--audience", "internal")
    assert result.exit_code == 1
    lines = _finding_lines(result.output, "other-account")
    places = {line.split(": ")[1] for line in lines}
    # The series name sits in the chart XML's cache AND in its embedded xlsx workbook.
    assert "slide 4 (chart) [ppt/charts/chart1.xml]" in places
    assert any("embeddings" in line and ".xlsx" in line for line in lines)
    assert all("'Globex Corporation'" in line for line in lines)


def test_another_accounts_id_is_found_in_doc_properties(tmp_path: Path, data_dir: Path,
                                                        build_deck) -> None:  # noqa: ANN001
    deck = build_deck()
    deck.core = type(deck.core)(title="QBR 001A00000000002", author="Northwind Analytics",
                                as_of=AS_OF)
    result, _ = _run(tmp_path, deck.to_bytes(), "deck.pptx", "--data", str(data_dir),
                     "--account", "Acme Corp")
    lines = _finding_lines(result.output, "other-account")
    assert len(lines) == 1 and "docProps/core.xml" in lines[0]


def test_data_without_account_is_a_usage_error(tmp_path: Path, deck_bytes: bytes) -> None:
    result, _ = _run(tmp_path, deck_bytes, "deck.pptx", "--data", str(tmp_path))
    assert result.exit_code == 2


def test_short_and_customer_visible_values_make_no_terms() -> None:
    from kamdocs.audience import view_for
    from kamdocs.model import Audience

    account = _account("001A00000000001AAA", "Acme Corp")
    terms = leak_terms(account, view_for(account, Audience.CUSTOMER),
                       [("01B", "Acme"), ("001A00000000002AAA", "Globex Corporation")],
                       money=money_forms("en_US", "USD"))
    texts = {t.text for t in terms}
    assert {"Detractor", "Champion", "Economic Buyer", "Budget freeze in the CFO office",
            "$1,250,000", "$1,250,000.00", "$1.2M", "1250000", "Platform expansion"} <= texts
    # Visible names, the visible risk, ids under 4 characters, and "Acme" (inside this
    # account's own name) make no term.
    assert not texts & {"Dana Ruiz", "Lee Park", "Data migration slips", "01B", "Acme"}
    assert "Globex Corporation" in texts and "001A00000000002" in texts


def test_unreadable_file_is_a_finding_not_a_crash() -> None:
    findings = check_bytes(b"not a zip", "x.pptx")
    assert [f.kind for f in findings] == ["unreadable"]


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=40_000), junk=st.binary(max_size=64))
def test_damaged_files_give_findings_never_a_crash(deck_bytes: bytes, cut: int,
                                                   junk: bytes) -> None:
    damaged = deck_bytes[:cut] + junk
    findings = check_bytes(damaged, "damaged.pptx", fonts=frozenset({"carlito"}))
    if cut < len(deck_bytes):
        # A cut zip has no central directory: one located "unreadable" line.
        assert [(f.file, f.kind) for f in findings] == [("damaged.pptx", "unreadable")]
    else:
        assert all(f.kind in KINDS for f in findings)


def test_crm_category_words_are_not_leaks_but_stances_are() -> None:
    from dataclasses import dataclass

    from kamdocs.render.check import leak_terms

    @dataclass(frozen=True)
    class Deal:
        type: str
        forecast_category: str
        stance: str

    internal = (Deal(type="Renewal", forecast_category="Commit", stance="Detractor"),)
    terms = {t.text for t in leak_terms(internal, (), others=())}
    assert terms == {"Detractor"}
