"""The webhook inbox: stored before acknowledged, handled in order per chat; rows owned like the
outbox's (worker id, heartbeat), a dead owner's rows taken back at start-up."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from bot.db_calls import DatabaseCalls
from bot.inbox import InboxWorker
from core.messages import Channel
from storage.columns import table_of
from storage.inbox_store import Received, SqlInbox
from storage.tables import InboxRow
from tests.storage.helpers import NOW

_inbox = table_of(InboxRow)
Job = Callable[[], Awaitable[object]]


def rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(_inbox)).scalar_one())


def owners(engine: Engine) -> list[str | None]:
    with engine.connect() as conn:
        return list(conn.execute(select(_inbox.c.claimed_by).order_by(_inbox.c.id)).scalars())


async def settled(condition: Callable[[], bool], tries: int) -> None:
    """Poll `condition` every 10 ms, at most `tries` times (the caller asserts it after)."""
    for _ in range(tries):
        if condition():
            return
        await asyncio.sleep(0.01)


def update(n: int, chat: str = "a") -> Received:
    return Received(Channel.TELEGRAM, f"tg:{n}", json.dumps({"n": n, "chat": chat}))


def dead_owner() -> str:
    """The worker id of a process of this host that has exited."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    return f"{socket.gethostname()}:{gone.pid}:0badcafe"


def recorder(handled: list[int]) -> Callable[[str], tuple[str, Job]]:
    def resume(payload: str) -> tuple[str, Job]:
        data = json.loads(payload)

        async def run() -> None:
            handled.append(data["n"])
        return data["chat"], run
    return resume


def test_a_redelivered_update_is_stored_once(engine: Engine) -> None:
    inbox = SqlInbox(engine)
    first, again, other = inbox.put_many([update(1), update(1), update(2)], NOW, "me:1:aa")
    assert first is not None and again is None and other is not None
    assert inbox.claim_due("else:2:bb", NOW) == []  # the receiving process holds its lease
    inbox.done([first, other])
    assert rows(engine) == 0


@pytest.mark.parametrize("count", [3, 20])  # looked up one by one, or as one IN list
def test_done_forgets_exactly_the_given_updates(engine: Engine, count: int) -> None:
    inbox = SqlInbox(engine)
    ids = inbox.put_many([update(n) for n in range(count + 1)], NOW, "me:1:aa")
    kept = ids.pop()
    inbox.done([i for i in ids if i is not None] + [10**9])  # an id already gone is fine
    assert rows(engine) == 1 and owners(engine) == ["me:1:aa"]
    assert kept is not None
    inbox.done([kept])
    assert rows(engine) == 0


@pytest.mark.parametrize("inline", [False, True], ids=["threads", "inline"])
async def test_updates_of_one_chat_are_handled_in_order_and_then_deleted(
        engine: Engine, inline: bool) -> None:
    worker = InboxWorker(SqlInbox(engine), concurrency=4, calls=DatabaseCalls(inline=inline))
    seen: list[int] = []

    def job(n: int) -> Job:
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


async def test_a_dead_processs_rows_are_taken_back_at_start_up_before_their_lease_ends(
        engine: Engine) -> None:
    store = SqlInbox(engine, lease=timedelta(minutes=10))
    store.put_many([update(1, "a"), update(2, "b")], NOW, dead_owner())
    handled: list[int] = []
    worker = InboxWorker(store, now=lambda: NOW)
    worker.register(Channel.TELEGRAM, recorder(handled))
    await worker.start()  # the taking back happens before start() returns
    await worker.stop()
    assert sorted(handled) == [1, 2]
    assert rows(engine) == 0


async def test_a_live_owners_rows_are_left_until_its_lease_lapses(engine: Engine) -> None:
    store = SqlInbox(engine, lease=timedelta(seconds=10))
    elsewhere = "another-host:4242:cafe0001"  # never judged gone: its lease must lapse
    store.put_many([update(1)], NOW, elsewhere)
    handled: list[int] = []
    clock = [NOW]
    worker = InboxWorker(store, now=lambda: clock[0])
    worker.register(Channel.TELEGRAM, recorder(handled))
    assert await worker.sweep() == 0
    clock[0] = NOW + timedelta(seconds=11)
    assert await worker.sweep() == 1
    await worker.stop()
    assert handled == [1]


async def test_the_heartbeat_keeps_a_slow_backlog_owned(engine: Engine) -> None:
    store = SqlInbox(engine, lease=timedelta(seconds=10))
    clock = [NOW]
    worker = InboxWorker(store, now=lambda: clock[0], worker_id="host:1:feed")
    release = asyncio.Event()

    async def slow() -> None:
        await release.wait()

    assert await worker.accept(update(1), "a", slow)
    clock[0] = NOW + timedelta(seconds=8)
    await worker.sweep()  # the beat
    clock[0] = NOW + timedelta(seconds=15)
    assert store.claim_due("other:2:beef", clock[0]) == []
    release.set()
    await worker.stop()
    assert rows(engine) == 0


