"""The webhook inbox: updates stored before they are acknowledged, deleted once handled.

Rows are owned like outbox rows (`storage.outbox_leases`): `claimed_by` names the worker,
whose heartbeat renews a short lease; a dead owner's rows are taken back at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, Engine, bindparam, delete, select, update

from core.messages import Channel
from storage.columns import insert_for_dialect, table_of
from storage.engine import read_only, urgent
from storage.prepared import Prepared
from storage.tables import InboxRow

_inbox = table_of(InboxRow)
# Built once, values bound at execution (storage.columns.dialect_of says why).
_DONE = delete(_inbox).where(_inbox.c.id.in_(bindparam("p_ids", expanding=True)))
_LEFT = select(_inbox.c.id).where(_inbox.c.id.in_(bindparam("p_ids", expanding=True)))
_LEFT_ONE = Prepared(select(_inbox.c.id).where(_inbox.c.id == bindparam("p_id")))
_FEW = 8  # up to this many ids, a prepared lookup each is cheaper than one IN list


@dataclass(frozen=True, slots=True)
class Received:
    channel: Channel
    external_id: str
    payload: str  # the platform's JSON


@dataclass(frozen=True, slots=True)
class Stored:
    id: int
    channel: Channel
    payload: str
    attempts: int


class SqlInbox:
    """One transaction per batch of updates, however many webhooks arrived meanwhile."""

    def __init__(self, engine: Engine, lease: timedelta = timedelta(seconds=10)) -> None:
        self._engine, self.lease = engine, lease
        self._urgent = urgent(engine)  # an acknowledgement waits on put_many
        self._reader = read_only(engine)
        self._insert = Prepared(insert_for_dialect(engine.dialect.name, _inbox)
                                .on_conflict_do_nothing(index_elements=["channel", "external_id"])
                                .returning(_inbox.c.id))

    def put_many(self, received: Sequence[Received], now: datetime,
                 owner: str) -> list[int | None]:
        """Store each update, held by `owner`; None for one whose id is already here."""
        ids: list[int | None] = []
        until = now + self.lease
        with self._urgent.begin() as conn:
            for item in received:
                ids.append(self._insert.run(conn, {
                    "channel": item.channel.value, "external_id": item.external_id,
                    "payload": item.payload, "attempts": 0, "received_at": now,
                    "claimed_by": owner, "claimed_until": until,
                }).scalar_one_or_none())
        return ids

    def done(self, ids: Sequence[int]) -> None:
        """Forget handled updates (their ids stay in `inbound_ids` for replays). Most are gone
        already, deleted by the transaction that handled them (`SqlInboundLog.seen`): a read,
        which never waits for SQLite's writer, finds the few left (updates that were ignored)."""
        with self._reader.begin() as conn:
            if len(ids) <= _FEW:
                left = [i for i in ids if _LEFT_ONE.run(conn, {"p_id": i}).first() is not None]
            else:
                left = list(conn.execute(_LEFT, {"p_ids": list(ids)}).scalars())
        if left:
            with self._engine.begin() as conn:
                conn.execute(_DONE, {"p_ids": left})

    def renew(self, owner: str, now: datetime) -> int:
        """The owner is alive: its rows' leases run from `now`."""
        return self._run(update(_inbox).where(_inbox.c.claimed_by == owner)
                         .values(claimed_until=now + self.lease))

    def release(self, owner: str, now: datetime) -> int:
        """Every row `owner` still holds is due for any worker at once (a clean stop)."""
        return self._run(update(_inbox).where(_inbox.c.claimed_by == owner)
                         .values(claimed_by=None, claimed_until=now))

    def retry_later(self, ids: Sequence[int], when: datetime) -> int:
        """Rows whose handling failed: unowned, due again at `when`."""
        return self._run(update(_inbox).where(_inbox.c.id.in_(list(ids)))
                         .values(claimed_by=None, claimed_until=when))

    def reclaim_gone(self, gone: Callable[[str], bool], now: datetime) -> int:
        """Rows held by owners that `gone` says are dead are due at once."""
        with self._engine.begin() as conn:
            owners = conn.execute(select(_inbox.c.claimed_by).distinct()
                                  .where(_inbox.c.claimed_by.is_not(None))).scalars().all()
        dead = [owner for owner in owners if gone(owner)]
        if not dead:
            return 0
        return self._run(update(_inbox).where(_inbox.c.claimed_by.in_(dead))
                         .values(claimed_by=None, claimed_until=now))

    def claim_due(self, owner: str, now: datetime, limit: int = 500,
                  channels: Sequence[Channel] | None = None) -> list[Stored]:
        """Take rows whose lease ran out or that nobody holds, oldest first; only rows of
        `channels` when given (a process leaves a channel it does not run to one that does)."""
        due = select(_inbox.c.id).where(_inbox.c.claimed_until <= now)
        if channels is not None:
            due = due.where(_inbox.c.channel.in_([c.value for c in channels]))
        with self._engine.begin() as conn:
            ids = list(conn.execute(due.order_by(_inbox.c.id).limit(limit)).scalars())
            if not ids:
                return []
            # Re-checked per row, so of two workers sweeping at once only one takes a row.
            rows = conn.execute(
                update(_inbox)
                .where(_inbox.c.id.in_(ids), _inbox.c.claimed_until <= now)
                .values(claimed_by=owner, claimed_until=now + self.lease,
                        attempts=_inbox.c.attempts + 1)
                .returning(_inbox.c.id, _inbox.c.channel, _inbox.c.payload, _inbox.c.attempts)
            ).all()
        return sorted((Stored(r.id, Channel(r.channel), r.payload, r.attempts) for r in rows),
                      key=lambda s: s.id)

    def _run(self, statement: object) -> int:
        with self._engine.begin() as conn:
            result = conn.execute(statement)  # type: ignore[call-overload]
        assert isinstance(result, CursorResult)
        return result.rowcount
