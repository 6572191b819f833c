"""How long personal data is kept (DESIGN.md "Personal data"), and why an identity was removed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Erasure(StrEnum):
    """Why a reporter's identity is gone; admins and exports are told which."""

    REQUEST = "request"  # the citizen asked (/hapus_data) or an operator did it for them
    RETENTION = "retention"  # RETENTION_IDENTITY_DAYS after the report was closed

    @property
    def event_kind(self) -> str:
        """The timeline event each of the reporter's reports gets."""
        return "reporter_erased" if self is Erasure.REQUEST else "reporter_expired"


@dataclass(frozen=True, slots=True)
class Retention:
    """RETENTION_MESSAGES_DAYS and RETENTION_IDENTITY_DAYS."""

    messages_days: int = 30  # delivered messages and inbound platform ids
    identity_days: int = 730  # the reporter of a closed report; an inactive citizen's chat

    def messages_before(self, now: datetime) -> datetime:
        """Delivered messages and inbound ids older than this are removed."""
        return now - timedelta(days=self.messages_days)

    def identity_before(self, now: datetime) -> datetime:
        """Reports closed before this lose their reporter's identity."""
        return now - timedelta(days=self.identity_days)