async def test_a_failed_handling_is_retried_by_a_later_sweep(engine: Engine) -> None:
    store = SqlInbox(engine)
    clock = [NOW]
    worker = InboxWorker(store, now=lambda: clock[0], sweep_seconds=2.0)
    handled: list[int] = []
    worker.register(Channel.TELEGRAM, recorder(handled))

    async def broken() -> None:
        raise RuntimeError("database away")

    assert await worker.accept(update(7), "a", broken)
    await settled(lambda: owners(engine) == [None], 50)  # recorded in the background
    assert owners(engine) == [None]
    clock[0] = NOW + timedelta(seconds=3)
    assert await worker.sweep() == 1
    await worker.stop()
    assert handled == [7]
    assert rows(engine) == 0


async def test_a_clean_stop_gives_queued_rows_to_the_next_process_at_once(engine: Engine) -> None:
    store = SqlInbox(engine, lease=timedelta(minutes=10))
    worker = InboxWorker(store, now=lambda: NOW)
    never = asyncio.Event()

    async def stuck() -> None:
        await never.wait()

    assert await worker.accept(update(1), "a", stuck)
    await worker.stop(grace=0.05)
    assert owners(engine) == [None]
    assert [s.payload for s in store.claim_due("next:3:f00d", NOW)] == [update(1).payload]


class FlakyInbox(SqlInbox):
    """The database away for the first `failures` writes of a failed or finished row."""

    def __init__(self, engine: Engine, failures: int) -> None:
        super().__init__(engine)
        self.failures = failures

    def _away(self) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise OSError("database away")

    def retry_later(self, ids: Sequence[int], when: datetime) -> int:
        self._away()
        return super().retry_later(ids, when)

    def done(self, ids: Sequence[int]) -> None:
        self._away()
        super().done(ids)


async def test_a_failure_recorded_while_the_database_is_away_is_recorded_once_it_is_back(
        engine: Engine) -> None:
    # The handling failed because the database went away, and so did recording the retry:
    # the row must not stay owned by this live process (its heartbeat would renew it for good).
    store = FlakyInbox(engine, failures=2)
    clock = [NOW]
    worker = InboxWorker(store, now=lambda: clock[0], sweep_seconds=2.0)
    handled: list[int] = []
    worker.register(Channel.TELEGRAM, recorder(handled))

    async def broken() -> None:
        raise RuntimeError("database away")

    assert await worker.accept(update(7), "a", broken)
    await settled(lambda: owners(engine) == [None], 200)  # two failed writes: 0.2 s + 0.4 s
    assert owners(engine) == [None]
    assert store.failures == 0
    clock[0] = NOW + timedelta(seconds=3)
    store.failures = 2  # and away again while the handled row is deleted
    assert await worker.sweep() == 1
    await settled(lambda: rows(engine) == 0, 200)
    await worker.stop()
    assert handled == [7]
    assert rows(engine) == 0


def test_the_transaction_that_handles_an_update_deletes_its_stored_copy(engine: Engine) -> None:
    """On SQLite the step's own commit forgets the stored update (issue 19: no commit of its
    own); a rollback keeps it for the next try. A server database leaves it to the worker."""
    from storage.uow import SqlUnitOfWork

    inbox = SqlInbox(engine)
    [row_id] = inbox.put_many([update(1)], NOW, "me:1:aa")
    with SqlUnitOfWork(engine) as uow:
        assert uow.inbound.seen(Channel.TELEGRAM, "tg:1", NOW) is False
        uow.rollback()
    assert rows(engine) == 1
    with SqlUnitOfWork(engine) as uow:
        assert uow.inbound.seen(Channel.TELEGRAM, "tg:1", NOW) is False
        uow.commit()
    assert rows(engine) == (0 if engine.dialect.name == "sqlite" else 1)
    assert row_id is not None
    inbox.done([row_id])  # the worker's own deletion finds nothing left, or deletes it
    assert rows(engine) == 0


def test_an_emptied_inbox_never_hands_out_an_id_again(engine: Engine) -> None:
    """The worker may still hold a handled row's id after its deletion; SQLite gave the next
    row the largest id plus one, so a webhook arriving then got that same id and was dropped
    as the one already queued (migration 0016)."""
    inbox = SqlInbox(engine)
    [first] = inbox.put_many([update(1)], NOW, "me:1:aa")
    assert first is not None
    inbox.done([first])
    assert rows(engine) == 0
    [second] = inbox.put_many([update(2)], NOW, "me:1:aa")
    assert second is not None and second > first


@pytest.mark.parametrize("inline", [False, True], ids=["threads", "inline"])
async def test_an_accepted_update_is_stored_before_accept_returns(engine: Engine,
                                                                  inline: bool) -> None:
    """What the webhook's 200 means: the row is committed, and a redelivery is refused."""
    worker = InboxWorker(SqlInbox(engine), now=lambda: NOW, calls=DatabaseCalls(inline=inline))
    release = asyncio.Event()

    async def held() -> None:
        await release.wait()

    assert await worker.accept(update(7), "a", held) is True
    assert rows(engine) == 1  # committed: another connection sees it
    assert await worker.accept(update(7), "a", held) is False
    release.set()
    await worker.stop()
    assert rows(engine) == 0
