"""What the privacy use cases need from storage and from the photo files (Protocols)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from core.messages import Channel, Media, Outbound
from core.privacy.model import AuditEntry, KeptData, Removed
from core.privacy.policy import Erasure


class PrivacyRepository(Protocol):
    """Personal data inside a unit of work: read it, remove it, keep the audit log."""

    def kept(self, citizen_id: int, limit: int) -> KeptData | None:
        """Everything kept about the citizen (at most `limit` reports of each kind)."""
        ...

    def find_citizen(self, channel: Channel, chat_id: str) -> int | None:
        """The citizen behind a chat, if it is still known."""
        ...

    def mark_noticed(self, citizen_id: int, now: datetime) -> None: ...

    def remove_identity(self, citizen_id: int, erasure: Erasure, now: datetime) -> Removed:
        """Delete the citizen's chats (channel identities), conversations, every message
        queued or kept for those chats (held ones included), the reports they follow and the
        inbound ids that name their chats; cut their reports' chat link and record
        `reporter_erased` on each report's timeline; blank the citizen row (no name; marked
        with `erasure`), or delete it when no report refers to it."""
        ...

    def messages_mentioning(self, needles: Sequence[str], after_id: int,
                            limit: int) -> Sequence[tuple[int, Outbound]]:
        """Stored messages after outbox id `after_id` (to other chats: admins' notifications)
        whose payload contains any of `needles`, with their outbox ids, in id order."""
        ...

    def rewrite_message(self, outbox_id: int, message: Outbound) -> None: ...

    def replace_photo(self, old_key: str, new: Media) -> int:
        """Point every attachment stored as `old_key` at `new`; returns how many."""
        ...

    def photo_in_use(self, storage_key: str) -> bool: ...

    def farewell(self, channel: Channel, chat_id: str, message: Outbound, now: datetime) -> None:
        """Queue a message that forgets its chat as soon as it is delivered (or given up): the
        last word to a chat whose identity is being removed (erasing leaves it queued)."""
        ...

    def audit(self, entry: AuditEntry, now: datetime) -> None: ...


class RetentionStore(Protocol):
    """Retention in batches, each its own short transaction (safe beside running servers)."""

    def delete_delivered(self, before: datetime, limit: int) -> int:
        """Messages delivered (or failed for good) that were queued before `before`."""
        ...

    def delete_inbound_ids(self, before: datetime, limit: int) -> int: ...

    def forget_farewells(self, limit: int) -> int:
        """Blank the chat of farewell messages that were delivered, failed or held, at any
        age (delivery does it itself; this catches the rest)."""
        ...

    def detach_reporters(self, closed_before: datetime, limit: int, now: datetime) -> int:
        """Closed reports whose status last changed before `closed_before`: each report gets
        a blank reporter of its own (`Erasure.RETENTION`), its followers are dropped, and its
        timeline records `reporter_erased`. Returns how many reports."""
        ...

    def erase_inactive(self, before: datetime, limit: int, now: datetime) -> int:
        """Erase (as `PrivacyRepository.remove_identity`, `Erasure.RETENTION`) citizens none of
        whose chats wrote since `before`, with no report left (closed ones were detached),
        following no open report, and not enrolled as admins. Returns how many."""
        ...


class PhotoFiles(Protocol):
    """The stored photo files (bot/media.py): strip their metadata, delete them."""

    def scrub(self, media: Media) -> Media | None:
        """A copy of the stored file without metadata (GPS, device), or None when it has none
        or is missing."""
        ...

    def discard(self, storage_key: str) -> None: ...
