"""Conversation state, one row per chat."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from core.intake.state import Conversation
from core.messages import Channel
from storage.columns import dumps, insert_for
from storage.tables import ConversationRow


class SqlConversationRepository:
    """Loads and stores a chat's intake conversation as JSON."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def load_for_update(self, channel: Channel, chat_id: str) -> Conversation | None:
        # FOR UPDATE on PostgreSQL; SQLite renders nothing, its BEGIN IMMEDIATE already
        # holds the database's write lock for the whole unit of work.
        row = self._session.execute(
            select(col(ConversationRow.state), col(ConversationRow.version))
            .where(col(ConversationRow.channel) == channel.value)
            .where(col(ConversationRow.chat_id) == chat_id)
            .with_for_update()
        ).one_or_none()
        if row is None:
            return None
        return Conversation.from_dict(json.loads(row.state), version=row.version)

    def save(self, channel: Channel, chat_id: str, citizen_id: int, conversation: Conversation,
             now: datetime) -> None:
        """Upsert the chat's state, bump its version and write it back into `conversation`."""
        state = dumps(conversation.to_dict())
        stmt = insert_for(self._session, ConversationRow).values(
            channel=channel.value, chat_id=chat_id, citizen_id=citizen_id,
            state=state, version=1, updated_at=now,
        )
        # Plain values rather than `stmt.excluded`, which copies the table on every call
        # (a measurable share of a message's time in bench/RESULTS.md).
        stmt = stmt.on_conflict_do_update(
            index_elements=["channel", "chat_id"],
            set_={
                "citizen_id": citizen_id,
                "state": state,
                "version": col(ConversationRow.version) + 1,
                "updated_at": now,
            },
        )
        version = self._session.execute(
            stmt.returning(col(ConversationRow.version))
        ).scalar_one()
        conversation.version = version
