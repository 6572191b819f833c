"""The city as the core sees it: its directory and everything derived from it at load time."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from core.directory.model import Directory, Example
from core.matching.categories import ChoiceMatcher, category_matcher, opd_matcher
from core.matching.ngrams import Fit
from core.matching.patience import holding
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


class Once:
    """A value built by the first caller that needs it; callers meanwhile wait for it."""

    def __init__(self, build: Callable[[], ChoiceMatcher]) -> None:
        self._build: Callable[[], ChoiceMatcher] | None = build
        self._value: ChoiceMatcher | None = None
        self._lock = threading.Lock()

    def __call__(self) -> ChoiceMatcher:
        if self._value is None:
            with holding(self._lock):  # an impatient caller is told NotReady instead
                if self._build is not None:
                    self._value, self._build = self._build(), None
        assert self._value is not None
        return self._value

    @property
    def value(self) -> ChoiceMatcher | None:
        """The value if built; None otherwise (nothing is built here)."""
        return self._value

    @property
    def building(self) -> bool:
        return self._value is None and self._lock.locked()

    def settled(self) -> ChoiceMatcher | None:
        """The value once a build under way is done; None when no one has asked for it yet
        (nothing is built here)."""
        if self.building:
            with self._lock:
                pass
        return self._value


@dataclass(frozen=True, slots=True)
class CityContext:
    """The parts of the context that change only when the directory is reloaded."""

    directory: Directory
    config: IntakeConfig
    tz: ZoneInfo
    opd_matcher: ChoiceMatcher  # typed agency names in /alihkan and /verifikasi
    sla: SlaPolicy  # deadlines on the city's working-day calendar
    # The category matcher is built on first use (a typed category, a description), not at
    # load: ~0.1 s of start-up before the first webhook (bench/RESULTS.md, issue 20).
    _matcher: Once = field(repr=False, compare=False)

    @property
    def matcher(self) -> ChoiceMatcher:
        """Categories (names, synonyms, examples) and topics outside the city's authority."""
        return self._matcher()

    @property
    def fitting(self) -> bool:
        """The category matcher is being built or its model fitted (the server fits in the
        background after a load: a second or more)."""
        if self._matcher.building:
            return True
        matcher = self._matcher.settled()
        return matcher is not None and matcher.ngrams.fitting

    @property
    def ready(self) -> bool:
        """The category matcher is built and its model fitted: a step that uses them neither
        builds, fits nor waits (what may run in the event loop's thread, bot.db_calls)."""
        matcher = self._matcher.value
        return matcher is not None and matcher.ngrams.ready

    def settle(self) -> None:
        """Wait for a build or fit of the category matcher already under way, starting none.
        Called outside transactions: a step that waited for the fit inside one held SQLite's
        write lock, and every other writer with it (issue 19's stalls of 1–2 s)."""
        matcher = self._matcher.settled()
        if matcher is not None:
            matcher.ngrams.settle()

    @classmethod
    def build(cls, directory: Directory, config: IntakeConfig, tz: ZoneInfo,
              learned: Sequence[Example] = (), fit: Fit | None = None) -> CityContext:
        """`learned`: examples from reports whose category a coordinator confirmed, matched
        beside the directory's own (core.matching.learning). `fit`: how the matcher's n-gram
        model is fitted (a server: in a child process), set as the matcher is built."""
        calendar = WorkCalendar.of(tz, directory.collective_leave)
        examples = (*directory.examples, *learned)

        def build_matcher() -> ChoiceMatcher:
            built = category_matcher(directory.categories, examples, directory.out_of_authority)
            if fit is not None:
                built.ngrams.fit_with(fit)
            return built

        matcher = Once(build_matcher)
        return cls(directory, config, tz, opd_matcher(directory.opds),
                   SlaPolicy(directory, calendar), matcher)
