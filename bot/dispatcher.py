"""The outbox dispatcher: claims due rows, sends them through channel senders, records the outcome."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from core.messages import Channel
from core.ports import Clock, MessageSender, OutgoingMessage, SendOutcome, SendResult
from storage.outbox_store import SqlOutboxStore

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DispatchPolicy:
    batch_size: int = 100
    lease_seconds: float = 120.0  # a crashed worker's claimed rows are retried after this
    max_attempts: int = 8
    base_backoff: float = 1.0
    max_backoff: float = 300.0
    idle_poll: float = 2.0  # catches rows written by other processes
    concurrency: int = 32


def backoff_seconds(attempts: int, policy: DispatchPolicy, rng: Callable[[], float]) -> float:
    """Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped."""
    # Bounding the exponent keeps the float finite when max_attempts is set very high.
    exponent = min(max(attempts - 1, 0), 64)
    ceiling = min(policy.max_backoff, policy.base_backoff * float(2**exponent))
    return ceiling / 2 + rng() * ceiling / 2


class Dispatcher:
    """Sends outbox rows; restart-safe because every state change is in the database first."""

    def __init__(self, store: SqlOutboxStore, senders: Mapping[Channel, MessageSender],
                 clock: Clock, policy: DispatchPolicy | None = None,
                 on_result: Callable[[Channel, SendResult], None] | None = None,
                 rng: Callable[[], float] = random.random) -> None:
        self._store, self._senders, self._clock = store, dict(senders), clock
        self._policy = policy or DispatchPolicy()
        self._on_result, self._rng = on_result, rng
        self._wakeup = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def channels(self) -> tuple[Channel, ...]:
        return tuple(self._senders)

    def add_sender(self, sender: MessageSender) -> None:
        """Register a push channel built after the dispatcher; call before `start()`."""
        self._senders[sender.channel] = sender

    def wake(self) -> None:
        """Called after a commit that wrote outbox rows; safe from any thread."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wakeup.set)

    def start(self) -> None:
        if self._senders and self._task is None:
            self._loop = asyncio.get_running_loop()
            self._task = asyncio.create_task(self.run(), name="outbox-dispatcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        while True:
            try:
                sent = await self.drain_once()
            except Exception:  # the database may be briefly away; never let the loop die
                log.exception("outbox dispatch failed; retrying shortly")
                sent = 0
            if sent == 0:
                await self._sleep()

    async def drain_once(self) -> int:
        """Claim one batch and send it; returns how many rows were claimed."""
        policy, now = self._policy, self._clock.now()
        batch = await asyncio.to_thread(
            self._store.claim, self.channels, now, policy.batch_size, policy.lease_seconds
        )
        if batch:
            gate = asyncio.Semaphore(policy.concurrency)
            await asyncio.gather(*(self._deliver(item, gate) for item in batch))
        return len(batch)

    async def _deliver(self, item: OutgoingMessage, gate: asyncio.Semaphore) -> None:
        async with gate:
            try:
                result = await self._senders[item.channel].send(item)
            except Exception as exc:  # a sender bug must not lose the message
                log.exception("sender %s raised for outbox id=%s", item.channel, item.id)
                result = SendResult(SendOutcome.RETRY, error=f"{type(exc).__name__}")
        await asyncio.to_thread(self._record, item, result)
        if self._on_result is not None:
            self._on_result(item.channel, result)

    def _record(self, item: OutgoingMessage, result: SendResult) -> None:
        now, policy = self._clock.now(), self._policy
        match result.outcome:
            case SendOutcome.SENT:
                self._store.mark_sent(item.id, result.platform_message_id, now)
            case SendOutcome.UNREACHABLE:
                log.warning("chat unreachable on %s (outbox id=%s)", item.channel, item.id)
                self._store.mark_chat_unreachable(item.channel, item.chat_id, now)
            case SendOutcome.FAILED:
                log.warning("send failed permanently outbox id=%s: %s", item.id, result.error)
                self._store.mark_failed(item.id, result.error, now)
            case SendOutcome.HELD:
                self._store.mark_held(item.id, result.platform_message_id, result.error, now)
            # A platform that says when to come back (429 retry_after) is pacing us, not
            # failing: only retries without that instruction count towards giving up.
            case SendOutcome.RETRY if (result.retry_after is None
                                       and item.attempts >= policy.max_attempts):
                log.warning("giving up outbox id=%s after %s attempts", item.id, item.attempts)
                self._store.mark_failed(item.id, result.error or "too many attempts", now)
            case SendOutcome.RETRY:
                delay = result.retry_after
                if delay is None:
                    delay = backoff_seconds(item.attempts, policy, self._rng)
                self._store.mark_retry(item.id, now + timedelta(seconds=delay), result.error, now)

    async def _sleep(self) -> None:
        timeout = self._policy.idle_poll
        try:
            due = await asyncio.to_thread(self._store.next_due, self.channels, self._clock.now())
        except Exception:  # the database is away: look again after the idle poll, never die
            due = None
        if due is not None:
            timeout = max(0.0, min(timeout, (due - self._clock.now()).total_seconds()))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), timeout)
        self._wakeup.clear()

