"""The inbound replay log and the outbox, as seen from inside a unit of work."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import CursorResult, delete, insert
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable
from sqlmodel import col

from core.messages import Channel, Outbound
from storage.columns import dialect_of, dumps, insert_for_dialect, table_of
from storage.tables import InboundIdRow, OutboxRow

_outbox = table_of(OutboxRow)
_inbound = table_of(InboundIdRow)
# Built once, values bound at execution (storage.columns.dialect_of says why).
_PUT = insert(_outbox).returning(_outbox.c.id)


@cache
def _record_inbound(dialect: str) -> Executable:
    # ON CONFLICT rather than catching IntegrityError: on PostgreSQL a failed INSERT
    # would abort the whole surrounding transaction.
    return (insert_for_dialect(dialect, _inbound)
            .on_conflict_do_nothing(index_elements=["channel", "external_id"])
            .returning(_inbound.c.external_id))


class SqlInboundLog:
    """Remembers platform message ids so a redelivered webhook changes nothing."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def seen(self, channel: Channel, external_id: str, now: datetime) -> bool:
        """Record the inbound id; True when it had been recorded before (a replay)."""
        inserted = self._session.execute(
            _record_inbound(dialect_of(self._session)),
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
    """Queues outgoing messages in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self.added = 0  # rows queued since the last commit, so the UoW knows to wake senders

    def put(self, channel: Channel, chat_id: str, message: Outbound, now: datetime,
            meta: dict[str, Any] | None = None) -> int:
        # A Core INSERT … RETURNING: the ORM's add + flush cost more than the insert itself.
        row_id = self._session.execute(_PUT, {
            "channel": channel.value, "chat_id": chat_id, "payload": dumps(message.to_dict()),
            "meta": dumps(meta or {}), "status": "pending", "attempts": 0,
            "next_attempt_at": now, "created_at": now,
        }).scalar_one()
        self.added += 1
        return int(row_id)
