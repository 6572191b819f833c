"""API tokens (API, Open311, dashboard): a random secret shown once, only its SHA-256 stored,
with the role and OPD that decide what its holder may see and do."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Row, insert, select, update
from sqlalchemy.orm import Session

from core.reports.actors import Actor, Role
from storage.columns import table_of
from storage.engine import read_only
from storage.tables import ApiTokenRow

TOKEN_PREFIX = "adu_"
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is a hint, not a write per request
_tokens = table_of(ApiTokenRow)
_COLUMNS = tuple(_tokens.c[name] for name in (  # never the hash
    "id", "name", "role", "opd_slug", "created_at", "last_used_at", "revoked_at"))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.strip().encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class TokenEntry:
    id: int
    name: str
    role: Role
    opd: str | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def actor(self) -> Actor:
        """Who the timeline records when this token acts."""
        return Actor.of_token(self.id, self.name, self.role, self.opd)


def _entry(row: Row[Any]) -> TokenEntry:
    return TokenEntry(row.id, row.name, Role(row.role), row.opd_slug, row.created_at,
                      row.last_used_at, row.revoked_at)


class SqlTokenStore:
    """Creates, lists, revokes and checks tokens; a revoked token fails its very next check."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._reader = read_only(engine)

    def create(self, name: str, now: datetime, role: Role = Role.COORDINATOR,
               opd: str | None = None) -> tuple[TokenEntry, str]:
        """The new token's entry and its secret (the only time the secret exists)."""
        if role is Role.OFFICER and not opd:
            raise ValueError("an officer token needs its OPD")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with Session(self._engine) as session, session.begin():
            token_id = session.execute(insert(_tokens).values(
                name=name, token_hash=token_hash(secret), role=role.value, opd_slug=opd,
                created_at=now).returning(_tokens.c.id)).scalar_one()
        return TokenEntry(token_id, name, role, opd, now, None, None), secret

    def authenticate(self, secret: str, now: datetime) -> TokenEntry | None:
        """The active token with this secret, or None (unknown, malformed or revoked)."""
        if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
            return None
        with self._reader.connect() as conn:  # on SQLite a read takes no write lock
            row = conn.execute(select(*_COLUMNS).where(
                _tokens.c.token_hash == token_hash(secret),
                _tokens.c.revoked_at.is_(None))).first()
        if row is None:
            return None
        entry = _entry(row)
        if entry.last_used_at is None or entry.last_used_at + TOUCH_EVERY <= now:
            with self._engine.begin() as conn:
                conn.execute(update(_tokens).where(_tokens.c.id == entry.id)
                             .values(last_used_at=now))
        return entry

    def get(self, token_id: int) -> TokenEntry | None:
        with Session(self._engine) as session:
            row = session.execute(select(*_COLUMNS).where(_tokens.c.id == token_id)).first()
        return None if row is None else _entry(row)

    def entries(self, include_revoked: bool = False) -> list[TokenEntry]:
        query = select(*_COLUMNS).order_by(_tokens.c.id)
        if not include_revoked:
            query = query.where(_tokens.c.revoked_at.is_(None))
        with Session(self._engine) as session:
            return [_entry(row) for row in session.execute(query)]

    def revoke(self, token_id: int, now: datetime) -> bool:
        """False when there is no such token or it was revoked already."""
        with Session(self._engine) as session, session.begin():
            done = session.execute(
                update(_tokens).where(_tokens.c.id == token_id, _tokens.c.revoked_at.is_(None))
                .values(revoked_at=now).returning(_tokens.c.id))
            return done.first() is not None
