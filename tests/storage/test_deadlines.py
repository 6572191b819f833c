from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, event, insert, select, text
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError

from core.reports.model import Status
from core.reports.views import Deadline, ReportChange
from core.sla.policy import OpdWeek, PlannedDeadline, Rung, Step, UrgentItem, Workload
from storage.columns import table_of
from storage.tables import ReportDeadlineRow, ReportRow
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import NOW, make_citizen, new_report

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
WIB = ZoneInfo("Asia/Jakarta")
_deadlines = table_of(ReportDeadlineRow)
ADMIN_STEPS = [Step.VERIFIKASI, Step.JAWABAN, Step.SELESAI]


def _plan(step: Step, due: datetime, opd: str | None = "dpupr", remind: datetime | None = None,
          starts: datetime = NOW) -> PlannedDeadline:
    return PlannedDeadline(step, opd, starts, due, remind)


def _report(engine: Engine, *planned: PlannedDeadline, status: Status = Status.BARU,
            opd: str | None = "dpupr", title: str = "Jalan berlubang",
            created_at: datetime = NOW) -> int:
    """A report (of a citizen made on first use) with `planned` as its deadlines; its id."""
    citizen = make_citizen(engine)
    report = replace(new_report(citizen, created_at, title, status=status), opd=opd)
    with SqlUnitOfWork(engine) as uow:
        view = uow.work.get(uow.reports.add(report))
        assert view is not None
        uow.deadlines.replace(view.id, planned, created_at)
        uow.commit()
    return view.id


def _active_ids(engine: Engine, report_id: int) -> list[int]:
    with SqlUnitOfWork(engine) as uow:
        return [r.id for r in uow.deadlines.active(report_id)]


def _stored(engine: Engine, report_id: int) -> list[Row[Any]]:
    """Every row of the report, closed ones too, in insertion order."""
    with engine.connect() as conn:
        return list(conn.execute(
            select(_deadlines).where(_deadlines.c.report_id == report_id)
            .order_by(_deadlines.c.id)
        ).all())


