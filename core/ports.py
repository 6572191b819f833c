"""Ports: what the core needs from the outside world, as Protocols."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import TracebackType
from typing import Any, Protocol

from core.conversation_state import Conversation
from core.messages import Channel, Outbound
from core.reports import NewReport, ReportSummary


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

    def count_created_since(self, citizen_id: int, since: datetime) -> int: ...

    def list_for_citizen(self, citizen_id: int, limit: int) -> Sequence[ReportSummary]: ...

    def get_for_citizen(self, citizen_id: int, tracking_no: str) -> ReportSummary | None: ...


class InboundLog(Protocol):
    def seen(self, channel: Channel, external_id: str, now: datetime) -> bool:
        """Record the inbound id; True when it had been recorded before (a replay)."""
        ...


class Outbox(Protocol):
    def put(self, channel: Channel, chat_id: str, message: Outbound, now: datetime) -> int: ...


class UnitOfWork(Protocol):
    citizens: CitizenRepository
    conversations: ConversationRepository
    reports: ReportRepository
    inbound: InboundLog
    outbox: Outbox

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
class OutgoingMessage:
    """An outbox row handed to a sender."""

    id: int
    channel: Channel
    chat_id: str
    message: Outbound
    attempts: int
    meta: dict[str, Any]


class MessageSender(Protocol):
    """Pushes one outbox message to a platform; never raises for platform errors."""

    channel: Channel

    async def send(self, item: OutgoingMessage) -> SendResult: ...
