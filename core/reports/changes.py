"""One way to change a report: the row, its timeline event, and the view as it now is."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from core.ports import UnitOfWork
from core.reports.actors import Actor
from core.reports.views import ReportChange, ReportEvent, ReportView
from core.sla.policy import SlaPolicy


def event_by(actor: Actor, now: datetime, kind: str, note: str | None = None) -> ReportEvent:
    """A timeline event without a status move, by `actor`."""
    return ReportEvent(now, actor.kind.value, actor.id, kind, note=note)


def record_change(uow: UnitOfWork, report: ReportView, change: ReportChange, now: datetime,
                  actor: Actor, kind: str, sla: SlaPolicy,
                  note: str | None = None) -> tuple[ReportView, ReportEvent]:
    """Write `change` with its timeline event (who, when, what); return the updated view and
    the event.

    A new status or OPD replans the report's deadlines (`SlaPolicy.plan`), in the same unit
    of work, so the sweeper never sees a deadline of a step the report has left."""
    uow.work.update(report.id, change, now)
    moved = change.status is not None and change.status is not report.status
    event = ReportEvent(now, actor.kind.value, actor.id, kind, report.status if moved else None,
                        change.status if moved else None, note)
    uow.work.add_event(report.id, event)
    updated = replace(
        report, status=change.status or report.status,
        opd=None if change.clear_opd else (change.opd or report.opd),
        category=change.category or report.category,
        lapor_id=change.lapor_id or report.lapor_id,
        rating=change.rating if change.rating is not None else report.rating,
        updated_at=now, status_changed_at=now if moved else report.status_changed_at)
    if moved or updated.opd != report.opd or updated.category != report.category:
        updated = replace(updated, deadline=None)  # the stored one belonged to the old step
        uow.deadlines.replace(report.id, sla.plan(updated), now)
    return updated, event
