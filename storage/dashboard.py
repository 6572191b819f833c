"""The dashboard's sign-ins: redeeming `/dasbor` links and keeping browser sessions.

Secrets (a link's, a session cookie's) are random and stored only as `secret_hash`. A link
is redeemed once, by one UPDATE that only an unused, unexpired link passes, so two browsers
racing with the same link cannot both get in. A session lives while its holder is still an
active admin or an unrevoked token, and ends at logout or after `idle` without a request.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, Row, and_, insert, select, update

from core.messages import Channel
from core.reports.actors import Actor, Admin, Role, secret_hash
from storage.columns import table_of
from storage.engine import read_only
from storage.tables import AdminRow, ApiTokenRow, DashboardLinkRow, DashboardSessionRow

TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is kept to the minute, not written per page
_links = table_of(DashboardLinkRow)
_sessions = table_of(DashboardSessionRow)
_admins = table_of(AdminRow)
_tokens = table_of(ApiTokenRow)


class LinkState(StrEnum):
    VALID = "valid"
    USED = "used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"  # never made, or its admin was revoked since


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who a dashboard session belongs to, as the lifecycle sees them (`actor`)."""

    session_id: int
    actor: Actor
    by_token: bool  # signed in with an API token rather than a `/dasbor` link

    @property
    def name(self) -> str:
        return self.actor.name or ""

    @property
    def role(self) -> Role:
        assert self.actor.role is not None
        return self.actor.role

    @property
    def officer_opd(self) -> str | None:
        """The OPD an officer is limited to; None for a coordinator (sees every report)."""
        return self.actor.opd if self.actor.role is Role.OFFICER else None


class SqlDashboardAuth:
    """Login links and sessions of the dashboard."""

    def __init__(self, engine: Engine, idle: timedelta) -> None:
        self._engine, self._idle = engine, idle

    # --- /dasbor links -------------------------------------------------------------------
    def link_state(self, secret: str, now: datetime) -> LinkState:
        """What redeeming the link now would meet (nothing is changed)."""
        with read_only(self._engine).connect() as conn:
            row = conn.execute(
                select(_links.c.expires_at, _links.c.used_at, _admins.c.revoked_at)
                .join(_admins, _admins.c.id == _links.c.admin_id)
                .where(_links.c.secret_hash == secret_hash(secret))).first()
        if row is None or row.revoked_at is not None:
            return LinkState.UNKNOWN
        if row.used_at is not None:
            return LinkState.USED
        return LinkState.VALID if row.expires_at > now else LinkState.EXPIRED

    def redeem_link(self, secret: str, now: datetime) -> tuple[LinkState, str | None]:
        """Use the link: (VALID, the new session's secret), else why not and None."""
        with self._engine.begin() as conn:
            admin_id = conn.execute(
                update(_links)
                .where(_links.c.secret_hash == secret_hash(secret), _links.c.used_at.is_(None),
                       _links.c.expires_at > now)
                .values(used_at=now).returning(_links.c.admin_id)).scalar_one_or_none()
            active = admin_id is not None and conn.execute(
                select(_admins.c.id).where(_admins.c.id == admin_id,
                                           _admins.c.revoked_at.is_(None))).first() is not None
            if active:
                return LinkState.VALID, self._open(conn, now, admin_id=admin_id)
        state = self.link_state(secret, now)
        return (LinkState.UNKNOWN if state is LinkState.VALID else state), None

    # --- sessions --------------------------------------------------------------------------
    def open_for_token(self, token_id: int, now: datetime) -> str:
        """A new session for an API token's holder; its cookie secret."""
        with self._engine.begin() as conn:
            return self._open(conn, now, token_id=token_id)

    def viewer(self, secret: str, now: datetime) -> Viewer | None:
        """The session's holder, or None: unknown, ended, idle too long, or its admin or token
        revoked. A live session's `last_seen_at` moves on (to the minute)."""
        if not secret or len(secret) > 200:
            return None
        with read_only(self._engine).connect() as conn:
            row = conn.execute(_session_query().where(
                _sessions.c.secret_hash == secret_hash(secret),
                _sessions.c.ended_at.is_(None))).first()
        if row is None:
            return None
        if row.last_seen_at + self._idle <= now:
            self._end(row.id, now)
            return None
        actor = _actor(row)
        if actor is None:
            return None
        if row.last_seen_at + TOUCH_EVERY <= now:
            with self._engine.begin() as conn:
                conn.execute(update(_sessions).where(_sessions.c.id == row.id)
                             .values(last_seen_at=now))
        return Viewer(row.id, actor, by_token=row.token_id is not None)

    def end(self, secret: str, now: datetime) -> None:
        """Logout: the cookie's session ends at once (unknown secrets are ignored)."""
        with self._engine.begin() as conn:
            conn.execute(update(_sessions).where(_sessions.c.secret_hash == secret_hash(secret),
                                                 _sessions.c.ended_at.is_(None))
                         .values(ended_at=now))

    def _end(self, session_id: int, now: datetime) -> None:
        with self._engine.begin() as conn:
            conn.execute(update(_sessions).where(_sessions.c.id == session_id)
                         .values(ended_at=now))

    @staticmethod
    def _open(conn: Any, now: datetime, admin_id: int | None = None,
              token_id: int | None = None) -> str:
        secret = secrets.token_urlsafe(32)
        conn.execute(insert(_sessions).values(
            secret_hash=secret_hash(secret), admin_id=admin_id, token_id=token_id,
            created_at=now, last_seen_at=now))
        return secret


def _session_query() -> Any:
    # The joins' conditions leave the holder's columns empty once the admin or token is revoked.
    return (
        select(_sessions.c.id, _sessions.c.last_seen_at, _sessions.c.admin_id,
               _sessions.c.token_id, _admins.c.name.label("admin_name"),
               _admins.c.role.label("admin_role"), _admins.c.opd_slug.label("admin_opd"),
               _admins.c.channel, _admins.c.chat_id, _tokens.c.name.label("token_name"),
               _tokens.c.role.label("token_role"), _tokens.c.opd_slug.label("token_opd"))
        .outerjoin(_admins, and_(_admins.c.id == _sessions.c.admin_id,
                                 _admins.c.revoked_at.is_(None)))
        .outerjoin(_tokens, and_(_tokens.c.id == _sessions.c.token_id,
                                 _tokens.c.revoked_at.is_(None)))
    )


def _actor(row: Row[Any]) -> Actor | None:
    if row.admin_id is not None and row.admin_name is not None and row.channel is not None:
        return Actor.of_admin(Admin(
            id=row.admin_id, name=row.admin_name, opd=row.admin_opd, role=Role(row.admin_role),
            channel=Channel(row.channel), chat_id=row.chat_id))
    if row.token_id is not None and row.token_name is not None:
        return Actor.of_token(row.token_id, row.token_name, Role(row.token_role), row.token_opd)
    return None