def test_replace_keeps_an_unchanged_deadline_closes_the_rest_and_inserts_new_ones(
    engine: Engine,
) -> None:
    verify = _plan(Step.VERIFIKASI, NOW + 3 * DAY, remind=NOW + 2 * DAY)
    ombudsman = _plan(Step.OMBUDSMAN, NOW + 60 * DAY, opd=None)
    report_id = _report(engine, verify, ombudsman)
    with SqlUnitOfWork(engine) as uow:
        number = uow.work.get_by_id(report_id)
        assert number is not None
        rows = uow.deadlines.active(report_id)
        assert [(r.step, r.opd, r.starts_at, r.due_at, r.remind_at, r.next_at, r.stage,
                 r.tracking_no) for r in rows] == [
            (Step.VERIFIKASI, "dpupr", NOW, NOW + 3 * DAY, NOW + 2 * DAY, NOW + 2 * DAY, 0,
             number.tracking_no),
            (Step.OMBUDSMAN, None, NOW, NOW + 60 * DAY, None, NOW + 60 * DAY, 0,
             number.tracking_no),
        ]
        verify_id, ombudsman_id = (r.id for r in rows)
        uow.deadlines.advance(ombudsman_id, 1, NOW + 61 * DAY)

        # Disposed: the verification is over, the Ombudsman clock runs on.
        later = NOW + HOUR
        uow.work.update(report_id, ReportChange(status=Status.DIDISPOSISIKAN), later)
        answer = _plan(Step.JAWABAN, later + 7 * DAY, remind=later + 6 * DAY, starts=later)
        uow.deadlines.replace(report_id, [answer, ombudsman], later)
        uow.commit()
    stored = {r.id: r for r in _stored(engine, report_id)}
    assert (stored[verify_id].closed_at, stored[verify_id].next_at,
            stored[verify_id].closed_status) == (NOW + HOUR, None, "didisposisikan")
    assert (stored[ombudsman_id].stage, stored[ombudsman_id].next_at,
            stored[ombudsman_id].closed_at) == (1, NOW + 61 * DAY, None)
    (answer_id,) = set(stored) - {verify_id, ombudsman_id}
    assert (stored[answer_id].step, stored[answer_id].stage, stored[answer_id].next_at) == (
        "jawaban", 0, NOW + HOUR + 6 * DAY)

    # The same plan again (in local time, as the calendar gives it) changes nothing, rungs
    # done included.
    local = replace(answer, due_at=answer.due_at.astimezone(WIB))
    with SqlUnitOfWork(engine) as uow:
        uow.deadlines.advance(answer_id, 1, NOW + HOUR + 7 * DAY)
        uow.deadlines.replace(report_id, [ombudsman, local], NOW + 2 * HOUR)
        uow.commit()
    assert _active_ids(engine, report_id) == [answer_id, ombudsman_id]
    assert [r.stage for r in _stored(engine, report_id)] == [0, 1, 1]

    # Moved to another OPD with the same due time: a new deadline all the same.
    with SqlUnitOfWork(engine) as uow:
        uow.deadlines.replace(report_id, [replace(answer, opd="dinkes"), ombudsman],
                              NOW + 3 * HOUR)
        uow.commit()
    moved = _active_ids(engine, report_id)
    assert moved[1] == ombudsman_id and moved[0] not in stored

    # Closed: nothing is planned any more.
    with SqlUnitOfWork(engine) as uow:
        uow.work.update(report_id, ReportChange(status=Status.DITUTUP), NOW + 4 * HOUR)
        uow.deadlines.replace(report_id, [], NOW + 4 * HOUR)
        uow.commit()
    assert _active_ids(engine, report_id) == []
    last = {r.id: (r.closed_status, r.next_at) for r in _stored(engine, report_id)}
    assert [last[answer_id], last[ombudsman_id], last[moved[0]]] == [
        ("didisposisikan", None), ("ditutup", None), ("ditutup", None)]


def test_a_step_has_one_open_deadline_at_most(engine: Engine) -> None:
    report_id = _report(engine, _plan(Step.VERIFIKASI, NOW + DAY))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(_deadlines).values(
            report_id=report_id, step="verifikasi", starts_at=NOW, due_at=NOW + 2 * DAY, stage=0))


@pytest.mark.postgres
def test_replanning_a_report_twice_at_once_stores_its_deadlines_once(pg_engine: Engine) -> None:
    engine = pg_engine
    report_id = _report(engine)
    plan = [_plan(Step.VERIFIKASI, NOW + DAY), _plan(Step.OMBUDSMAN, NOW + 60 * DAY, None)]

    failed: list[Exception] = []

    def replan() -> None:
        try:
            with SqlUnitOfWork(engine) as uow:
                uow.deadlines.replace(report_id, plan, NOW)
                uow.commit()
        except Exception as exc:  # e.g. the unique index refusing a second set
            failed.append(exc)

    with SqlUnitOfWork(engine) as first:
        first.deadlines.replace(report_id, plan, NOW)
        second = threading.Thread(target=replan)
        second.start()
        second.join(timeout=0.5)
        assert second.is_alive()  # waiting for the report
        first.commit()
    second.join(timeout=10)
    assert not second.is_alive() and failed == []
    assert len(_active_ids(engine, report_id)) == 2


