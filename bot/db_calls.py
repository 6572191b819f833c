"""Where the serving process makes its blocking database calls: in the event loop's own thread
(SQLite) or in worker threads (PostgreSQL). `DATABASE_CALLS` = `auto` (that choice), `inline`
or `threads`.

Why SQLite runs them inline (issue 19, bench/RESULTS.md "One thread on SQLite"): a SQLite call
takes tens of microseconds and never waits on a network, but it releases the GIL, so a worker
thread lost the GIL to the event loop at every statement and waited to get it back. With the
two threads on two cores every step paid for that hand-over, and benchmark runs fell into a
slow mode at random (27–29 instead of 35–38 reports/s, the CPU per update 25 % higher). In the
loop's thread the same work costs no hand-over at all. Each call is short; the intake, whose
transactions are the longest, lets the loop turn before each one, so webhooks are stored and
acknowledged between them (bot.channels.intake). Only the hot path (the intake's
transactions, the inbox's writes, the dispatcher's claims and marks, a chat's language) goes
inline; a call that can wait long (the category model's fit, sweeps) keeps its thread.

PostgreSQL keeps threads: its calls wait for network round trips, which threads overlap.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any, Literal, TypeVar

T = TypeVar("T")
Mode = Literal["auto", "inline", "threads"]


class DatabaseCalls:
    """Run a blocking database call from the event loop: inline, or in `executor` (None: the
    loop's default executor)."""

    def __init__(self, inline: bool = False, executor: Executor | None = None) -> None:
        self.inline, self.executor = inline, executor

    @classmethod
    def for_dialect(cls, dialect: str, mode: Mode = "auto") -> DatabaseCalls:
        return cls(inline=mode == "inline" or (mode == "auto" and dialect == "sqlite"))

    def with_executor(self, executor: Executor) -> DatabaseCalls:
        """The same choice, its threaded calls in `executor` (a component's own threads)."""
        return DatabaseCalls(self.inline, executor)

    async def __call__(self, fn: Callable[..., T], *args: Any) -> T:
        if self.inline:
            return fn(*args)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, functools.partial(fn, *args))


THREADS = DatabaseCalls()  # the loop's default executor: what the components did before
