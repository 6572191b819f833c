"""The reporter's word on a finished report: confirm, dispute, rate, comment; and the
system closing a `selesai` nobody confirmed (use cases; `core.reports.lifecycle` exports them).
"""

from __future__ import annotations

from datetime import datetime

from core.city import CityContext
from core.i18n import t
from core.ports import UnitOfWork
from core.reports.actors import Actor, ActorKind
from core.reports.changes import event_by, record_change
from core.reports.model import Status
from core.reports.notify import notify_admins, responsible_admins, update_citizens
from core.reports.results import Changed, RefusalKind, Refused, Result
from core.reports.views import ReportChange, ReportView
from core.sla.policy import tier_of

DISPUTE_MIN, NOTE_MAX = 5, 1000


def own_report(uow: UnitOfWork, actor: Actor, ref: str,
               status: Status | None = None) -> ReportView | Refused:
    """The report, row-locked, when `actor` is the citizen who filed it (and it is in
    `status`, when given: a button pressed too late is refused as expired)."""
    report = uow.work.get(ref, for_update=True)
    if (report is None or actor.kind is not ActorKind.CITIZEN
            or report.reporter.citizen_id != actor.id):
        return Refused("follow.not_found", RefusalKind.NOT_FOUND, ref=ref[:20])
    if status is not None and report.status is not status:
        return _expired(report)
    return report


def _expired(report: ReportView) -> Refused:
    return Refused("fb.expired", RefusalKind.CONFLICT, ref=report.tracking_no,
                   status=report.status)


def confirm(uow: UnitOfWork, city: CityContext, actor: Actor, ref: str, now: datetime) -> Result:
    """The reporter confirms a `selesai`: the report is closed (`ditutup`)."""
    report = own_report(uow, actor, ref, Status.SELESAI)
    if isinstance(report, Refused):
        return report
    changed, event = record_change(uow, report, ReportChange(status=Status.DITUTUP), now, actor,
                                   "confirmed", city.sla)
    # Followers hear what the reporter did; the reporter already has the front-end's answer.
    update_citizens(uow, changed, Status.DITUTUP, lambda lang: t("update.confirmed", lang), now,
                    reporter=False)
    return Changed(changed, (event,))


def dispute(uow: UnitOfWork, city: CityContext, actor: Actor, ref: str, reason: str,
            now: datetime) -> Result:
    """The reporter disputes a `selesai`: back to `diproses`, the OPD's officers are told."""
    report = own_report(uow, actor, ref, Status.SELESAI)
    if isinstance(report, Refused):
        return report
    if len(reason) < DISPUTE_MIN:
        return Refused("work.text_too_short", RefusalKind.INVALID, min=DISPUTE_MIN)
    changed, event = record_change(uow, report, ReportChange(status=Status.DIPROSES), now, actor,
                                   "disputed", city.sla, reason[:NOTE_MAX])
    notify_admins(uow, responsible_admins(uow, changed.status, changed.opd), changed,
                  lambda lang: t("notify.disputed", lang, ref=report.tracking_no,
                                 reason=reason[:300]), city, now)
    update_citizens(uow, changed, Status.DIPROSES, lambda lang: t("update.disputed", lang), now,
                    reporter=False)
    return Changed(changed, (event,))


def rate(uow: UnitOfWork, city: CityContext, actor: Actor, ref: str, rating: int,
         now: datetime) -> Result:
    """The reporter rates a closed report 1–5, once."""
    report = own_report(uow, actor, ref)
    if isinstance(report, Refused):
        return report
    if report.status is not Status.DITUTUP or report.rating is not None:
        return _expired(report)
    if not 1 <= rating <= 5:
        return Refused("fb.bad_rating", RefusalKind.INVALID)
    changed, event = record_change(uow, report, ReportChange(rating=rating), now, actor, "rated",
                                   city.sla, str(rating))
    return Changed(changed, (event,))


def comment(uow: UnitOfWork, actor: Actor, ref: str, text: str, now: datetime) -> Result:
    """The reporter's free comment on their report, kept on the timeline."""
    report = own_report(uow, actor, ref)
    if isinstance(report, Refused):
        return report
    if not text.strip():
        return Refused("work.text_too_short", RefusalKind.INVALID, min=1)
    event = event_by(actor, now, "comment", text[:NOTE_MAX])
    uow.work.add_event(report.id, event)
    return Changed(report, (event,))


def close_unconfirmed(uow: UnitOfWork, city: CityContext, report: ReportView,
                      now: datetime) -> Changed:
    """The confirmation window of a `selesai` is over: the system closes it, citizens told."""
    days = tier_of(report.category, city.directory).confirmation_days
    closed, event = record_change(uow, report, ReportChange(status=Status.DITUTUP), now,
                                  Actor.system(), "auto_closed", city.sla)
    update_citizens(uow, closed, Status.DITUTUP,
                    lambda lang: t("update.auto_closed", lang, days=days), now)
    return Changed(closed, (event,))
