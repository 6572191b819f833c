"""GET arguments: W3C date/times, comma lists and pages; a bad value is a spec error (400).

"Optional" in the spec: an argument sent empty is the same as one not sent."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from starlette.datastructures import QueryParams

from bot.open311.errors import bad_request
from core.reports.model import parse_tracking_number
from storage.read.open311 import MAX_PAGE, RequestQuery

DEFAULT_SPAN = timedelta(days=90)  # the spec's default range and its longest one
MAX_PAGE_NUMBER = 1_000_000
STATUSES = {"open": True, "closed": False}
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
# A "+07:00" sent unencoded in a query string arrives as " 07:00".
_PLUS_AS_SPACE = re.compile(r"(T[0-9:.]+) ([0-9]{2}(?::?[0-9]{2})?)$")
_WHOLE = re.compile(r"[0-9]{1,9}")


def single(params: QueryParams, name: str) -> str | None:
    """The argument's value (the same value twice is once), None when absent or blank."""
    values = {v.strip() for v in params.getlist(name)} - {""}
    if len(values) > 1:
        raise bad_request("o311.repeated", field=name)
    return values.pop() if values else None


def listed(params: QueryParams, name: str) -> list[str]:
    """A list "declared multiple times, comma delimited", in order, each value once."""
    found = [v.strip() for raw in params.getlist(name) for v in raw.split(",")]
    return list(dict.fromkeys(v for v in found if v))


def parse_moment(field: str, text: str, tz: ZoneInfo, end: bool = False) -> datetime:
    """A W3C date/time with its zone, as aware UTC. A bare date is the city's day: its first
    instant, or with `end` its last (an end date includes its whole day)."""
    raw = _PLUS_AS_SPACE.sub(r"\1+\2", text.strip())
    try:
        if _DATE_ONLY.fullmatch(raw):
            start = datetime.combine(date.fromisoformat(raw), time(0), tzinfo=tz)
            moment = start + timedelta(days=1, microseconds=-1) if end else start
        else:
            moment = datetime.fromisoformat(raw)
            if moment.tzinfo is None:
                raise bad_request("o311.date_needs_zone", field=field, value=text[:40])
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise bad_request("o311.bad_date", field=field, value=text[:40]) from None


def parse_day(field: str, text: str, tz: ZoneInfo) -> date:
    """A calendar date: YYYY-MM-DD, or a W3C date/time taken as the city's day it falls in."""
    raw = text.strip()
    if _DATE_ONLY.fullmatch(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise bad_request("o311.bad_date", field=field, value=text[:40]) from None
    return parse_moment(field, raw, tz).astimezone(tz).date()


def whole(params: QueryParams, name: str, low: int, high: int, default: int) -> int:
    raw = single(params, name)
    if raw is None:
        return default
    if not _WHOLE.fullmatch(raw) or not low <= int(raw) <= high:
        raise bad_request("o311.bad_integer", field=name, min=low, max=high, value=raw[:20])
    return int(raw)


def request_query(params: QueryParams, now: datetime, tz: ZoneInfo,
                  services: Collection[str]) -> RequestQuery:
    """GET requests' arguments as a query (a page of at most 1000, 90 days at most)."""
    size = whole(params, "page_size", 1, MAX_PAGE, MAX_PAGE)
    offset = (whole(params, "page", 1, MAX_PAGE_NUMBER, 1) - 1) * size
    if ids := listed(params, "service_request_id"):  # overrides every other argument
        if len(ids) > MAX_PAGE:
            raise bad_request("o311.too_many_ids", max=MAX_PAGE)
        year = now.astimezone(tz).year
        numbers = [parse_tracking_number(v, year) for v in ids]
        if None in numbers:
            raise bad_request("o311.bad_request_id", value=ids[numbers.index(None)][:40])
        return RequestQuery(numbers=tuple(n for n in numbers if n), offset=offset, limit=size)
    codes = listed(params, "service_code")
    if unknown := [c for c in codes if c not in services]:
        raise bad_request("o311.unknown_service", code=unknown[0][:60])
    wanted = listed(params, "status")
    if bad := [s for s in wanted if s not in STATUSES]:
        raise bad_request("o311.bad_choice", field="status", value=bad[0][:40],
                          choices="open, closed")
    is_open = STATUSES[wanted[0]] if len({STATUSES[s] for s in wanted}) == 1 else None
    start, end = _range(params, now, tz)
    return RequestQuery(categories=tuple(codes), is_open=is_open, start=start, end=end,
                        offset=offset, limit=size)


def _range(params: QueryParams, now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end], both inclusive: the 90 days up to now, or from/up to the one given."""
    raw_start, raw_end = single(params, "start_date"), single(params, "end_date")
    start = parse_moment("start_date", raw_start, tz) if raw_start else None
    end = parse_moment("end_date", raw_end, tz, end=True) if raw_end else None
    try:
        if start is None:
            end = end or now
            return end - DEFAULT_SPAN, end
        if end is None:
            return start, start + DEFAULT_SPAN
    except OverflowError:
        raise bad_request("o311.bad_date", field="start_date" if start else "end_date",
                          value=(raw_start or raw_end or "")[:40]) from None
    if start > end:
        raise bad_request("o311.dates_order")
    if end - start > DEFAULT_SPAN:
        raise bad_request("o311.dates_span", days=DEFAULT_SPAN.days)
    return start, end
