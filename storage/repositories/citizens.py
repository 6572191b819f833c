"""Citizens and their channel identities."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from core.messages import Channel
from core.ports import Citizen
from storage.columns import dialect_of, insert_for_dialect, table_of
from storage.prepared import Prepared
from storage.tables import ChannelIdentityRow, CitizenRow

_identities = table_of(ChannelIdentityRow)
_citizens = table_of(CitizenRow)
# Built once, values bound at execution (storage.columns.dialect_of says why). An inbound
# message proves the chat is reachable again (e.g. the bot was unblocked); a user id or name
# not given (None) keeps the stored one. On PostgreSQL this UPDATE also row-locks the
# identity, which serialises a chat's concurrent messages for the rest of the unit of work.
_TOUCH = Prepared(
    update(_identities)
    .where(_identities.c.channel == bindparam("p_channel"),
           _identities.c.chat_id == bindparam("p_chat_id"))
    .values(last_inbound_at=bindparam("p_now", type_=_identities.c.last_inbound_at.type),
            unreachable_at=None,
            user_id=func.coalesce(bindparam("p_user_id", type_=_identities.c.user_id.type),
                                  _identities.c.user_id),
            display_name=func.coalesce(
                bindparam("p_display_name", type_=_identities.c.display_name.type),
                _identities.c.display_name))
    .returning(_identities.c.citizen_id)
)
_CITIZEN = Prepared(select(_citizens.c.language, _citizens.c.display_name,
                           _citizens.c.notice_at).where(_citizens.c.id == bindparam("p_id")))


_NEW_CITIZEN = Prepared(insert(_citizens).returning(_citizens.c.id))
_GONE_CITIZEN = Prepared(delete(_citizens).where(_citizens.c.id == bindparam("p_id")))


@cache
def _new_identity(dialect: str) -> Prepared:
    return Prepared(insert_for_dialect(dialect, _identities)
                    .on_conflict_do_nothing(index_elements=["channel", "chat_id"])
                    .returning(_identities.c.citizen_id))


class SqlCitizenRepository:
    """Finds the citizen behind a chat, creating both on first contact."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get_or_create(
        self, channel: Channel, chat_id: str, user_id: str | None, display_name: str | None,
        language: str, now: datetime,
    ) -> Citizen:
        citizen_id = self._touch_identity(channel, chat_id, user_id, display_name, now)
        if citizen_id is None:
            citizen_id = self._create(channel, chat_id, user_id, display_name, language, now)
        row = _CITIZEN.run(self._session, {"p_id": citizen_id}).one()
        return Citizen(id=citizen_id, language=row.language, display_name=row.display_name,
                       noticed=row.notice_at is not None)

    def set_language(self, citizen_id: int, language: str) -> None:
        self._session.execute(
            update(table_of(CitizenRow))
            .where(col(CitizenRow.id) == citizen_id)
            .values(language=language)
        )

    def _touch_identity(
        self, channel: Channel, chat_id: str, user_id: str | None, display_name: str | None,
        now: datetime,
    ) -> int | None:
        found = _TOUCH.run(self._session, {
            "p_channel": channel.value, "p_chat_id": chat_id, "p_now": now,
            "p_user_id": user_id, "p_display_name": display_name,
        }).scalar_one_or_none()
        return None if found is None else int(found)

    def _create(
        self, channel: Channel, chat_id: str, user_id: str | None, display_name: str | None,
        language: str, now: datetime,
    ) -> int:
        # Core inserts, prepared: the ORM's add + flush cost 4 % of the server's CPU when every
        # update of a flood evening came from a new resident (issue 19).
        citizen_id = int(_NEW_CITIZEN.run(self._session, {
            "language": language, "display_name": display_name, "created_at": now,
        }).scalar_one())
        inserted = _new_identity(dialect_of(self._session)).run(self._session, {
            "citizen_id": citizen_id, "channel": channel.value, "chat_id": chat_id,
            "user_id": user_id, "display_name": display_name, "last_inbound_at": now,
            "created_at": now,
        }).scalar_one_or_none()
        if inserted is not None:
            return citizen_id
        # A concurrent transaction created this chat first (PostgreSQL waited for it to commit):
        # drop our unused citizen and use theirs.
        _GONE_CITIZEN.run(self._session, {"p_id": citizen_id})
        winner = self._touch_identity(channel, chat_id, user_id, display_name, now)
        assert winner is not None
        return winner
