"""Reports as the work side reads and changes them: the view, timeline events, followers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.matching.explain import CategoryReason
from core.messages import Channel, Location, Media
from core.reports.model import Privacy, ReportType, Status


@dataclass(frozen=True, slots=True)
class Reporter:
    """Who filed a report. Shown to admins only as `core.reports.access.identity_visible` allows."""

    citizen_id: int
    channel: Channel
    chat_id: str
    user_id: str | None
    display_name: str | None
    language: str
    # Set when the identity was removed (`core.privacy.Erasure` value: "request", "retention"):
    # the report keeps a reporter, but no name, contact or chat to write to.
    erased: str | None = None


@dataclass(frozen=True, slots=True)
class Deadline:
    """The deadline of the step a report is in (`core.sla.Step` value) and when it is due."""

    what: str
    due: datetime


@dataclass(frozen=True, slots=True)
class ReportView:
    """A report with everything an admin may need; renderers decide what each viewer sees."""

    id: int
    tracking_no: str
    type: ReportType
    category: str
    opd: str | None
    status: Status
    title: str
    description: str
    event_date: date
    location: Location | None
    address: str | None
    kelurahan: str | None
    privacy: Privacy
    lapor_id: str | None
    created_at: datetime
    updated_at: datetime
    status_changed_at: datetime
    reporter: Reporter
    duplicate_of: str | None = None  # tracking number of the report this one was merged into
    rating: int | None = None
    photos: tuple[Media, ...] = ()
    deadline: Deadline | None = None  # the stored deadline of its current step, when loaded
    out_of_authority: str | None = None  # code of a topic the city does not handle (PLN, …)
    category_reason: CategoryReason | None = None  # why the category was proposed at submit


@dataclass(frozen=True, slots=True)
class ReportEvent:
    """One timeline entry to record; `actor_kind` is citizen | admin | system."""

    at: datetime
    actor_kind: str
    actor_id: int | None
    kind: str
    status_from: Status | None = None
    status_to: Status | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: datetime
    actor_kind: str
    actor_name: str | None  # the admin's name and OPD, never a citizen's
    kind: str
    status_from: Status | None
    status_to: Status | None
    note: str | None


@dataclass(frozen=True, slots=True)
class Follower:
    """A chat that receives a report's updates: its reporter or a citizen who follows it."""

    citizen_id: int
    channel: Channel
    chat_id: str
    language: str


@dataclass(frozen=True, slots=True)
class ReportChange:
    """What `ReportWorkRepository.update` writes; None leaves a field as it is."""

    status: Status | None = None
    opd: str | None = None
    clear_opd: bool = False
    lapor_id: str | None = None
    duplicate_of_id: int | None = None
    rating: int | None = None
    category: str | None = None  # re-categorised
    category_verified: bool = False  # a coordinator confirmed the category: learn from it
