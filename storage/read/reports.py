"""The coordinator's and officers' report lists: filters, two sort orders with keyset
pagination, and counts by status for the same filters."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Connection, FromClause, Row, func, or_, select

from core.reports.model import Privacy, ReportType, Status
from core.sla.policy import Step
from storage.read import pages
from storage.read.cursor import decode_cursor, encode_cursor
from storage.read.pages import ADMIN_STEPS

__all__ = ["ADMIN_STEPS", "MAX_LIMIT", "CurrentDeadline", "ReportFilters", "ReportListItem",
           "ReportPage", "Sort", "count_by_status", "search_reports"]

MAX_LIMIT = 200

_reports, _current, _joined = pages.reports, pages.current, pages.joined


class Sort(StrEnum):
    NEWEST = "newest"  # created_at descending, then id descending
    DEADLINE = "deadline"  # current admin-step deadline ascending, none last, then id


@dataclass(frozen=True, slots=True)
class ReportFilters:
    """What the list shows; every filter given must hold. `since`/`until` bound `created_at`
    (aware datetimes, [since, until)); `q` is a case-insensitive substring of the tracking
    number, title or description; `overdue` True/False: the current admin-step deadline is
    past / is not past (or there is none)."""

    statuses: Sequence[Status] = ()  # empty: any status
    opd: str | None = None
    category: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    q: str | None = None
    overdue: bool | None = None
    kelurahan: str | None = None  # the dashboard's Patterns page links to one kelurahan


@dataclass(frozen=True, slots=True)
class CurrentDeadline:
    """The open deadline of the admin step (verifikasi, jawaban, selesai) a report is in."""

    step: Step
    due_at: datetime


@dataclass(frozen=True, slots=True)
class ReportListItem:
    id: int
    tracking_no: str
    type: ReportType
    category: str
    opd: str | None
    status: Status
    title: str
    privacy: Privacy
    kelurahan: str | None
    address: str | None
    latitude: float | None
    longitude: float | None
    created_at: datetime
    updated_at: datetime
    lapor_id: str | None
    duplicate_of: str | None  # tracking number of the report it was merged into
    deadline: CurrentDeadline | None
    overdue: bool  # the deadline is past at the `now` of the query


@dataclass(frozen=True, slots=True)
class ReportPage:
    items: tuple[ReportListItem, ...]
    next_cursor: str | None  # None on the last page


def search_reports(conn: Connection, filters: ReportFilters, now: datetime, *,
                   officer_opd: str | None = None, sort: Sort = Sort.NEWEST,
                   cursor: str | None = None, limit: int = 50) -> ReportPage:
    """One page of reports matching `filters`, in `sort` order, after `cursor`.

    With `officer_opd` only that OPD's reports, and never one still `baru` (not yet disposed
    to anyone). ValueError for a `limit` outside 1..200 or a naive datetime; `BadCursor` (a
    ValueError) for a cursor this function did not make for this sort order.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be within 1..{MAX_LIMIT}")
    _aware(now, "now")
    where = _conditions(filters, now, officer_opd, with_statuses=False)
    after = decode_cursor(cursor, sort.value) if cursor is not None else None
    read = pages.newest if sort is Sort.NEWEST else pages.by_deadline
    rows = read(conn, where, _statuses(filters, officer_opd), after, limit + 1, now)
    items = tuple(_item(r) for r in rows[:limit])
    if len(rows) <= limit:
        return ReportPage(items, None)
    last = items[-1]
    if sort is Sort.NEWEST:
        key: datetime | None = last.created_at
    else:
        key = last.deadline.due_at if last.deadline is not None else None
    return ReportPage(items, encode_cursor(sort.value, key, last.id))


def count_by_status(conn: Connection, filters: ReportFilters, now: datetime, *,
                    officer_opd: str | None = None) -> dict[Status, int]:
    """How many reports of each status match `filters` but its `statuses` (one GROUP BY);
    every status is a key, 0 when none match."""
    _aware(now, "now")
    source: FromClause = _joined if filters.overdue is not None else _reports
    counts: dict[str, int] = dict(conn.execute(
        select(_reports.c.status, func.count())
        .select_from(source)
        .where(*_conditions(filters, now, officer_opd, with_statuses=False))
        .group_by(_reports.c.status)
    ).all())
    return {status: int(counts.get(status.value, 0)) for status in Status}


def _conditions(filters: ReportFilters, now: datetime, officer_opd: str | None,
                with_statuses: bool) -> list[ColumnElement[bool]]:
    r = _reports.c
    where: list[ColumnElement[bool]] = []
    if officer_opd is not None:  # disposed to the officer's OPD: never `baru`
        where += [r.opd == officer_opd, r.status != Status.BARU.value]
    if with_statuses and filters.statuses:
        where.append(r.status.in_([Status(s).value for s in filters.statuses]))
    if filters.opd is not None:
        where.append(r.opd == filters.opd)
    if filters.category is not None:
        where.append(r.category == filters.category)
    if filters.kelurahan is not None:
        where.append(r.kelurahan == filters.kelurahan)
    if filters.since is not None:
        where.append(r.created_at >= _aware(filters.since, "since"))
    if filters.until is not None:
        where.append(r.created_at < _aware(filters.until, "until"))
    text = (filters.q or "").strip()
    number = _TRACKING_PREFIX.match(text)
    if number is not None:
        # A tracking number or its start (ADU-2026-0123): a range of the unique index, not
        # a scan of every description. Numbers have one fixed width, so the range is exact.
        year, digits = number.groups()
        where.append(r.tracking_no.between(f"ADU-{year}-{digits.ljust(6, '0')}",
                                           f"ADU-{year}-{digits.ljust(6, '9')}"))
    elif text:
        # A scan of whatever the other filters leave (no trigram index): fine at a city's
        # volume. autoescape makes the user's % and _ literal.
        where.append(or_(r.tracking_no.icontains(text, autoescape=True),
                         r.title.icontains(text, autoescape=True),
                         r.description.icontains(text, autoescape=True)))
    due = _current.c.due_at
    if filters.overdue is True:
        where.append(due < now)
    elif filters.overdue is False:
        where.append(or_(due.is_(None), due >= now))
    return where


_TRACKING_PREFIX = re.compile(r"^ADU-(\d{4})-(\d{0,6})$", re.IGNORECASE)


def _statuses(filters: ReportFilters, officer_opd: str | None) -> tuple[str, ...] | None:
    """The statuses a search may show (None: any): the filter's, and for an officer never
    `baru`."""
    chosen = tuple(dict.fromkeys(Status(s).value for s in filters.statuses)) or None
    if officer_opd is None:
        return chosen
    return tuple(s for s in chosen or (s.value for s in Status) if s != Status.BARU.value)


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None:
        raise ValueError(f"{name} must be an aware datetime")
    return value


def _item(r: Row[Any]) -> ReportListItem:
    deadline = (CurrentDeadline(Step(r.deadline_step), r.deadline_due)
                if r.deadline_step is not None else None)
    return ReportListItem(
        id=r.id, tracking_no=r.tracking_no, type=ReportType(r.type), category=r.category,
        opd=r.opd, status=Status(r.status), title=r.title, privacy=Privacy(r.privacy),
        kelurahan=r.kelurahan, address=r.address, latitude=r.latitude, longitude=r.longitude,
        created_at=r.created_at, updated_at=r.updated_at, lapor_id=r.lapor_id,
        duplicate_of=r.duplicate_of, deadline=deadline, overdue=bool(r.overdue),
    )
