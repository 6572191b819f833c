"""One report as the coordinator's API and dashboard show it: LAPOR's fields, the reporter,
photos, open deadlines and the whole timeline with each actor named in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, func, select

from core.matching.explain import CategoryReason
from core.messages import Channel
from core.reports.actors import ActorKind
from core.reports.model import Privacy, ReportType, Status
from core.sla.policy import Step
from storage.columns import table_of
from storage.tables import (
    AdminRow,
    ApiTokenRow,
    AttachmentRow,
    ChannelIdentityRow,
    CitizenRow,
    ReportDeadlineRow,
    ReportEventRow,
    ReportRow,
)

_reports = table_of(ReportRow)
_merged_into = _reports.alias("merged_into")
_citizens = table_of(CitizenRow)
_identities = table_of(ChannelIdentityRow)
_attachments = table_of(AttachmentRow)
_deadlines = table_of(ReportDeadlineRow)
_events = table_of(ReportEventRow)
_admins = table_of(AdminRow)
_tokens = table_of(ApiTokenRow)


@dataclass(frozen=True, slots=True)
class ReporterDetail:
    """Who filed the report; the caller decides who may see it (core.reports.access)."""

    citizen_id: int
    display_name: str | None  # the chat's current name, else the one first given
    channel: Channel
    chat_id: str
    user_id: str | None
    language: str
    # "request" or "retention" (`core.privacy.Erasure`) once the identity was removed: no
    # name, contact or chat is left; show "dihapus atas permintaan" (reporter.erased.*).
    erased: str | None = None


@dataclass(frozen=True, slots=True)
class AttachmentDetail:
    storage_key: str
    content_type: str
    size: int
    filename: str | None


@dataclass(frozen=True, slots=True)
class OpenDeadline:
    step: Step
    opd: str | None
    starts_at: datetime
    due_at: datetime
    snoozed_until: datetime | None


@dataclass(frozen=True, slots=True)
class TimelineItem:
    at: datetime
    kind: str
    actor_kind: ActorKind
    actor_name: str | None  # an admin's or a token's name; never a citizen's
    actor_opd: str | None  # an admin's OPD
    status_from: Status | None
    status_to: Status | None
    note: str | None


@dataclass(frozen=True, slots=True)
class ReportDetail:
    id: int
    tracking_no: str
    type: ReportType
    category: str
    opd: str | None
    status: Status
    title: str
    description: str
    event_date: date
    latitude: float | None
    longitude: float | None
    address: str | None
    kelurahan: str | None
    privacy: Privacy
    lapor_id: str | None
    rating: int | None
    created_at: datetime
    updated_at: datetime
    status_changed_at: datetime
    duplicate_of: str | None  # the report this one was merged into
    merged: tuple[str, ...]  # reports merged into this one, oldest first
    reporter: ReporterDetail
    attachments: tuple[AttachmentDetail, ...]  # in the order they were sent
    deadlines: tuple[OpenDeadline, ...]  # open ones, Ombudsman's included, soonest first
    timeline: tuple[TimelineItem, ...]  # oldest first
    out_of_authority: str | None = None  # a topic the city does not handle (PLN, BPJS, …)
    # Why the category was proposed at submit: the matching words, the nearest past report;
    # None when the citizen picked it from the list.
    category_reason: CategoryReason | None = None
    category_verified_at: datetime | None = None  # a coordinator confirmed the category


def report_detail(conn: Connection, tracking_no: str, *, officer_opd: str | None = None,
                  include_viewed: bool = False) -> ReportDetail | None:
    """The report with this tracking number, or None when there is none or, with
    `officer_opd`, when that officer may not see it (another OPD's, or still `baru`).
    `viewed` audit entries join the timeline only with `include_viewed`."""
    query = (
        select(_reports, _merged_into.c.tracking_no.label("merged_into_no"),
               func.coalesce(_identities.c.display_name, _citizens.c.display_name)
               .label("reporter_name"),
               _identities.c.user_id.label("reporter_user_id"),
               _citizens.c.language.label("reporter_language"),
               _citizens.c.erasure.label("reporter_erased"))
        .join(_citizens, _citizens.c.id == _reports.c.citizen_id)
        .outerjoin(_identities, and_(_identities.c.channel == _reports.c.channel,
                                     _identities.c.chat_id == _reports.c.chat_id))
        .outerjoin(_merged_into, _merged_into.c.id == _reports.c.duplicate_of_id)
        .where(_reports.c.tracking_no == tracking_no)
    )
    if officer_opd is not None:
        query = query.where(_reports.c.opd == officer_opd,
                            _reports.c.status != Status.BARU.value)
    row = conn.execute(query).first()
    if row is None:
        return None
    merged = tuple(conn.execute(
        select(_reports.c.tracking_no).where(_reports.c.duplicate_of_id == row.id)
        .order_by(_reports.c.created_at, _reports.c.id)
    ).scalars())
    return _detail(row, merged, _attachments_of(conn, row.id), _open_deadlines(conn, row.id),
                   timeline(conn, row.id, include_viewed=include_viewed))


def timeline(conn: Connection, report_id: int, *,
             include_viewed: bool = False) -> tuple[TimelineItem, ...]:
    """Every entry of the report's timeline, oldest first, each actor resolved: an admin's
    name and OPD, a token's name; a citizen's actor id is never looked up."""
    # The joins' kind conditions are what keeps an id of one kind from naming another's row.
    query = (
        select(_events.c.at, _events.c.kind, _events.c.actor_kind, _events.c.status_from,
               _events.c.status_to, _events.c.note,
               func.coalesce(_admins.c.name, _tokens.c.name).label("actor_name"),
               _admins.c.opd_slug.label("actor_opd"))
        .outerjoin(_admins, and_(_events.c.actor_kind == ActorKind.ADMIN.value,
                                 _admins.c.id == _events.c.actor_id))
        .outerjoin(_tokens, and_(_events.c.actor_kind == ActorKind.TOKEN.value,
                                 _tokens.c.id == _events.c.actor_id))
        .where(_events.c.report_id == report_id)
        .order_by(_events.c.at, _events.c.id)
    )
    if not include_viewed:
        query = query.where(_events.c.kind != "viewed")
    return tuple(
        TimelineItem(
            at=r.at, kind=r.kind, actor_kind=ActorKind(r.actor_kind), actor_name=r.actor_name,
            actor_opd=r.actor_opd, status_from=Status(r.status_from) if r.status_from else None,
            status_to=Status(r.status_to) if r.status_to else None, note=r.note)
        for r in conn.execute(query)
    )


def attachments(conn: Connection, tracking_no: str, *,
                officer_opd: str | None = None) -> tuple[AttachmentDetail, ...] | None:
    """The report's attachments in the order they were sent, or None exactly where
    `report_detail` would answer None (no such report, or one the officer may not see)."""
    query = select(_reports.c.id).where(_reports.c.tracking_no == tracking_no)
    if officer_opd is not None:
        query = query.where(_reports.c.opd == officer_opd,
                            _reports.c.status != Status.BARU.value)
    report_id = conn.execute(query).scalar()
    return None if report_id is None else _attachments_of(conn, report_id)


def _attachments_of(conn: Connection, report_id: int) -> tuple[AttachmentDetail, ...]:
    return tuple(
        AttachmentDetail(r.storage_key, r.content_type, r.size, r.filename)
        for r in conn.execute(
            select(_attachments.c.storage_key, _attachments.c.content_type,
                   _attachments.c.size, _attachments.c.filename)
            .where(_attachments.c.report_id == report_id).order_by(_attachments.c.id))
    )


def _open_deadlines(conn: Connection, report_id: int) -> tuple[OpenDeadline, ...]:
    return tuple(
        OpenDeadline(Step(r.step), r.opd, r.starts_at, r.due_at, r.snoozed_until)
        for r in conn.execute(
            select(_deadlines.c.step, _deadlines.c.opd, _deadlines.c.starts_at,
                   _deadlines.c.due_at, _deadlines.c.snoozed_until)
            .where(_deadlines.c.report_id == report_id, _deadlines.c.closed_at.is_(None))
            .order_by(_deadlines.c.due_at, _deadlines.c.id))
    )


def _detail(r: Row[Any], merged: tuple[str, ...], attachments: tuple[AttachmentDetail, ...],
            deadlines: tuple[OpenDeadline, ...], entries: tuple[TimelineItem, ...]) -> ReportDetail:
    reporter = ReporterDetail(
        citizen_id=r.citizen_id, display_name=r.reporter_name, channel=Channel(r.channel),
        chat_id=r.chat_id, user_id=r.reporter_user_id, language=r.reporter_language,
        erased=r.reporter_erased)
    return ReportDetail(
        id=r.id, tracking_no=r.tracking_no, type=ReportType(r.type), category=r.category,
        opd=r.opd, status=Status(r.status), title=r.title, description=r.description,
        event_date=r.event_date, latitude=r.latitude, longitude=r.longitude,
        address=r.address, kelurahan=r.kelurahan, privacy=Privacy(r.privacy),
        lapor_id=r.lapor_id, rating=r.rating, created_at=r.created_at,
        updated_at=r.updated_at, status_changed_at=r.status_changed_at,
        duplicate_of=r.merged_into_no, merged=merged, reporter=reporter,
        attachments=attachments, deadlines=deadlines, timeline=entries,
        out_of_authority=r.out_of_authority,
        category_reason=CategoryReason.from_json(r.category_reason),
        category_verified_at=r.category_verified_at)
