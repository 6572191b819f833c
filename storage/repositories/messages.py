"""The inbound replay log and the outbox, as seen from inside a unit of work."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Protocol

from sqlalchemy import CursorResult, bindparam, delete, insert
from sqlalchemy.orm import Session
from sqlmodel import col

from core.messages import Channel, Outbound
from core.ports import OutgoingMessage
from storage.chat_hints import free_chat
from storage.columns import dialect_of, dumps, insert_for_dialect, table_of
from storage.prepared import Prepared
from storage.tables import InboundIdRow, InboxRow, OutboxRow

_outbox = table_of(OutboxRow)
_inbound = table_of(InboundIdRow)
# Built once, values bound at execution (storage.columns.dialect_of says why).
_PUT = Prepared(insert(_outbox).returning(_outbox.c.id))
_inbox = table_of(InboxRow)
_HANDLED = Prepared(delete(_inbox).where(_inbox.c.channel == bindparam("p_channel"),
                                         _inbox.c.external_id == bindparam("p_external_id")))


class Handoff(Protocol):
    """A dispatcher in this process that takes rows straight from the committing transaction
    (`bot.dispatcher`): the row is written already leased to it, so no claim has to find it."""

    worker_id: str

    @property
    def lease_seconds(self) -> float: ...

    def accepts(self, channel: Channel) -> bool:
        """Whether it sends this channel now (it runs, and is not stopping)."""

    def take(self, messages: list[OutgoingMessage]) -> None:
        """After the commit, from any thread: send these (leased to it already)."""

    def queued(self, chats: Counter[tuple[Channel, str]]) -> None:
        """After the commit, from any thread: rows were queued behind these chats' unsent ones
        (they are due once those are settled), or could not be handed over."""


@cache
def _record_inbound(dialect: str) -> Prepared:
    # ON CONFLICT rather than catching IntegrityError: on PostgreSQL a failed INSERT
    # would abort the whole surrounding transaction.
    return Prepared(insert_for_dialect(dialect, _inbound)
                    .on_conflict_do_nothing(index_elements=["channel", "external_id"])
                    .returning(_inbound.c.external_id))


class SqlInboundLog:
    """Remembers platform message ids so a redelivered webhook changes nothing."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def seen(self, channel: Channel, external_id: str, now: datetime) -> bool:
        """Record the inbound id; True when it had been recorded before (a replay).

        On SQLite the update's stored copy (`storage.inbox_store`, by the same unique key) is
        deleted in this same transaction: handled and forgotten in one commit (issue 19: a
        commit of its own each few updates before), and on a rollback it stays to be handled
        again. A server database leaves it to the inbox worker: there the heartbeat's renewal
        locks this process's inbox rows in its own order, and a transaction of several chats
        deleting theirs could deadlock with it."""
        dialect = dialect_of(self._session)
        if dialect == "sqlite":
            _HANDLED.run(self._session, {"p_channel": channel.value,
                                         "p_external_id": external_id})
        inserted = _record_inbound(dialect).run(
            self._session,
            {"channel": channel.value, "external_id": external_id, "received_at": now},
        ).scalar_one_or_none()
        return inserted is None

    def prune(self, before: datetime) -> int:
        """Forget ids received before `before` (platforms stop redelivering after a day or so)."""
        result = self._session.execute(
            delete(table_of(InboundIdRow)).where(col(InboundIdRow.received_at) < before)
        )
        assert isinstance(result, CursorResult)
        return result.rowcount


class SqlOutbox:
    """Queues outgoing messages in the caller's transaction.

    With a `Handoff`, a message for a chat with nothing unsent is written leased to this
    process's dispatcher and given to it after the commit (issue 19: the claim that would find
    it is a transaction of its own, a third of the dispatcher's CPU). Only where transactions
    run one at a time (SQLite): there the chat's "nothing unsent" cannot change before the
    commit; on a server database two transactions writing to one chat could both see it free.
    """

    def __init__(self, session: Session, handoff: Handoff | None = None) -> None:
        self._session = session
        self._handoff = handoff
        self.added = 0  # rows queued since the last commit, so the UoW knows to wake senders
        self.handed: list[OutgoingMessage] = []  # leased to the handoff, given it on commit
        self.behind: Counter[tuple[Channel, str]] = Counter()  # pending rows, by chat

    def put(self, channel: Channel, chat_id: str, message: Outbound, now: datetime,
            meta: dict[str, Any] | None = None) -> int:
        handoff = self._handoff
        previous = None
        if handoff is not None and handoff.accepts(channel):
            previous = free_chat(self._session, channel, chat_id)
        payload, meta = message.to_dict(), meta or {}
        values = {"channel": channel.value, "chat_id": chat_id, "payload": dumps(payload),
                  "meta": dumps(meta), "status": "pending", "attempts": 0,
                  "next_attempt_at": now, "created_at": now}
        if handoff is not None and previous is not None:
            values.update(status="sending", attempts=1, claimed_by=handoff.worker_id,
                          claimed_until=now + timedelta(seconds=handoff.lease_seconds))
        # A Core INSERT … RETURNING: the ORM's add + flush cost more than the insert itself.
        row_id = int(_PUT.run(self._session, values).scalar_one())
        if previous is not None:
            self.handed.append(OutgoingMessage(id=row_id, channel=channel, chat_id=chat_id,
                                               message=message, attempts=1, meta=meta,
                                               previous=previous))
        else:
            self.added += 1
            self.behind[(channel, chat_id)] += 1
        return row_id

    def forget(self) -> None:
        """Nothing queued since the last commit counts (a rollback)."""
        self.added = 0
        self.handed = []
        self.behind = Counter()
