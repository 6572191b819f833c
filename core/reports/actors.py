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


def secret_hash(secret: str) -> str:
    """How a random secret (a dashboard login link's, a dashboard session's) is stored."""
    return hashlib.sha256(secret.strip().encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Invite:
    """A stored enrolment invite, found by the hash of its code."""

    id: int
    opd: str
    role: Role
    expires_at: datetime
    used_at: datetime | None


class ActorKind(StrEnum):
    """Who a timeline event is by; `Actor.id` is a row of the matching table (none: system)."""

    CITIZEN = "citizen"  # citizens.id
    ADMIN = "admin"  # admins.id: an enrolled admin acting by chat or from the dashboard
    TOKEN = "token"  # api_tokens.id: a system or person acting through the API / Open311
    SYSTEM = "system"  # the sweeper: auto-close, nudges


@dataclass(frozen=True, slots=True)
class Actor:
    """Whoever calls a lifecycle use case; staff (admins, tokens) carry a role and an OPD."""

    kind: ActorKind
    id: int | None = None
    role: Role | None = None
    opd: str | None = None
    name: str | None = None

    @classmethod
    def of_admin(cls, admin: Admin) -> Actor:
        return cls(ActorKind.ADMIN, admin.id, admin.role, admin.opd, admin.name)

    @classmethod
    def of_token(cls, token_id: int, name: str, role: Role, opd: str | None) -> Actor:
        return cls(ActorKind.TOKEN, token_id, role, opd, name)

    @classmethod
    def of_citizen(cls, citizen_id: int) -> Actor:
        return cls(ActorKind.CITIZEN, citizen_id)

    @classmethod
    def system(cls) -> Actor:
        return cls(ActorKind.SYSTEM)

    @property
    def is_staff(self) -> bool:
        return self.role is not None

    def is_admin(self, admin: Admin) -> bool:
        """True when this actor is `admin` (who need not be notified of their own action)."""
        return self.kind is ActorKind.ADMIN and self.id == admin.id
