"""The webhook inbox: stored before acknowledged, handled in order per chat, resumed after a stop."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import Engine, func, select

from bot.inbox import InboxWorker
from core.messages import Channel
from storage.columns import table_of
from storage.inbox_store import Received, SqlInbox
from storage.tables import InboxRow
from tests.storage.helpers import NOW


def rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table_of(InboxRow))).scalar_one())


def update(n: int, chat: str = "a") -> Received:
    return Received(Channel.TELEGRAM, f"tg:{n}", json.dumps({"n": n, "chat": chat}))


def test_a_redelivered_update_is_stored_once(engine: Engine) -> None:
    inbox = SqlInbox(engine)
    first, again, other = inbox.put_many([update(1), update(1), update(2)], NOW)
    assert first is not None and again is None and other is not None
    assert inbox.claim_expired(NOW) == []  # the receiving process holds its lease
    inbox.done([first, other])
    assert rows(engine) == 0


async def test_updates_of_one_chat_are_handled_in_order_and_then_deleted(engine: Engine) -> None:
    worker = InboxWorker(SqlInbox(engine), concurrency=4)
    seen: list[int] = []

    def job(n: int) -> Callable[[], Awaitable[object]]:
        async def run() -> None:
            await asyncio.sleep(0.01 * (5 - n))  # later updates would overtake if unordered
            seen.append(n)
        return run

    accepted = await asyncio.gather(*(worker.accept(update(n), "a", job(n)) for n in range(5)))
    assert accepted == [True] * 5
    assert await worker.accept(update(3), "a", job(3)) in (False, True)  # replay or re-stored
    await worker.stop()
    assert seen[:5] == [0, 1, 2, 3, 4]
    assert rows(engine) <= 1


async def test_rows_a_stopped_process_left_are_resumed_by_the_next(engine: Engine) -> None:
    store = SqlInbox(engine, lease=timedelta(seconds=30))
    store.put_many([update(1, "a"), update(2, "b")], NOW - timedelta(minutes=5))  # a dead process
    handled: list[int] = []
    worker = InboxWorker(store, now=lambda: NOW)

    def resume(payload: str) -> tuple[str, Callable[[], Awaitable[object]]]:
        data = json.loads(payload)

        async def run() -> None:
            handled.append(data["n"])
        return data["chat"], run

    worker.register(Channel.TELEGRAM, resume)
    assert await worker.sweep() == 2
    await worker.stop()
    assert sorted(handled) == [1, 2]
    assert rows(engine) == 0


async def test_a_failed_handling_keeps_the_row_for_a_later_sweep(engine: Engine) -> None:
    worker = InboxWorker(SqlInbox(engine))

    async def broken() -> None:
        raise RuntimeError("database away")

    assert await worker.accept(update(7), "a", broken)
    await worker.stop()
    assert rows(engine) == 1
