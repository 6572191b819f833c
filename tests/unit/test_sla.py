"""The working-day clock and the deadline ladder's timing (pure functions, clock passed in)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.reports.model import Status
from core.sla.policy import DeadlineRow, Rung, SlaPolicy, Step, next_rung, pending_at
from core.sla.working_days import WorkCalendar
from tests.unit.test_work_rules import report, sample_city

WIB = ZoneInfo("Asia/Jakarta")
# The sample city's cuti bersama around Idul Fitri 2026 (Eid itself is 21–22 March).
LEAVE_2026 = [date(2026, 3, 18), date(2026, 3, 19), date(2026, 3, 23), date(2026, 3, 24)]


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB)


def local_day(moment: datetime) -> date:
    return moment.astimezone(WIB).date()


# --- working days -----------------------------------------------------------------------------
@pytest.mark.parametrize(("start", "days", "due"), [
    (date(2026, 11, 23), 1, date(2026, 11, 24)),  # Monday → Tuesday
    (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday → Monday (weekend skipped)
    (date(2026, 11, 28), 1, date(2026, 11, 30)),  # filed on Saturday: Monday is day 1
    (date(2026, 11, 23), 5, date(2026, 11, 30)),  # a full working week
    (date(2026, 12, 23), 3, date(2026, 12, 29)),  # Christmas Friday 25 Dec, then the weekend
    (date(2026, 12, 30), 2, date(2027, 1, 4)),  # across the year end: 31 Dec, (1 Jan), 4 Jan
    (date(2026, 3, 17), 1, date(2026, 3, 20)),  # 18–19 Mar leave/Nyepi
    (date(2026, 3, 20), 1, date(2026, 3, 25)),  # Idul Fitri weekend and leave 23–24 Mar
])
def test_add_working_days(start: date, days: int, due: date) -> None:
    calendar = WorkCalendar.of(WIB, LEAVE_2026)
    result = calendar.add_working_days(at(start), days)
    assert result.tzinfo is not None and result.utcoffset() == timedelta(0)  # stored in UTC
    assert local_day(result) == due
    assert result.astimezone(WIB).time().hour == 23  # the end of the local working day


def test_working_day_arithmetic_uses_the_local_date_not_the_utc_one() -> None:
    calendar = WorkCalendar.of(WIB)
    # 23:30 UTC on Sunday is already Monday 06:30 in Jakarta: Monday is the start day.
    sunday_utc = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    assert local_day(calendar.add_working_days(sunday_utc, 1)) == date(2026, 11, 24)
    # Asia/Jakarta has no DST: the offset is +07:00 all year.
    assert {at(date(2026, m, 1)).utcoffset() for m in range(1, 13)} == {timedelta(hours=7)}


def test_working_days_between_counts_only_working_days() -> None:
    calendar = WorkCalendar.of(WIB, LEAVE_2026)
    assert calendar.working_days_between(at(date(2026, 3, 17)), at(date(2026, 3, 25))) == 2
    # 28–31 Dec and 4 Jan (25 Dec, 1 Jan and the weekends skipped)
    assert calendar.working_days_between(at(date(2026, 12, 24)), at(date(2027, 1, 4))) == 5


# --- planning -----------------------------------------------------------------------------------
def policy(**tier: int) -> SlaPolicy:
    directory = sample_city().directory
    if tier:
        tiers = tuple(replace(t, **tier) for t in directory.sla_tiers)
        directory = replace(directory, sla_tiers=tiers)
    return SlaPolicy(directory, WorkCalendar.of(WIB, directory.collective_leave))


def test_each_status_plans_its_step_and_the_ombudsman_date() -> None:
    sla = policy()
    created = at(date(2026, 11, 23), 9)  # Monday
    base = replace(report(Status.BARU), created_at=created, status_changed_at=created,
                   category="jalan_rusak", opd="pupr")
    expected = {Status.BARU: (Step.VERIFIKASI, date(2026, 11, 26)),
                Status.DIDISPOSISIKAN: (Step.JAWABAN, date(2026, 11, 30)),
                Status.DIPROSES: (Step.SELESAI, None),
                Status.SELESAI: (Step.KONFIRMASI, date(2026, 12, 7))}
    for status, (step, due) in expected.items():
        planned = sla.plan(replace(base, status=status))
        assert [p.step for p in planned] == [step, Step.OMBUDSMAN]
        if due is not None:
            assert local_day(planned[0].due_at) == due
        assert planned[1].due_at == created + timedelta(days=60)
    for closed in (Status.DITUTUP, Status.DITOLAK):
        assert sla.plan(replace(base, status=closed)) == []
    verification = sla.plan(base)[0]
    assert verification.opd is None  # the coordinator's step, whatever OPD the category has
    assert verification.remind_at == at(date(2026, 11, 26), 7)  # the last day, 07:00 WIB


def test_completion_follows_the_category_tier_and_tiers_override_everything() -> None:
    sla = policy()
    start = at(date(2026, 11, 23), 9)
    for category in ("jalan_rusak", "adminduk", "drainase_banjir"):
        item = replace(report(Status.DIPROSES), category=category, status_changed_at=start,
                       created_at=start)
        found = sla.directory.category(category)
        tier = sla.directory.tier(found.sla_tier) if found else None
        assert tier is not None
        due = sla.plan(item)[0].due_at
        assert sla.calendar.working_days_between(start, due) == tier.completion_days
    custom = policy(verification_days=1, confirmation_days=2, ombudsman_days=30)
    fresh = replace(report(Status.BARU), status_changed_at=start, created_at=start)
    verification, ombudsman = custom.plan(fresh)
    assert local_day(verification.due_at) == date(2026, 11, 24)
    assert ombudsman.due_at == start + timedelta(days=30)
    done = replace(fresh, status=Status.SELESAI)
    assert local_day(custom.plan(done)[0].due_at) == date(2026, 11, 25)


# --- quiet hours and snoozing -----------------------------------------------------------------
@pytest.mark.parametrize(("now", "until"), [
    (at(date(2026, 11, 23), 10), None),  # Monday 10:00: send now
    (at(date(2026, 11, 23), 21, 0), at(date(2026, 11, 24), 7)),  # 21:00: tomorrow 07:00
    (at(date(2026, 11, 24), 6, 59), at(date(2026, 11, 24), 7)),  # before 07:00: today 07:00
    (at(date(2026, 11, 27), 22), at(date(2026, 11, 30), 7)),  # Friday night: Monday
    (at(date(2026, 11, 28), 12), at(date(2026, 11, 30), 7)),  # Saturday noon: Monday
    (at(date(2026, 12, 24), 23), at(date(2026, 12, 28), 7)),  # Christmas + weekend
])
def test_quiet_hours_and_non_working_days_defer_reminders(now: datetime,
                                                          until: datetime | None) -> None:
    assert policy().quiet_until(now) == until


def test_snooze_lasts_one_working_day() -> None:
    sla = policy()
    assert sla.snooze_until(at(date(2026, 11, 23), 10, 30)) == at(date(2026, 11, 24), 10, 30)
    assert sla.snooze_until(at(date(2026, 11, 27), 15)) == at(date(2026, 11, 30), 15)
    assert sla.snooze_until(at(date(2026, 11, 23), 22)) == at(date(2026, 11, 25), 7)


# --- the ladder ---------------------------------------------------------------------------------
def row(step: Step = Step.JAWABAN, stage: int = 0) -> DeadlineRow:
    due = at(date(2026, 11, 30), 23, 59)
    remind = at(date(2026, 11, 30), 7) if step.nudges_admins else None
    row = DeadlineRow(1, 1, "ADU-2026-000001", step, "pupr", at(date(2026, 11, 23)), due,
                      remind, None, stage)
    return replace(row, next_at=pending_at(row))


def test_the_ladder_goes_reminder_then_overdue_and_catches_up_once() -> None:
    fresh, status = row(), Status.DIDISPOSISIKAN
    assert fresh.next_at == fresh.remind_at
    assert next_rung(fresh, status, at(date(2026, 11, 27))) is None  # not yet
    assert next_rung(fresh, status, at(date(2026, 11, 30), 8)) is Rung.REMINDER
    reminded = replace(fresh, stage=1)
    assert pending_at(reminded) == fresh.due_at
    assert next_rung(reminded, status, at(date(2026, 11, 30), 12)) is None
    late = at(date(2026, 12, 1), 8)
    assert next_rung(reminded, status, late) is Rung.OVERDUE
    # Down through both the reminder and the deadline: only the overdue rung is sent.
    assert next_rung(fresh, status, late) is Rung.OVERDUE
    done = replace(fresh, stage=2)
    assert next_rung(done, status, late) is None and pending_at(done) is None


def test_a_row_of_a_step_the_report_left_sends_nothing() -> None:
    late = at(date(2026, 12, 10))
    assert next_rung(row(), Status.DIPROSES, late) is None
    assert next_rung(row(Step.KONFIRMASI), Status.SELESAI, late) is Rung.AUTO_CLOSE
    assert next_rung(row(Step.KONFIRMASI), Status.DIPROSES, late) is None  # disputed
    ombudsman = row(Step.OMBUDSMAN)
    assert next_rung(ombudsman, Status.DIPROSES, late) is Rung.OMBUDSMAN
    assert next_rung(ombudsman, Status.SELESAI, late) is None
    assert next_rung(ombudsman, Status.DIPROSES, at(date(2026, 11, 25))) is None
