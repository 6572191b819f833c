"""Questions about chats that are not part of a use case's unit of work."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.messages import Channel
from storage.columns import table_of
from storage.engine import read_only
from storage.tables import ChannelIdentityRow

_identities = table_of(ChannelIdentityRow)


class SqlChatLookup:
    """Read-only lookups of channel identities."""

    def __init__(self, engine: Engine) -> None:
        self._engine = read_only(engine)

    def exists(self, channel: Channel, chat_id: str) -> bool:
        with Session(self._engine) as session:
            found = session.execute(
                select(_identities.c.id)
                .where(_identities.c.channel == channel.value, _identities.c.chat_id == chat_id)
                .limit(1)
            ).first()
        return found is not None
