"""Text measured with font metrics, wrapped, fitted, and written with explicit sizes."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.ft2font import FT2Font, LoadFlags
from pptx.util import Pt

from kamdocs.render.geometry import EMU_PER_PT, Box, inches
from kamdocs.render.text import (
    DEFAULT_FONT,
    WIDTH_SAFETY,
    Font,
    Insets,
    Measured,
    fill_frame,
    fit,
    line_pitch_pt,
    measure,
    resolve_font,
    wrap,
    xml_safe,
)

A_NS = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _non_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_calibri_is_measured_with_its_metric_twin_carlito() -> None:
    found = resolve_font(Font("Calibri"))
    assert found.family == "Carlito" and found.is_exact
    assert resolve_font(Font("Arial", bold=True)).path.endswith("LiberationSans-Bold.ttf")


def test_an_unknown_brand_font_is_measured_with_a_stated_substitute() -> None:
    found = resolve_font(Font("Brand Sans That Is Not Installed"))
    assert not found.is_exact


def test_width_is_the_sum_of_the_font_advances() -> None:
    # Worked out from the font file itself: advance of "H" and "i" in font units.
    face = FT2Font(resolve_font(DEFAULT_FONT).path)
    units = sum(
        face.load_char(ord(c), LoadFlags.NO_SCALE).horiAdvance for c in "Hi"
    ) / face.units_per_EM
    assert measure("Hi", DEFAULT_FONT, 20) == round(units * 20 * EMU_PER_PT)


def test_width_grows_linearly_with_size() -> None:
    big, small = measure("Quarterly review", size_pt=28), measure("Quarterly review", size_pt=14)
    assert abs(big - 2 * small) <= 1


def test_cjk_characters_are_one_em_wide() -> None:
    # Noto Sans CJK ideographs are full-width: 3 characters at 10 pt are 30 pt.
    assert measure("数据库", size_pt=10) == 30 * EMU_PER_PT


def test_wrapped_lines_fit_the_width() -> None:
    text = "Nine of eleven KPIs met; uptime SLA missed in August because of two outages"
    width = inches(2)
    lines = wrap(text, DEFAULT_FONT, 14, width)
    assert len(lines) > 1
    assert all(measure(line, DEFAULT_FONT, 14) <= width * WIDTH_SAFETY for line in lines)
    assert " ".join(lines) == text


def test_a_word_longer_than_the_line_is_broken_not_dropped() -> None:
    word = "Supercalifragilisticexpialidocious" * 3
    lines = wrap(word, DEFAULT_FONT, 14, inches(1))
    assert len(lines) > 2 and "".join(lines) == word


def test_cjk_text_breaks_between_characters_but_not_before_closing_punctuation() -> None:
    text = "日本語のテキストを、折り返します。とても長い文章です。"
    lines = wrap(text, DEFAULT_FONT, 14, inches(1.2))
    assert len(lines) > 2 and "".join(lines) == text
    assert not any(line[0] in "、。" for line in lines)


def test_explicit_line_breaks_start_new_lines() -> None:
    assert wrap("first\nsecond", DEFAULT_FONT, 12, inches(5)) == ["first", "second"]


def test_right_to_left_text_keeps_its_logical_order() -> None:
    text = "مرحبا بالعالم"
    assert wrap(text, DEFAULT_FONT, 12, inches(5)) == [text]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.lists(
        st.sampled_from(
            ["abc", "X", " ", "-", ",", "\n", "数", "据", "。", "مرحبا", "\t", "W" * 30]
        ),
        max_size=60,
    ).map("".join),
    width=st.integers(min_value=inches(0.3), max_value=inches(6)),
)
def test_wrapping_never_loses_a_character(text: str, width: int) -> None:
    lines = wrap(text, DEFAULT_FONT, 12, width)
    assert _non_space("".join(lines)) == _non_space(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.lists(
        st.sampled_from(["Director", "of", " ", "-", "\n", "数据", "。", "مرحبا", "W" * 25]),
        max_size=30,
    ).map("".join),
    width=st.integers(min_value=inches(0.3), max_value=inches(3)),
    sizes=st.lists(st.sampled_from([7.0, 8.5, 10.0, 14.0]), min_size=1, max_size=4),
)
def test_text_measured_once_wraps_at_any_size_as_if_fresh(
    text: str, width: int, sizes: list[float]
) -> None:
    # A box fit wraps one measured text at size after size: no size may leave a trace.
    measured = Measured(text, DEFAULT_FONT)
    for size in sizes:
        lines = measured.lines(size, width)
        assert [line.text for line in lines] == wrap(text, DEFAULT_FONT, size, width)
        assert measured.count(size, width) == len(lines)
        assert _non_space("".join(line.text for line in lines)) == _non_space(text)


def test_fit_picks_the_largest_size_that_fits() -> None:
    text = "Nine of eleven KPIs met; uptime SLA missed in August"
    box = Box(0, 0, inches(5), inches(1.2))
    fitted = fit(text, box, max_pt=28, min_pt=10)
    assert fitted.fits and fitted.overflow_text == ""
    bigger = fit(text, box, max_pt=fitted.size_pt + 1, min_pt=fitted.size_pt + 1)
    assert not bigger.fits
    inner_h = box.height - Insets().top - Insets().bottom
    assert len(fitted.lines) * line_pitch_pt(DEFAULT_FONT, fitted.size_pt) * EMU_PER_PT <= inner_h


def test_a_two_line_title_of_200_characters_shrinks_then_continues_elsewhere() -> None:
    title = ("Renewal at risk: adoption fell in three business units while two executive "
             "sponsors left, so we propose a joint recovery plan with monthly reviews ") * 2
    assert len(title) >= 200
    fitted = fit(title, Box(0, 0, inches(12.33), inches(1.1)), max_pt=28, min_pt=20,
                 max_lines=2, marker=" (continued in notes)")
    assert not fitted.fits and fitted.size_pt == 20 and len(fitted.lines) <= 2
    assert fitted.text.endswith("(continued in notes)")
    kept = fitted.text.removesuffix(" (continued in notes)")
    assert _non_space(kept + fitted.overflow_text) == _non_space(title)


@settings(max_examples=40, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab cd ef\n数")), min_size=1, max_size=400))
def test_fit_keeps_or_hands_back_every_character(text: str) -> None:
    fitted = fit(text, Box(0, 0, inches(2), inches(0.8)), max_pt=14, min_pt=10)
    assert _non_space(fitted.text + fitted.overflow_text) == _non_space(text)
    if fitted.fits:
        assert fitted.overflow_text == ""


def test_written_text_has_autofit_off_wrap_on_and_a_size_on_every_run(
    new_slide, reopen_pptx
) -> None:
    prs, slide = new_slide()
    box = Box(inches(1), inches(1), inches(4), inches(2))
    shape = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
    fitted = fit("Headline\nSecond paragraph with more words", box, max_pt=24, min_pt=10)
    fill_frame(shape, fitted, colour="1F3A5F")
    shape = reopen_pptx(prs).slides[0].shapes[0]
    body = shape.text_frame._txBody
    assert body.bodyPr.find(f"{A_NS}noAutofit") is not None
    assert body.bodyPr.get("wrap") == "square"
    assert shape.text_frame.margin_left == Insets().left
    runs = [r for p in shape.text_frame.paragraphs for r in p.runs]
    assert [r.text for r in runs] == ["Headline", "Second paragraph with more words"]
    assert all(r.font.size == Pt(fitted.size_pt) for r in runs)
    assert all(str(r.font.color.rgb) == "1F3A5F" for r in runs)
    pitch = line_pitch_pt(DEFAULT_FONT, fitted.size_pt)
    assert all(p.line_spacing == Pt(pitch) for p in shape.text_frame.paragraphs)


def test_characters_xml_cannot_hold_are_shown_not_dropped() -> None:
    assert xml_safe("a\x01b") == "a\ufffdb"
