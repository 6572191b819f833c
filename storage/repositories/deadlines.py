"""Deadline rows and their nudge ladder, the record of nudges sent, and the sweeper's lock."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    and_,
    bindparam,
    case,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from core.reports.model import Status
from core.sla.policy import DeadlineRow, OpdWeek, PlannedDeadline, Rung, Step, UrgentItem, Workload
from storage.columns import insert_for, table_of
from storage.prepared import Prepared
from storage.read import sla_terms
from storage.tables import ReportDeadlineRow, ReportRow, SlaDigestRow, SlaNudgeRow

_deadlines = table_of(ReportDeadlineRow)
_reports = table_of(ReportRow)
_nudges = table_of(SlaNudgeRow)
_digests = table_of(SlaDigestRow)

# The (int4, int4) advisory lock space, apart from the bigint keys of storage.migrate and the
# Telegram poller: this constant and the schema's hash, so that several cities (schemas) in
# one PostgreSQL database each have their own sweeper.
SWEEP_LOCK_CLASS = 0x61534C41  # "aSLA"
_active = _deadlines.c.closed_at.is_(None)
# Built once for `replace`, which every status change runs (values bound at execution).
_LOCK_REPORT = Prepared(select(_reports.c.id).where(_reports.c.id == bindparam("p_report"))
                        .with_for_update())
_ACTIVE_OF = Prepared(
    select(_deadlines.c.id, _deadlines.c.step, _deadlines.c.opd, _deadlines.c.due_at)
    .where(_deadlines.c.report_id == bindparam("p_report"), _active)
    .order_by(_deadlines.c.id))


class SqlDeadlineRepository:
    """Deadlines as the sweeper, the status changes and the workload views use them."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def replace(self, report_id: int, planned: Sequence[PlannedDeadline], now: datetime) -> None:
        """Make `planned` the report's active deadlines: an active row with the same step, OPD
        and due time is kept (with the rungs it has done); other active rows are closed with
        the report's status now; the rest of `planned` is inserted at stage 0."""
        # Replanning the same report twice at once (a status change and the backfill, or two
        # workers' backfills) would insert its deadlines twice: the report's lock orders them.
        _LOCK_REPORT.run(self._session, {"p_report": report_id})
        wanted = list(planned)
        stale: list[int] = []
        for row in _ACTIVE_OF.run(self._session, {"p_report": report_id}):
            same = next((p for p in wanted if (p.step.value, p.opd, p.due_at)
                         == (row.step, row.opd, row.due_at)), None)
            if same is None:
                stale.append(row.id)
            else:
                wanted.remove(same)
        if stale:
            status = select(_reports.c.status).where(_reports.c.id == report_id)
            self._session.execute(
                update(_deadlines).where(_deadlines.c.id.in_(stale))
                .values(closed_at=now, next_at=None, closed_status=status.scalar_subquery())
            )
        if wanted:
            self._session.execute(insert(_deadlines), [
                dict(report_id=report_id, step=p.step.value, opd=p.opd, starts_at=p.starts_at,
                     due_at=p.due_at, remind_at=p.remind_at, stage=0,
                     next_at=p.remind_at if p.remind_at is not None else p.due_at)
                for p in wanted
            ])

    def active(self, report_id: int) -> Sequence[DeadlineRow]:
        rows = self._session.execute(
            _rows().where(_deadlines.c.report_id == report_id, _active)
            .order_by(_deadlines.c.due_at, _deadlines.c.id)
        ).all()
        return [_row(r) for r in rows]

    def try_lock_sweep(self) -> bool:
        """Take the sweeper lock for the rest of the unit of work; False if another process
        holds it (PostgreSQL advisory lock; SQLite: always True, one process)."""
        if self._session.get_bind().dialect.name != "postgresql":
            return True
        return bool(self._session.execute(
            text("SELECT pg_try_advisory_xact_lock(:key, hashtext(current_schema()))"),
            {"key": SWEEP_LOCK_CLASS}
        ).scalar_one())

    def claim_due(self, now: datetime, limit: int) -> Sequence[DeadlineRow]:
        """Active rows with next_at <= now, earliest first, row-locked for the rest of the unit
        of work; rows another transaction holds are skipped (FOR UPDATE SKIP LOCKED)."""
        rows = self._session.execute(
            _rows()
            # `next_at IS NOT NULL` repeats the partial index's predicate so that PostgreSQL
            # plans the claim on that (small) index however large the table grows.
            .where(_deadlines.c.next_at.is_not(None), _deadlines.c.next_at <= now, _active)
            .order_by(_deadlines.c.next_at, _deadlines.c.id)
            .limit(limit)
            # The report is locked with its rows: a status change holds the report first and
            # then replans its rows, so locking only the rows here (and the report later)
            # could deadlock with it. SQLite renders nothing; BEGIN IMMEDIATE serialises.
            .with_for_update(skip_locked=True, of=[_deadlines, _reports])
        ).all()
        return [_row(r) for r in rows]

    def advance(self, deadline_id: int, stage: int, next_at: datetime | None) -> None:
        self._session.execute(
            update(_deadlines).where(_deadlines.c.id == deadline_id)
            .values(stage=stage, next_at=next_at)
        )

    def close(self, deadline_id: int, now: datetime, status: Status | None) -> None:
        self._session.execute(
            update(_deadlines).where(_deadlines.c.id == deadline_id)
            .values(closed_at=now, next_at=None,
                    closed_status=status.value if status is not None else None)
        )

    def snooze(self, deadline_id: int, until: datetime) -> None:
        """Set snoozed_until; a pending next_at earlier than `until` moves to `until`."""
        next_at = _deadlines.c.next_at
        # Typed as the column, or SQLite would store a non-UTC `until` as its local wall time.
        later = literal(until, next_at.type)
        self._session.execute(
            update(_deadlines).where(_deadlines.c.id == deadline_id)
            .values(snoozed_until=until,
                    next_at=case((and_(next_at.is_not(None), next_at < later), later),
                                 else_=next_at))
        )

    def record_nudge(self, deadline_id: int, rung: Rung, now: datetime) -> bool:
        """Record that `rung` of this deadline was sent; False if it had been already."""
        inserted = self._session.execute(
            insert_for(self._session, SlaNudgeRow)
            .values(deadline_id=deadline_id, rung=rung.value, sent_at=now)
            .on_conflict_do_nothing(index_elements=["deadline_id", "rung"])
            .returning(_nudges.c.id)
        ).scalar_one_or_none()
        return inserted is not None

    def record_digest(self, kind: str, period: str, target: str, now: datetime) -> bool:
        """Record a digest (kind, period, target) as sent; False if it had been already."""
        inserted = self._session.execute(
            insert_for(self._session, SlaDigestRow)
            .values(kind=kind, period=period, target=target, sent_at=now)
            .on_conflict_do_nothing(index_elements=["kind", "period", "target"])
            .returning(_digests.c.id)
        ).scalar_one_or_none()
        return inserted is not None

    def unplanned(self, statuses: Sequence[Status], limit: int) -> Sequence[int]:
        """Ids of reports in `statuses` that have no active deadline row, lowest first."""
        planned = exists().where(_deadlines.c.report_id == _reports.c.id, _active)
        return list(self._session.execute(
            select(_reports.c.id)
            .where(_reports.c.status.in_([s.value for s in statuses]), ~planned)
            .order_by(_reports.c.id)
            .limit(limit)
        ).scalars())

    def workload(self, opd: str | None, steps: Sequence[Step], now: datetime,
                 yellow_until: datetime, limit: int) -> Workload:
        """Active deadlines of `steps` (of `opd`, or all when None) counted red (due < now),
        yellow (due <= yellow_until) and green; the `limit` earliest due that are not
        snoozed (snoozed_until > now) as `urgent`."""
        where: list[ColumnElement[bool]] = [
            _active, _deadlines.c.step.in_([s.value for s in steps])]
        if opd is not None:
            where.append(_deadlines.c.opd == opd)
        due = _deadlines.c.due_at
        red, yellow, green = self._session.execute(
            select(_count_where(due < now),
                   _count_where(and_(due >= now, due <= yellow_until)),
                   _count_where(due > yellow_until))
            .where(*where)
        ).one()
        awake = or_(_deadlines.c.snoozed_until.is_(None), _deadlines.c.snoozed_until <= now)
        urgent = self._session.execute(
            select(_reports.c.tracking_no, _reports.c.title, _deadlines.c.step, due)
            .join(_reports, _reports.c.id == _deadlines.c.report_id)
            .where(*where, awake)
            .order_by(due, _deadlines.c.id)
            .limit(limit)
        ).all()
        return Workload(
            red=int(red or 0), yellow=int(yellow or 0), green=int(green or 0),
            urgent=tuple(UrgentItem(r.tracking_no, r.title, Step(r.step), r.due_at)
                         for r in urgent),
        )

    def week(self, start: datetime, end: datetime, now: datetime) -> Sequence[OpdWeek]:
        """Per OPD with any activity: `jawaban` rows started in [start, end) (received),
        closed in [start, end) by an answer (answered; on time when closed_at <= due_at;
        response = closed_at - starts_at in hours), and its active rows of jawaban/selesai
        past due at `now` (overdue)."""
        # The terms are those of the SLA statistics (storage.read.sla_terms).
        received = self._counts_by_opd(sla_terms.received(_deadlines, start, end))
        overdue = self._counts_by_opd(sla_terms.overdue(_deadlines, now))
        # (started, due, closed) of each first answer, per OPD; hours are computed here.
        answers: defaultdict[str, list[tuple[datetime, datetime, datetime]]] = defaultdict(list)
        for opd, started, due, closed in self._session.execute(
            select(_deadlines.c.opd, _deadlines.c.starts_at, _deadlines.c.due_at,
                   _deadlines.c.closed_at)
            .where(sla_terms.answered(_deadlines, start, end))
            .order_by(_deadlines.c.closed_at, _deadlines.c.id)
        ):
            answers[opd].append((started, due, closed))
        return [
            OpdWeek(
                opd=opd, received=received.get(opd, 0), answered=len(answers[opd]),
                answered_on_time=sum(1 for _, due, closed in answers[opd] if closed <= due),
                overdue=overdue.get(opd, 0),
                response_hours=tuple((closed - started).total_seconds() / 3600
                                     for started, _, closed in answers[opd]),
            )
            for opd in sorted({*received, *overdue, *answers})
        ]

    def _counts_by_opd(self, *where: ColumnElement[bool]) -> dict[str, int]:
        return {opd: int(n) for opd, n in self._session.execute(
            select(_deadlines.c.opd, func.count()).where(*where).group_by(_deadlines.c.opd)
        )}


def _count_where(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.sum(case((condition, 1), else_=0))


def _rows() -> Select[Any]:
    """Deadline rows with their report's tracking number."""
    return (
        select(_deadlines, _reports.c.tracking_no)
        .join(_reports, _reports.c.id == _deadlines.c.report_id)
    )


def _row(r: Row[Any]) -> DeadlineRow:
    return DeadlineRow(
        id=r.id, report_id=r.report_id, tracking_no=r.tracking_no, step=Step(r.step), opd=r.opd,
        starts_at=r.starts_at, due_at=r.due_at, remind_at=r.remind_at, next_at=r.next_at,
        stage=r.stage, snoozed_until=r.snoozed_until,
    )
