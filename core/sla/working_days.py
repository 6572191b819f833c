"""Working-day arithmetic: weekends, Indonesian public holidays and collective leave are skipped."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo


@lru_cache(maxsize=16)
def public_holidays(year: int) -> frozenset[date]:
    """Indonesia's national public holidays of one year (the `holidays` package)."""
    import holidays  # ~45 ms to import: on the first date arithmetic, not at start-up

    return frozenset(holidays.country_holidays("ID", years=year))


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """The city's working days, in its local time zone."""

    tz: ZoneInfo
    collective_leave: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def of(cls, tz: ZoneInfo, collective_leave: Iterable[date] = ()) -> WorkCalendar:
        return cls(tz, frozenset(collective_leave))

    def is_working_day(self, day: date) -> bool:
        return (day.weekday() < 5 and day not in public_holidays(day.year)
                and day not in self.collective_leave)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The end of the `days`-th working day after the local day of `start`, as aware UTC."""
        day = start.astimezone(self.tz).date()
        remaining = days
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        end = datetime.combine(day, time(23, 59, 59), tzinfo=self.tz)
        return end.astimezone(ZoneInfo("UTC"))

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Whole working days after the local day of `start` up to and including `end`'s."""
        first, last = start.astimezone(self.tz).date(), end.astimezone(self.tz).date()
        count, day = 0, first
        while day < last:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count
