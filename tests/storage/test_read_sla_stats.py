"""SLA statistics per OPD, against figures worked out by hand from a week of report lives."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import Engine

from core.reports.model import Status
from core.reports.views import ReportChange
from core.sla.policy import PlannedDeadline, Step
from storage.read.sla_stats import OpdSla, SlaStats, sla_stats
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import NOW, make_citizen, new_report

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
START, END = NOW - 7 * DAY, NOW  # the period; `now` is its end


class Life:
    """One report walked through its lifecycle with the write side's own calls."""

    def __init__(self, engine: Engine, submitted: datetime, verify_due: datetime,
                 status: Status = Status.BARU, opd: str | None = None,
                 planned: tuple[PlannedDeadline, ...] = ()) -> None:
        self.engine = engine
        report = replace(new_report(make_citizen(engine), submitted, status=status), opd=opd)
        with SqlUnitOfWork(engine) as uow:
            self.id = uow.reports.add_with_id(report)[0]
            first = planned or (PlannedDeadline(Step.VERIFIKASI, None, submitted, verify_due,
                                                None),)
            uow.deadlines.replace(self.id, first, submitted)
            uow.commit()

    def move(self, at: datetime, change: ReportChange, *planned: PlannedDeadline) -> Life:
        """Change the report at `at` and replan it as a status change does."""
        with SqlUnitOfWork(self.engine) as uow:
            uow.work.update(self.id, change, at)
            uow.deadlines.replace(self.id, planned, at)
            uow.commit()
        return self

    def dispose(self, at: datetime, opd: str, answer_due: datetime) -> Life:
        return self.move(at, ReportChange(status=Status.DIDISPOSISIKAN, opd=opd),
                         PlannedDeadline(Step.JAWABAN, opd, at, answer_due, None))

    def answer(self, at: datetime, opd: str) -> Life:
        return self.move(at, ReportChange(status=Status.DIPROSES),
                         PlannedDeadline(Step.SELESAI, opd, at, at + 14 * DAY, None))


def _seed(engine: Engine) -> None:
    s = START
    # dpupr: answers after 10 h (on time), 44 h (late) and 240 h (late): median 44.
    Life(engine, s, s + 3 * DAY).dispose(s + DAY, "dpupr", s + 6 * DAY).answer(
        s + DAY + 10 * HOUR, "dpupr")
    Life(engine, s - 2 * DAY, s + DAY).dispose(s + 2 * DAY, "dpupr", s + 3 * DAY).answer(
        s + 3 * DAY + 20 * HOUR, "dpupr")
    Life(engine, s - 10 * DAY, s - 7 * DAY).dispose(s - 5 * DAY, "dpupr", s).answer(
        s + 5 * DAY, "dpupr")  # verified and received the week before
    Life(engine, s + 3 * DAY, s + 5 * DAY).dispose(s + 4 * DAY, "dpupr", END - HOUR)  # overdue
    Life(engine, s - DAY, s).dispose(s, "dpupr", END + DAY)  # at the start, at the deadline
    Life(engine, s, s + 3 * DAY).dispose(END, "dpupr", END + 5 * DAY)  # at the end: next week's
    Life(engine, s - 4 * DAY, s - 3 * DAY).dispose(s - 3 * DAY, "dpupr", s + 2 * DAY).answer(
        END, "dpupr")  # answered at the end: next week's
    Life(engine, s - 20 * DAY, s, Status.DIPROSES, "dpupr",
         (PlannedDeadline(Step.SELESAI, "dpupr", s - 20 * DAY, END - 2 * DAY, None),))
    # dinkes: answers after 6 h (on time) and 12 h (late): median 9.
    Life(engine, s, s + 3 * DAY).dispose(s + DAY, "dinkes", s + 6 * DAY).answer(
        s + DAY + 6 * HOUR, "dinkes")
    Life(engine, s, s + 3 * DAY).dispose(s + 2 * DAY, "dinkes", s + 2 * DAY + 8 * HOUR).answer(
        s + 2 * DAY + 12 * HOUR, "dinkes")
    # Disposed to dinkes, handed back (not an answer), then disposed to dinsos: each
    # verification counts for the OPD it sent the report to.
    Life(engine, s + 2 * DAY, s + 4 * DAY).dispose(s + 3 * DAY, "dinkes", s + 8 * DAY).move(
        s + 4 * DAY, ReportChange(status=Status.BARU, clear_opd=True),
        PlannedDeadline(Step.VERIFIKASI, None, s + 4 * DAY, s + 7 * DAY, None),
    ).dispose(s + 5 * DAY, "dinsos", s + 10 * DAY)
    # A verification closed without a replan: credited to the report's OPD.
    closed_alone = Life(engine, s + DAY, s + 3 * DAY)
    with SqlUnitOfWork(engine) as uow:
        uow.work.update(closed_alone.id, ReportChange(status=Status.DIDISPOSISIKAN, opd="dishub"),
                        s + 2 * DAY)
        (row,) = uow.deadlines.active(closed_alone.id)
        uow.deadlines.close(row.id, s + 2 * DAY, Status.DIDISPOSISIKAN)
        uow.commit()
    Life(engine, s, s + DAY)  # never verified: past due, but no OPD's work


