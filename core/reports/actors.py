"""Who acts on a report: enrolled admins (officer of one OPD or the coordinator) and invites."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.messages import Channel


class Role(StrEnum):
    OFFICER = "officer"  # admin penghubung of one OPD
    COORDINATOR = "coordinator"  # Diskominfo: sees and acts on every report


@dataclass(frozen=True, slots=True)
class Admin:
    """An enrolled, not revoked, admin bound to one chat."""

    id: int
    name: str
    opd: str
    role: Role
    channel: Channel
    chat_id: str
    language: str = "id"  # of the chat the admin is bound to

    @property
    def is_coordinator(self) -> bool:
        return self.role is Role.COORDINATOR


def invite_code_hash(code: str) -> str:
    """Codes are typed with or without the dash and in any case; random, so SHA-256 suffices."""
    cleaned = code.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(cleaned.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Invite:
    """A stored enrolment invite, found by the hash of its code."""

    id: int
    opd: str
    role: Role
    expires_at: datetime
    used_at: datetime | None
