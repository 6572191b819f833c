"""Reports as OPD admins read and change them: views, queue, timeline, followers."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Row,
    Select,
    and_,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlmodel import col

from core.matching.explain import CategoryReason
from core.messages import Channel, Location, Media
from core.reports.model import Privacy, ReportType, Status
from core.reports.views import (
    Deadline,
    Follower,
    ReportChange,
    Reporter,
    ReportEvent,
    ReportView,
    TimelineEntry,
)
from core.sla.policy import Step
from storage.columns import insert_for, table_of
from storage.tables import (
    AdminRow,
    ApiTokenRow,
    AttachmentRow,
    ChannelIdentityRow,
    CitizenRow,
    OutboxRow,
    ReportDeadlineRow,
    ReportEventRow,
    ReportFollowerRow,
    ReportRow,
)

_reports = table_of(ReportRow)
_merged_into = _reports.alias("merged_into")
_identities = table_of(ChannelIdentityRow)
_citizens = table_of(CitizenRow)
_attachments = table_of(AttachmentRow)
_events = table_of(ReportEventRow)
_admins = table_of(AdminRow)
_tokens = table_of(ApiTokenRow)
_followers = table_of(ReportFollowerRow)
_deadlines = table_of(ReportDeadlineRow)
DELIVERED = ("sent", "delivered", "read")
_outbox = table_of(OutboxRow)
OPEN_STATUSES = tuple(s.value for s in Status if s.is_open)


class SqlReportWorkRepository:
    """Reads whole report views in bulk (one query per page plus one for photos)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, tracking_no: str, for_update: bool = False) -> ReportView | None:
        return self._one(_reports.c.tracking_no == tracking_no, for_update)

    def get_by_id(self, report_id: int, for_update: bool = False) -> ReportView | None:
        return self._one(_reports.c.id == report_id, for_update)

    def _one(self, where: ColumnElement[bool], for_update: bool) -> ReportView | None:
        query = _views().where(where)
        if for_update:
            # Only the report row: PostgreSQL refuses to lock the nullable side of a join.
            query = query.with_for_update(of=_reports)
        views = self._build(self._session.execute(query).all())
        return views[0] if views else None

    def update(self, report_id: int, change: ReportChange, now: datetime) -> None:
        """Apply `change`; a new status also moves `status_changed_at` to `now`."""
        if change.clear_opd and change.opd is not None:
            raise ValueError("a change cannot both set and clear the OPD")
        values: dict[str, Any] = {"updated_at": now}
        if change.status is not None:
            values.update(status=change.status.value, status_changed_at=now)
        if change.clear_opd:
            values["opd"] = None
        optional = {"opd": change.opd, "lapor_id": change.lapor_id,
                    "duplicate_of_id": change.duplicate_of_id, "rating": change.rating,
                    "category": change.category,
                    "category_verified_at": now if change.category_verified else None}
        values.update({name: value for name, value in optional.items() if value is not None})
        # The ORM form keeps any ReportRow already loaded in this session (e.g. by
        # SqlReportRepository) in step with the row.
        self._session.execute(
            update(ReportRow).where(col(ReportRow.id) == report_id).values(**values)
        )

    def add_event(self, report_id: int, event: ReportEvent) -> None:
        self._session.execute(insert(_events).values(
            report_id=report_id, at=event.at, actor_kind=event.actor_kind,
            actor_id=event.actor_id, kind=event.kind,
            status_from=event.status_from.value if event.status_from else None,
            status_to=event.status_to.value if event.status_to else None, note=event.note,
        ))

    def timeline(self, report_id: int, limit: int) -> Sequence[TimelineEntry]:
        """The latest `limit` entries, oldest first, without `viewed` audit entries."""
        # Only admins and API tokens are named: a citizen's actor_id never becomes a name.
        rows = self._session.execute(
            select(_events, func.coalesce(_admins.c.name, _tokens.c.name).label("actor_name"))
            .outerjoin(_admins, and_(_events.c.actor_kind == "admin",
                                     _admins.c.id == _events.c.actor_id))
            .outerjoin(_tokens, and_(_events.c.actor_kind == "token",
                                     _tokens.c.id == _events.c.actor_id))
            .where(_events.c.report_id == report_id, _events.c.kind != "viewed")
            .order_by(_events.c.at.desc(), _events.c.id.desc())
            .limit(limit)
        ).all()
        return [
            TimelineEntry(
                at=r.at, actor_kind=r.actor_kind, actor_name=r.actor_name, kind=r.kind,
                status_from=Status(r.status_from) if r.status_from else None,
                status_to=Status(r.status_to) if r.status_to else None, note=r.note,
            )
            for r in reversed(rows)
        ]

    def queue(self, opd: str | None, statuses: Sequence[Status],
              limit: int) -> tuple[Sequence[ReportView], int]:
        """Reports in `statuses` (of `opd`, or all when None), the earliest stored deadline
        first (those without one last), then the longest waiting; and how many there are."""
        where: list[ColumnElement[bool]] = [_reports.c.status.in_([s.value for s in statuses])]
        if opd is not None:
            where.append(_reports.c.opd == opd)
        total = self._session.execute(
            select(func.count()).select_from(_reports).where(*where)
        ).scalar_one()
        rows = self._session.execute(
            _views().where(*where)
            .order_by(_deadlines.c.due_at.nulls_last(), _reports.c.status_changed_at,
                      _reports.c.id)
            .limit(limit)
        ).all()
        return self._build(rows), int(total)

    def follow(self, report_id: int, follower: Follower, now: datetime) -> bool:
        """False when the citizen already follows it."""
        inserted = self._session.execute(
            insert_for(self._session, ReportFollowerRow)
            .values(report_id=report_id, citizen_id=follower.citizen_id,
                    channel=follower.channel.value, chat_id=follower.chat_id, created_at=now)
            .on_conflict_do_nothing(index_elements=["report_id", "citizen_id"])
            .returning(_followers.c.id)
        ).scalar_one_or_none()
        return inserted is not None

    def unfollow(self, report_id: int, citizen_id: int) -> bool:
        result = self._session.execute(
            delete(_followers)
            .where(_followers.c.report_id == report_id, _followers.c.citizen_id == citizen_id)
        )
        assert isinstance(result, CursorResult)
        return result.rowcount > 0

    def followers(self, report_id: int) -> Sequence[Follower]:
        rows = self._session.execute(
            select(_followers.c.citizen_id, _followers.c.channel, _followers.c.chat_id,
                   _citizens.c.language)
            .join(_citizens, _citizens.c.id == _followers.c.citizen_id)
            .where(_followers.c.report_id == report_id)
            .order_by(_followers.c.id)
        ).all()
        return [Follower(r.citizen_id, Channel(r.channel), r.chat_id, r.language) for r in rows]

    def report_for_message(self, channel: Channel, chat_id: str,
                           platform_message_id: str) -> str | None:
        """The report an admin notification we delivered to this chat was about, if any."""
        # The chat is part of the key: platform ids are only unique within one chat. A held
        # row carries the id of the WhatsApp template sent in its place, and a reply to that
        # template asks to read the held text: it is not an answer to the citizen.
        payload = self._session.execute(
            select(_outbox.c.payload)
            .where(_outbox.c.channel == channel.value, _outbox.c.chat_id == chat_id,
                   _outbox.c.platform_message_id == platform_message_id,
                   _outbox.c.status.in_(DELIVERED))
            .order_by(_outbox.c.id.desc())
            .limit(1)
        ).scalar_one_or_none()
        if payload is None:
            return None
        context = json.loads(payload).get("context") or {}
        ref = context.get("report")
        return ref if isinstance(ref, str) and context.get("audience") == "admin" else None

    def _build(self, rows: Sequence[Row[Any]]) -> list[ReportView]:
        """Views for a page of rows, their photos fetched in one query."""
        photos: defaultdict[int, list[Media]] = defaultdict(list)
        if rows:
            for a in self._session.execute(
                select(_attachments)
                .where(_attachments.c.report_id.in_([r.id for r in rows]))
                .order_by(_attachments.c.report_id, _attachments.c.id)
            ):
                photos[a.report_id].append(
                    Media(a.storage_key, a.content_type, a.size, a.filename))
        return [_view(r, tuple(photos[r.id])) for r in rows]


