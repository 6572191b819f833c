"""W3C date/times in the city's zone for the many moments of one answer (a page holds up to
1000 requests, three moments each): the local hour and offset worked out once per UTC hour,
not by `astimezone` and field-by-field formatting per moment (bench/RESULTS.md, "Open311")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

HOUR = timedelta(hours=1)
_LAST_OF_HOUR = HOUR - timedelta(microseconds=1)
# "MM:SS" by minute * 60 + second: the same in every zone whose offset is whole hours.
_MINUTE_SECOND = [f"{m:02d}:{s:02d}" for m in range(60) for s in range(60)]
_UNSEEN = ("", "")


def w3c(moment: datetime, tz: tzinfo) -> str:
    """A W3C date/time in `tz`, with its offset (2026-03-02T10:00:00+07:00)."""
    return moment.astimezone(tz).isoformat(timespec="seconds")


class LocalTimes:
    """`w3c` for one answer's moments, remembering each UTC hour's local "YYYY-MM-DDTHH:" and
    offset. An hour in which the zone's offset changes, or is not whole hours, and a moment
    not in UTC, take the exact way each time."""

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self.hours: dict[tuple[int, int, int, int], tuple[str, str] | None] = {}

    def __call__(self, moment: datetime | None) -> str | None:
        if moment is None:
            return None
        if moment.tzinfo is not UTC:
            return w3c(moment, self.tz)
        key = (moment.year, moment.month, moment.day, moment.hour)
        hour = self.hours.get(key, _UNSEEN)
        if hour is _UNSEEN:
            hour = self.hours[key] = self._hour(moment)
        if hour is None:
            return w3c(moment, self.tz)
        return hour[0] + _MINUTE_SECOND[moment.minute * 60 + moment.second] + hour[1]

    def _hour(self, moment: datetime) -> tuple[str, str] | None:
        """The local text up to the minutes and the offset, if both hold for the whole hour."""
        utc = moment.replace(minute=0, second=0, microsecond=0)
        start = utc.astimezone(self.tz)
        offset = start.utcoffset()
        # Offsets change months apart: the same at both ends, the same all through the hour.
        end = (utc + _LAST_OF_HOUR).astimezone(self.tz).utcoffset()
        if offset is None or offset % HOUR or end != offset:
            return None
        text = start.isoformat(timespec="seconds")
        return text[:14], text[19:]
