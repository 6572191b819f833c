"""Reports: creation with a tracking number, and the citizen's own view of them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from core.matching.duplicates import BoundingBox, Candidate
from core.reports.model import NewReport, Privacy, ReportSummary, Status, tracking_number
from storage.columns import dialect_of, insert_for_dialect, one_of_literals, table_of
from storage.prepared import Prepared
from storage.tables import (
    AttachmentRow,
    ReportEventRow,
    ReportFollowerRow,
    ReportRow,
    TrackingCounterRow,
)

# Tracking numbers restart each calendar year as the people of the city count it.
TRACKING_TZ = ZoneInfo("Asia/Jakarta")
_reports = table_of(ReportRow)
# Built once (several turns of every report ask it): values bound at execution.
_CREATED_SINCE = Prepared(select(func.count()).select_from(_reports)
                  .where(_reports.c.citizen_id == bindparam("p_citizen"),
                         _reports.c.created_at >= bindparam("p_since",
                                                            type_=_reports.c.created_at.type)))
_counters = table_of(TrackingCounterRow)
_COUNTER_NEXT = Prepared(update(_counters).where(_counters.c.year == bindparam("p_year"))
                         .values(last_value=_counters.c.last_value + 1)
                         .returning(_counters.c.last_value))
_OPEN = one_of_literals(_reports.c.status, [s.value for s in Status if s.is_open])


def _insert(model: type[SQLModel], names: Sequence[str], returning_id: bool = False) -> Prepared:
    """An INSERT of these columns, values bound as `p_<name>` (the ORM's unit of work took
    two flushes of 0.4 ms a report: issue 19). The tables have no column defaults to miss."""
    table = table_of(model)
    statement = insert(table).values(
        {name: bindparam(f"p_{name}", type_=table.c[name].type) for name in names})
    return Prepared(statement.returning(table.c.id) if returning_id else statement)


_INSERT_REPORT = _insert(ReportRow, (
    "tracking_no", "citizen_id", "channel", "chat_id", "type", "category", "opd", "status",
    "title", "description", "event_date", "latitude", "longitude", "address", "kelurahan",
    "privacy", "created_at", "updated_at", "status_changed_at", "out_of_authority",
    "category_reason"), returning_id=True)
_INSERT_ATTACHMENT = _insert(AttachmentRow, (
    "report_id", "storage_key", "content_type", "size", "filename", "created_at"))
_INSERT_EVENT = _insert(ReportEventRow, (
    "report_id", "at", "kind", "status_to", "actor_kind", "actor_id"))


@cache
def _counter_start(dialect: str) -> Prepared:
    return Prepared(insert_for_dialect(dialect, _counters)
                    .values(year=bindparam("p_year"), last_value=0)
                    .on_conflict_do_nothing(index_elements=["year"]))


@cache
def _candidates(own: bool, by_box: bool) -> Prepared:
    """Duplicate candidates: of one citizen's view (`own`: public reports and their own)
    or of all; near a point (`by_box`) or in a kelurahan."""
    c = _reports.c
    query = (select(c.tracking_no, c.citizen_id, c.status, c.privacy, c.title, c.description,
                    c.latitude, c.longitude, c.kelurahan, c.created_at, c.opd)
             .where(c.category == bindparam("p_category"),
                    c.created_at >= bindparam("p_since", type_=c.created_at.type),
                    _OPEN, c.duplicate_of_id.is_(None)))
    if own:
        query = query.where(or_(c.privacy == Privacy.PUBLIK.value,
                                c.citizen_id == bindparam("p_citizen")))
    if by_box:
        query = query.where(c.latitude.between(bindparam("p_south"), bindparam("p_north")),
                            c.longitude.between(bindparam("p_west"), bindparam("p_east")))
    else:
        query = query.where(c.kelurahan == bindparam("p_kelurahan"))
    return Prepared(query.order_by(c.created_at.desc()).limit(bindparam("p_limit")))


class SqlReportRepository:
    """Stores reports with their attachments and timeline."""

    def __init__(self, session: Session, tz: ZoneInfo = TRACKING_TZ) -> None:
        self._session = session
        self._tz = tz

    def add(self, report: NewReport) -> str:
        """Store the report, its attachments and its first timeline event; return its number."""
        return self.add_with_id(report)[1]

    def add_with_id(self, report: NewReport) -> tuple[int, str]:
        """As `add`, returning (row id, tracking number)."""
        year = report.created_at.astimezone(self._tz).year
        tracking_no = tracking_number(year, self._next_sequence(year))
        location = report.location
        session, at = self._session, report.created_at
        if session.new or session.dirty or session.deleted:
            session.flush()  # rows added through the ORM first (the citizen's, say): as before
        report_id = int(_INSERT_REPORT.run(session, {
            "p_tracking_no": tracking_no, "p_citizen_id": report.citizen_id,
            "p_channel": report.channel.value, "p_chat_id": report.chat_id,
            "p_type": report.type.value, "p_category": report.category, "p_opd": report.opd,
            "p_status": report.status.value, "p_title": report.title,
            "p_description": report.description, "p_event_date": report.event_date,
            "p_latitude": location.latitude if location else None,
            "p_longitude": location.longitude if location else None,
            # A typed address wins; a shared pin may carry the platform's venue address.
            "p_address": report.address or (location.address if location else None),
            "p_kelurahan": report.kelurahan, "p_privacy": report.privacy.value,
            "p_created_at": at, "p_updated_at": at, "p_status_changed_at": at,
            "p_out_of_authority": report.out_of_authority,
            "p_category_reason": (report.category_reason.to_json()
                                  if report.category_reason else None),
        }).scalar_one())
        for m in report.photos:
            _INSERT_ATTACHMENT.run(session, {
                "p_report_id": report_id, "p_storage_key": m.storage_key,
                "p_content_type": m.content_type, "p_size": m.size, "p_filename": m.filename,
                "p_created_at": at})
        by = report.submitted_by
        _INSERT_EVENT.run(session, {
            "p_report_id": report_id, "p_at": at, "p_kind": "created",
            "p_status_to": report.status.value,
            "p_actor_kind": by.kind.value if by else "citizen",
            "p_actor_id": by.id if by else report.citizen_id})
        return report_id, tracking_no

    def count_created_since(self, citizen_id: int, since: datetime) -> int:
        return int(_CREATED_SINCE.run(
            self._session, {"p_citizen": citizen_id, "p_since": since}).scalar_one())

    def list_for_citizen(self, citizen_id: int, limit: int) -> Sequence[ReportSummary]:
        """The citizen's own reports and those they follow, newest first."""
        rows = self._session.scalars(
            select(ReportRow)
            .where(_mine_or_followed(citizen_id))
            .order_by(col(ReportRow.created_at).desc(), col(ReportRow.id).desc())
            .limit(limit)
        )
        return [_summary(r) for r in rows]

    def get_for_citizen(self, citizen_id: int, tracking_no: str) -> ReportSummary | None:
        row = self._session.scalars(
            select(ReportRow)
            .where(_mine_or_followed(citizen_id))
            .where(col(ReportRow.tracking_no) == tracking_no)
        ).one_or_none()
        return _summary(row) if row else None

    def duplicate_candidates(self, category: str, since: datetime, citizen_id: int | None,
                             box: BoundingBox | None, kelurahan: str | None,
                             limit: int) -> Sequence[Candidate]:
        """Narrowed by the (category, created_at) index, then the box or the kelurahan."""
        if box is None and kelurahan is None:
            return []
        # Other citizens see public reports only, and their own.
        values: dict[str, object] = {"p_category": category, "p_since": since, "p_limit": limit}
        if citizen_id is not None:
            values["p_citizen"] = citizen_id
        if box is not None:
            values.update(p_south=box.south, p_north=box.north, p_west=box.west,
                          p_east=box.east)
        else:
            values["p_kelurahan"] = kelurahan
        rows = _candidates(citizen_id is not None, box is not None).run(self._session, values)
        return [
            Candidate(r.tracking_no, r.citizen_id, Status(r.status), Privacy(r.privacy), r.title,
                      r.description, r.latitude, r.longitude, r.kelurahan, r.created_at, r.opd)
            for r in rows
        ]

    def _next_sequence(self, year: int) -> int:
        # The row lock taken by the UPDATE serialises concurrent reports until commit, so
        # numbers are unique and, since a rollback gives the number back, without gaps.
        # The year's row exists but for the first report of a year: try the UPDATE first.
        value = _COUNTER_NEXT.run(self._session, {"p_year": year}).scalar_one_or_none()
        if value is None:
            _counter_start(dialect_of(self._session)).run(self._session, {"p_year": year})
            value = _COUNTER_NEXT.run(self._session, {"p_year": year}).scalar_one()
        return int(value)


def _mine_or_followed(citizen_id: int) -> ColumnElement[bool]:
    followed = select(col(ReportFollowerRow.report_id)).where(
        col(ReportFollowerRow.citizen_id) == citizen_id
    )
    return or_(col(ReportRow.citizen_id) == citizen_id, col(ReportRow.id).in_(followed))


def _summary(row: ReportRow) -> ReportSummary:
    return ReportSummary(
        tracking_no=row.tracking_no, title=row.title, category=row.category,
        status=Status(row.status), created_at=row.created_at, updated_at=row.updated_at,
        opd=row.opd,
    )
