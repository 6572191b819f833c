"""Conversation state, one row per chat."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from core.intake.state import Conversation
from core.messages import Channel
from storage.columns import dialect_of, dumps, insert_for_dialect, table_of
from storage.prepared import Prepared
from storage.tables import ConversationRow

_conversations = table_of(ConversationRow)
# Built once, values bound at execution (storage.columns.dialect_of says why). FOR UPDATE on
# PostgreSQL; SQLite renders nothing, its BEGIN IMMEDIATE already holds the database's write
# lock for the whole unit of work.
_LOAD = Prepared(
    select(_conversations.c.state, _conversations.c.version)
    .where(_conversations.c.channel == bindparam("p_channel"),
           _conversations.c.chat_id == bindparam("p_chat_id"))
    .with_for_update()
)


@cache
def _upsert(dialect: str) -> Prepared:
    """Insert the chat's state, or replace it and bump its version."""
    stmt = insert_for_dialect(dialect, _conversations).values(
        channel=bindparam("p_channel"), chat_id=bindparam("p_chat_id"),
        citizen_id=bindparam("p_citizen_id"), state=bindparam("p_state"), version=1,
        updated_at=bindparam("p_now", type_=_conversations.c.updated_at.type))
    # Bound values rather than `stmt.excluded`, which copied the table on every call when
    # the statement was still built per call.
    return Prepared(stmt.on_conflict_do_update(
        index_elements=["channel", "chat_id"],
        set_={"citizen_id": bindparam("p_citizen_id"), "state": bindparam("p_state"),
              "version": _conversations.c.version + 1,
              "updated_at": bindparam("p_now", type_=_conversations.c.updated_at.type)},
    ).returning(_conversations.c.version))


class SqlConversationRepository:
    """Loads and stores a chat's intake conversation as JSON."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def load_for_update(self, channel: Channel, chat_id: str) -> Conversation | None:
        row = _LOAD.run(
            self._session, {"p_channel": channel.value, "p_chat_id": chat_id}).one_or_none()
        if row is None:
            return None
        return Conversation.from_dict(json.loads(row.state), version=row.version)

    def save(self, channel: Channel, chat_id: str, citizen_id: int, conversation: Conversation,
             now: datetime) -> None:
        """Upsert the chat's state, bump its version and write it back into `conversation`."""
        conversation.version = _upsert(dialect_of(self._session)).run(self._session, {
            "p_channel": channel.value, "p_chat_id": chat_id, "p_citizen_id": citizen_id,
            "p_state": dumps(conversation.to_dict()), "p_now": now,
        }).scalar_one()
