"""The outbox dispatcher: claims due rows, sends them through channel senders, records the outcome.

Crash-safety (issue 20): a lease is owned by this process (`bot.worker_id`) and renewed by a
heartbeat, so it can be short; claims are small and topped up as sends finish, so a kill leaves
few rows claimed; at start-up rows held by a dead process of this host are taken back at once;
an outcome is written on the dispatcher's own threads, so a send is marked the moment the
platform accepted it (not behind webhook work in the shared pool); `stop()` takes no new work,
lets claimed sends finish for a few seconds, and gives back whatever is left.

Hand-off (issue 19): a unit of work of this process writes a message to a chat with nothing
unsent leased to us and `take`s it here after its commit; claims (a transaction each) are left
for rows queued behind a chat's unsent one (`queued` names their chats: claimed once the one
ahead is settled), retries, other processes' rows and a dead process's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import Counter, deque
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bot.db_calls import THREADS, DatabaseCalls
from bot.dispatch_policy import DispatchPolicy, record_outcome
from bot.sent_journal import SentJournal
from bot.sent_marks import Mark, SentMarks
from bot.until_stored import until_stored
from bot.worker_id import new_worker_id, owner_is_gone
from core.messages import Channel
from core.ports import Clock, MessageSender, OutgoingMessage, SendOutcome, SendResult
from storage.outbox_leases import SqlOutboxLeases
from storage.outbox_store import SqlOutboxStore

log = logging.getLogger(__name__)
MAX_TRACKED_CHATS = 10_000  # chats with rows queued behind a send, remembered to claim them


class Dispatcher:
    """Sends outbox rows; restart-safe because every state change is in the database first."""

    def __init__(self, store: SqlOutboxStore, senders: Mapping[Channel, MessageSender],
                 clock: Clock, policy: DispatchPolicy | None = None,
                 on_result: Callable[[Channel, SendResult], None] | None = None,
                 rng: Callable[[], float] = random.random,
                 leases: SqlOutboxLeases | None = None, worker_id: str | None = None,
                 journal_dir: Path | None = None, calls: DatabaseCalls = THREADS) -> None:
        self._store, self._senders, self._clock = store, dict(senders), clock
        self._policy = policy or DispatchPolicy()
        self._on_result, self._rng = on_result, rng
        self._leases = leases
        self.worker_id = worker_id or new_worker_id()
        self._journal = SentJournal(journal_dir, self.worker_id) if journal_dir else None
        self._wakeup = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._heartbeat: asyncio.Task[None] | None = None
        self._inflight: dict[asyncio.Task[None], tuple[Channel, str]] = {}
        self._stopping = False
        self._accepting = False  # rows may be handed over (`accepts`)
        self._handed: deque[OutgoingMessage] = deque()  # leased to us, waiting for a slot
        self._behind: Counter[tuple[Channel, str]] = Counter()  # rows queued behind a send
        self._dirty = True  # something only a claim can find may be due
        # Outcomes are written here, never queued behind request handlers' database work;
        # on SQLite claims and marks go inline instead (`calls`, bot.db_calls).
        self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="outbox")
        self._calls = calls.with_executor(self._executor)
        self._threads = DatabaseCalls(executor=self._executor)  # leases and recovery: threads
        self._marks = SentMarks(self._write_marks)

    @property
    def channels(self) -> tuple[Channel, ...]:
        return tuple(self._senders)

    def add_sender(self, sender: MessageSender) -> None:
        """Register a push channel built after the dispatcher; call before `start()`."""
        self._senders[sender.channel] = sender

    def wake(self) -> None:
        """Called after a commit that wrote outbox rows; safe from any thread."""
        self._soon(self._mark_dirty)

    lease_seconds = property(lambda self: self._policy.lease_seconds)

    def accepts(self, channel: Channel) -> bool:
        """Whether a unit of work may hand over a row of `channel` (see the module's doc): only
        while running with leases, which the heartbeat renews and a restart takes back."""
        return self._accepting and channel in self._senders

    def take(self, messages: list[OutgoingMessage]) -> None:
        """Committed rows leased to us: sent as slots free up; any thread."""
        self._soon(self._take, messages)

    def queued(self, chats: Counter[tuple[Channel, str]]) -> None:
        """Committed pending rows by chat: claimed once the chat's send under way ends."""
        self._soon(self._queue, chats)

    def _soon(self, callback: Callable[..., None], *args: Any) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(callback, *args)

    def _mark_dirty(self) -> None:
        self._dirty = True
        self._wakeup.set()

    def _take(self, messages: list[OutgoingMessage]) -> None:
        if not self._stopping:  # else stop() gives back every row leased to us
            self._handed.extend(messages)
            self._start_handed()

    def _queue(self, chats: Counter[tuple[Channel, str]]) -> None:
        if len(self._behind) > MAX_TRACKED_CHATS:  # a flood: fall back to claiming freely
            self._behind.clear()
        self._behind.update(chats)
        self._mark_dirty()

    def _start_handed(self) -> None:
        while self._handed and len(self._inflight) < self._policy.concurrency:
            self._start(self._handed.popleft())

    def _start(self, item: OutgoingMessage) -> None:
        task = asyncio.create_task(self._deliver(item))
        self._inflight[task] = (item.channel, item.chat_id)
        task.add_done_callback(self._finished)

    def start(self) -> None:
        if self._senders and self._task is None:
            self._loop = asyncio.get_running_loop()
            self._stopping = False
            self._accepting = self._leases is not None
            self._task = asyncio.create_task(self.run(), name="outbox-dispatcher")
            if self._leases is not None:
                self._heartbeat = asyncio.create_task(self._beat(), name="outbox-heartbeat")

    async def stop(self) -> None:
        """Take no new work, let claimed sends finish (`stop_grace`), give back the rest."""
        if self._task is None:
            return
        self._stopping, self._accepting = True, False
        self._handed.clear()  # leased to us: given back below with the rest
        self._wakeup.set()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        if self._inflight:
            _, late = await asyncio.wait(set(self._inflight), timeout=self._policy.stop_grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat
            self._heartbeat = None
        if self._leases is not None:
            try:
                released = await self._threads(self._leases.release, self.worker_id, self._clock.now())
            except Exception:
                log.exception("could not release outbox leases; they lapse on their own")
            else:
                if released:
                    log.info("released %s claimed outbox rows at shutdown", released)
        if self._journal is not None:
            self._journal.close()

    async def run(self) -> None:
        """Keep up to `concurrency` sends in flight, claiming a few rows at a time."""
        self._loop = asyncio.get_running_loop()
        await self._reclaim()
        while not self._stopping:
            self._wakeup.clear()  # before claiming: a send finishing meanwhile wakes the wait
            self._start_handed()
            free = self._policy.concurrency - len(self._inflight)
            claimed: list[OutgoingMessage] = []
            if free > 0 and self._dirty:
                self._dirty = False
                limit = min(free, self._policy.batch_size)
                try:
                    claimed = await self._claim(limit)
                except Exception:  # the database may be briefly away; never let the loop die
                    log.exception("outbox claim failed; retrying shortly")
                    self._dirty = True
                self._dirty = self._dirty or len(claimed) == limit  # more may be due
            for item in claimed:
                self._start(item)
            if not claimed and not self._stopping:
                await self._sleep(look_ahead=free > 0)

    async def drain_once(self) -> int:
        """Claim one batch and send it all; returns how many rows were claimed (tests, tools)."""
        batch = await self._claim(self._policy.batch_size)
        await asyncio.gather(*(self._deliver(item) for item in batch))
        return len(batch)

    async def _claim(self, limit: int) -> list[OutgoingMessage]:
        policy = self._policy
        return await self._calls(self._store.claim, self.channels, self._clock.now(), limit,
                                 policy.lease_seconds, self.worker_id)

    def _finished(self, task: asyncio.Task[None]) -> None:
        chat = self._inflight.pop(task, None)
        self._start_handed()  # a slot is free
        if chat is not None and self._behind[chat] > 0:  # the chat's next row is due now
            self._behind[chat] -= 1
            if not self._behind[chat]:
                del self._behind[chat]
            self._dirty = True
        if self._dirty:
            self._wakeup.set()

    async def _reclaim(self) -> None:
        """Rows a dead process of this host had claimed are due again, at once."""
        if self._leases is None:
            return
        leases = self._leases
        try:
            if self._journal is not None:  # first what they sent, so it is not sent again
                settled = await self._threads(self._journal.recover, self._gone,
                                         lambda done: leases.settle_sent(done, self._clock.now()))
                if settled:
                    log.warning("marked %s outbox rows sent from a gone process's journal", settled)
            taken = await self._threads(leases.reclaim_gone, self._gone, self._clock.now())
        except Exception:
            log.exception("could not take back dead workers' outbox leases; they lapse")
            return
        if taken:
            log.warning("took back %s outbox rows claimed by a process that is gone", taken)

    def _gone(self, owner: str) -> bool:
        return owner_is_gone(owner, self.worker_id)

    async def _beat(self) -> None:
        assert self._leases is not None
        while True:
            await asyncio.sleep(self._policy.heartbeat_seconds)
            try:
                await self._threads(self._leases.renew, self.worker_id, self._clock.now(),
                               self._policy.lease_seconds)
            except Exception:
                log.exception("outbox heartbeat failed")
            await self._reclaim()

    async def _deliver(self, item: OutgoingMessage) -> None:
        try:
            result = await self._senders[item.channel].send(item)
        except Exception as exc:  # a sender bug must not lose the message
            log.exception("sender %s raised for outbox id=%s", item.channel, item.id)
            result = SendResult(SendOutcome.RETRY, error=f"{type(exc).__name__}")
        journaled = self._journal is not None and result.outcome is SendOutcome.SENT
        if journaled and self._journal is not None:
            self._journal.record(item.id, result.platform_message_id)
        if not await self._record_until_stored(item, result):
            return  # stopping with the database away: the journal or the lease settles it
        if journaled and self._journal is not None:
            self._journal.settled()
        if result.outcome is not SendOutcome.SENT:  # the chat's next row may be due, or this
            self._dirty = True                      # one later (a retry)
        if self._on_result is not None:
            self._on_result(item.channel, result)

    async def _record_until_stored(self, item: OutgoingMessage, result: SendResult) -> bool:
        """Write the send's outcome, waiting out a database outage (`bot.until_stored`)."""
        async def write() -> None:
            if result.outcome is SendOutcome.SENT:  # shares a commit with its neighbours
                await self._marks.mark(item.id, result.platform_message_id)
            else:
                await self._calls(self._record, item, result)
        return await until_stored(write, f"record outbox id={item.id}", lambda: self._stopping)

    async def _write_marks(self, marks: list[Mark]) -> None:
        await self._calls(self._store.mark_sent_many, marks, self._clock.now())

    def _record(self, item: OutgoingMessage, result: SendResult) -> None:
        record_outcome(self._store, item, result, self._clock.now(), self._policy, self._rng)

    async def _sleep(self, look_ahead: bool = True) -> None:
        """Until woken, the next row is due, or `idle_poll`; with every slot busy, until a
        send finishes."""
        timeout = self._policy.idle_poll
        if look_ahead:
            try:
                due = await self._calls(self._store.next_due, self.channels, self._clock.now())
            except Exception:  # the database is away: look again after the idle poll, never die
                due = None
            if due is not None:
                # Due now yet not claimed (another claimer holds it): look again shortly.
                timeout = max(0.05, min(timeout, (due - self._clock.now()).total_seconds()))
        try:
            await asyncio.wait_for(self._wakeup.wait(), timeout)
        except TimeoutError:  # a row came due, a lease lapsed, or another process queued one
            self._dirty = True

