"""Crash-safety of the dispatcher (issue 20): leases owned by a worker, renewed by a heartbeat,
taken back at once from a dead process of this host, released on a clean stop."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine

from bot.dispatch_policy import DispatchPolicy
from bot.dispatcher import Dispatcher
from bot.sent_journal import SentJournal
from bot.worker_id import new_worker_id, owner_is_gone
from storage.outbox_leases import SqlOutboxLeases
from storage.outbox_store import SqlOutboxStore
from tests.fakes import FakeClock
from tests.service.test_dispatcher import TG, FakeSender, queue, rows

LEASE = 15.0


def dead_worker_id() -> str:
    """The id a process of this host had, which has exited since."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    return f"{socket.gethostname()}:{child.stdout.strip()}:deadbeef"


def test_a_local_process_that_exited_is_gone_and_a_live_one_or_a_remote_one_is_not() -> None:
    me = new_worker_id()
    assert owner_is_gone(dead_worker_id(), me)
    assert owner_is_gone(f"{socket.gethostname()}:{os.getpid()}:earlier", me)  # restarted pid
    assert not owner_is_gone(me, me)
    assert not owner_is_gone(f"{socket.gethostname()}:{os.getppid()}:x", me)
    assert not owner_is_gone("another-host:1:x", me)


def test_rows_a_dead_process_claimed_are_due_again_at_once(engine: Engine,
                                                           clock: FakeClock) -> None:
    store, leases = SqlOutboxStore(engine), SqlOutboxLeases(engine)
    a, b = queue(engine, clock, "a", "b")
    dead, alive = dead_worker_id(), new_worker_id()
    assert [m.id for m in store.claim([TG], clock.now(), 1, LEASE, dead)] == [a]
    assert [m.id for m in store.claim([TG], clock.now(), 1, LEASE, alive)] == [b]

    assert leases.reclaim_gone(lambda owner: owner_is_gone(owner, alive), clock.now()) == 1
    got = rows(engine)
    assert (got[a].status, got[a].claimed_by, got[a].attempts) == ("pending", None, 1)
    assert (got[b].status, got[b].claimed_by) == ("sending", alive)
    assert [m.id for m in store.claim([TG], clock.now(), 5, LEASE, alive)] == [a]


def test_the_heartbeat_renews_only_its_own_leases(engine: Engine, clock: FakeClock) -> None:
    store, leases = SqlOutboxStore(engine), SqlOutboxLeases(engine)
    a, b = queue(engine, clock, "a", "b")
    store.claim([TG], clock.now(), 1, LEASE, "me")
    store.claim([TG], clock.now(), 1, LEASE, "other")
    clock.advance(seconds=10)
    assert leases.renew("me", clock.now(), LEASE) == 1
    got = rows(engine)
    assert got[a].claimed_until == clock.now() + timedelta(seconds=LEASE)
    assert got[b].claimed_until is not None and got[b].claimed_until < got[a].claimed_until


async def test_stop_finishes_claimed_sends_and_gives_back_what_it_could_not(
        engine: Engine, clock: FakeClock) -> None:
    """A send on the wire completes and is marked; one stuck past the grace is released, its
    attempt not counted, and goes out after the restart."""
    queue(engine, clock, "slow", "quick")
    block = asyncio.Event()

    class OneStuck(FakeSender):
        async def send(self, item):  # type: ignore[no-untyped-def]
            if item.chat_id == "slow":
                self.calls.append(item)
                await block.wait()
            return await super().send(item)

    sender = OneStuck()
    policy = DispatchPolicy(stop_grace=0.3, idle_poll=0.05)
    subject = Dispatcher(SqlOutboxStore(engine), {TG: sender}, clock, policy,
                         leases=SqlOutboxLeases(engine))
    subject.start()
    for _ in range(200):
        if {m.chat_id for m in sender.calls} == {"slow", "quick"} and sender.delivered.is_set():
            break
        await asyncio.sleep(0.01)
    await subject.stop()
    got = {row.chat_id: row for row in rows(engine).values()}
    assert got["quick"].status == "sent"
    assert (got["slow"].status, got["slow"].claimed_by, got["slow"].attempts) == ("pending", None, 0)

    block.set()
    again = Dispatcher(SqlOutboxStore(engine), {TG: FakeSender()}, clock, policy)
    assert await again.drain_once() == 1
    assert {row.status for row in rows(engine).values()} == {"sent"}


async def test_a_send_the_platform_accepted_is_not_sent_again_after_a_kill(
        engine: Engine, clock: FakeClock, tmp_path: Path) -> None:
    """Killed between the platform's answer and the database mark: the journal tells the next
    process, which marks the row sent instead of sending it again."""
    [row_id] = queue(engine, clock, "a")
    store, leases = SqlOutboxStore(engine), SqlOutboxLeases(engine)
    dead = dead_worker_id()
    [claimed] = store.claim([TG], clock.now(), 1, LEASE, dead)
    SentJournal(tmp_path, dead).record(claimed.id, "tg-77")  # …and the process died here

    sender = FakeSender()
    restarted = Dispatcher(store, {TG: sender}, clock, DispatchPolicy(idle_poll=0.05),
                           leases=leases, journal_dir=tmp_path)
    restarted.start()
    await asyncio.sleep(0.3)
    await restarted.stop()
    row = rows(engine)[row_id]
    assert (row.status, row.platform_message_id, sender.calls) == ("sent", "tg-77", [])
    assert list(tmp_path.glob("*.sent")) == []
