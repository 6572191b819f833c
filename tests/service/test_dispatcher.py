"""The outbox dispatcher over the real outbox store, with a fake sender at the platform boundary."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.dispatch_policy import DispatchPolicy, backoff_seconds
from bot.dispatcher import Dispatcher
from core.messages import Channel, Outbound
from core.ports import Clock, OutgoingMessage, SendOutcome, SendResult
from storage.engine import make_engine
from storage.outbox_store import SqlOutboxStore
from storage.tables import ChannelIdentityRow, OutboxRow
from storage.uow import SqlUnitOfWork
from tests.fakes import FakeClock
from tests.storage.helpers import make_citizen

TG = Channel.TELEGRAM
SENT = SendResult(SendOutcome.SENT)


class FakeSender:
    """Records every send; answers from a per-chat script, then SENT (or raises/blocks on cue)."""

    channel = TG

    def __init__(self, script: dict[str, list[SendResult | Exception]] | None = None,
                 unreachable: Sequence[str] = (), block: asyncio.Event | None = None) -> None:
        self.script = {chat: list(plan) for chat, plan in (script or {}).items()}
        self.unreachable = set(unreachable)
        self.block = block
        self.calls: list[OutgoingMessage] = []
        self.started = asyncio.Event()  # set when a send begins
        self.delivered = asyncio.Event()  # set when a send answers SENT

    @property
    def ids(self) -> list[int]:
        return [item.id for item in self.calls]

    async def send(self, item: OutgoingMessage) -> SendResult:
        self.calls.append(item)
        self.started.set()
        if self.block is not None:
            await self.block.wait()
        await asyncio.sleep(0)  # let other sends interleave, as real HTTP calls would
        if item.chat_id in self.unreachable:
            return SendResult(SendOutcome.UNREACHABLE, error="403 blocked")
        plan = self.script.get(item.chat_id)
        answer = plan.pop(0) if plan else SendResult(SendOutcome.SENT, f"tg-{item.id}")
        if isinstance(answer, Exception):
            raise answer
        if answer.outcome is SendOutcome.SENT:
            self.delivered.set()
        return answer


def queue(engine: Engine, clock: Clock, *chats: str) -> list[int]:
    """Queue one Telegram message per chat, in order; returns the outbox ids."""
    with SqlUnitOfWork(engine) as uow:
        ids = [uow.outbox.put(TG, chat, Outbound(text=f"m{i}"), clock.now())
               for i, chat in enumerate(chats)]
        uow.commit()
    return ids


def rows(engine: Engine) -> dict[int, OutboxRow]:
    with Session(engine) as session:
        return {row.id: row for row in session.scalars(select(OutboxRow)) if row.id is not None}


def dispatcher(engine: Engine, sender: FakeSender, clock: Clock,
               policy: DispatchPolicy | None = None) -> Dispatcher:
    return Dispatcher(SqlOutboxStore(engine), {TG: sender}, clock, policy, rng=lambda: 1.0)


async def test_queued_message_is_sent_once_and_marked_sent(engine: Engine,
                                                           clock: FakeClock) -> None:
    sender = FakeSender()
    store = SqlOutboxStore(engine)
    [row_id] = queue(engine, clock, "a")
    assert store.depth()["telegram"] == 1
    subject = Dispatcher(store, {TG: sender}, clock)

    assert await subject.drain_once() == 1
    assert await subject.drain_once() == 0

    assert sender.ids == [row_id]
    assert sender.calls[0].message == Outbound(text="m0")
    row = rows(engine)[row_id]
    assert (row.status, row.platform_message_id, row.sent_at) == ("sent", f"tg-{row_id}", clock.now())
    assert (row.attempts, row.claimed_until) == (1, None)
    assert store.depth()["telegram"] == 0


class IdleSignallingStore(SqlOutboxStore):
    """Tells the test when the dispatcher has gone idle (it asks next_due only before sleeping)."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.idle = threading.Event()

    def next_due(self, channels: Sequence[Channel], now: datetime) -> datetime | None:
        due = super().next_due(channels, now)
        self.idle.set()
        return due


async def test_wake_after_commit_sends_without_waiting_for_idle_poll(engine: Engine,
                                                                     clock: FakeClock) -> None:
    sender = FakeSender()
    store = IdleSignallingStore(engine)
    subject = Dispatcher(store, {TG: sender}, clock, DispatchPolicy(idle_poll=30))
    subject.start()
    try:
        assert await asyncio.to_thread(store.idle.wait, 2), "dispatcher never went idle"

        def commit_from_a_request_thread() -> int:
            with SqlUnitOfWork(engine, on_commit=subject.wake) as uow:
                row_id = uow.outbox.put(TG, "a", Outbound(text="hai"), clock.now())
                uow.commit()
            return row_id

        row_id = await asyncio.to_thread(commit_from_a_request_thread)
        await asyncio.wait_for(sender.delivered.wait(), 2)
    finally:
        await subject.stop()
    assert sender.ids == [row_id]


