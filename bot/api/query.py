"""Query strings of `/api/v1` read into the read models' terms; any bad value is a 400 with a
one-line reason (never FastAPI's 422, never a 500).

Dates: `since`/`until`/`from`/`to` take an ISO date (`2026-11-23`, a whole day in the city's
time zone: an end date includes its day) or an ISO date-time (`2026-11-23T08:00+07:00`,
`…Z`; without an offset, the city's local time). A `+` that a client left unencoded arrives
as a space and is read as the `+` it was.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.api.caller import Reader
from bot.api.errors import ApiError
from core.city import CityContext
from core.reports.model import Status
from storage.read.cursor import BadCursor, decode_cursor
from storage.read.reports import MAX_LIMIT, ReportFilters, Sort

FILTERS = ("status", "opd", "category", "since", "until", "q", "overdue", "sort")
LIST_PARAMS = (*FILTERS, "cursor", "limit")
PERIOD_PARAMS = ("from", "to")
DEFAULT_LIMIT = 50
DEFAULT_PERIOD = timedelta(days=30)
Q_MAX = 200
_SPACED_OFFSET = re.compile(r"(\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d(?::?\d\d)?)$")


@dataclass(frozen=True, slots=True)
class ListQuery:
    filters: ReportFilters
    sort: Sort
    cursor: str | None
    limit: int


def list_query(params: Mapping[str, str], city: CityContext, caller: Reader,
               paged: bool = True) -> ListQuery:
    """The list's (or, not `paged`, an export's) filters, order and page."""
    lang = caller.language
    values = {name: value.strip() for name, value in params.items() if value.strip()}
    since = moment("since", values.get("since"), city.tz, lang)
    until = moment("until", values.get("until"), city.tz, lang, end=True)
    if since is not None and until is not None and since >= until:
        raise ApiError(400, "api.bad_range", lang, start="since", end="until")
    q = values.get("q")
    if q is not None and len(q) > Q_MAX:
        raise ApiError(400, "api.too_long", lang, name="q", max=Q_MAX)
    filters = ReportFilters(
        statuses=statuses(values.get("status"), lang), opd=opd(values.get("opd"), city, caller),
        category=category(values.get("category"), city, lang), since=since, until=until, q=q,
        overdue=boolean("overdue", values.get("overdue"), lang))
    sort_text = values.get("sort", Sort.NEWEST.value).lower()
    if sort_text not in {s.value for s in Sort}:
        raise ApiError(400, "api.bad_sort", lang, value=sort_text[:40])
    sort = Sort(sort_text)
    if not paged:
        return ListQuery(filters, sort, None, MAX_LIMIT)
    cursor = values.get("cursor")
    if cursor is not None:
        try:
            decode_cursor(cursor, sort.value)
        except BadCursor:
            raise ApiError(400, "api.bad_cursor", lang) from None
    return ListQuery(filters, sort, cursor, limit(values.get("limit"), lang))


def statuses(text: str | None, lang: str) -> tuple[Status, ...]:
    if text is None:
        return ()
    known = {s.value for s in Status}
    chosen: list[Status] = []
    for word in (w.strip().lower() for w in text.split(",")):
        if word not in known:
            raise ApiError(400, "api.bad_status", lang, value=word[:40] or "''",
                           known=", ".join(s.value for s in Status))
        if Status(word) not in chosen:
            chosen.append(Status(word))
    return tuple(chosen)


def opd(text: str | None, city: CityContext, caller: Reader) -> str | None:
    """A directory OPD's slug; an officer token may name only its own (403 otherwise)."""
    if text is None:
        return None
    slug = text.lower()
    if city.directory.opd(slug) is None:
        raise ApiError(400, "api.bad_opd", caller.language, value=text[:60])
    own = caller.officer_opd
    if own is not None and slug != own:
        raise ApiError(403, "api.opd_outside", caller.language, opd=own)
    return slug


def category(text: str | None, city: CityContext, lang: str) -> str | None:
    if text is None:
        return None
    code = text.lower()
    if city.directory.category(code) is None:
        raise ApiError(400, "api.bad_category", lang, value=text[:60])
    return code


def boolean(name: str, text: str | None, lang: str) -> bool | None:
    if text is None:
        return None
    if text.lower() not in ("true", "false"):
        raise ApiError(400, "api.bad_boolean", lang, name=name, value=text[:40])
    return text.lower() == "true"


def limit(text: str | None, lang: str) -> int:
    if text is None:
        return DEFAULT_LIMIT
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_LIMIT:
        raise ApiError(400, "api.bad_limit", lang, max=MAX_LIMIT, value=text[:40])
    return int(text)


def moment(name: str, text: str | None, tz: ZoneInfo, lang: str,
           end: bool = False) -> datetime | None:
    """An aware UTC datetime from an ISO date (its start, or with `end` the next day's start,
    in `tz`) or date-time (naive: in `tz`)."""
    if text is None:
        return None
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            at = datetime.combine(day, time(), tz) + (timedelta(days=1) if end else timedelta())
        else:
            at = datetime.fromisoformat(_SPACED_OFFSET.sub(r"\1+\2", text))
            if at.tzinfo is None:
                at = at.replace(tzinfo=tz)
        return at.astimezone(ZoneInfo("UTC"))
    except (ValueError, OverflowError):
        raise ApiError(400, "api.bad_date", lang, name=name, value=text[:60]) from None


def period(params: Mapping[str, str], now: datetime, tz: ZoneInfo,
           lang: str) -> tuple[datetime, datetime]:
    """[from, to) of the SLA statistics: by default the 30 days up to `now`."""
    values = {name: value.strip() for name, value in params.items() if value.strip()}
    end = moment("to", values.get("to"), tz, lang, end=True) or now
    start = moment("from", values.get("from"), tz, lang) or end - DEFAULT_PERIOD
    if start >= end:
        raise ApiError(400, "api.bad_range", lang, start="from", end="to")
    return start, end


def _param(name: str, description: str, example: str) -> dict[str, object]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "string"}, "example": example}


FILTER_DOCS = [
    _param("status", "Lifecycle words, comma-separated.", "baru,didisposisikan"),
    _param("opd", "An OPD slug (/api/v1/opds). An officer token may name only its own "
                  "(403 otherwise); it sees only its OPD's reports anyway.", "pupr"),
    _param("category", "A category code (/api/v1/categories).", "jalan_rusak"),
    _param("since", "Filed at or after: an ISO date (WIB day) or date-time.", "2026-11-16"),
    _param("until", "Filed before: an ISO date-time, or a date (that whole WIB day included).",
           "2026-11-22"),
    _param("q", f"Text in the tracking number, title or description (≤ {Q_MAX} characters).",
           "lampu"),
    _param("overdue", "true: the current deadline is past; false: it is not (or none).",
           "true"),
    _param("sort", "newest (filed, newest first; default) or deadline (soonest current "
                   "deadline first, none last).", "deadline"),
]
LIST_DOCS = [
    *FILTER_DOCS,
    _param("cursor", "`next_cursor` of the previous page (same filters and sort).", ""),
    _param("limit", f"Reports per page, 1–{MAX_LIMIT} (default {DEFAULT_LIMIT}).", "50"),
]
PERIOD_DOCS = [
    _param("from", "Start: an ISO date (WIB) or date-time; default 30 days before `to`.",
           "2026-10-23"),
    _param("to", "End: an ISO date-time, or a date (that whole WIB day included); default "
                 "now.", "2026-11-22"),
]
