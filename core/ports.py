"""Ports: what the core needs from the outside world, as Protocols."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import TracebackType
from typing import Any, Protocol

from core.intake.state import Conversation
from core.matching.duplicates import BoundingBox, Candidate
from core.messages import Channel, Outbound
from core.privacy.ports import PrivacyRepository
from core.reports.actors import Admin, Invite, Role
from core.reports.model import NewReport, ReportSummary, Status
from core.reports.views import Follower, ReportChange, ReportEvent, ReportView, TimelineEntry
from core.sla.policy import DeadlineRow, OpdWeek, PlannedDeadline, Rung, Step, Workload


class Clock(Protocol):
    def now(self) -> datetime:
        """Timezone-aware UTC now."""
        ...


@dataclass(frozen=True, slots=True)
class ChatRef:
    channel: Channel
    chat_id: str


@dataclass(frozen=True, slots=True)
class Citizen:
    id: int
    language: str
    display_name: str | None
    noticed: bool = True  # told what is kept about them (core.privacy); False: not yet


class CitizenRepository(Protocol):
    def get_or_create(
        self, channel: Channel, chat_id: str, user_id: str | None, display_name: str | None,
        language: str, now: datetime,
    ) -> Citizen: ...

    def set_language(self, citizen_id: int, language: str) -> None: ...


class ConversationRepository(Protocol):
    def load_for_update(self, channel: Channel, chat_id: str) -> Conversation | None:
        """Load and lock the chat's conversation row for the rest of the unit of work."""
        ...

    def save(self, channel: Channel, chat_id: str, citizen_id: int, conversation: Conversation,
             now: datetime) -> None: ...


class ReportRepository(Protocol):
    def add(self, report: NewReport) -> str:
        """Store the report, its attachments and its first timeline event; return its number."""
        ...

    def add_with_id(self, report: NewReport) -> tuple[int, str]:
        """As `add`, returning (row id, tracking number)."""
        ...

    def count_created_since(self, citizen_id: int, since: datetime) -> int: ...

    def list_for_citizen(self, citizen_id: int, limit: int) -> Sequence[ReportSummary]: ...

    def get_for_citizen(self, citizen_id: int, tracking_no: str) -> ReportSummary | None: ...

    def duplicate_candidates(self, category: str, since: datetime, citizen_id: int | None,
                             box: BoundingBox | None, kelurahan: str | None,
                             limit: int) -> Sequence[Candidate]:
        """Open, unmerged reports of `category` created since `since` that this citizen may
        be shown (public ones and their own; every one when `citizen_id` is None, for
        admins): inside `box`, else in `kelurahan`."""
        ...


class AdminRepository(Protocol):
    def by_chat(self, channel: Channel, chat_id: str) -> Admin | None:
        """The active (not revoked) admin bound to this chat."""
        ...

    def find_invite(self, code_hash: str) -> Invite | None:
        """The invite with this code hash, row-locked for the rest of the unit of work."""
        ...

    def enrol(self, invite: Invite, channel: Channel, chat_id: str, name: str,
              now: datetime) -> Admin:
        """Bind the chat to the invite's OPD and role (revoking an earlier binding of the
        chat) and mark the invite used."""
        ...

    def active(self, opd: str | None = None, role: Role | None = None) -> Sequence[Admin]: ...

    def add_login_link(self, admin_id: int, secret_hash: str, now: datetime,
                       expires_at: datetime) -> None:
        """Store a one-time dashboard login link (by the hash of its secret) for the admin."""
        ...


class ReportWorkRepository(Protocol):
    """Reports as the work side reads and changes them."""

    def get(self, tracking_no: str, for_update: bool = False) -> ReportView | None: ...

    def get_by_id(self, report_id: int, for_update: bool = False) -> ReportView | None: ...

    def update(self, report_id: int, change: ReportChange, now: datetime) -> None:
        """Apply `change`; a new status also moves `status_changed_at` to `now`."""
        ...

    def add_event(self, report_id: int, event: ReportEvent) -> None: ...

    def timeline(self, report_id: int, limit: int) -> Sequence[TimelineEntry]:
        """Oldest first, without `viewed` audit entries."""
        ...

    def queue(self, opd: str | None, statuses: Sequence[Status],
              limit: int) -> tuple[Sequence[ReportView], int]:
        """Reports in `statuses` (of `opd`, or all when None), the earliest stored deadline
        first (those without one last), then the longest waiting; and how many there are."""
        ...

    def follow(self, report_id: int, follower: Follower, now: datetime) -> bool:
        """False when the citizen already follows it."""
        ...

    def unfollow(self, report_id: int, citizen_id: int) -> bool: ...

    def followers(self, report_id: int) -> Sequence[Follower]: ...

    def report_for_message(self, channel: Channel, chat_id: str,
                           platform_message_id: str) -> str | None:
        """The report of an admin notification delivered to this chat (not a held one)."""
        ...