def test_claim_due_takes_pending_rows_earliest_first_up_to_the_limit(engine: Engine) -> None:
    reminded = _report(engine, _plan(Step.VERIFIKASI, NOW + DAY, remind=NOW - 2 * HOUR))
    due_now = _report(engine, _plan(Step.VERIFIKASI, NOW))
    _report(engine, _plan(Step.VERIFIKASI, NOW + 5 * DAY, remind=NOW + 4 * DAY))  # not yet
    closed = _report(engine, _plan(Step.VERIFIKASI, NOW - 3 * HOUR))
    done = _report(engine, _plan(Step.VERIFIKASI, NOW - 5 * HOUR))
    (closed_row,), (done_row,) = _active_ids(engine, closed), _active_ids(engine, done)
    with SqlUnitOfWork(engine) as uow:
        uow.deadlines.close(closed_row, NOW, Status.DIDISPOSISIKAN)
        uow.deadlines.advance(done_row, 2, None)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        claimed = uow.deadlines.claim_due(NOW, 10)
        assert [(r.report_id, r.next_at) for r in claimed] == [
            (reminded, NOW - 2 * HOUR), (due_now, NOW)]
        assert claimed[0].tracking_no.startswith("ADU-2026-")
        assert [r.report_id for r in uow.deadlines.claim_due(NOW, 1)] == [reminded]
        assert uow.deadlines.claim_due(NOW - 3 * HOUR, 10) == []


def test_sweep_lock_is_taken_again_after_the_unit_of_work(engine: Engine) -> None:
    for _ in range(2):
        with SqlUnitOfWork(engine) as uow:
            assert uow.deadlines.try_lock_sweep()
            uow.commit()


@pytest.mark.postgres
def test_a_second_sweeper_skips_what_the_first_holds_and_a_report_being_changed(
    pg_engine: Engine,
) -> None:
    engine = pg_engine
    first, second, third = (
        _report(engine, _plan(Step.VERIFIKASI, NOW - i * HOUR)) for i in (3, 2, 1))
    with SqlUnitOfWork(engine) as sweeper:
        assert sweeper.deadlines.try_lock_sweep()
        assert [r.report_id for r in sweeper.deadlines.claim_due(NOW, 1)] == [first]
        with SqlUnitOfWork(engine) as other:
            assert not other.deadlines.try_lock_sweep()
            assert [r.report_id for r in other.deadlines.claim_due(NOW, 10)] == [second, third]
    with SqlUnitOfWork(engine) as admin:
        # An admin is changing the second report: the sweep leaves it for its next round.
        assert admin.work.get_by_id(second, for_update=True) is not None
        with SqlUnitOfWork(engine) as sweeper:
            assert sweeper.deadlines.try_lock_sweep()
            assert [r.report_id for r in sweeper.deadlines.claim_due(NOW, 10)] == [first, third]


def test_snooze_delays_a_pending_rung_and_close_ends_the_row(engine: Engine) -> None:
    report_id = _report(engine, _plan(Step.JAWABAN, NOW + 2 * DAY, remind=NOW + DAY))
    other_id = _report(engine, _plan(Step.JAWABAN, NOW + 2 * DAY))
    (row_id,), (other_row,) = _active_ids(engine, report_id), _active_ids(engine, other_id)
    with SqlUnitOfWork(engine) as uow:
        uow.deadlines.snooze(row_id, (NOW + DAY + 3 * HOUR).astimezone(WIB))  # any zone is UTC
        (row,) = uow.deadlines.active(report_id)
        assert (row.snoozed_until, row.next_at) == (NOW + DAY + 3 * HOUR, NOW + DAY + 3 * HOUR)
        assert row.next_at.tzinfo is UTC
        uow.deadlines.snooze(row_id, NOW + 2 * HOUR)  # earlier: the pending rung stays put
        (row,) = uow.deadlines.active(report_id)
        assert (row.snoozed_until, row.next_at) == (NOW + 2 * HOUR, NOW + DAY + 3 * HOUR)
        uow.deadlines.advance(row_id, 2, None)
        uow.deadlines.snooze(row_id, NOW + 5 * DAY)  # nothing pending: nothing to move
        (row,) = uow.deadlines.active(report_id)
        assert (row.stage, row.next_at, row.snoozed_until) == (2, None, NOW + 5 * DAY)
        assert uow.deadlines.active(other_id)[0].snoozed_until is None
        uow.deadlines.close(row_id, NOW + 3 * HOUR, Status.DIPROSES)
        uow.deadlines.close(other_row, NOW + 3 * HOUR, None)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.deadlines.active(report_id) == [] == uow.deadlines.active(other_id)
    assert [(r.closed_at, r.closed_status, r.next_at) for r in _stored(engine, report_id)] == [
        (NOW + 3 * HOUR, "diproses", None)]
    assert _stored(engine, other_id)[0].closed_status is None


