"""Citizens and their channel identities."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlmodel import col

from core.messages import Channel
from core.ports import Citizen
from storage.columns import insert_for, table_of
from storage.tables import ChannelIdentityRow, CitizenRow


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
        row = self._session.get_one(CitizenRow, citizen_id)
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
        # An inbound message proves the chat is reachable again (e.g. the bot was unblocked).
        values: dict[str, object] = {"last_inbound_at": now, "unreachable_at": None}
        if user_id is not None:
            values["user_id"] = user_id
        if display_name is not None:
            values["display_name"] = display_name
        # On PostgreSQL this UPDATE also row-locks the identity, which serialises a chat's
        # concurrent messages for the rest of the unit of work.
        found = self._session.execute(
            update(table_of(ChannelIdentityRow))
            .where(col(ChannelIdentityRow.channel) == channel.value)
            .where(col(ChannelIdentityRow.chat_id) == chat_id)
            .values(**values)
            .returning(col(ChannelIdentityRow.citizen_id))
        ).scalar_one_or_none()
        return found

    def _create(
        self, channel: Channel, chat_id: str, user_id: str | None, display_name: str | None,
        language: str, now: datetime,
    ) -> int:
        citizen = CitizenRow(language=language, display_name=display_name, created_at=now)
        self._session.add(citizen)
        self._session.flush()
        assert citizen.id is not None
        inserted = self._session.execute(
            insert_for(self._session, ChannelIdentityRow)
            .values(
                citizen_id=citizen.id, channel=channel.value, chat_id=chat_id, user_id=user_id,
                display_name=display_name, last_inbound_at=now, created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["channel", "chat_id"])
            .returning(col(ChannelIdentityRow.citizen_id))
        ).scalar_one_or_none()
        if inserted is not None:
            return citizen.id
        # A concurrent transaction created this chat first (PostgreSQL waited for it to commit):
        # drop our unused citizen and use theirs.
        self._session.delete(citizen)
        self._session.flush()
        winner = self._touch_identity(channel, chat_id, user_id, display_name, now)
        assert winner is not None
        return winner
