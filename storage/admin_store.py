"""Invites and API tokens: random secrets shown once, only their SHA-256 stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.tables import ApiTokenRow, InviteRow

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ROLES = ("officer", "coordinator")


def secret_hash(secret: str) -> str:
    """Codes and tokens are high-entropy random strings, so a plain SHA-256 suffices."""
    return hashlib.sha256(secret.strip().upper().encode()).hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.strip().encode()).hexdigest()


def new_invite_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


class SqlAdminStore:
    """Creates enrolment invites and API tokens."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def create_invite(self, opd_slug: str, role: str, now: datetime,
                      ttl: timedelta = timedelta(hours=72)) -> tuple[str, datetime]:
        """A one-time code for `/daftar`; returns (code, expiry)."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        code, expires = new_invite_code(), now + ttl
        with Session(self._engine) as session, session.begin():
            session.add(InviteRow(code_hash=secret_hash(code.replace("-", "")), opd_slug=opd_slug,
                                  role=role, created_at=now, expires_at=expires))
        return code, expires

    def create_token(self, name: str, now: datetime) -> str:
        """A bearer token for the API, Open311 and the dashboard."""
        token = "adu_" + secrets.token_urlsafe(32)
        with Session(self._engine) as session, session.begin():
            session.add(ApiTokenRow(name=name, token_hash=token_hash(token), created_at=now))
        return token
