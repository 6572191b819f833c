"""Reports as Open311 GeoReport v2 service requests: one SQL query per page, shaped for the
spec's fields, filtered by who may see what. No reporter identity is ever selected."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    case,
    exists,
    func,
    or_,
    select,
    true,
)

from core.messages import Channel
from core.reports.model import Privacy, Status
from core.sla.policy import Step
from storage.columns import table_of, to_utc
from storage.read.detail import AttachmentDetail
from storage.tables import (
    AttachmentRow,
    DirectoryVersionRow,
    ReportDeadlineRow,
    ReportEventRow,
    ReportRow,
)

MAX_PAGE = 1000  # the spec's "first 1000 requests"
OPEN = tuple(s.value for s in Status if s.is_open)
ADMIN_STEPS = tuple(s.value for s in Step if s.nudges_admins)
# Staff texts written for the citizen: the answers and the reason of a rejection. A hand-back
# reason is internal; the citizen's own words (dispute, comment) are theirs, not a status note.
NOTE_KINDS = ("answer", "resolved", "rejected")

# Enum members by value: a dictionary lookup, not an Enum call, per row.
_STATUS = {s.value: s for s in Status}
_PRIVACY = {p.value: p for p in Privacy}
_STEP = {s.value: s for s in Step}

_reports = table_of(ReportRow)
_merged_into = _reports.alias("merged_into")
_events = table_of(ReportEventRow)
_attachments = table_of(AttachmentRow)
_current = table_of(ReportDeadlineRow).alias("current_deadline")


@dataclass(frozen=True, slots=True)
class Visibility:
    """What a caller may see: `publik` reports always; with a coordinator's key every report;
    with an officer's key also its OPD's, once disposed (never one still `baru`)."""

    everything: bool = False
    officer_opd: str | None = None


@dataclass(frozen=True, slots=True)
class RequestQuery:
    """The GET filters. `numbers` overrides the others (the spec's rule); `start` and `end`
    bound `created_at`, both inclusive; `is_open` None: any status."""

    numbers: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    is_open: bool | None = None
    start: datetime | None = None
    end: datetime | None = None
    offset: int = 0
    limit: int = MAX_PAGE


@dataclass(frozen=True, slots=True)
class ServiceRequest:
    tracking_no: str
    category: str
    opd: str | None
    status: Status
    description: str
    privacy: Privacy
    latitude: float | None
    longitude: float | None
    address: str | None
    kelurahan: str | None
    created_at: datetime
    updated_at: datetime  # the last change; for a closed report, when it was closed
    duplicate_of: str | None  # the report it was merged into
    deadline_step: Step | None  # the admin step it waits on, with its due time
    deadline_due: datetime | None
    note: str | None  # the latest answer or rejection reason sent to the citizen
    has_photo: bool  # True only for a `publik` report with a photo


def service_requests(conn: Connection, query: RequestQuery,
                     visibility: Visibility) -> list[ServiceRequest]:
    """One page of the reports `visibility` allows that match `query`, newest first."""
    if not 1 <= query.limit <= MAX_PAGE or query.offset < 0:
        raise ValueError(f"limit must be within 1..{MAX_PAGE} and offset not negative")
    r = _reports.c
    # The page's ids first (an index range scan, which also skips an offset cheaply), then
    # their fields, note, deadline and photo for those rows only.
    page = select(r.id).where(_visible(visibility, by_number=bool(query.numbers)),
                              *_filters(query))
    outer: tuple[int, int | None]
    if query.numbers:  # a few numbers: the unique index finds them, the outer query orders
        page_ids, outer = page.subquery("page"), (query.offset, query.limit)
    else:  # in a range of (privacy, created_at, id) or (created_at, id), already in order
        page_ids, outer = (page.order_by(r.created_at.desc(), r.id.desc())
                           .offset(query.offset).limit(query.limit).subquery("page")), (0, None)
    note = (select(_events.c.note)
            .where(_events.c.report_id == r.id, _events.c.kind.in_(NOTE_KINDS))
            .order_by(_events.c.at.desc(), _events.c.id.desc()).limit(1).scalar_subquery())
    photo = and_(r.privacy == Privacy.PUBLIK.value,
                 exists().where(_attachments.c.report_id == r.id))
    statement: Select[Any] = (
        select(r.tracking_no, r.category, r.opd, r.status, r.description, r.privacy,
               r.latitude, r.longitude, r.address, r.kelurahan, r.created_at,
               case((r.status.in_(OPEN), r.updated_at), else_=r.status_changed_at)
               .label("updated_at"), _merged_into.c.tracking_no.label("duplicate_of"),
               _current.c.step.label("deadline_step"), _current.c.due_at.label("deadline_due"),
               note.label("note"), photo.label("has_photo"))
        .select_from(page_ids.join(_reports, r.id == page_ids.c.id).outerjoin(_current, and_(
            _current.c.report_id == r.id, _current.c.closed_at.is_(None),
            _current.c.step.in_(ADMIN_STEPS)))
            .outerjoin(_merged_into, _merged_into.c.id == r.duplicate_of_id))
        .order_by(r.created_at.desc(), r.id.desc()).offset(outer[0]).limit(outer[1])
    )
    return [_request(*row) for row in _raw_rows(conn, statement)]


def _visible(visibility: Visibility, by_number: bool = False) -> ColumnElement[bool]:
    r = _reports.c
    if visibility.everything:
        return true()
    # Looking numbers up, the privacy is checked on the rows the unique index finds: said as
    # an expression, so SQLite does not read every public report's entry instead.
    privacy = func.lower(r.privacy) if by_number else r.privacy
    public = privacy == Privacy.PUBLIK.value
    if visibility.officer_opd is None:
        return public
    return or_(public, and_(r.opd == visibility.officer_opd, r.status != Status.BARU.value))


def _filters(query: RequestQuery) -> list[ColumnElement[bool]]:
    r = _reports.c
    if query.numbers:
        return [r.tracking_no.in_(query.numbers)]
    where: list[ColumnElement[bool]] = []
    if query.categories:
        where.append(r.category.in_(query.categories))
    if query.is_open is True:
        where.append(r.status.in_(OPEN))
    elif query.is_open is False:
        where.append(r.status.not_in(OPEN))
    if query.start is not None:
        where.append(r.created_at >= query.start)
    if query.end is not None:
        where.append(r.created_at <= query.end)
    return where


def _raw_rows(conn: Connection, statement: Select[Any]) -> list[Any]:
    """The rows as the driver gives them (SQLAlchemy binds the parameters; its result
    processing is skipped): a page is up to 1000 rows, and Row objects plus SQLite's
    regular-expression datetime parsing cost about as much as the query (bench/RESULTS.md,
    "Open311"). `_request` makes the times aware itself."""
    result = conn.execute(statement)
    try:
        rows: list[Any] = list(result.cursor.fetchall())
    finally:
        result.close()
    return rows


def _utc(value: Any) -> datetime | None:
    """A driver's time as aware UTC: SQLite's text (UTC wall time, `storage.columns`), or
    PostgreSQL's timestamptz."""
    if value is None:
        return None
    if isinstance(value, str):  # the offset parsed with it: a `.replace` costs 5 parses
        return datetime.fromisoformat(value + "+00:00")
    return to_utc(value)


def _request(*values: Any) -> ServiceRequest:
    # By position: a page is up to 1000 rows and a Row's attributes cost ~1 µs each by name.
    (number, category, opd, status, description, privacy, latitude, longitude, address,
     kelurahan, created_at, updated_at, duplicate_of, step, due, note,
     has_photo) = values
    created = _utc(created_at)
    updated = _utc(updated_at)
    assert created is not None and updated is not None
    return ServiceRequest(
        number, category, opd, _STATUS[status], description, _PRIVACY[privacy], latitude,
        longitude, address, kelurahan, created, updated, duplicate_of,
        _STEP[step] if step else None, _utc(due), note, bool(has_photo))


def public_photo(conn: Connection, tracking_no: str, number: int) -> AttachmentDetail | None:
    """The `number`th photo (from 1, in the order sent) of a `publik` report; None for any
    other report, so a photo of a confidential one is never served."""
    if number < 1:
        return None
    row = conn.execute(
        select(_attachments.c.storage_key, _attachments.c.content_type, _attachments.c.size,
               _attachments.c.filename)
        .join(_reports, _reports.c.id == _attachments.c.report_id)
        .where(_reports.c.tracking_no == tracking_no,
               _reports.c.privacy == Privacy.PUBLIK.value)
        .order_by(_attachments.c.id).offset(number - 1).limit(1)).first()
    return None if row is None else AttachmentDetail(row.storage_key, row.content_type,
                                                      row.size, row.filename)


def filed_through_open311(conn: Connection, tracking_no: str, chat_prefix: str) -> bool:
    """Whether this report was filed by an Open311 POST (its token is its number)."""
    found = conn.execute(select(_reports.c.id).where(
        _reports.c.tracking_no == tracking_no, _reports.c.channel == Channel.API.value,
        _reports.c.chat_id.startswith(chat_prefix + ":", autoescape=True))).first()
    return found is not None



def directory_changed_at(conn: Connection) -> datetime | None:
    """When the directory (the services and their definitions) was last imported."""
    versions = table_of(DirectoryVersionRow)
    changed: datetime | None = conn.execute(select(func.max(versions.c.imported_at))).scalar()
    return changed
