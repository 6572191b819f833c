"""Periods chosen in WIB, as the instants the dashboard's SQL compares."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.dashboard.periods import Period, month_bounds, week_bounds

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # Sunday 22 November, 10:00 WIB


def test_a_period_defaults_to_the_last_days_up_to_today_and_takes_dates() -> None:
    assert Period.chosen(None, None, NOW, WIB, 28) == Period(date(2026, 10, 26), date(2026, 11, 22))
    assert Period.chosen("2026-11-01", "2026-11-07", NOW, WIB, 28) == Period(
        date(2026, 11, 1), date(2026, 11, 7))
    assert Period.chosen("2026-11-07", "2026-11-01", NOW, WIB, 28) == Period(
        date(2026, 11, 1), date(2026, 11, 7))  # reversed
    assert Period.chosen("kemarin", "x", NOW, WIB, 7).first == date(2026, 11, 16)
    start, end = Period(date(2026, 11, 1), date(2026, 11, 7)).bounds(WIB)
    assert start == datetime(2026, 10, 31, 17, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 7, 17, 0, tzinfo=UTC)


def test_weeks_start_on_monday_and_are_clipped_to_the_period() -> None:
    period = Period(date(2026, 11, 4), date(2026, 11, 22))  # Wednesday .. Sunday
    days = [b.astimezone(WIB).date() for b in week_bounds(period, WIB)]
    assert days == [date(2026, 11, 4), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
    assert len(week_bounds(Period(date(2020, 1, 1), date(2026, 1, 1)), WIB, most=10)) == 11


def test_months_end_with_the_given_days_month() -> None:
    days = [b.astimezone(WIB).date() for b in month_bounds(date(2026, 2, 15), 3, WIB)]
    assert days == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