def test_a_nudge_or_digest_is_recorded_once(engine: Engine) -> None:
    report_id = _report(engine, _plan(Step.VERIFIKASI, NOW))
    (row_id,) = _active_ids(engine, report_id)
    with SqlUnitOfWork(engine) as uow:
        assert uow.deadlines.record_nudge(row_id, Rung.REMINDER, NOW)
        assert uow.deadlines.record_digest("daily", "2026-03-02", "admin:1", NOW)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert not uow.deadlines.record_nudge(row_id, Rung.REMINDER, NOW + HOUR)
        assert uow.deadlines.record_nudge(row_id, Rung.OVERDUE, NOW + HOUR)
        assert not uow.deadlines.record_digest("daily", "2026-03-02", "admin:1", NOW + HOUR)
        assert uow.deadlines.record_digest("daily", "2026-03-02", "admin:2", NOW + HOUR)
        assert uow.deadlines.record_digest("daily", "2026-03-03", "admin:1", NOW + HOUR)
        assert uow.deadlines.record_digest("weekly", "2026-03-02", "admin:1", NOW + HOUR)


def test_unplanned_lists_reports_in_the_statuses_without_an_active_deadline(
    engine: Engine,
) -> None:
    _report(engine, _plan(Step.VERIFIKASI, NOW))
    bare = _report(engine)
    all_closed = _report(engine, _plan(Step.SELESAI, NOW), status=Status.DIPROSES)
    _report(engine, status=Status.DITUTUP)
    later = _report(engine, status=Status.DIDISPOSISIKAN)
    (closed_row,) = _active_ids(engine, all_closed)
    with SqlUnitOfWork(engine) as uow:
        uow.deadlines.close(closed_row, NOW, Status.DIPROSES)
        open_ = [Status.BARU, Status.DIDISPOSISIKAN, Status.DIPROSES]
        assert uow.deadlines.unplanned(open_, 10) == [bare, all_closed, later]
        assert uow.deadlines.unplanned(open_, 2) == [bare, all_closed]
        assert uow.deadlines.unplanned([Status.SELESAI], 10) == []


