"""Who holds which outbox lease: renewed by the owner's heartbeat, released when it stops,
taken back when the owner is gone (`bot.worker_id` decides who is)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, Engine, select, update
from sqlalchemy.orm import Session

from storage.columns import table_of
from storage.tables import OutboxRow

_outbox = table_of(OutboxRow)
_SENDING = _outbox.c.status == "sending"


class SqlOutboxLeases:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def renew(self, owner: str, now: datetime, lease_seconds: float) -> int:
        """The owner is alive: its rows' leases run `lease_seconds` from `now`."""
        return self._run(update(_outbox).where(_SENDING, _outbox.c.claimed_by == owner)
                         .values(claimed_until=now + timedelta(seconds=lease_seconds)))

    def release(self, owner: str, now: datetime) -> int:
        """Give back every row `owner` still holds (its sends were not made, or were cut off):
        due again at once, the attempt not counted."""
        return self._run(update(_outbox).where(_SENDING, _outbox.c.claimed_by == owner).values(
            status="pending", next_attempt_at=now, claimed_until=None, claimed_by=None,
            attempts=_outbox.c.attempts - 1))

    def reclaim_gone(self, gone: Callable[[str], bool], now: datetime) -> int:
        """Rows held by owners that `gone` says are dead become due at once (their attempt
        counts: the send may have gone out)."""
        with Session(self._engine) as session, session.begin():
            owners = session.execute(select(_outbox.c.claimed_by).distinct().where(
                _SENDING, _outbox.c.claimed_by.is_not(None))).scalars().all()
        dead = [owner for owner in owners if gone(owner)]
        if not dead:
            return 0
        return self._run(update(_outbox).where(_SENDING, _outbox.c.claimed_by.in_(dead)).values(
            status="pending", next_attempt_at=now, claimed_until=None, claimed_by=None))

    def settle_sent(self, entries: list[tuple[int, str | None]], now: datetime) -> int:
        """Rows a dead process had sent (its journal says so) are sent, unless already settled."""
        done = 0
        with Session(self._engine) as session, session.begin():
            for outbox_id, platform_message_id in entries:
                result = session.execute(
                    update(_outbox)
                    .where(_outbox.c.id == outbox_id, _outbox.c.status.in_(("sending", "pending")))
                    .values(status="sent", platform_message_id=platform_message_id, sent_at=now,
                            last_error=None, claimed_until=None, claimed_by=None))
                assert isinstance(result, CursorResult)
                done += result.rowcount
        return done

    def _run(self, statement: object) -> int:
        with Session(self._engine) as session, session.begin():
            result = session.execute(statement)  # type: ignore[call-overload]
        assert isinstance(result, CursorResult)
        return result.rowcount
