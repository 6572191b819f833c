"""What the SLA figures count, as conditions on `report_deadlines` rows.

One definition for the weekly summary (`SqlDeadlineRepository.week`) and the SLA statistics
(`storage.read.sla_stats`), so the Monday message and the dashboard never disagree. Each
takes the deadlines table or an alias of it. Rows without an OPD count for no one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Float, FromClause, and_, cast, extract, func

from core.reports.model import Status
from core.sla.policy import Step

ANSWERED = (Status.DIPROSES.value, Status.SELESAI.value)  # a `jawaban` closed so was answered
OVERDUE_STEPS = (Step.JAWABAN.value, Step.SELESAI.value)  # the OPD's own work


def received(rows: FromClause, start: datetime, end: datetime) -> ColumnElement[bool]:
    """Disposed to the row's OPD in [start, end): its first-answer deadline started then."""
    c = rows.c
    return and_(c.step == Step.JAWABAN.value, c.opd.is_not(None),
                c.starts_at >= start, c.starts_at < end)


def answered(rows: FromClause, start: datetime, end: datetime) -> ColumnElement[bool]:
    """Answered by the row's OPD in [start, end): its first-answer deadline closed then by an
    answer (not by a hand-back or a re-routing)."""
    c = rows.c
    return and_(c.step == Step.JAWABAN.value, c.opd.is_not(None), c.closed_at >= start,
                c.closed_at < end, c.closed_status.in_(ANSWERED))


def verified(rows: FromClause, start: datetime, end: datetime) -> ColumnElement[bool]:
    """Verified in [start, end): the verification deadline closed then by a disposition.
    (Verification rows carry no OPD; the statistics find the OPD it went to.)"""
    c = rows.c
    return and_(c.step == Step.VERIFIKASI.value, c.closed_at >= start, c.closed_at < end,
                c.closed_status == Status.DIDISPOSISIKAN.value)


def overdue(rows: FromClause, now: datetime) -> ColumnElement[bool]:
    """The OPD's open work past its deadline at `now`."""
    c = rows.c
    return and_(c.closed_at.is_(None), c.opd.is_not(None), c.step.in_(OVERDUE_STEPS),
                c.due_at < now)


def on_time(rows: FromClause) -> ColumnElement[bool]:
    """A closed row closed by its deadline (at the deadline itself counts as on time)."""
    return rows.c.closed_at <= rows.c.due_at


def hours_between(dialect: str, earlier: ColumnElement[datetime],
                  later: ColumnElement[datetime]) -> ColumnElement[float]:
    """`later - earlier` in hours, in SQL. SQLite keeps UtcDateTime as text (storage.columns),
    which julianday() reads; PostgreSQL subtracts timestamptz into an interval."""
    if dialect == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 24.0
    return cast(extract("epoch", later - earlier) / 3600.0, Float)
