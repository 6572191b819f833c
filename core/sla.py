"""The deadline a report is working against now, and its colour (DESIGN.md "SLA defaults")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.directory import Directory, SlaTier
from core.reports import Status
from core.work import ReportView
from core.working_days import WorkCalendar

CONFIRMATION_DAYS = 10  # working days a citizen has to confirm or dispute a `selesai`
DEFAULT_TIER = SlaTier("default", completion_days=14)


class Colour(StrEnum):
    GREEN = "🟢"
    YELLOW = "🟡"
    RED = "🔴"


@dataclass(frozen=True, slots=True)
class Deadline:
    what: str  # verifikasi | jawaban | selesai | konfirmasi
    due: datetime


def tier_of(report: ReportView, directory: Directory) -> SlaTier:
    category = directory.category(report.category)
    found = directory.tier(category.sla_tier) if category else None
    return found or DEFAULT_TIER


def current_deadline(report: ReportView, directory: Directory,
                     calendar: WorkCalendar) -> Deadline | None:
    """The step the report is in and when it is due; None once it is closed."""
    tier, start = tier_of(report, directory), report.status_changed_at
    match report.status:
        case Status.BARU:
            return Deadline("verifikasi", calendar.add_working_days(start, tier.verification_days))
        case Status.DIDISPOSISIKAN:
            return Deadline("jawaban", calendar.add_working_days(start, tier.first_answer_days))
        case Status.DIPROSES:
            return Deadline("selesai", calendar.add_working_days(start, tier.completion_days))
        case Status.SELESAI:
            return Deadline("konfirmasi", calendar.add_working_days(start, CONFIRMATION_DAYS))
    return None


def colour(deadline: Deadline, now: datetime, calendar: WorkCalendar) -> Colour:
    if now > deadline.due:
        return Colour.RED
    if calendar.working_days_between(now, deadline.due) <= 1:
        return Colour.YELLOW
    return Colour.GREEN
