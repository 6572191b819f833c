"""What every channel does with what a citizen sent: run the intake use case or queue a notice
of the channel's own, off the event loop, and count it for /metrics.

Messages that arrive while a transaction is under way wait for the next one and share it: the
use case answers them together, one commit for all (issue 19: a commit, its BEGIN and the
handing over of SQLite's write lock cost more than most steps). Should a shared transaction
fail, each of its messages is tried again alone, so only the one at fault fails.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from bot.db_calls import THREADS, DatabaseCalls
from core.intake.notice import Notice, put_notice
from core.intake.service import HandleOutcome, IntakeService
from core.messages import Channel, Inbound
from core.ports import Clock, UnitOfWorkFactory

log = logging.getLogger(__name__)
OnHandled = Callable[[Channel, HandleOutcome], None]
MAX_TOGETHER = 64  # messages in one transaction: bounds its length and a failure's replay
# In the event loop's thread (SQLite, bot.db_calls) a transaction holds up every webhook's
# acknowledgement while it runs: fewer messages each, the loop turning between them.
MAX_TOGETHER_INLINE = 8
TURNS_BEFORE_INLINE = 3


def writers_for(dialect: str) -> int:
    """Transactions under way at once: SQLite has one writer anyway (a second would only wait
    for the lock, and take fewer messages); a server database overlaps round trips."""
    return 1 if dialect == "sqlite" else 4


class ChannelIntake:
    """The one door from a channel into the core."""

    def __init__(self, intake: IntakeService, uow: UnitOfWorkFactory, clock: Clock,
                 default_language: str = "id", on_handled: OnHandled | None = None,
                 writers: int = 1, calls: DatabaseCalls = THREADS) -> None:
        """`calls`: where the transactions run (bot.db_calls); in a thread whatever it says
        while the category model is not there (a step may wait for it)."""
        self._intake, self._uow, self._clock = intake, uow, clock
        self.calls = calls  # the channel's own hot-path database calls go the same way
        self._default_language, self._on_handled = default_language, on_handled
        self._writers = max(1, writers)
        self._running = 0
        self._waiting: list[tuple[Inbound, asyncio.Future[HandleOutcome]]] = []
        self._tasks: set[asyncio.Task[None]] = set()

    async def handle(self, inbound: Inbound) -> HandleOutcome:
        """The message through the intake use case (the form, or an admin's work command)."""
        answer: asyncio.Future[HandleOutcome] = asyncio.get_running_loop().create_future()
        self._waiting.append((inbound, answer))
        if self._running < self._writers:
            self._start_writer()
        outcome = await answer
        self.count(inbound.channel, outcome)
        return outcome

    def _start_writer(self) -> None:
        self._running += 1
        self._track(self._write())  # ends once nothing waits

    def _track(self, job: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(job)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _write(self) -> None:
        try:
            while self._waiting:
                calls = self.calls
                if calls.inline:
                    # Webhooks that arrived meanwhile are stored and acknowledged first: an
                    # acknowledgement takes three turns of the loop (parsed, stored, answered).
                    for _ in range(TURNS_BEFORE_INLINE):
                        await asyncio.sleep(0)
                    if not self._intake.model_ready():
                        calls = THREADS  # a step may wait for the model: not in this thread
                size = MAX_TOGETHER_INLINE if calls.inline else MAX_TOGETHER
                batch = self._waiting[:size]
                del self._waiting[:size]
                results = await calls(self._together, [i for i, _ in batch])
                late = []
                for waiting, result in zip(batch, results, strict=True):
                    answer = waiting[1]
                    if answer.done():  # its caller went away (a stop)
                        continue
                    if result is None:
                        late.append(waiting)
                    elif isinstance(result, HandleOutcome):
                        answer.set_result(result)
                    else:
                        answer.set_exception(result)
                if late:
                    self._track(self._after_fit(late))
        finally:
            self._running -= 1

    async def _after_fit(self, late: list[tuple[Inbound, asyncio.Future[HandleOutcome]]]) -> None:
        """Messages whose step needs the category model being fitted: queued again once it is
        there, while the writers go on with other chats (their own chats wait for them: the
        inbox hands a chat's next message over only once this one is answered)."""
        await asyncio.to_thread(self._intake.wait_for_model)
        self._waiting[:0] = late
        if self._running < self._writers:
            self._start_writer()

    def _together(self, inbounds: Sequence[Inbound]) -> list[HandleOutcome | Exception | None]:
        """In a worker thread: one transaction for all, or, when it fails, one each; None for
        a message that waits for the category model (`IntakeService.handle_ready`)."""
        if len(inbounds) > 1:
            try:
                return list(self._intake.handle_ready(inbounds))
            except Exception:
                log.warning("a transaction of %s messages failed; each is handled alone",
                            len(inbounds), exc_info=True)
        results: list[HandleOutcome | Exception | None] = []
        for inbound in inbounds:
            try:
                results.extend(self._intake.handle_ready([inbound]))
            except Exception as exc:  # raised to this message's caller only
                results.append(exc)
        return results

    async def notice(self, notice: Notice) -> bool:
        """A fixed reply instead of the use case; True when the message was a replay."""
        replayed = await self.calls(put_notice, self._uow, self._clock.now(), notice,
                                    self._default_language)
        self.count(notice.channel, HandleOutcome(replayed=replayed, replies=0 if replayed else 1))
        return replayed

    def count(self, channel: Channel, outcome: HandleOutcome) -> None:
        if self._on_handled is not None:
            self._on_handled(channel, outcome)
