"""OPD admins and their enrolment invites, as the chat side reads and binds them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, insert, select, update
from sqlalchemy.orm import Session

from core.messages import Channel
from core.reports.actors import Admin, Invite, Role
from storage.columns import table_of
from storage.prepared import Prepared
from storage.tables import AdminRow, ChannelIdentityRow, CitizenRow, DashboardLinkRow, InviteRow

# Core rather than ORM objects: the updates below would leave loaded objects stale.
_admins = table_of(AdminRow)
_invites = table_of(InviteRow)
_identities = table_of(ChannelIdentityRow)
_citizens = table_of(CitizenRow)
_links = table_of(DashboardLinkRow)


class SqlAdminRepository:
    """Finds the admin behind a chat and enrols chats with one-time invites."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def by_chat(self, channel: Channel, chat_id: str) -> Admin | None:
        """The active (not revoked) admin bound to this chat."""
        row = self._session.execute(
            _active()
            .where(_admins.c.channel == channel.value, _admins.c.chat_id == chat_id)
            # `enrol` keeps one active row per chat; the newest wins should that ever slip.
            .order_by(_admins.c.id.desc())
            .limit(1)
        ).one_or_none()
        return _admin(row) if row else None

    def find_invite(self, code_hash: str) -> Invite | None:
        """The invite with this code hash, row-locked for the rest of the unit of work."""
        # FOR UPDATE makes a second chat redeeming the same code wait, then see it used;
        # SQLite ignores it, but BEGIN IMMEDIATE already serialises writers there.
        row = self._session.execute(
            select(_invites.c.id, _invites.c.opd_slug, _invites.c.role, _invites.c.expires_at,
                   _invites.c.used_at)
            .where(_invites.c.code_hash == code_hash)
            .with_for_update()
        ).one_or_none()
        if row is None:
            return None
        return Invite(id=row.id, opd=row.opd_slug, role=Role(row.role),
                      expires_at=row.expires_at, used_at=row.used_at)

    def enrol(self, invite: Invite, channel: Channel, chat_id: str, name: str,
              now: datetime) -> Admin:
        """Bind the chat to the invite's OPD and role (revoking an earlier binding of the
        chat) and mark the invite used."""
        self._session.execute(
            update(_admins)
            .where(_admins.c.channel == channel.value, _admins.c.chat_id == chat_id)
            .where(_admins.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        admin_id = self._session.execute(
            insert(_admins).values(
                name=name, opd_slug=invite.opd, role=invite.role.value, channel=channel.value,
                chat_id=chat_id, created_at=now,
            ).returning(_admins.c.id)
        ).scalar_one()
        self._session.execute(
            update(_invites)
            .where(_invites.c.id == invite.id)
            .values(used_at=now, used_by_admin_id=admin_id)
        )
        row = self._session.execute(_active().where(_admins.c.id == admin_id)).one()
        return _admin(row)

    def active(self, opd: str | None = None, role: Role | None = None) -> Sequence[Admin]:
        values: dict[str, str] = {}
        if opd is not None:
            values["p_opd"] = opd
        if role is not None:
            values["p_role"] = role.value
        found = _active_of(opd is not None, role is not None).run(self._session, values)
        return [_admin(row) for row in found]

    def add_login_link(self, admin_id: int, secret_hash: str, now: datetime,
                       expires_at: datetime) -> None:
        """Store a one-time dashboard login link (`storage.dashboard` redeems it)."""
        self._session.execute(insert(_links).values(
            admin_id=admin_id, secret_hash=secret_hash, created_at=now, expires_at=expires_at))


@cache
def _active_of(by_opd: bool, by_role: bool) -> Prepared:
    """Active admins, of one OPD and/or one role (every new report asks who to notify)."""
    query = _active().order_by(_admins.c.id)
    if by_opd:
        query = query.where(_admins.c.opd_slug == bindparam("p_opd"))
    if by_role:
        query = query.where(_admins.c.role == bindparam("p_role"))
    return Prepared(query)


def _active() -> Select[Any]:
    # The admin's language is the one their chat chose as a citizen (every inbound message
    # creates that identity); an admin without a chat cannot be messaged, so is left out.
    return (
        select(_admins.c.id, _admins.c.name, _admins.c.opd_slug, _admins.c.role,
               _admins.c.channel, _admins.c.chat_id, _citizens.c.language)
        .outerjoin(_identities, and_(_identities.c.channel == _admins.c.channel,
                                     _identities.c.chat_id == _admins.c.chat_id))
        .outerjoin(_citizens, _citizens.c.id == _identities.c.citizen_id)
        .where(_admins.c.revoked_at.is_(None), _admins.c.channel.is_not(None),
               _admins.c.chat_id.is_not(None))
    )


def _admin(row: Any) -> Admin:
    admin = Admin(id=row.id, name=row.name, opd=row.opd_slug, role=Role(row.role),
                  channel=Channel(row.channel), chat_id=row.chat_id)
    return replace(admin, language=row.language) if row.language else admin
