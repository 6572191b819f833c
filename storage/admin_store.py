"""Invites and enrolled admins: random codes shown once, only their SHA-256 stored."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from core.reports.actors import invite_code_hash
from storage.columns import table_of
from storage.tables import AdminRow, InviteRow

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ROLES = ("officer", "coordinator")
_admins = table_of(AdminRow)
_invites = table_of(InviteRow)
# Named columns, in the dataclasses' field order: never the invite's code hash.
_ADMIN_COLUMNS = tuple(_admins.c[name] for name in (
    "id", "name", "opd_slug", "role", "channel", "chat_id", "created_at", "revoked_at"))
_INVITE_COLUMNS = tuple(_invites.c[name] for name in (
    "id", "opd_slug", "role", "created_at", "expires_at", "used_at"))


@dataclass(frozen=True, slots=True)
class AdminEntry:
    id: int
    name: str
    opd_slug: str
    role: str
    channel: str | None
    chat_id: str | None
    enrolled_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class InviteEntry:
    """An invite without its code hash: nothing here helps anyone guess the code."""

    id: int
    opd_slug: str
    role: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


def new_invite_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


class SqlAdminStore:
    """Creates enrolment invites; lists and revokes admins and invites (tokens: storage.tokens)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def create_invite(self, opd_slug: str, role: str, now: datetime,
                      ttl: timedelta = timedelta(hours=72)) -> tuple[str, datetime]:
        """A one-time code for `/daftar`; returns (code, expiry)."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        code, expires = new_invite_code(), now + ttl
        with Session(self._engine) as session, session.begin():
            session.add(InviteRow(code_hash=invite_code_hash(code), opd_slug=opd_slug,
                                  role=role, created_at=now, expires_at=expires))
        return code, expires

    def admins(self, opd_slug: str | None = None, include_revoked: bool = False
               ) -> list[AdminEntry]:
        """Enrolled admins by OPD, then id."""
        query = select(*_ADMIN_COLUMNS).order_by(_admins.c.opd_slug, _admins.c.id)
        if opd_slug is not None:
            query = query.where(_admins.c.opd_slug == opd_slug)
        if not include_revoked:
            query = query.where(_admins.c.revoked_at.is_(None))
        with Session(self._engine) as session:
            return [AdminEntry(*row) for row in session.execute(query)]

    def admin(self, admin_id: int) -> AdminEntry | None:
        with Session(self._engine) as session:
            row = session.execute(select(*_ADMIN_COLUMNS).where(_admins.c.id == admin_id)).first()
        return None if row is None else AdminEntry(*row)

    def revoke_admin(self, admin_id: int, now: datetime) -> bool:
        """Marks the admin revoked; False when there is no such admin or it already is."""
        with Session(self._engine) as session, session.begin():
            done = session.execute(
                update(_admins).where(_admins.c.id == admin_id)
                .where(_admins.c.revoked_at.is_(None)).values(revoked_at=now)
                .returning(_admins.c.id)
            )
            return done.first() is not None

    def pending_invites(self, now: datetime, opd_slug: str | None = None) -> list[InviteEntry]:
        """Unused invites that have not expired yet, soonest expiry first."""
        query = (select(*_INVITE_COLUMNS).where(_invites.c.used_at.is_(None))
                 .where(_invites.c.expires_at > now)
                 .order_by(_invites.c.expires_at, _invites.c.id))
        if opd_slug is not None:
            query = query.where(_invites.c.opd_slug == opd_slug)
        with Session(self._engine) as session:
            return [InviteEntry(*row) for row in session.execute(query)]

    def invite(self, invite_id: int) -> InviteEntry | None:
        with Session(self._engine) as session:
            row = session.execute(select(*_INVITE_COLUMNS).where(_invites.c.id == invite_id)).first()
        return None if row is None else InviteEntry(*row)

    def cancel_invite(self, invite_id: int, now: datetime) -> bool:
        """Expires a pending invite now (say its code leaked); False unless it was pending."""
        with Session(self._engine) as session, session.begin():
            done = session.execute(
                update(_invites).where(_invites.c.id == invite_id)
                .where(_invites.c.used_at.is_(None)).where(_invites.c.expires_at > now)
                .values(expires_at=now).returning(_invites.c.id)
            )
            return done.first() is not None