async def test_retry_after_is_respected_then_the_message_is_sent(engine: Engine,
                                                                 clock: FakeClock) -> None:
    sender = FakeSender({"a": [SendResult(SendOutcome.RETRY, retry_after=20, error="429")]})
    [row_id] = queue(engine, clock, "a")
    subject = dispatcher(engine, sender, clock)
    start = clock.now()

    assert await subject.drain_once() == 1
    row = rows(engine)[row_id]
    assert (row.status, row.next_attempt_at, row.last_error) == (
        "pending", start + timedelta(seconds=20), "429")

    clock.advance(seconds=19)
    assert await subject.drain_once() == 0
    assert sender.ids == [row_id]

    clock.advance(seconds=1)
    assert await subject.drain_once() == 1
    assert sender.ids == [row_id, row_id]
    assert rows(engine)[row_id].status == "sent"


async def test_retry_without_retry_after_backs_off_exponentially_then_fails(
        engine: Engine, clock: FakeClock) -> None:
    always_busy = [SendResult(SendOutcome.RETRY, error="503 busy")] * 10
    sender = FakeSender({"a": list(always_busy)})
    [row_id] = queue(engine, clock, "a")
    subject = dispatcher(engine, sender, clock, DispatchPolicy(max_attempts=5, base_backoff=1))

    delays: list[float] = []
    for _ in range(4):
        assert await subject.drain_once() == 1
        row = rows(engine)[row_id]
        assert row.status == "pending"
        delays.append((row.next_attempt_at - clock.now()).total_seconds())
        clock.current = row.next_attempt_at
    assert delays == [1, 2, 4, 8]  # rng pinned to the top of the jitter range

    assert await subject.drain_once() == 1
    row = rows(engine)[row_id]
    assert (row.status, row.attempts, row.last_error) == ("failed", 5, "503 busy")
    clock.advance(hours=1)
    assert await subject.drain_once() == 0
    assert len(sender.calls) == 5


async def test_a_long_flood_of_retry_after_never_fails_the_message(
        engine: Engine, clock: FakeClock) -> None:
    flood = [SendResult(SendOutcome.RETRY, retry_after=3, error="429")] * 12
    sender = FakeSender({"a": list(flood)})
    [row_id] = queue(engine, clock, "a")
    subject = dispatcher(engine, sender, clock, DispatchPolicy(max_attempts=5))

    for _ in range(12):  # well past max_attempts: the platform is pacing us, not failing
        assert await subject.drain_once() == 1
        assert rows(engine)[row_id].status == "pending"
        clock.advance(seconds=3)
    assert await subject.drain_once() == 1
    assert rows(engine)[row_id].status == "sent"
    assert len(sender.calls) == 13


async def test_chat_messages_go_out_in_order_even_when_the_first_is_retried(
        engine: Engine, clock: FakeClock) -> None:
    sender = FakeSender({"a": [SendResult(SendOutcome.RETRY, retry_after=10)]})
    a1, a2, b1 = queue(engine, clock, "a", "a", "b")
    subject = dispatcher(engine, sender, clock)

    assert await subject.drain_once() == 2
    assert sorted(sender.ids) == [a1, b1]
    assert await subject.drain_once() == 0  # a2 waits behind a1 though it is due

    clock.advance(seconds=10)
    assert await subject.drain_once() == 1
    assert await subject.drain_once() == 1
    assert [i for i in sender.ids if i != b1] == [a1, a1, a2]
    assert {i: r.status for i, r in rows(engine).items()} == {a1: "sent", a2: "sent", b1: "sent"}


async def test_unreachable_chat_fails_its_queue_without_stalling_other_chats(
        engine: Engine, clock: FakeClock) -> None:
    make_citizen(engine, "blocked")
    make_citizen(engine, "fine")
    sender = FakeSender(unreachable=["blocked"])
    x1, f1, x2, f2, x3 = queue(engine, clock, "blocked", "fine", "blocked", "fine", "blocked")
    subject = dispatcher(engine, sender, clock)

    while await subject.drain_once():
        pass

    assert [i for i in sender.ids if i in (x1, x2, x3)] == [x1]  # the rest are not even tried
    assert [i for i in sender.ids if i in (f1, f2)] == [f1, f2]
    stored = rows(engine)
    assert {i: (stored[i].status, stored[i].last_error) for i in (x1, x2, x3)} == {
        i: ("failed", "unreachable") for i in (x1, x2, x3)}
    assert {i: stored[i].status for i in (f1, f2)} == {f1: "sent", f2: "sent"}
    with Session(engine) as session:
        marks = dict(session.execute(
            select(col(ChannelIdentityRow.chat_id), col(ChannelIdentityRow.unreachable_at))
        ).all())
    assert marks == {"blocked": clock.now(), "fine": None}


