"""Small read-only facts a push sender needs about a chat (its language, its previous message)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Engine, bindparam, select

from core.messages import Channel
from storage.columns import table_of
from storage.engine import read_only
from storage.tables import ChannelIdentityRow, CitizenRow, OutboxRow

_outbox = table_of(OutboxRow)
_identities = table_of(ChannelIdentityRow)
_citizens = table_of(CitizenRow)
# Built once, values bound at execution (storage.columns.dialect_of says why).
_LANGUAGE = (
    select(_citizens.c.language)
    .join(_identities, _identities.c.citizen_id == _citizens.c.id)
    .where(_identities.c.channel == bindparam("p_channel"),
           _identities.c.chat_id == bindparam("p_chat_id"))
    .limit(1)
)
_PREVIOUS = (
    select(_outbox.c.payload, _outbox.c.platform_message_id)
    .where(_outbox.c.channel == bindparam("p_channel"), _outbox.c.chat_id == bindparam("p_chat_id"),
           _outbox.c.id < bindparam("p_before"), _outbox.c.status == "sent")
    .order_by(_outbox.c.id.desc())
    .limit(1)
)


@dataclass(frozen=True, slots=True)
class Previous:
    asked_location: bool
    platform_message_id: str | None


class SqlChatHints:
    """Answers from the database, so every worker process sees the same chat state."""

    def __init__(self, engine: Engine) -> None:
        self._engine = read_only(engine)

    def language(self, channel: Channel, chat_id: str) -> str | None:
        with self._engine.connect() as conn:
            found = conn.execute(_LANGUAGE, {"p_channel": channel.value, "p_chat_id": chat_id}
                                 ).scalar_one_or_none()
            conn.rollback()
        return found

    def previous_asked_location(self, channel: Channel, chat_id: str, before_id: int) -> bool:
        """Whether the last message delivered to the chat before `before_id` asked for a location."""
        previous = self.previous_sent(channel, chat_id, before_id)
        return previous is not None and previous.asked_location

    def previous_sent(self, channel: Channel, chat_id: str, before_id: int) -> Previous | None:
        """The last message delivered to the chat before `before_id`: one query for both facts
        a sender needs (a location keyboard still up; which message may be edited)."""
        with self._engine.connect() as conn:
            row = conn.execute(_PREVIOUS, {"p_channel": channel.value, "p_chat_id": chat_id,
                                           "p_before": before_id}).one_or_none()
            conn.rollback()
        if row is None:
            return None
        return Previous(bool(json.loads(row.payload).get("ask_location", False)),
                        row.platform_message_id)
