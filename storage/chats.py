"""Questions about chats that are not part of a use case's unit of work."""

from __future__ import annotations

from sqlalchemy import Engine, bindparam, select

from core.messages import Channel
from storage.columns import table_of
from storage.engine import read_only
from storage.prepared import Prepared
from storage.tables import ChannelIdentityRow

_identities = table_of(ChannelIdentityRow)
# The web chat asks it at every request (issue 19: prepared, on a connection, not a Session).
_EXISTS = Prepared(select(_identities.c.id)
                   .where(_identities.c.channel == bindparam("p_channel"),
                          _identities.c.chat_id == bindparam("p_chat"))
                   .limit(1))


class SqlChatLookup:
    """Read-only lookups of channel identities."""

    def __init__(self, engine: Engine) -> None:
        self._engine = read_only(engine)

    def exists(self, channel: Channel, chat_id: str) -> bool:
        with self._engine.begin() as conn:
            found = _EXISTS.run(conn, {"p_channel": channel.value, "p_chat": chat_id}).first()
        return found is not None
