"""Colours: WCAG contrast, readable text, stable series colours, brand parsing."""

from __future__ import annotations

import pytest

from kamdocs.render.palette import (
    OKABE_ITO,
    Palette,
    Status,
    contrast_ratio,
    mix,
    readable_text_on,
    relative_luminance,
)


def test_black_on_white_is_21_to_1_and_a_colour_on_itself_is_1() -> None:
    assert contrast_ratio("000000", "FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("0072B2", "0072B2") == pytest.approx(1.0)


def test_mid_grey_777_just_misses_aa_on_white() -> None:
    # The WCAG reference value for #777777 on white is 4.48:1.
    assert contrast_ratio("777777", "FFFFFF") == pytest.approx(4.48, abs=0.01)


def test_luminance_of_pure_green_is_its_weight() -> None:
    assert relative_luminance("00FF00") == pytest.approx(0.7152)


def test_readable_text_picks_white_on_brand_and_dark_on_pale() -> None:
    assert readable_text_on("1F3A5F") == "FFFFFF"
    assert readable_text_on("F2F4F7") == "222222"


def test_mix_halfway_between_black_and_white_is_mid_grey() -> None:
    assert mix("000000", "FFFFFF", 0.5) == "808080"


def test_series_keep_their_colour_in_order_of_first_appearance() -> None:
    colours = Palette().series_colours(["Actual", "Target", "Actual", "Forecast"])
    assert colours == {"Actual": OKABE_ITO[0], "Target": OKABE_ITO[1], "Forecast": OKABE_ITO[2]}


def test_brand_table_overrides_colours_and_accents() -> None:
    palette = Palette.from_brand({"primary": "#112233", "accents": ["#aabbcc", "#DDEEFF"]})
    assert palette.brand == "112233"
    assert palette.data == ("AABBCC", "DDEEFF")
    assert palette.text == Palette().text


def test_a_malformed_brand_colour_names_itself() -> None:
    with pytest.raises(ValueError, match="#12345"):
        Palette.from_brand({"primary": "#12345"})


def test_every_status_has_a_word_not_only_a_colour() -> None:
    assert [s.label for s in Status] == ["Met", "At risk", "Missed"]
    assert len({s.colour for s in Status}) == 3