async def test_sender_that_raises_is_retried_and_the_message_kept(engine: Engine,
                                                                  clock: FakeClock) -> None:
    sender = FakeSender({"a": [RuntimeError("sender bug")]})
    [row_id] = queue(engine, clock, "a")
    subject = dispatcher(engine, sender, clock)

    assert await subject.drain_once() == 1
    row = rows(engine)[row_id]
    assert (row.status, row.last_error) == ("pending", "RuntimeError")
    assert row.next_attempt_at == clock.now() + timedelta(seconds=1)

    clock.advance(seconds=1)
    assert await subject.drain_once() == 1
    assert sender.ids == [row_id, row_id]
    assert rows(engine)[row_id].status == "sent"


async def test_message_claimed_by_a_crashed_dispatcher_is_sent_once_after_the_lease(
        engine: Engine, clock: FakeClock) -> None:
    policy = DispatchPolicy(lease_seconds=120)
    [row_id] = queue(engine, clock, "a")
    hung = FakeSender(block=asyncio.Event())  # never released: the process "dies" mid-send
    crashed = dispatcher(engine, hung, clock, policy)
    task = asyncio.create_task(crashed.drain_once())
    await asyncio.wait_for(hung.started.wait(), 2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert rows(engine)[row_id].status == "sending"

    sender = FakeSender()
    restarted = dispatcher(engine, sender, clock, policy)
    clock.advance(seconds=119)
    assert await restarted.drain_once() == 0
    assert sender.calls == []

    clock.advance(seconds=2)
    assert await restarted.drain_once() == 1
    assert await restarted.drain_once() == 0
    assert sender.ids == [row_id]
    assert hung.ids == [row_id]
    row = rows(engine)[row_id]
    assert (row.status, row.attempts) == ("sent", 2)


async def test_two_dispatchers_send_every_message_exactly_once_in_chat_order(
        db_url: str, clock: FakeClock) -> None:
    engines = [make_engine(db_url), make_engine(db_url)]
    try:
        chats = [f"chat-{i % 50}" for i in range(200)]
        ids = queue(engines[0], clock, *chats)
        sender = FakeSender()  # shared: it sees every send, whichever process made it
        workers = [dispatcher(e, sender, clock, DispatchPolicy(batch_size=20)) for e in engines]

        async def drain(worker: Dispatcher) -> None:
            while len(sender.calls) < len(ids):
                if await worker.drain_once() == 0:
                    await asyncio.sleep(0.005)  # the other worker holds the heads of chats

        await asyncio.wait_for(asyncio.gather(*(drain(w) for w in workers)), 30)
        statuses = Counter(r.status for r in rows(engines[0]).values())
    finally:
        for e in engines:
            e.dispose()

    assert Counter(sender.ids) == dict.fromkeys(ids, 1)
    by_chat: dict[str, list[int]] = {}
    for item in sender.calls:
        by_chat.setdefault(item.chat_id, []).append(item.id)
    assert all(sent == sorted(sent) for sent in by_chat.values())
    assert statuses == {"sent": 200}


@pytest.mark.parametrize("attempts", [0, 1, 2, 3, 5, 8, 9, 12, 40])
def test_backoff_stays_within_half_to_full_ceiling(attempts: int) -> None:
    policy = DispatchPolicy(base_backoff=1.0, max_backoff=300.0)
    ceiling = min(300.0, 2.0 ** max(attempts - 1, 0))
    low = backoff_seconds(attempts, policy, lambda: 0.0)
    high = backoff_seconds(attempts, policy, lambda: 0.999999)
    assert low == ceiling / 2
    assert ceiling / 2 < high <= ceiling


def test_backoff_is_capped_at_max_backoff() -> None:
    policy = DispatchPolicy(base_backoff=2.0, max_backoff=60.0)
    assert backoff_seconds(1, policy, lambda: 1.0) == 2.0
    assert backoff_seconds(5, policy, lambda: 1.0) == 32.0
    assert backoff_seconds(6, policy, lambda: 1.0) == 60.0  # 64 s would exceed the cap
    assert backoff_seconds(1000, policy, lambda: 1.0) == 60.0
    assert backoff_seconds(1000, policy, lambda: 0.0) == 30.0
    assert backoff_seconds(5000, policy, lambda: 1.0) == 60.0  # no float overflow either