def _row(opd: str | None, received: int = 0, verified: int = 0, verified_on_time: int = 0,
         answered: int = 0, answered_on_time: int = 0, overdue_now: int = 0,
         median: float | None = None) -> OpdSla:
    return OpdSla(opd, received, verified, verified_on_time, answered, answered_on_time,
                  overdue_now, median)


def test_sla_stats_per_opd_and_for_the_city_match_the_hand_count(engine: Engine) -> None:
    _seed(engine)
    with engine.connect() as conn:
        stats = sla_stats(conn, START, END, NOW)
    assert stats == SlaStats(START, END, opds=(
        _row("dinkes", received=3, verified=3, verified_on_time=3, answered=2,
             answered_on_time=1, median=9.0),
        _row("dinsos", received=1, verified=1, verified_on_time=1),  # no answer: no median
        _row("dishub", verified=1, verified_on_time=1),
        _row("dpupr", received=4, verified=4, verified_on_time=3, answered=3,
             answered_on_time=1, overdue_now=2, median=44.0),
    ), city=_row(None, received=8, verified=9, verified_on_time=8, answered=5,
                 answered_on_time=2, overdue_now=2, median=12.0))  # of 6, 10, 12, 44, 240


def test_sla_stats_agree_with_the_weekly_summary(engine: Engine) -> None:
    _seed(engine)
    with engine.connect() as conn:
        stats = {row.opd: row for row in sla_stats(conn, START, END, NOW).opds}
    with SqlUnitOfWork(engine) as uow:
        week = uow.deadlines.week(START, END, NOW)
    assert [(w.opd, w.received, w.answered, w.answered_on_time, w.overdue) for w in week] == [
        (w.opd, stats[w.opd].received, stats[w.opd].answered, stats[w.opd].answered_on_time,
         stats[w.opd].overdue_now) for w in week]
    assert [w.opd for w in week] == ["dinkes", "dinsos", "dpupr"]


def test_period_bounds_are_half_open(engine: Engine) -> None:
    _seed(engine)
    with engine.connect() as conn:
        # Only the next week's first instant: the disposition and the answer made at END.
        after = sla_stats(conn, END, END + HOUR, END + HOUR)
        before = sla_stats(conn, START - HOUR, START, START)
    # Verified after its deadline; answered 10 days after its disposition; overdue as ever.
    assert after.opds == (_row("dpupr", received=1, verified=1, answered=1, overdue_now=2,
                               median=240.0),)
    assert [row.opd for row in before.opds] == []  # START itself belongs to the period


def test_a_quiet_period_has_no_rows_and_a_city_of_zeros(engine: Engine) -> None:
    _seed(engine)
    with engine.connect() as conn:
        stats = sla_stats(conn, START - 60 * DAY, START - 50 * DAY, START - 50 * DAY)
    assert stats.opds == ()
    assert stats.city == _row(None)
