"""The sweeper: walks due deadline rows up the nudge ladder and sends the digests.

Every decision is made from the rows and `now`, never from when the sweeper last ran, so a
sweep after downtime catches up once: each row is looked at once and sends only the highest
rung it has reached; each digest period is sent once. Exactly-once across processes rests on
three things in the same transaction as the messages: the sweeper lock (one process sweeps at
a time), row locks with SKIP LOCKED on the claim, and the unique record of every rung and
digest sent (`record_nudge`, `record_digest`), which refuses a second send outright.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from core.city import CityContext
from core.i18n import format_date, format_datetime, t
from core.messages import Audience, Option, Outbound
from core.ports import UnitOfWork, UnitOfWorkFactory
from core.reports.actors import Actor, Admin, Role
from core.reports.changes import event_by
from core.reports.feedback import close_unconfirmed
from core.reports.model import Status
from core.reports.notify import notify_admins, responsible_admins, update_citizens
from core.reports.render import opd_name
from core.reports.views import ReportView
from core.sla.policy import (
    DIGEST_AT,
    OMBUDSMAN_RECHECK,
    QUIET_FROM,
    STEP_STATUS,
    UNRESOLVED,
    DeadlineRow,
    OpdWeek,
    Rung,
    Step,
    Workload,
    next_rung,
    pending_at,
)

log = logging.getLogger(__name__)

BATCH = 200  # rows claimed per transaction
BACKFILL_BATCH = 500
DIGEST_URGENT = 5
OFFICER_STEPS = (Step.JAWABAN, Step.SELESAI)
COORDINATOR_STEPS = (Step.VERIFIKASI, Step.JAWABAN, Step.SELESAI)
PLANNABLE = (*UNRESOLVED, Status.SELESAI)
SYSTEM = Actor.system()


@dataclass(slots=True)
class SweepResult:
    """What one sweep did (for logs, metrics and tests)."""

    claimed: int = 0
    sent: dict[Rung, int] = field(default_factory=dict)
    deferred: int = 0  # reminders held back by quiet hours
    closed: int = 0  # stale rows of reports that had moved on
    digests: int = 0
    weekly: int = 0
    locked_out: bool = False  # another process held the sweeper lock

    def count(self, rung: Rung) -> None:
        self.sent[rung] = self.sent.get(rung, 0) + 1


class SlaSweeper:
    """One sweep = due rows in batches, then the daily digest and weekly summary if due."""

    def __init__(self, uow: UnitOfWorkFactory, city: Callable[[], CityContext]) -> None:
        self._uow = uow
        self._city = city

    def sweep(self, now: datetime) -> SweepResult:
        result = SweepResult()
        city = self._city()
        seen: set[int] = set()
        while True:
            with self._uow() as uow:
                if not uow.deadlines.try_lock_sweep():
                    result.locked_out = True
                    return result
                rows = [r for r in uow.deadlines.claim_due(now, BATCH) if r.id not in seen]
                for row in rows:
                    seen.add(row.id)
                    self._handle(uow, row, now, city, result)
                uow.commit()
            result.claimed += len(rows)
            if len(rows) < BATCH:
                break
        with self._uow() as uow:
            if not uow.deadlines.try_lock_sweep():
                result.locked_out = True
                return result
            result.digests = self._daily_digest(uow, now, city)
            result.weekly = self._weekly_summary(uow, now, city)
            uow.commit()
        return result

    def plan_missing(self, now: datetime) -> int:
        """Give deadlines to open reports that have none (stored before deadlines were)."""
        city, planned, seen = self._city(), 0, set[int]()
        while True:
            with self._uow() as uow:
                ids = [i for i in uow.deadlines.unplanned(PLANNABLE, BACKFILL_BATCH)
                       if i not in seen]
                for report_id in ids:
                    seen.add(report_id)
                    report = uow.work.get_by_id(report_id)
                    if report is not None:
                        uow.deadlines.replace(report_id, city.sla.plan(report), now)
                uow.commit()
            planned += len(ids)
            if len(ids) < BACKFILL_BATCH:  # also ends it should a report stay unplannable
                return planned

    # --- one due row ------------------------------------------------------------------------
    def _handle(self, uow: UnitOfWork, row: DeadlineRow, now: datetime, city: CityContext,
                result: SweepResult) -> None:
        report = uow.work.get_by_id(row.report_id)  # claim_due locked its row with ours
        if report is None or _stale(row, report.status):
            uow.deadlines.close(row.id, now, report.status if report else None)
            result.closed += 1
            return
        rung = next_rung(row, report.status, now)
        if rung is None:
            later = pending_at(row)
            if row.step is Step.OMBUDSMAN and report.status is Status.SELESAI:
                later = now + OMBUDSMAN_RECHECK  # told only if a dispute reopens it in time
            uow.deadlines.advance(row.id, row.stage, later if later and later > now else None)
            return
        if rung in (Rung.REMINDER, Rung.OVERDUE) and (quiet := city.sla.quiet_until(now)):
            uow.deadlines.advance(row.id, row.stage, quiet)
            result.deferred += 1
            return
        # The row's state after this rung (an auto-close also replans, closing the row).
        if rung is Rung.REMINDER:
            uow.deadlines.advance(row.id, 1, row.due_at)
        else:
            uow.deadlines.advance(row.id, 2, None)
        if not uow.deadlines.record_nudge(row.id, rung, now):
            return  # sent already (by a process whose lock we did not see): never twice
        result.count(rung)
        match rung:
            case Rung.REMINDER:
                self._nudge(uow, row, report, rung, responsible_admins(
                    uow, report.status, report.opd), now, city)
            case Rung.OVERDUE:
                self._nudge(uow, row, report, rung, _overdue_audience(uow, row), now, city)
            case Rung.AUTO_CLOSE:
                close_unconfirmed(uow, city, report, now)
            case Rung.OMBUDSMAN:
                self._ombudsman(uow, row, report, now, city)

    def _nudge(self, uow: UnitOfWork, row: DeadlineRow, report: ReportView, rung: Rung,
               admins: Sequence[Admin], now: datetime, city: CityContext) -> None:
        days = city.sla.calendar.working_days_between(row.starts_at, row.due_at)
        opd = opd_name(row.opd, city, "id") if row.opd else None

        def head(lang: str) -> str:
            what = t(f"deadline.{row.step.value}", lang)
            due = format_datetime(row.due_at, lang, city.tz)
            since = format_date(row.starts_at.astimezone(city.tz).date(), lang)
            return t(f"nudge.{rung.value}", lang, what=what, ref=report.tracking_no, due=due,
                     days=days, since=since, opd=opd or t("nudge.coordinators", lang))

        sent = notify_admins(uow, admins, report, head, city, now)
        uow.work.add_event(report.id, event_by(
            SYSTEM, now, "nudged", f"{rung.value} {row.step.value} ({sent})"))
        log.info("nudge %s for %s step %s to %d admins", rung.value, report.tracking_no,
                 row.step.value, sent)

    def _ombudsman(self, uow: UnitOfWork, row: DeadlineRow, report: ReportView, now: datetime,
                   city: CityContext) -> None:
        days = (row.due_at - row.starts_at).days
        uow.work.add_event(report.id, event_by(SYSTEM, now, "ombudsman"))
        # The reporter and the followers: anyone it affects may take it to the Ombudsman.
        update_citizens(uow, report, report.status,
                        lambda lang: t("update.ombudsman", lang, days=days), now, announce=False)

    # --- digests ------------------------------------------------------------------------------
    def _daily_digest(self, uow: UnitOfWork, now: datetime, city: CityContext) -> int:
        local = now.astimezone(city.tz)
        if not _digest_time(local, city):
            return 0
        if not uow.deadlines.record_digest("daily", local.date().isoformat(), "*", now):
            return 0
        yellow_until = city.sla.yellow_until(now)
        loads: dict[str | None, Workload] = {}
        sent = 0
        for admin in uow.admins.active():
            scope = None if admin.role is Role.COORDINATOR else admin.opd
            if scope not in loads:
                steps = COORDINATOR_STEPS if scope is None else OFFICER_STEPS
                loads[scope] = uow.deadlines.workload(scope, steps, now, yellow_until,
                                                      DIGEST_URGENT)
            load = loads[scope]
            if load.total:
                uow.outbox.put(admin.channel, admin.chat_id,
                               digest(load, scope, local.date(), city, admin.language), now)
                sent += 1
        log.info("daily digest sent to %d admins", sent)
        return sent

    def _weekly_summary(self, uow: UnitOfWork, now: datetime, city: CityContext) -> int:
        local = now.astimezone(city.tz)
        monday = local.date() - timedelta(days=local.weekday())
        first = next((monday + timedelta(days=i) for i in range(7)
                      if city.sla.calendar.is_working_day(monday + timedelta(days=i))), None)
        if first is None or local.date() < first or not _digest_time(local, city):
            return 0
        year, week, _ = monday.isocalendar()
        if not uow.deadlines.record_digest("weekly", f"{year}-W{week:02d}", "*", now):
            return 0
        start = datetime.combine(monday - timedelta(days=7), datetime.min.time(), tzinfo=city.tz)
        end = datetime.combine(monday, datetime.min.time(), tzinfo=city.tz)
        rows = uow.deadlines.week(start, end, now)
        coordinators = uow.admins.active(role=Role.COORDINATOR)
        for admin in coordinators:
            uow.outbox.put(admin.channel, admin.chat_id,
                           weekly(rows, start.date(), (end - timedelta(days=1)).date(), city,
                                  admin.language), now)
        return len(coordinators)


def _digest_time(local: datetime, city: CityContext) -> bool:
    """Digests go out on working days from 08:00 until quiet hours begin."""
    return (city.sla.calendar.is_working_day(local.date())
            and DIGEST_AT <= local.time() < QUIET_FROM)


def _stale(row: DeadlineRow, status: Status) -> bool:
    if row.step is Step.OMBUDSMAN:
        return status not in PLANNABLE
    return status is not STEP_STATUS[row.step]


def _overdue_audience(uow: UnitOfWork, row: DeadlineRow) -> list[Admin]:
    """At the deadline: every admin of the OPD and every coordinator, each once."""
    admins = list(uow.admins.active(opd=row.opd)) if row.opd else []
    ids = {a.id for a in admins}
    admins += [a for a in uow.admins.active(role=Role.COORDINATOR) if a.id not in ids]
    return admins


def digest(load: Workload, scope: str | None, day: date, city: CityContext,
           lang: str) -> Outbound:
    """The 08:00 digest: counts by colour and the most urgent reports, each with [Lihat]."""
    name = t("queue.all", lang) if scope is None else opd_name(scope, city, lang)
    lines = [t("digest.header", lang, date=format_date(day, lang), scope=name,
               total=load.total, red=load.red, yellow=load.yellow, green=load.green)]
    if load.urgent:
        lines.append(t("digest.urgent", lang))
    for item in load.urgent:
        overdue = item.due_at.astimezone(city.tz).date() < day
        lines.append(t("digest.line", lang, colour="🔴" if overdue else "🟡", ref=item.tracking_no,
                       what=t(f"deadline.{item.step.value}", lang),
                       due=format_date(item.due_at.astimezone(city.tz).date(), lang),
                       title=item.title[:60]))
    lines.append(t("digest.footer", lang))
    options = tuple(Option(f"adm:lihat:{i.tracking_no}", i.tracking_no) for i in load.urgent)
    return Outbound("\n".join(lines), options, audience=Audience.ADMIN)


def weekly(rows: Sequence[OpdWeek], start: date, end: date, city: CityContext,
           lang: str) -> Outbound:
    """The Monday summary: per OPD received, answered (on time), overdue, median response."""
    lines = [t("weekly.header", lang, start=format_date(start, lang), end=format_date(end, lang))]
    if not rows:
        lines.append(t("weekly.empty", lang))
    ordered = sorted(rows, key=lambda r: (-r.overdue, -r.received, r.opd))
    for row in ordered:
        lines.append(t("weekly.line", lang, opd=opd_name(row.opd, city, lang),
                       received=row.received, answered=row.answered, on_time=row.answered_on_time,
                       overdue=row.overdue, median=_median(row.response_hours, lang)))
    if len(rows) > 1:
        hours = tuple(h for r in rows for h in r.response_hours)
        lines.append(t("weekly.total", lang, received=sum(r.received for r in rows),
                       answered=sum(r.answered for r in rows),
                       on_time=sum(r.answered_on_time for r in rows),
                       overdue=sum(r.overdue for r in rows), median=_median(hours, lang)))
    return Outbound("\n".join(lines), audience=Audience.ADMIN)


def _median(hours: Sequence[float], lang: str) -> str:
    if not hours:
        return t("weekly.none", lang)
    value = statistics.median(hours)
    if value < 48:
        return t("weekly.hours", lang, value=f"{value:.0f}")
    return t("weekly.days", lang, value=f"{value / 24:.1f}".replace(".", "," if lang == "id" else "."))
