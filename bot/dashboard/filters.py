"""The queue's filters as they stand in the URL (the API's names: `status`, `opd`, `category`,
`since`, `until`, `q`, `overdue`, plus `kelurahan`, `sort` and `cursor`), so a view can be
bookmarked and shared; and back into a query string for links."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.datastructures import QueryParams

from bot.dashboard.periods import parse_day, start_of
from core.reports.access import OPEN
from core.reports.model import Status
from storage.dashboard import Viewer
from storage.read.reports import ReportFilters, Sort

ALL = "semua"  # status=semua: every status
OFFICER_OPEN = (Status.DIDISPOSISIKAN, Status.DIPROSES, Status.SELESAI)  # as in `/tugas`


@dataclass(frozen=True, slots=True)
class QueueQuery:
    """What the URL asks for, as typed values (bad values are dropped, not refused)."""

    statuses: tuple[Status, ...] = ()  # empty: every status
    opd: str = ""
    category: str = ""
    kelurahan: str = ""
    since: str = ""  # YYYY-MM-DD, WIB, inclusive
    until: str = ""  # YYYY-MM-DD, WIB, inclusive
    q: str = ""
    overdue: str = ""  # "1", "0" or "" (either)
    sort: Sort = Sort.DEADLINE
    cursor: str = ""
    every_status: bool = field(default=False)

    @classmethod
    def parse(cls, params: QueryParams, viewer: Viewer) -> QueueQuery:
        wanted = params.getlist("status")
        every = ALL in wanted
        statuses = tuple(Status(s) for s in dict.fromkeys(wanted) if s in Status._value2member_map_)
        if not wanted:
            statuses = OPEN if viewer.officer_opd is None else OFFICER_OPEN
        sort = params.get("sort", "")
        return cls(
            statuses=() if every else statuses, opd=_word(params.get("opd")),
            category=_word(params.get("category")), kelurahan=_text(params.get("kelurahan")),
            since=_day(params.get("since")), until=_day(params.get("until")),
            q=_text(params.get("q")), overdue=params.get("overdue", "")[:1]
            if params.get("overdue") in ("1", "0") else "",
            sort=Sort(sort) if sort in Sort._value2member_map_ else Sort.DEADLINE,
            cursor=_word(params.get("cursor"), 200), every_status=every)

    def filters(self, tz: ZoneInfo) -> ReportFilters:
        since, until = parse_day(self.since), parse_day(self.until)
        return ReportFilters(
            statuses=self.statuses, opd=self.opd or None, category=self.category or None,
            kelurahan=self.kelurahan or None, q=self.q or None,
            since=start_of(since, tz) if since else None,
            until=start_of(until + timedelta(days=1), tz) if until else None,
            overdue={"1": True, "0": False}.get(self.overdue))

    def url(self, **changes: object) -> str:
        """The queue's URL for this query with `changes`; the cursor is dropped unless given."""
        changed = replace(self, **{"cursor": "", **changes})  # type: ignore[arg-type]
        pairs: list[tuple[str, str]] = []
        if changed.every_status:
            pairs.append(("status", ALL))
        else:
            pairs += [("status", s.value) for s in changed.statuses]
        for name in ("opd", "category", "kelurahan", "since", "until", "q", "overdue", "cursor"):
            value = getattr(changed, name)
            if value:
                pairs.append((name, str(value)))
        if changed.sort is not Sort.DEADLINE:
            pairs.append(("sort", changed.sort.value))
        return "/dashboard" + (f"?{urlencode(pairs)}" if pairs else "")

    def with_status(self, status: Status | None) -> str:
        """The same view narrowed to one status (None: every status)."""
        if status is None:
            return self.url(statuses=(), every_status=True)
        return self.url(statuses=(status,), every_status=False)


def _word(value: str | None, longest: int = 60) -> str:
    text = (value or "").strip()
    return text if len(text) <= longest and text.replace("-", "").replace("_", "").isalnum() else ""


def _text(value: str | None, longest: int = 200) -> str:
    return (value or "").strip()[:longest]


def _day(value: str | None) -> str:
    found = parse_day(value)
    return found.isoformat() if found else ""
