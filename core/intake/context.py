"""What the intake step function is given and what it gives back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from core.city import CityContext, IntakeConfig
from core.directory.model import Directory
from core.intake.state import Conversation, Step
from core.messages import Outbound
from core.reports.model import Draft

# Where the step function reads `reports_today` (the daily limit: `/lapor` outside the form,
# confirming a report, filing it despite duplicates); elsewhere the caller need not count.
COUNTS_TODAY = frozenset({Step.IDLE, Step.LANGUAGE, Step.SUMMARY, Step.DUPLICATES})


def needs_reports_today(conversation: Conversation) -> bool:
    """Whether this turn may check the daily report limit (one query saved on most steps)."""
    return conversation.step in COUNTS_TODAY


@dataclass(frozen=True, slots=True)
class Context:
    city: CityContext
    now: datetime  # aware UTC; the step function never reads a clock
    reports_today: int = 0

    @property
    def today(self) -> date:
        return self.now.astimezone(self.city.tz).date()

    @property
    def config(self) -> IntakeConfig:
        return self.city.config

    @property
    def directory(self) -> Directory:
        return self.city.directory


@dataclass(frozen=True, slots=True)
class SubmitRequested:
    """The citizen confirmed the summary: store the report."""

    draft: Draft


@dataclass(frozen=True, slots=True)
class StatusRequested:
    """Show the citizen's reports (all, or the one with this tracking number)."""

    tracking_no: str | None


@dataclass(frozen=True, slots=True)
class LanguageChanged:
    language: str


@dataclass(frozen=True, slots=True)
class FollowRequested:
    """The citizen chose to follow an existing report instead of filing theirs."""

    tracking_no: str


Event = SubmitRequested | StatusRequested | LanguageChanged | FollowRequested


@dataclass(slots=True)
class StepResult:
    conversation: Conversation
    replies: list[Outbound] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
