"""Rows handed from the committing unit of work straight to this process's dispatcher (issue
19): written leased to it, sent without a claim; a chat's later row waits for the one ahead."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine

from bot.dispatch_policy import DispatchPolicy
from bot.dispatcher import Dispatcher
from core.messages import Channel, Outbound
from core.ports import OutgoingMessage
from storage.outbox_leases import SqlOutboxLeases
from storage.outbox_store import SqlOutboxStore
from storage.uow import SqlUnitOfWork
from tests.fakes import FakeClock
from tests.service.test_dispatcher import TG, FakeSender, IdleSignallingStore, rows


class CountingStore(IdleSignallingStore):
    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.claimed: list[int] = []

    def claim(self, channels: Sequence[Channel], now: datetime, limit: int,
              lease_seconds: float, owner: str | None = None) -> list[OutgoingMessage]:
        got = super().claim(channels, now, limit, lease_seconds, owner)
        self.claimed.extend(item.id for item in got)
        return got


def running(engine: Engine, sender: FakeSender, clock: FakeClock) -> tuple[Dispatcher, CountingStore]:
    store = CountingStore(engine)
    subject = Dispatcher(store, {TG: sender}, clock, DispatchPolicy(idle_poll=30),
                         leases=SqlOutboxLeases(engine))
    subject.start()
    return subject, store


def put(engine: Engine, subject: Dispatcher, clock: FakeClock, chat: str, text: str,
        commit: bool = True) -> int:
    with SqlUnitOfWork(engine, on_commit=subject.wake, handoff=subject) as uow:
        row_id = uow.outbox.put(TG, chat, Outbound(text=text), clock.now())
        if commit:
            uow.commit()
    return row_id


async def test_a_row_for_a_free_chat_goes_out_leased_without_a_claim(engine: Engine,
                                                                     clock: FakeClock) -> None:
    release = asyncio.Event()
    sender = FakeSender(block=release)
    subject, store = running(engine, sender, clock)
    try:
        assert await asyncio.to_thread(store.idle.wait, 2), "dispatcher never went idle"
        row_id = await asyncio.to_thread(put, engine, subject, clock, "a", "hai")
        await asyncio.wait_for(sender.started.wait(), 2)
        row = rows(engine)[row_id]
        if engine.dialect.name == "sqlite":  # handed over: leased to us before any claim
            assert (row.status, row.claimed_by, row.attempts) == ("sending", subject.worker_id, 1)
            assert row_id not in store.claimed
        else:  # a server database: the claim found it
            assert store.claimed == [row_id]
        release.set()
        await asyncio.wait_for(sender.delivered.wait(), 2)
    finally:
        release.set()
        await subject.stop()
    assert sender.ids == [row_id]
    assert rows(engine)[row_id].status == "sent"


async def test_a_chats_next_row_waits_for_the_one_being_sent_then_goes_at_once(
        engine: Engine, clock: FakeClock) -> None:
    release = asyncio.Event()
    sender = FakeSender(block=release)
    subject, store = running(engine, sender, clock)
    try:
        assert await asyncio.to_thread(store.idle.wait, 2), "dispatcher never went idle"
        first = await asyncio.to_thread(put, engine, subject, clock, "a", "one")
        await asyncio.wait_for(sender.started.wait(), 2)
        second = await asyncio.to_thread(put, engine, subject, clock, "a", "two")
        await asyncio.sleep(0.2)
        assert sender.ids == [first]  # never two of a chat's messages at once
        assert rows(engine)[second].status == "pending"
        release.set()
        # Far sooner than the 30 s idle poll: the first send's end frees the chat.
        for _ in range(200):
            if rows(engine)[second].status == "sent":
                break
            await asyncio.sleep(0.01)
    finally:
        release.set()
        await subject.stop()
    assert sender.ids == [first, second]
    assert rows(engine)[second].status == "sent"


async def test_a_rolled_back_row_is_neither_handed_over_nor_kept(engine: Engine,
                                                                 clock: FakeClock) -> None:
    sender = FakeSender()
    subject, store = running(engine, sender, clock)
    try:
        assert await asyncio.to_thread(store.idle.wait, 2), "dispatcher never went idle"
        await asyncio.to_thread(put, engine, subject, clock, "a", "never", False)
        kept = await asyncio.to_thread(put, engine, subject, clock, "b", "kept")
        await asyncio.wait_for(sender.delivered.wait(), 2)
    finally:
        await subject.stop()
    assert sender.ids == [kept]
    assert list(rows(engine)) == [kept]


async def test_a_stopped_dispatcher_takes_nothing_and_its_rows_wait_for_a_claim(
        engine: Engine, clock: FakeClock) -> None:
    sender = FakeSender()
    subject, store = running(engine, sender, clock)
    await subject.stop()
    assert not subject.accepts(TG)
    row_id = await asyncio.to_thread(put, engine, subject, clock, "a", "later")
    row = rows(engine)[row_id]
    assert (row.status, row.claimed_by) == ("pending", None)
    assert await Dispatcher(SqlOutboxStore(engine), {TG: sender}, clock).drain_once() == 1
    assert sender.ids == [row_id]
