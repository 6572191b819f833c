"""Small read-only facts a push sender needs about a chat (its language, its previous message)."""

from __future__ import annotations

import json

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.messages import Channel
from storage.columns import table_of
from storage.engine import read_only
from storage.tables import ChannelIdentityRow, CitizenRow, OutboxRow

_outbox = table_of(OutboxRow)
_identities = table_of(ChannelIdentityRow)
_citizens = table_of(CitizenRow)


class SqlChatHints:
    """Answers from the database, so every worker process sees the same chat state."""

    def __init__(self, engine: Engine) -> None:
        self._engine = read_only(engine)

    def language(self, channel: Channel, chat_id: str) -> str | None:
        with Session(self._engine) as session, session.begin():
            return session.execute(
                select(_citizens.c.language)
                .join(_identities, _identities.c.citizen_id == _citizens.c.id)
                .where(_identities.c.channel == channel.value, _identities.c.chat_id == chat_id)
                .limit(1)
            ).scalar_one_or_none()

    def previous_asked_location(self, channel: Channel, chat_id: str, before_id: int) -> bool:
        """Whether the last message delivered to the chat before `before_id` asked for a location."""
        with Session(self._engine) as session, session.begin():
            payload = session.execute(
                select(_outbox.c.payload)
                .where(_outbox.c.channel == channel.value, _outbox.c.chat_id == chat_id,
                       _outbox.c.id < before_id, _outbox.c.status == "sent")
                .order_by(_outbox.c.id.desc())
                .limit(1)
            ).scalar_one_or_none()
        if payload is None:
            return False
        return bool(json.loads(payload).get("ask_location", False))
