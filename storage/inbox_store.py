"""The webhook inbox: updates stored before they are acknowledged, deleted once handled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select, update

from core.messages import Channel
from storage.columns import insert_for_dialect, table_of
from storage.tables import InboxRow

_inbox = table_of(InboxRow)


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

    def __init__(self, engine: Engine, lease: timedelta = timedelta(seconds=30)) -> None:
        self._engine, self.lease = engine, lease
        self._insert = insert_for_dialect(engine.dialect.name, _inbox)

    def put_many(self, received: Sequence[Received], now: datetime) -> list[int | None]:
        """Store each update; None for one whose id is already waiting here (a redelivery)."""
        ids: list[int | None] = []
        until = now + self.lease
        with self._engine.begin() as conn:
            for item in received:
                ids.append(conn.execute(
                    self._insert.values(
                        channel=item.channel.value, external_id=item.external_id,
                        payload=item.payload, attempts=0, received_at=now, claimed_until=until,
                    ).on_conflict_do_nothing(index_elements=["channel", "external_id"])
                    .returning(_inbox.c.id)
                ).scalar_one_or_none())
        return ids

    def done(self, ids: Sequence[int]) -> None:
        """Forget handled updates (their ids stay in `inbound_ids` for replays)."""
        with self._engine.begin() as conn:
            conn.execute(delete(_inbox).where(_inbox.c.id.in_(list(ids))))

    def release(self, ids: Sequence[int], now: datetime) -> None:
        """Hand unhandled rows to the next sweep at once (a clean shutdown)."""
        self._lease_until(ids, now)

    def renew(self, ids: Sequence[int], now: datetime) -> None:
        """Keep the lease of rows this process still holds."""
        self._lease_until(ids, now + self.lease)

    def _lease_until(self, ids: Sequence[int], until: datetime) -> None:
        with self._engine.begin() as conn:
            conn.execute(update(_inbox).where(_inbox.c.id.in_(list(ids)))
                         .values(claimed_until=until))

    def claim_expired(self, now: datetime, limit: int = 500) -> list[Stored]:
        """Rows whose lease ran out (a killed process, a failed handling), oldest first."""
        with self._engine.begin() as conn:
            ids = list(conn.execute(
                select(_inbox.c.id).where(_inbox.c.claimed_until <= now)
                .order_by(_inbox.c.id).limit(limit)
            ).scalars())
            if not ids:
                return []
            # Re-checked per row, so of two workers sweeping at once only one takes a row.
            rows = conn.execute(
                update(_inbox)
                .where(_inbox.c.id.in_(ids), _inbox.c.claimed_until <= now)
                .values(claimed_until=now + self.lease, attempts=_inbox.c.attempts + 1)
                .returning(_inbox.c.id, _inbox.c.channel, _inbox.c.payload, _inbox.c.attempts)
            ).all()
        return sorted((Stored(r.id, Channel(r.channel), r.payload, r.attempts) for r in rows),
                      key=lambda s: s.id)
