"""The dispatcher's side of the outbox: claim, settle, and observe queued messages."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    CursorResult,
    Engine,
    Update,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlmodel import col

from core.messages import Channel, Outbound
from core.ports import OutgoingMessage
from storage.chat_hints import previous_of
from storage.columns import table_of
from storage.engine import read_only
from storage.outbox_statements import DELIVERED, FOR_CHAT, LEASE, NEXT_DUE, PICK, SENT, UNSENT
from storage.tables import ChannelIdentityRow, OutboxRow

_outbox = table_of(OutboxRow)
# Meta of a farewell, the last message to a chat whose identity was erased (core.privacy): once
# delivered or given up the row forgets its chat (chat id and platform id blanked), so that no
# table keeps them; the row itself stays, as the newest outbox row it keeps SQLite from handing
# its id out again. `inbound_at` is when the message it answers came in (WhatsApp's 24-hour
# window, the identity being gone).
FORGET, INBOUND_AT = "forget", "inbound_at"
NO_CHAT = ""  # the chat id of a row that forgot its chat (the column is NOT NULL)


def farewell_meta(now: datetime) -> dict[str, Any]:
    return {FORGET: True, INBOUND_AT: now.isoformat()}


def forget_chat(where: ColumnElement[bool]) -> Update:
    """Blank the chat of the rows `where` (farewells that were delivered or given up)."""
    return update(_outbox).where(where).values(chat_id=NO_CHAT, platform_message_id=None)


def forgets(meta: str | None) -> bool:
    """Whether a row with this stored meta is a farewell (cheap for every other row)."""
    return meta is not None and f'"{FORGET}"' in meta and json.loads(meta).get(FORGET) is True


class SqlOutboxStore:
    """Short sync transactions for the async dispatcher (which calls them in a thread)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._reader = read_only(engine)

    def claim(self, channels: Sequence[Channel], now: datetime, limit: int,
              lease_seconds: float, owner: str | None = None) -> list[OutgoingMessage]:
        """Lease up to `limit` due messages to `owner`, at most one per chat, oldest first."""
        if not channels or limit <= 0:
            return []
        with self._engine.begin() as conn:  # Core: no ORM session on the hot path
            ids = list(conn.execute(PICK, {"p_now": now, "p_limit": limit,
                                            "p_channels": [c.value for c in channels]}
                                    ).scalars())
            if not ids:
                return []
            rows = conn.execute(LEASE, {
                "p_ids": ids, "p_until": now + timedelta(seconds=lease_seconds), "p_owner": owner,
            }).all()
            before = previous_of(conn, ids)
        return sorted(
            (
                OutgoingMessage(
                    id=r.id, channel=Channel(r.channel), chat_id=r.chat_id,
                    message=Outbound.from_dict(json.loads(r.payload)), attempts=r.attempts,
                    meta=json.loads(r.meta), previous=before.get(r.id),
                )
                for r in rows
            ),
            key=lambda m: m.id,
        )

    def mark_sent(self, id: int, platform_message_id: str | None, now: datetime) -> None:
        self.mark_sent_many([(id, platform_message_id)], now)

    def mark_sent_many(self, sent: Sequence[tuple[int, str | None]], now: datetime) -> None:
        """Several accepted sends in one transaction (the dispatcher's group commit)."""
        with self._engine.begin() as conn:
            for id, platform_message_id in sent:
                meta = SENT.run(conn, {"p_id": id, "p_now": now,
                                       "p_platform_id": platform_message_id}
                                ).scalar_one_or_none()
                if forgets(meta):  # a delivered farewell forgets its chat
                    conn.execute(forget_chat(_outbox.c.id == id))

    def mark_retry(self, id: int, next_attempt_at: datetime, error: str | None,
                   now: datetime) -> None:
        self._settle(id, status="pending", next_attempt_at=next_attempt_at, last_error=error)

    def mark_failed(self, id: int, error: str | None, now: datetime) -> None:
        self._settle(id, status="failed", last_error=error, final=True)

    def mark_held(self, id: int, platform_message_id: str | None, error: str | None,
                  now: datetime) -> None:
        """Kept back until the chat writes again (`release_held`); it blocks no later row."""
        self._settle(id, status="held", platform_message_id=platform_message_id, last_error=error)

    def release_held(self, channel: Channel, chat_id: str, now: datetime) -> int:
        """The citizen wrote: their messaging window is open from `now`, so queue what was held.

        Released rows keep their ids, hence their place before anything queued after this call.
        """
        with Session(self._engine) as session, session.begin():
            session.execute(
                update(table_of(ChannelIdentityRow))
                .where(col(ChannelIdentityRow.channel) == channel.value)
                .where(col(ChannelIdentityRow.chat_id) == chat_id)
                .values(last_inbound_at=now)
            )
            result = session.execute(
                update(_outbox)
                .where(_outbox.c.channel == channel.value, _outbox.c.chat_id == chat_id,
                       _outbox.c.status == "held")
                .values(status="pending", next_attempt_at=now, attempts=0, claimed_until=None)
            )
        assert isinstance(result, CursorResult)
        return result.rowcount

    def mark_chat_unreachable(self, channel: Channel, chat_id: str, now: datetime) -> None:
        """The user blocked us: remember it and give up on everything queued for the chat."""
        with Session(self._engine) as session, session.begin():
            session.execute(
                update(table_of(ChannelIdentityRow))
                .where(col(ChannelIdentityRow.channel) == channel.value)
                .where(col(ChannelIdentityRow.chat_id) == chat_id)
                .values(unreachable_at=now)
            )
            session.execute(
                update(_outbox)
                .where(_outbox.c.channel == channel.value, _outbox.c.chat_id == chat_id,
                       _outbox.c.status.in_(UNSENT))
                .values(status="failed", last_error="unreachable", claimed_until=None)
            )

    def next_due(self, channels: Sequence[Channel], now: datetime) -> datetime | None:
        """When the dispatcher should look again: `now` if work is due, None if idle."""
        if not channels:
            return None
        with self._reader.begin() as conn:
            times = conn.execute(NEXT_DUE, {"p_channels": [c.value for c in channels]}).one()
        earliest = min((t for t in times if t is not None), default=None)
        return None if earliest is None else max(earliest, now)

    def depth(self) -> dict[str, int]:
        """Pending and in-flight messages per channel (every channel listed, for gauges)."""
        return self._count_by_channel(UNSENT)

    def failures(self) -> dict[str, int]:
        return self._count_by_channel(("failed",))

    def fetch_for_chat(self, channel: Channel, chat_id: str, after_id: int, limit: int,
                       now: datetime | None = None) -> list[tuple[int, Outbound, datetime]]:
        """A pull channel's messages after `after_id`; pending ones become delivered."""
        delivered_at = now or datetime.now(UTC)
        # Read first without the write lock: an empty long-poll check must not queue behind
        # writers. Re-fetching the same range (a lost response) returns the rows again.
        with self._reader.begin() as conn:
            rows = FOR_CHAT.run(conn, {"p_channel": channel.value, "p_chat": chat_id,
                                       "p_after": after_id, "p_limit": limit}).all()
        fresh = [r.id for r in rows if r.status in UNSENT]
        gone = [r.id for r in rows if forgets(r.meta)]  # farewells: fetched is delivered
        if fresh or gone:
            with self._engine.begin() as conn:
                for row_id in fresh:  # a reply or two: a prepared UPDATE each, no IN list
                    DELIVERED.run(conn, {"p_id": row_id, "p_now": delivered_at})
                if gone:
                    conn.execute(forget_chat(_outbox.c.id.in_(gone)))
        return [(r.id, Outbound.from_dict(json.loads(r.payload)), r.created_at) for r in rows]

    def _count_by_channel(self, statuses: Sequence[str]) -> dict[str, int]:
        counts = {c.value: 0 for c in Channel if c.pushes}  # API reports have no chat
        with Session(self._reader) as session, session.begin():
            for channel, count in session.execute(
                select(_outbox.c.channel, func.count())
                .where(_outbox.c.status.in_(statuses))
                .group_by(_outbox.c.channel)
            ):
                counts[channel] = int(count)
        return counts

    def _settle(self, id: int, final: bool = False, **values: Any) -> None:
        """Write the row's new state; a farewell that is `final` (delivered, given up) forgets
        its chat."""
        with self._engine.begin() as conn:
            self._settle_in(conn, id, final, **values)

    @staticmethod
    def _settle_in(conn: Connection, id: int, final: bool, **values: Any) -> None:
        settle = update(_outbox).where(_outbox.c.id == id).values(claimed_until=None,
                                                                  claimed_by=None, **values)
        if not final:
            conn.execute(settle)
            return
        meta = conn.execute(settle.returning(_outbox.c.meta)).scalar_one_or_none()
        if forgets(meta):
            conn.execute(forget_chat(_outbox.c.id == id))
