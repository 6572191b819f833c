"""What the intake step function is given and what it gives back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.conversation_state import Conversation
from core.directory import Directory
from core.matching import ChoiceMatcher, category_matcher, opd_matcher
from core.messages import Outbound
from core.reports import Draft
from core.sla import SlaPolicy
from core.working_days import WorkCalendar


@dataclass(frozen=True, slots=True)
class IntakeConfig:
    """Limits of the form (DESIGN.md "Intake form")."""

    max_photos: int = 5
    max_photo_bytes: int = 20 * 1024 * 1024
    description_min: int = 20
    description_max: int = 4000
    title_min: int = 5
    title_max: int = 150
    max_event_age_days: int = 365
    daily_report_limit: int = 5
    duplicate_radius_m: float = 200.0
    duplicate_window_days: int = 30


@dataclass(frozen=True, slots=True)
class CityContext:
    """The parts of the context that change only when the directory is reloaded."""

    directory: Directory
    matcher: ChoiceMatcher
    config: IntakeConfig
    tz: ZoneInfo
    opd_matcher: ChoiceMatcher  # typed agency names in /alihkan and /verifikasi
    sla: SlaPolicy  # deadlines on the city's working-day calendar

    @classmethod
    def build(cls, directory: Directory, config: IntakeConfig, tz: ZoneInfo) -> CityContext:
        calendar = WorkCalendar.of(tz, directory.collective_leave)
        return cls(directory, category_matcher(directory.categories, directory.examples), config, tz,
                   opd_matcher(directory.opds), SlaPolicy(directory, calendar))


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
