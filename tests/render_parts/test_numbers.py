"""Numbers as the locale writes them, and chart format codes with one unit per chart."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kamdocs.render.numbers import EM_DASH, NumberStyle

US = NumberStyle("en_US", "USD")


def test_missing_values_are_an_em_dash_never_zero_or_none() -> None:
    assert {US.number(None), US.money(None), US.percent(None), US.date(None)} == {EM_DASH}


def test_money_in_full_for_word_and_abbreviated_for_slides() -> None:
    assert US.money(Decimal("1234567.89")) == "$1,234,568"
    assert US.money(1_234_567, short=True) == "$1.2M"
    assert US.money(350_000, short=True) == "$350K"


def test_currency_follows_the_locale() -> None:
    assert NumberStyle("de_DE", "EUR").money(1234567) == "1.234.567\xa0€"


def test_percentages_have_a_decimal_only_under_ten_percent() -> None:
    assert US.percent(0.123) == "12%"
    assert US.percent(0.045) == "4.5%"
    assert US.percent(0) == "0%"


def test_deltas_are_signed() -> None:
    assert US.delta_percent(0.12) == "+12%"
    assert US.delta_percent(-0.03) == "-3%"
    assert US.delta_points(4) == "+4 pts"


def test_dates_use_the_locale_medium_format() -> None:
    assert NumberStyle("en_GB", "GBP").date(date(2026, 11, 15)) == "15 Nov 2026"


def test_chart_format_uses_one_unit_from_the_largest_value() -> None:
    assert US.chart_format([2_400_000, 90_000], "money") == '"$"#,##0.0,,"M"'
    assert US.chart_format([350_000, None], "money") == '"$"#,##0,"K"'
    assert US.chart_format([950], "number") == "#,##0"
    assert US.chart_format([0.5], "percent") == "0%"


def test_exact_chart_format_keeps_waterfall_labels_adding_up() -> None:
    # 150K is 0.15M: one decimal of millions would round it, so thousands are used.
    assert US.chart_format([1_000_000, 400_000, -150_000, 1_250_000], "money", exact=True) == (
        '"$"#,##0,"K"'
    )
    assert US.chart_format([1_000_000, 400_000, 1_400_000], "money", exact=True) == (
        '"$"#,##0.0,,"M"'
    )


def test_locales_without_a_thousands_word_keep_full_thousands() -> None:
    # German has "Mio." but writes thousands in full; the symbol follows the number.
    assert NumberStyle("de_DE", "EUR").chart_format([350_000], "money") == '#,##0"\xa0€"'
