"""Periods people choose in the city's time zone (WIB), as the aware instants SQL compares:
a day's start, the weeks (from Monday) and months that chart and pattern buckets follow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def parse_day(text: str | None) -> date | None:
    """A YYYY-MM-DD from a URL, or None when absent or not a date."""
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def start_of(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def today(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date()


@dataclass(frozen=True, slots=True)
class Period:
    """Whole local days `first`..`last`, both included."""

    first: date
    last: date

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes."""
        return start_of(self.first, tz), start_of(self.last + timedelta(days=1), tz)

    @classmethod
    def chosen(cls, first: str | None, last: str | None, now: datetime, tz: ZoneInfo,
               default_days: int) -> Period:
        """The days a page was asked for; the last `default_days` up to today otherwise.
        A reversed period is put the right way round; at most ten years."""
        end = parse_day(last) or today(now, tz)
        start = parse_day(first) or end - timedelta(days=default_days - 1)
        if start > end:
            start, end = end, start
        start = max(start, end - timedelta(days=3660))
        return cls(start, end)


def week_bounds(period: Period, tz: ZoneInfo, most: int = 60) -> list[datetime]:
    """Boundaries of the weeks (Monday to Sunday) that cover the period, clipped to it; the
    last `most` weeks at most."""
    start, end = period.bounds(tz)
    monday = period.first - timedelta(days=period.first.weekday())
    bounds = [start]
    day = monday + timedelta(days=7)
    while start_of(day, tz) < end:
        bounds.append(start_of(day, tz))
        day += timedelta(days=7)
    bounds.append(end)
    return bounds[-(most + 1):]


def month_bounds(last_day: date, months: int, tz: ZoneInfo) -> list[datetime]:
    """The starts of `months` whole months ending with `last_day`'s month, and the next
    month's start: months + 1 boundaries."""
    firsts = [last_day.replace(day=1)]
    for _ in range(months):
        previous = firsts[0] - timedelta(days=1)
        firsts.insert(0, previous.replace(day=1))
    following = (firsts[-1] + timedelta(days=32)).replace(day=1)
    return [start_of(day, tz) for day in firsts[1:]] + [start_of(following, tz)]
