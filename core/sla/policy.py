"""Deadlines of a report's current step, the nudge ladder's timing and colours (pure).

DESIGN.md "SLA defaults": verification 3 working days, first OPD answer 5, completion 5/14/60
by tier, 10 working days for the citizen to confirm a `selesai`, the Ombudsman route after 60
calendar days unresolved; every number can be overridden per tier in the directory. Deadlines
are stored as rows (`DeadlineRow`) and replanned whenever a report changes status or OPD; the
sweeper (`core.sla_sweep`) walks them up the ladder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum

from core.directory.model import Directory, SlaTier
from core.reports.model import Status
from core.reports.views import Deadline, ReportView
from core.sla.working_days import WorkCalendar

DEFAULT_TIER = SlaTier("default", completion_days=14)
WORKDAY_START = time(7, 0)  # quiet hours end; reminders wait for it
QUIET_FROM = time(21, 0)  # individual reminders are not sent from here until WORKDAY_START
DIGEST_AT = time(8, 0)  # daily digest and the weekly summary
OMBUDSMAN_RECHECK = timedelta(days=1)  # a `selesai` at the Ombudsman date is looked at again


class Colour(StrEnum):
    GREEN = "🟢"
    YELLOW = "🟡"
    RED = "🔴"


class Step(StrEnum):
    """What a deadline is for; the first four follow the status, OMBUDSMAN runs alongside."""

    VERIFIKASI = "verifikasi"  # baru: the coordinator verifies and disposes
    JAWABAN = "jawaban"  # didisposisikan: the OPD's first answer
    SELESAI = "selesai"  # diproses: the OPD's final answer
    KONFIRMASI = "konfirmasi"  # selesai: the citizen confirms or disputes, else auto-close
    OMBUDSMAN = "ombudsman"  # days since submission: the citizen is told about the Ombudsman

    @property
    def nudges_admins(self) -> bool:
        return self in (Step.VERIFIKASI, Step.JAWABAN, Step.SELESAI)


class Rung(StrEnum):
    """One rung of the ladder; each is sent at most once per deadline row."""

    REMINDER = "reminder"  # 1 working day before: the responsible admins
    OVERDUE = "overdue"  # at the deadline: all the OPD's admins and the coordinators
    AUTO_CLOSE = "auto_close"  # confirmation window over: ditutup, the citizen is told
    OMBUDSMAN = "ombudsman"  # unresolved after the Ombudsman period: the citizen is told


# The status each step belongs to; a row whose report left that status is stale.
STEP_STATUS = {Step.VERIFIKASI: Status.BARU, Step.JAWABAN: Status.DIDISPOSISIKAN,
               Step.SELESAI: Status.DIPROSES, Step.KONFIRMASI: Status.SELESAI}
UNRESOLVED = (Status.BARU, Status.DIDISPOSISIKAN, Status.DIPROSES)


@dataclass(frozen=True, slots=True)
class PlannedDeadline:
    """A deadline a report should have now; `remind_at` None means no reminder rung."""

    step: Step
    opd: str | None
    starts_at: datetime
    due_at: datetime
    remind_at: datetime | None


@dataclass(frozen=True, slots=True)
class DeadlineRow:
    """A stored deadline (active: not closed)."""

    id: int
    report_id: int
    tracking_no: str
    step: Step
    opd: str | None
    starts_at: datetime
    due_at: datetime
    remind_at: datetime | None
    next_at: datetime | None  # when the sweeper must look at it again; None: nothing left
    stage: int  # rungs done: 0 none, 1 reminder sent, 2 final rung done
    snoozed_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class UrgentItem:
    tracking_no: str
    title: str
    step: Step
    due_at: datetime


@dataclass(frozen=True, slots=True)
class Workload:
    """Open deadlines of one scope by colour, and the most urgent ones (not snoozed)."""

    red: int
    yellow: int
    green: int
    urgent: tuple[UrgentItem, ...]

    @property
    def total(self) -> int:
        return self.red + self.yellow + self.green


@dataclass(frozen=True, slots=True)
class OpdWeek:
    """One OPD's first-answer record over a week (the weekly summary's row)."""

    opd: str
    received: int  # disposed to the OPD during the week
    answered: int  # first answers given during the week
    answered_on_time: int  # of those, given by the deadline
    overdue: int  # deadlines of the OPD's reports past due now
    response_hours: tuple[float, ...]  # disposition → first answer, for those answered


def tier_of(category_code: str, directory: Directory) -> SlaTier:
    category = directory.category(category_code)
    found = directory.tier(category.sla_tier) if category else None
    return found or DEFAULT_TIER


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """The city's deadlines: its directory's tiers on its working-day calendar; every moment
    it returns is aware UTC (storage's form)."""

    directory: Directory
    calendar: WorkCalendar

    def plan(self, report: ReportView) -> list[PlannedDeadline]:
        """The deadlines `report` has in its current status (empty once it is closed)."""
        return self.plan_for(report.category, report.status, report.opd,
                             report.status_changed_at, report.created_at)

    def plan_for(self, category: str, status: Status, opd: str | None,
                 status_changed_at: datetime, created_at: datetime) -> list[PlannedDeadline]:
        tier = tier_of(category, self.directory)
        step_days = {Step.VERIFIKASI: tier.verification_days, Step.JAWABAN: tier.first_answer_days,
                     Step.SELESAI: tier.completion_days, Step.KONFIRMASI: tier.confirmation_days}
        planned: list[PlannedDeadline] = []
        for step, step_status in STEP_STATUS.items():
            if status is step_status:
                due = self.calendar.add_working_days(status_changed_at, step_days[step])
                remind = self.reminder_time(due) if step.nudges_admins else None
                owner = opd if step is not Step.VERIFIKASI else None
                planned.append(PlannedDeadline(step, owner, status_changed_at, due, remind))
        if status in (*UNRESOLVED, Status.SELESAI):
            due = created_at + timedelta(days=tier.ombudsman_days)
            planned.append(PlannedDeadline(Step.OMBUDSMAN, None, created_at, due, None))
        return planned

    def reminder_time(self, due: datetime) -> datetime:
        """1 working day before `due` (the end of its day): the start of that last day."""
        local_day = due.astimezone(self.calendar.tz).date()
        return datetime.combine(local_day, WORKDAY_START, tzinfo=self.calendar.tz).astimezone(UTC)

    def quiet_until(self, now: datetime) -> datetime | None:
        """When quiet hours (21:00–07:00, and non-working days) end, or None outside them."""
        local = now.astimezone(self.calendar.tz)
        day = local.date()
        if self.calendar.is_working_day(day) and WORKDAY_START <= local.time() < QUIET_FROM:
            return None
        if local.time() >= WORKDAY_START or not self.calendar.is_working_day(day):
            day += timedelta(days=1)
        while not self.calendar.is_working_day(day):
            day += timedelta(days=1)
        return datetime.combine(day, WORKDAY_START, tzinfo=self.calendar.tz).astimezone(UTC)

    def snooze_until(self, now: datetime) -> datetime:
        """One working day later, at the same local time (out of quiet hours)."""
        local = now.astimezone(self.calendar.tz)
        day = local.date() + timedelta(days=1)
        while not self.calendar.is_working_day(day):
            day += timedelta(days=1)
        later = datetime.combine(day, max(local.time(), WORKDAY_START), tzinfo=self.calendar.tz)
        return self.quiet_until(later) or later.astimezone(UTC)

    def current_deadline(self, report: ReportView) -> Deadline | None:
        """The deadline of the step the report is in (the status-driven one)."""
        if report.deadline is not None:
            return report.deadline
        for planned in self.plan(report):
            if planned.step is not Step.OMBUDSMAN:
                return Deadline(planned.step.value, planned.due_at)
        return None

    def yellow_until(self, now: datetime) -> datetime:
        """Deadlines due up to here (the end of the next working day) are yellow."""
        return self.calendar.add_working_days(now, 1)

    def colour(self, deadline: Deadline, now: datetime) -> Colour:
        if now > deadline.due:
            return Colour.RED
        if deadline.due <= self.yellow_until(now):
            return Colour.YELLOW
        return Colour.GREEN


def next_rung(row: DeadlineRow, report_status: Status, now: datetime) -> Rung | None:
    """The rung a due row has reached now, or None when nothing is to be sent.

    After downtime only the highest rung reached is sent: a report that passed both its
    reminder and its deadline while the sweeper was down gets one overdue nudge, not two.
    """
    if row.step is Step.OMBUDSMAN:
        return Rung.OMBUDSMAN if report_status in UNRESOLVED and now >= row.due_at else None
    if report_status is not STEP_STATUS[row.step]:
        return None
    if row.step is Step.KONFIRMASI:
        return Rung.AUTO_CLOSE if now >= row.due_at else None
    if now >= row.due_at and row.stage < 2:
        return Rung.OVERDUE
    if row.stage == 0 and row.remind_at is not None and now >= row.remind_at:
        return Rung.REMINDER
    return None


def pending_at(row: DeadlineRow) -> datetime | None:
    """When the row's next rung falls due (None when every rung is done)."""
    if row.stage >= 2:
        return None
    if row.stage == 0 and row.remind_at is not None:
        return row.remind_at
    return row.due_at
