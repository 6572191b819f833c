"""The city as the core sees it: its directory and everything derived from it at load time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from core.directory.model import Directory, Example
from core.matching.categories import ChoiceMatcher, category_matcher, opd_matcher
from core.privacy.policy import Retention
from core.sla.policy import SlaPolicy
from core.sla.working_days import WorkCalendar


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
    retention: Retention = Retention()  # what the privacy notice and /data_saya tell citizens


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
    def build(cls, directory: Directory, config: IntakeConfig, tz: ZoneInfo,
              learned: Sequence[Example] = ()) -> CityContext:
        """`learned`: examples from reports whose category a coordinator confirmed, matched
        beside the directory's own (core.matching.learning)."""
        calendar = WorkCalendar.of(tz, directory.collective_leave)
        matcher = category_matcher(directory.categories, (*directory.examples, *learned),
                                   directory.out_of_authority)
        return cls(directory, matcher, config, tz,
                   opd_matcher(directory.opds), SlaPolicy(directory, calendar))
