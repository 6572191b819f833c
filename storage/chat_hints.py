"""Small read-only facts a push sender needs about a chat (its language, its previous message)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Select, bindparam, exists, select
from sqlalchemy.orm import Session

from core.messages import Channel
from core.ports import NOTHING_BEFORE, Previous
from storage.columns import table_of
from storage.engine import read_only
from storage.outbox_statements import unsent
from storage.prepared import Prepared
from storage.tables import ChannelIdentityRow, CitizenRow, OutboxRow

_outbox = table_of(OutboxRow)
_identities = table_of(ChannelIdentityRow)
_citizens = table_of(CitizenRow)
# Built once, values bound at execution (storage.columns.dialect_of says why).
_LANGUAGE = Prepared(
    select(_citizens.c.language)
    .join(_identities, _identities.c.citizen_id == _citizens.c.id)
    .where(_identities.c.channel == bindparam("p_channel"),
           _identities.c.chat_id == bindparam("p_chat_id"))
    .limit(1)
)
_earlier = _outbox.alias("earlier")


def _sent_before(channel: Any, chat_id: Any, before: Any = None) -> Select[Any]:
    """The last message delivered to a chat before an outbox id (None: of all), its payload
    and platform id."""
    below = () if before is None else (_earlier.c.id < before,)
    return (select(_earlier.c.payload, _earlier.c.platform_message_id)
            .where(_earlier.c.channel == channel, _earlier.c.chat_id == chat_id, *below,
                   _earlier.c.status == "sent")
            .order_by(_earlier.c.id.desc())
            .limit(1))


_PREVIOUS = _sent_before(bindparam("p_channel"), bindparam("p_chat_id"), bindparam("p_before"))
# The same for each of several outbox rows, correlated to the row.
_before_row = _sent_before(_outbox.c.channel, _outbox.c.chat_id, _outbox.c.id)
_PREVIOUS_OF_MANY = select(
    _outbox.c.id,
    _before_row.with_only_columns(_earlier.c.payload).scalar_subquery().label("payload"),
    _before_row.with_only_columns(_earlier.c.platform_message_id).scalar_subquery()
    .label("platform_message_id"),
).where(_outbox.c.id.in_(bindparam("p_ids", expanding=True)))


_channel: Any = bindparam("p_channel")
_chat_id: Any = bindparam("p_chat_id")
_last_sent = _sent_before(_channel, _chat_id)
_CHAT_STATE = Prepared(select(
    # Spelled as the partial index `ix_outbox_unsent` is (storage.outbox_statements.unsent).
    exists().where(_earlier.c.channel == _channel, _earlier.c.chat_id == _chat_id,
                   unsent(_earlier)).label("busy"),
    _last_sent.with_only_columns(_earlier.c.payload).scalar_subquery().label("payload"),
    _last_sent.with_only_columns(_earlier.c.platform_message_id).scalar_subquery()
    .label("platform_message_id"),
))


def free_chat(session: Session, channel: Channel, chat_id: str) -> Previous | None:
    """Before a row is handed straight to the dispatcher (`storage.repositories.messages`):
    None when the chat has an unsent row (it goes first), else what was delivered to it last."""
    row = _CHAT_STATE.run(session, {"p_channel": channel.value, "p_chat_id": chat_id}).one()
    return None if row.busy else _previous(row.payload, row.platform_message_id)


def previous_of(conn: Connection, ids: Sequence[int]) -> dict[int, Previous]:
    """For each outbox row, the message delivered to its chat before it, in one statement (the
    dispatcher's claim: a row it leases is the head of its chat, so what came before is settled)."""
    return {row.id: _previous(row.payload, row.platform_message_id)
            for row in conn.execute(_PREVIOUS_OF_MANY, {"p_ids": list(ids)})}


def _previous(payload: str | None, platform_message_id: str | None) -> Previous:
    if payload is None:
        return NOTHING_BEFORE
    return Previous(bool(json.loads(payload).get("ask_location", False)), platform_message_id)


class SqlChatHints:
    """Answers from the database, so every worker process sees the same chat state."""

    def __init__(self, engine: Engine) -> None:
        self._engine = read_only(engine)

    def language(self, channel: Channel, chat_id: str) -> str | None:
        with self._engine.connect() as conn:
            found = _LANGUAGE.run(conn, {"p_channel": channel.value, "p_chat_id": chat_id}
                                  ).scalar_one_or_none()
            conn.rollback()
        return None if found is None else str(found)

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
        return None if row is None else _previous(row.payload, row.platform_message_id)