def _views() -> Select[Any]:
    """Reports with their reporter's identity, the number of the report merged into, and the
    deadline of the step they are in (the one active row that is not the Ombudsman's)."""
    return (
        select(
            _reports,
            _merged_into.c.tracking_no.label("merged_into_no"),
            _identities.c.user_id.label("reporter_user_id"),
            # The chat's current name, else the one the citizen first gave.
            func.coalesce(_identities.c.display_name, _citizens.c.display_name)
            .label("reporter_name"),
            _citizens.c.language.label("reporter_language"),
            _citizens.c.erasure.label("reporter_erased"),
            _deadlines.c.step.label("deadline_step"),
            _deadlines.c.due_at.label("deadline_due"),
        )
        .join(_citizens, _citizens.c.id == _reports.c.citizen_id)
        .outerjoin(_identities, and_(_identities.c.channel == _reports.c.channel,
                                     _identities.c.chat_id == _reports.c.chat_id))
        .outerjoin(_merged_into, _merged_into.c.id == _reports.c.duplicate_of_id)
        .outerjoin(_deadlines, and_(_deadlines.c.report_id == _reports.c.id,
                                    _deadlines.c.closed_at.is_(None),
                                    _deadlines.c.step != Step.OMBUDSMAN.value))
    )


def _view(r: Row[Any], photos: tuple[Media, ...]) -> ReportView:
    location = (Location(r.latitude, r.longitude)
                if r.latitude is not None and r.longitude is not None else None)
    reporter = Reporter(
        citizen_id=r.citizen_id, channel=Channel(r.channel), chat_id=r.chat_id,
        user_id=r.reporter_user_id, display_name=r.reporter_name, language=r.reporter_language,
        erased=r.reporter_erased,
    )
    return ReportView(
        id=r.id, tracking_no=r.tracking_no, type=ReportType(r.type), category=r.category,
        opd=r.opd, status=Status(r.status), title=r.title, description=r.description,
        event_date=r.event_date, location=location, address=r.address, kelurahan=r.kelurahan,
        privacy=Privacy(r.privacy), lapor_id=r.lapor_id, created_at=r.created_at,
        updated_at=r.updated_at, status_changed_at=r.status_changed_at, reporter=reporter,
        duplicate_of=r.merged_into_no, rating=r.rating, photos=photos,
        deadline=(Deadline(r.deadline_step, r.deadline_due)
                  if r.deadline_step is not None else None),
        out_of_authority=r.out_of_authority,
        category_reason=CategoryReason.from_json(r.category_reason),
    )
