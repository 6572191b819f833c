"""What is kept about a citizen (`/data_saya`), and what an erasure or a purge removed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from core.messages import Channel, Media
from core.reports.model import ReportSummary


@dataclass(frozen=True, slots=True)
class KeptChat:
    """One chat of the citizen as the platform gave it."""

    channel: Channel
    chat_id: str
    user_id: str | None
    display_name: str | None
    created_at: datetime
    last_inbound_at: datetime | None


@dataclass(frozen=True, slots=True)
class KeptData:
    """Everything kept about one citizen, for `/data_saya`."""

    citizen_id: int
    display_name: str | None
    language: str
    created_at: datetime
    chats: tuple[KeptChat, ...]
    reports: tuple[ReportSummary, ...]  # their own, newest first
    followed: tuple[ReportSummary, ...]  # other people's reports they follow
    messages: int  # messages to their chats still stored (outbox)


@dataclass(frozen=True, slots=True)
class Removed:
    """The identity an erasure took away, so that copies of it elsewhere can be found, and
    what was removed (counts for the audit log)."""

    citizen_id: int
    names: tuple[str, ...]  # display names the citizen and their chats had
    chats: tuple[KeptChat, ...]
    reports: tuple[str, ...]  # tracking numbers of their reports, now anonymised
    photos: tuple[Media, ...]  # attachments of those reports
    counts: dict[str, int] = field(default_factory=dict)  # table → rows removed or changed
    drafts: tuple[str, ...] = ()  # storage keys of photos in unsent drafts (now dropped)

    @property
    def needles(self) -> tuple[str, ...]:
        """Strings that identify the citizen: names, chat ids and platform user ids."""
        found = {*self.names, *(c.chat_id for c in self.chats),
                 *(c.user_id for c in self.chats if c.user_id)}
        return tuple(sorted((n for n in found if n.strip()), key=len, reverse=True))


@dataclass(slots=True)
class Purged:
    """What one retention run removed (the one-line count of `aduan purge`)."""

    messages: int = 0  # delivered (or failed) outbox rows older than RETENTION_MESSAGES_DAYS
    inbound_ids: int = 0
    reporters: int = 0  # closed reports whose reporter identity was removed
    citizens: int = 0  # inactive citizens erased whole
    farewells: int = 0  # "your data was erased" messages that still named their chat

    @property
    def total(self) -> int:
        return (self.messages + self.inbound_ids + self.reporters + self.citizens
                + self.farewells)

    def line(self) -> str:
        return (f"removed {self.messages} delivered message(s) and {self.inbound_ids} inbound "
                f"id(s) past retention, the reporter identity of {self.reporters} closed "
                f"report(s), {self.citizens} inactive citizen(s); {self.farewells} farewell(s) "
                f"forgot their chat")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit log; never a citizen's name, contact or chat id."""

    actor_kind: str  # operator | admin | token | citizen | system
    actor: str
    action: str  # invite | revoke | token | export | purge | erase | identity_read
    subject: str | None = None
    detail: str | None = None
