"""One way to change a report: the row, its timeline event, and the view as it now is."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from core.ports import UnitOfWork
from core.reports.views import ReportChange, ReportEvent, ReportView
from core.sla.policy import SlaPolicy


def record_change(uow: UnitOfWork, report: ReportView, change: ReportChange, now: datetime,
                  actor_kind: str, actor_id: int | None, kind: str, sla: SlaPolicy,
                  note: str | None = None) -> ReportView:
    """Write `change` with its timeline event (who, when, what); return the updated view.

    A new status or OPD replans the report's deadlines (`SlaPolicy.plan`), in the same unit
    of work, so the sweeper never sees a deadline of a step the report has left."""
    uow.work.update(report.id, change, now)
    moved = change.status is not None and change.status is not report.status
    uow.work.add_event(report.id, ReportEvent(
        now, actor_kind, actor_id, kind, report.status if moved else None,
        change.status if moved else None, note))
    updated = replace(
        report, status=change.status or report.status,
        opd=None if change.clear_opd else (change.opd or report.opd),
        lapor_id=change.lapor_id or report.lapor_id,
        rating=change.rating if change.rating is not None else report.rating,
        updated_at=now, status_changed_at=now if moved else report.status_changed_at)
    if moved or updated.opd != report.opd:
        updated = replace(updated, deadline=None)  # the stored one belonged to the old step
        uow.deadlines.replace(report.id, sla.plan(updated), now)
    return updated
