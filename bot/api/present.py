"""Read models → the API's answers, deciding what the token may see of the reporter."""

from __future__ import annotations

from datetime import datetime

from bot.api.models import (
    AttachmentOut,
    DeadlineOut,
    ReporterOut,
    ReportItem,
    ReportOut,
    TimelineEntryOut,
)
from core.reports.access import identity_visible
from core.reports.actors import Role
from storage.read.detail import ReportDetail
from storage.read.reports import ReportListItem

PREFIX = "/api/v1"


def report_url(tracking_no: str) -> str:
    return f"{PREFIX}/reports/{tracking_no}"


def item_out(item: ReportListItem) -> ReportItem:
    deadline = (DeadlineOut(step=item.deadline.step, due_at=item.deadline.due_at,
                            snoozed_until=None)
                if item.deadline is not None else None)
    return ReportItem(
        tracking_no=item.tracking_no, url=report_url(item.tracking_no), type=item.type,
        category=item.category, opd=item.opd, status=item.status, title=item.title,
        privacy=item.privacy, kelurahan=item.kelurahan, address=item.address,
        latitude=item.latitude, longitude=item.longitude, created_at=item.created_at,
        updated_at=item.updated_at, lapor_id=item.lapor_id, duplicate_of=item.duplicate_of,
        deadline=deadline, overdue=item.overdue)


def identity_shown(detail: ReportDetail, role: Role) -> bool:
    """Whether `report_out` carries the reporter (then the read is written to the audit log)."""
    return identity_visible(role, detail.privacy) and detail.reporter.erased is None


def report_out(detail: ReportDetail, role: Role, now: datetime) -> ReportOut:
    """The report as a token of `role` may see it (the reporter only where
    `identity_visible` allows)."""
    deadlines = [DeadlineOut(step=d.step, due_at=d.due_at, snoozed_until=d.snoozed_until)
                 for d in detail.deadlines]
    current = next((d for d in deadlines if d.step.nudges_admins), None)
    person = detail.reporter
    reporter = (ReporterOut(name=person.display_name, channel=person.channel,
                            chat_id=person.chat_id, language=person.language)
                if identity_visible(role, detail.privacy) else None)
    url = report_url(detail.tracking_no)
    return ReportOut(
        tracking_no=detail.tracking_no, url=url, type=detail.type, category=detail.category,
        opd=detail.opd, status=detail.status, title=detail.title, privacy=detail.privacy,
        kelurahan=detail.kelurahan, address=detail.address, latitude=detail.latitude,
        longitude=detail.longitude, created_at=detail.created_at, updated_at=detail.updated_at,
        lapor_id=detail.lapor_id, duplicate_of=detail.duplicate_of, deadline=current,
        overdue=current is not None and current.due_at < now,
        description=detail.description, event_date=detail.event_date, rating=detail.rating,
        status_changed_at=detail.status_changed_at, merged=list(detail.merged),
        deadlines=deadlines, reporter=reporter,
        attachments=[AttachmentOut(n=n, url=f"{url}/attachments/{n}",
                                   content_type=a.content_type, size=a.size,
                                   filename=a.filename)
                     for n, a in enumerate(detail.attachments, start=1)],
        timeline=[TimelineEntryOut(at=e.at, kind=e.kind,
                                   actor=e.actor_name or e.actor_kind.value,
                                   actor_kind=e.actor_kind, actor_opd=e.actor_opd,
                                   status_from=e.status_from, status_to=e.status_to,
                                   note=e.note)
                  for e in detail.timeline])
