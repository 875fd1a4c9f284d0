"""Locale formatting and fiscal calendars, checked against what each locale writes by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kamdocs.config import LocaleSettings, Settings
from kamdocs.errors import UsageError
from kamdocs.formatting import (
    MISSING,
    add_months,
    fiscal_quarter,
    format_date,
    format_money,
    format_percent,
    format_points,
    quarter_bounds,
    quarter_label,
)


def _settings(locale: str = "en_US", currency: str = "USD", start: int = 1) -> Settings:
    return Settings(locale=LocaleSettings(locale=locale, currency=currency,
                                          fiscal_year_start_month=start))


def test_money_uses_locale_separators_and_whole_units() -> None:
    assert format_money(Decimal("1234567.49"), _settings()) == "$1,234,567"
    assert format_money(Decimal("1234567.5"), _settings("de_DE", "EUR")) == "1.234.568\xa0€"


def test_money_with_cents_and_short_form() -> None:
    assert format_money(Decimal("1234.5"), _settings(), cents=True) == "$1,234.50"
    assert format_money(4_100_000, _settings(), short=True) == "$4.1M"
    assert format_money(350_000, _settings(), short=True) == "$350K"


def test_missing_values_print_an_em_dash_never_nan() -> None:
    settings = _settings()
    assert format_money(None, settings) == MISSING
    assert format_money(float("nan"), settings) == MISSING
    assert format_percent(None, settings) == MISSING
    assert format_date(None, settings) == MISSING


def test_percent_has_no_decimals_from_ten_percent_and_one_below() -> None:
    settings = _settings()
    assert format_percent(0.123, settings) == "12%"
    assert format_percent(0.05, settings) == "5.0%"
    assert format_percent(0.12, settings, signed=True) == "+12%"
    assert format_percent(-0.031, settings, signed=True) == "-3.1%"


def test_points_are_signed() -> None:
    assert format_points(2.54, _settings()) == "+2.5"
    assert format_points(-1.0, _settings()) == "-1.0"


def test_dates_follow_the_locale() -> None:
    assert format_date(date(2026, 11, 15), _settings("en_GB")) == "15 Nov 2026"
    assert format_date(date(2026, 11, 15), _settings()) == "Nov 15, 2026"


def test_calendar_fiscal_year_is_the_calendar_year() -> None:
    assert fiscal_quarter(date(2026, 8, 1), 1) == (2026, 3)
    assert quarter_bounds("2026-Q3", 1) == (date(2026, 7, 1), date(2026, 9, 30))


def test_fiscal_year_is_named_after_the_year_it_ends() -> None:
    # A February start: 1 Feb 2026 - 31 Jan 2027 is fiscal 2027.
    assert fiscal_quarter(date(2026, 2, 1), 2) == (2027, 1)
    assert fiscal_quarter(date(2027, 1, 31), 2) == (2027, 4)
    assert quarter_label(date(2026, 1, 15), 2) == "2026-Q4"
    assert quarter_bounds("2027-Q1", 2) == (date(2026, 2, 1), date(2026, 4, 30))
    assert quarter_bounds("FY2027Q4", 2) == (date(2026, 11, 1), date(2027, 1, 31))


def test_bad_quarter_label_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="2026-Q3"):
        quarter_bounds("Q3 of 2026", 1)


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 5, 31), -3) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 23), -12) == date(2025, 11, 23)