def test_workload_counts_by_colour_and_lists_the_most_urgent_not_snoozed(engine: Engine) -> None:
    def report(step: Step, due: datetime, opd: str = "dpupr", title: str = "") -> int:
        return _report(engine, _plan(step, due, opd), _plan(Step.OMBUDSMAN, NOW, None),
                       opd=opd, title=title or f"{step.value} {opd}")

    red = report(Step.JAWABAN, NOW - HOUR)
    yellow = report(Step.SELESAI, NOW + 12 * HOUR)
    green = report(Step.JAWABAN, NOW + 5 * DAY)
    snoozed = report(Step.VERIFIKASI, NOW + 2 * HOUR)
    woke = report(Step.VERIFIKASI, NOW + DAY)  # due at yellow_until: still yellow
    report(Step.JAWABAN, NOW - 2 * DAY, opd="dinkes")
    closed = report(Step.JAWABAN, NOW - 3 * DAY)
    with SqlUnitOfWork(engine) as uow:

        def step_row(report_id: int) -> int:
            return next(r.id for r in uow.deadlines.active(report_id)
                        if r.step is not Step.OMBUDSMAN)

        uow.deadlines.snooze(step_row(snoozed), NOW + DAY)
        uow.deadlines.snooze(step_row(woke), NOW)  # over at `now`
        uow.deadlines.close(step_row(closed), NOW, Status.DIPROSES)
        uow.commit()
    numbers = {}
    with SqlUnitOfWork(engine) as uow:
        for report_id in (red, yellow, green, woke):
            view = uow.work.get_by_id(report_id)
            assert view is not None
            numbers[report_id] = view.tracking_no

        dpupr = uow.deadlines.workload("dpupr", ADMIN_STEPS, NOW, NOW + DAY, 10)
        assert (dpupr.red, dpupr.yellow, dpupr.green, dpupr.total) == (1, 3, 1, 5)
        assert dpupr.urgent == (
            UrgentItem(numbers[red], "jawaban dpupr", Step.JAWABAN, NOW - HOUR),
            UrgentItem(numbers[yellow], "selesai dpupr", Step.SELESAI, NOW + 12 * HOUR),
            UrgentItem(numbers[woke], "verifikasi dpupr", Step.VERIFIKASI, NOW + DAY),
            UrgentItem(numbers[green], "jawaban dpupr", Step.JAWABAN, NOW + 5 * DAY),
        )
        everyone = uow.deadlines.workload(None, ADMIN_STEPS, NOW, NOW + DAY, 2)
        assert (everyone.red, everyone.yellow, everyone.green) == (2, 3, 1)
        assert [(u.title, u.due_at) for u in everyone.urgent] == [
            ("jawaban dinkes", NOW - 2 * DAY), ("jawaban dpupr", NOW - HOUR)]
        answers = uow.deadlines.workload("dpupr", [Step.JAWABAN], NOW, NOW + DAY, 0)
        assert (answers.red, answers.yellow, answers.green, answers.urgent) == (1, 0, 1, ())
        assert uow.deadlines.workload("dinsos", ADMIN_STEPS, NOW, NOW + DAY, 5) == Workload(
            0, 0, 0, ())


def test_week_sums_first_answers_per_opd(engine: Engine) -> None:
    start, end = NOW - 7 * DAY, NOW

    def answer(opd: str, starts: datetime, due: datetime, closed: datetime | None = None,
               status: Status = Status.DIPROSES, step: Step = Step.JAWABAN) -> None:
        report_id = _report(engine, _plan(step, due, opd, starts=starts), opd=opd)
        if closed is not None:
            (row_id,) = _active_ids(engine, report_id)
            with SqlUnitOfWork(engine) as uow:
                uow.deadlines.close(row_id, closed, status)
                uow.commit()

    answer("dpupr", start + DAY, start + 6 * DAY, start + 2 * DAY)  # on time, 24 h
    answer("dpupr", start - 3 * DAY, start + DAY, start + 2 * DAY + HOUR)  # late, 121 h
    answer("dpupr", start + 3 * DAY, NOW - HOUR)  # received, still open and overdue
    answer("dpupr", start + 4 * DAY, start + 9 * DAY, start + 5 * DAY, Status.BARU)  # re-routed
    answer("dpupr", start - DAY, NOW - DAY, step=Step.SELESAI)  # overdue completion
    answer("dpupr", start - 5 * DAY, start + DAY, end, Status.SELESAI)  # next week's
    answer("dinkes", start + DAY, start + 6 * DAY, start + DAY + 6 * HOUR, Status.SELESAI)
    answer("dinsos", start - 2 * DAY, NOW + DAY)  # nothing this week
    answer("dinsos", start - 2 * DAY, NOW - DAY, step=Step.VERIFIKASI)  # not the OPD's step
    with SqlUnitOfWork(engine) as uow:
        assert list(uow.deadlines.week(start, end, NOW)) == [
            OpdWeek("dinkes", received=1, answered=1, answered_on_time=1, overdue=0,
                    response_hours=(6.0,)),
            OpdWeek("dpupr", received=3, answered=2, answered_on_time=1, overdue=2,
                    response_hours=(24.0, 121.0)),
        ]
        assert uow.deadlines.week(start - 30 * DAY, start - 23 * DAY, start - 23 * DAY) == []


