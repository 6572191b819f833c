"""The inbox worker: a webhook update is stored, acknowledged, then handled here.

"Stored before acknowledged" holds: the webhook answers 200 only once the update's row is
committed. Webhooks arriving together share one commit (group commit). Updates are then
handled in arrival order per chat, several chats at once; a handled row is deleted.

Rows are owned like the outbox's (issue 20): `claimed_by` is this process's worker id
(`bot.worker_id`), the lease is short and renewed by a heartbeat; at start-up (before the first
webhook is taken) and on every beat, rows of a process of this host that no longer runs are
taken back at once, rows of a silent owner elsewhere once its lease lapses. A failed handling
is retried after a backoff that doubles up to a quarter of an hour (a platform that refuses our
token for a while must not cost the citizen's message), and given up after `max_attempts`.
The intake's replay log keeps a second handling from answering twice.

One worker serves every channel that stores its webhooks here (Telegram, WhatsApp): each
registers how a stored payload is handled, and a sweep takes only rows of channels registered
in this process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.db_calls import THREADS, DatabaseCalls
from bot.until_stored import until_stored
from bot.worker_id import new_worker_id, owner_is_gone
from core.messages import Channel
from storage.inbox_store import Received, SqlInbox

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[object]]
# A stored payload → (chat key, job), or None when there is nothing to do for it.
Resume = Callable[[str], tuple[str, Job] | None]


MAX_BACKOFF_SECONDS = 900.0
# Chats handled at once. Their steps share transactions (bot.channels.intake), so more chats
# under way means fewer commits, not more threads.
CONCURRENCY = 4


def _utcnow() -> datetime:
    return datetime.now(UTC)


class InboxWorker:
    """Owns the inbox rows of this process: group commit in, ordered handling out."""

    def __init__(self, store: SqlInbox, *, concurrency: int = CONCURRENCY,
                 sweep_seconds: float = 2.0,
                 max_attempts: int = 20, now: Callable[[], datetime] = _utcnow,
                 worker_id: str | None = None, calls: DatabaseCalls = THREADS) -> None:
        """`calls`: inline on SQLite (bot.db_calls); threaded writes use the worker's own
        thread."""
        self._store, self._now = store, now
        self.worker_id = worker_id or new_worker_id()
        self._sweep_seconds, self._max_attempts = sweep_seconds, max_attempts
        self._concurrency = concurrency
        self._resume: dict[Channel, Resume] = {}
        self._incoming: list[tuple[Received, asyncio.Future[int | None]]] = []
        self._chats: dict[str, deque[tuple[int, Job]]] = {}
        self._finished: list[int] = []
        self._held: set[int] = set()  # rows queued or under way in this process
        self._attempts: dict[int, int] = {}  # earlier attempts of a held row, for its backoff
        self._tasks: set[asyncio.Task[None]] = set()
        self._writing = self._flushing = False
        self._gate: asyncio.Semaphore | None = None
        self._sweeper: asyncio.Task[None] | None = None
        # Its own thread: an acknowledgement must not queue behind handlers and the
        # dispatcher in the shared pool (that put the ack p50 at 300 ms in bench/RESULTS.md).
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inbox-writer")
        self._writes = calls.with_executor(self._writer)

    def register(self, channel: Channel, resume: Resume) -> None:
        """Before `start`: stored payloads of `channel` are handled by `resume`."""
        self._resume[channel] = resume

    @property
    def channels(self) -> tuple[Channel, ...]:
        return tuple(self._resume)

    async def start(self) -> None:
        """Take back what a dead process left before any new webhook is queued (per-chat
        order: its rows come first), then beat and sweep in the background."""
        if self._sweeper is not None:
            return
        try:
            await self.sweep()
        except Exception:  # the database is away: the first beat tries again
            log.exception("inbox start-up sweep failed")
        self._sweeper = asyncio.create_task(self._sweep_forever(), name="inbox-sweep")

    async def stop(self, grace: float = 2.0) -> None:
        """Finish what is under way briefly; leave the rest to the next process, at once."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None
        deadline = asyncio.get_running_loop().time() + grace
        while self._tasks:  # a finishing job starts its deletion: wait for that one too
            left = deadline - asyncio.get_running_loop().time()
            _, pending = await asyncio.wait(set(self._tasks), timeout=max(left, 0))
            if pending and left <= 0:
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                break
        # Queued, or cut off mid-handling (a replay later is harmless): due for the next process.
        with contextlib.suppress(Exception):
            if self._finished:
                await asyncio.to_thread(self._store.done, self._finished)
            await asyncio.to_thread(self._store.release, self.worker_id, self._now())

    async def accept(self, received: Received, chat_key: str, job: Job) -> bool:
        """Store the update (durably), queue it for handling; False for a redelivery."""
        future: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
        self._incoming.append((received, future))
        if not self._writing:
            self._writing = True
            self._track(self._write())
        row_id = await future
        if row_id is None:
            return False
        self._enqueue(row_id, chat_key, job)
        return True

    async def _write(self) -> None:
        try:
            while self._incoming:
                batch, self._incoming = self._incoming, []
                try:
                    ids = await self._writes(self._store.put_many, [r for r, _ in batch],
                                             self._now(), self.worker_id)
                except Exception as exc:  # the database is away: every webhook gets a 503
                    for _, future in batch:
                        future.set_exception(exc)
                    continue
                for (_, future), row_id in zip(batch, ids, strict=True):
                    future.set_result(row_id)
        finally:
            self._writing = False

    async def idle(self) -> None:
        """Until every update accepted so far is handled and its row written off."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _enqueue(self, row_id: int, chat_key: str, job: Job, attempts: int = 0) -> None:
        if row_id in self._held:
            return
        self._held.add(row_id)
        self._attempts[row_id] = attempts
        queue = self._chats.get(chat_key)
        if queue is not None:
            queue.append((row_id, job))
            return
        self._chats[chat_key] = deque([(row_id, job)])
        self._track(self._run_chat(chat_key))

    async def _run_chat(self, chat_key: str) -> None:
        queue = self._chats[chat_key]
        if self._gate is None:
            self._gate = asyncio.Semaphore(self._concurrency)
        try:
            while queue:
                row_id, job = queue[0]
                async with self._gate:
                    try:
                        await job()
                    except Exception:
                        log.exception("inbox row %s failed; it is retried later", row_id)
                        await self._retry_later(row_id)
                    else:
                        self._finish(row_id)
                queue.popleft()
                self._held.discard(row_id)
                self._attempts.pop(row_id, None)
        finally:
            del self._chats[chat_key]

    async def _retry_later(self, row_id: int) -> None:
        """The row stays, unowned; a sweep takes it again after a backoff."""
        backoff = self._sweep_seconds * 2 ** min(self._attempts.get(row_id, 0), 16)
        when = self._now() + timedelta(seconds=min(backoff, MAX_BACKOFF_SECONDS))
        await self._until_stored(f"schedule inbox row {row_id} again",
                                 self._store.retry_later, [row_id], when)

    async def _until_stored(self, what: str, write: Callable[..., object], *args: Any) -> None:
        """Run `write(*args)` until it commits (`bot.until_stored`); a stop cancels the wait
        and releases every row this process owns."""
        await until_stored(lambda: self._writes(write, *args), what)

    def _finish(self, row_id: int) -> None:
        self._finished.append(row_id)
        if not self._flushing:
            self._flushing = True
            self._track(self._flush())

    async def _flush(self) -> None:
        try:
            while self._finished:
                ids, self._finished = self._finished, []
                # Handled already, but a row left here stays owned (and renewed) for good.
                await self._until_stored(f"delete {len(ids)} handled inbox rows",
                                         self._store.done, ids)
        finally:
            self._flushing = False

    async def _sweep_forever(self) -> None:
        while True:
            try:
                await self.sweep()
            except Exception:
                log.exception("inbox sweep failed")
            await asyncio.sleep(self._sweep_seconds)

    async def sweep(self) -> int:
        """Beat, take back a dead owner's rows, take every due row; returns how many."""
        # A long backlog here must not look like a dead process elsewhere.
        await asyncio.to_thread(self._store.renew, self.worker_id, self._now())
        taken = await asyncio.to_thread(self._store.reclaim_gone, self._gone, self._now())
        if taken:
            log.warning("took back %s inbox rows held by a process that is gone", taken)
        rows = await asyncio.to_thread(self._store.claim_due, self.worker_id, self._now(),
                                       channels=self.channels)
        for row in rows:
            resume = self._resume.get(row.channel)
            prepared = resume(row.payload) if resume is not None else None
            if row.attempts > self._max_attempts or prepared is None:
                if prepared is not None:
                    log.error("inbox row %s dropped after %s attempts", row.id, row.attempts)
                self._finish(row.id)
                continue
            self._enqueue(row.id, *prepared, attempts=row.attempts)
        return len(rows)

    def _gone(self, owner: str) -> bool:
        return owner_is_gone(owner, self.worker_id)

    def _track(self, job: Awaitable[None]) -> None:
        task = asyncio.ensure_future(job)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