class DeadlineRepository(Protocol):
    """Deadline rows (`core.sla`), the record of nudges sent, and the sweeper's lock."""

    def replace(self, report_id: int, planned: Sequence[PlannedDeadline], now: datetime) -> None:
        """Make `planned` the report's active deadlines: an active row with the same step, OPD
        and due time is kept as it is (with the rungs it has done); every other active row is
        closed (closed_at = now, closed_status = the report's status now); the rest of
        `planned` is inserted at stage 0 with next_at = `core.sla.pending_at`."""
        ...

    def active(self, report_id: int) -> Sequence[DeadlineRow]: ...

    def try_lock_sweep(self) -> bool:
        """Take the sweeper lock for the rest of the unit of work; False if another process
        holds it (PostgreSQL advisory lock; SQLite: always True, one process)."""
        ...

    def claim_due(self, now: datetime, limit: int) -> Sequence[DeadlineRow]:
        """Active rows with next_at <= now, earliest first, row-locked for the rest of the unit
        of work; rows another transaction holds are skipped (FOR UPDATE SKIP LOCKED)."""
        ...

    def advance(self, deadline_id: int, stage: int, next_at: datetime | None) -> None: ...

    def close(self, deadline_id: int, now: datetime, status: Status | None) -> None: ...

    def snooze(self, deadline_id: int, until: datetime) -> None:
        """Set snoozed_until; a pending next_at earlier than `until` moves to `until`."""
        ...

    def record_nudge(self, deadline_id: int, rung: Rung, now: datetime) -> bool:
        """Record that `rung` of this deadline was sent; False if it had been already."""
        ...

    def record_digest(self, kind: str, period: str, target: str, now: datetime) -> bool:
        """Record a digest (kind, period, target) as sent; False if it had been already."""
        ...

    def unplanned(self, statuses: Sequence[Status], limit: int) -> Sequence[int]:
        """Ids of reports in `statuses` that have no active deadline row (data from before
        deadlines were stored); the sweeper plans them."""
        ...

    def workload(self, opd: str | None, steps: Sequence[Step], now: datetime,
                 yellow_until: datetime, limit: int) -> Workload:
        """Active deadlines of `steps` (of `opd`, or all when None) counted red (due < now),
        yellow (due <= yellow_until) and green; the `limit` earliest due that are not
        snoozed (snoozed_until > now) as `urgent`."""
        ...

    def week(self, start: datetime, end: datetime, now: datetime) -> Sequence[OpdWeek]:
        """Per OPD with any activity: `jawaban` rows started in [start, end) (received),
        closed in [start, end) by an answer — closed_status diproses or selesai — (answered,
        on time when closed_at <= due_at, response = closed_at - starts_at in hours), and its
        active rows of jawaban/selesai past due at `now` (overdue)."""
        ...


class InboundLog(Protocol):
    def seen(self, channel: Channel, external_id: str, now: datetime) -> bool:
        """Record the inbound id; True when it had been recorded before (a replay)."""
        ...


class Outbox(Protocol):
    def put(self, channel: Channel, chat_id: str, message: Outbound, now: datetime) -> int: ...


class UnitOfWork(Protocol):
    citizens: CitizenRepository
    deadlines: DeadlineRepository
    conversations: ConversationRepository
    reports: ReportRepository
    admins: AdminRepository
    work: ReportWorkRepository
    inbound: InboundLog
    outbox: Outbox
    privacy: PrivacyRepository

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back unless `commit()` was called."""
        ...

    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


class SendOutcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # transient: try again later (after `retry_after` when given)
    FAILED = "failed"  # permanent for this message
    UNREACHABLE = "unreachable"  # the chat blocked us or no longer exists
    HELD = "held"  # may not be sent now (WhatsApp 24-hour window); kept until the chat writes


@dataclass(frozen=True, slots=True)
class SendResult:
    outcome: SendOutcome
    platform_message_id: str | None = None
    retry_after: float | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Previous:
    """The message delivered to a chat before another: whether it asked for a location (its
    keyboard is still up) and its platform id (it may be edited)."""

    asked_location: bool
    platform_message_id: str | None


NOTHING_BEFORE = Previous(False, None)


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """An outbox row handed to a sender."""

    id: int
    channel: Channel
    chat_id: str
    message: Outbound
    attempts: int
    meta: dict[str, Any]
    # The chat's message delivered before this one, as the claim found it (None: not looked up).
    previous: Previous | None = None


class MessageSender(Protocol):
    """Pushes one outbox message to a platform; never raises for platform errors."""

    channel: Channel

    async def send(self, item: OutgoingMessage) -> SendResult: ...