def test_views_carry_their_steps_deadline_and_the_queue_puts_the_earliest_first(
    engine: Engine,
) -> None:
    ombudsman = _plan(Step.OMBUDSMAN, NOW + 2 * HOUR, None)
    bare = _report(engine, created_at=NOW + 3 * HOUR)
    later = _report(engine, _plan(Step.VERIFIKASI, NOW + 3 * DAY), ombudsman)
    sooner = _report(engine, _plan(Step.VERIFIKASI, NOW + DAY))
    only_ombudsman = _report(engine, ombudsman, created_at=NOW + HOUR)
    closed = _report(engine, _plan(Step.VERIFIKASI, NOW), created_at=NOW + 2 * HOUR)
    with SqlUnitOfWork(engine) as uow:
        uow.deadlines.close(uow.deadlines.active(closed)[0].id, NOW, Status.BARU)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        view = uow.work.get_by_id(later, for_update=True)
        assert view is not None and view.deadline == Deadline("verifikasi", NOW + 3 * DAY)
        by_number = uow.work.get(view.tracking_no)
        assert by_number is not None and by_number.deadline == view.deadline
        for report_id in (bare, only_ombudsman, closed):
            other = uow.work.get_by_id(report_id)
            assert other is not None and other.deadline is None
        assert uow.work.get_by_id(10_000) is None

        views, total = uow.work.queue("dpupr", [Status.BARU], 10)
        # Deadlines first; then the longest waiting (status_changed_at is created_at here).
        assert [v.id for v in views] == [sooner, later, only_ombudsman, closed, bare]
        assert total == 5
        assert [v.deadline.due if v.deadline else None for v in views[:3]] == [
            NOW + DAY, NOW + 3 * DAY, None]


@contextmanager
def _statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.mark.postgres
def test_claim_reads_the_pending_index_not_the_whole_table(pg_engine: Engine) -> None:
    engine = pg_engine
    citizen = make_citizen(engine)
    report = new_report(citizen)
    reports, rows = 5_000, 4
    with engine.begin() as conn:
        conn.execute(insert(table_of(ReportRow)), [dict(
            tracking_no=f"ADU-2025-{i:06d}", citizen_id=citizen, channel="telegram",
            chat_id="chat-1", type="pengaduan", category="jalan", opd="dpupr", status="baru",
            title=report.title, description=report.description, event_date=report.event_date,
            privacy="rahasia", created_at=NOW, updated_at=NOW, status_changed_at=NOW,
        ) for i in range(1, reports + 1)])
        first_id = conn.execute(select(table_of(ReportRow).c.id).order_by("id")).scalars().first()
        assert first_id is not None
        # Most rows are history (closed, nothing pending); one per report is still ahead.
        conn.execute(insert(_deadlines), [dict(
            report_id=first_id + i, step="jawaban", opd="dpupr", starts_at=NOW - 30 * DAY,
            due_at=NOW + i * HOUR, stage=0,
            next_at=NOW + (i - 20) * HOUR if k == 0 else None,
            closed_at=None if k == 0 else NOW - DAY, closed_status=None if k == 0 else "baru",
        ) for i in range(reports) for k in range(rows)])
        conn.execute(text("ANALYZE report_deadlines"))
        conn.execute(text("ANALYZE reports"))
    with SqlUnitOfWork(engine) as uow, _statements(engine) as seen:
        claimed = uow.deadlines.claim_due(NOW, 10)
        assert [r.next_at for r in claimed] == [NOW + (i - 20) * HOUR for i in range(10)]
        (claim, parameters), = [(s, p) for s, p in seen if "FOR UPDATE" in s]
        plan = "\n".join(uow.session.connection().exec_driver_sql(
            "EXPLAIN " + claim, parameters).scalars())
    assert "ix_report_deadlines_next_at" in plan, plan
    assert "Seq Scan on report_deadlines" not in plan, plan
