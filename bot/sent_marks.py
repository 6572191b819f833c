"""Group commit for accepted sends: marks that come due while one is being written share the
next transaction (under load a send finishes every few milliseconds; one transaction each cost
the dispatcher a commit through SQLite's write lock per message)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

Mark = tuple[int, str | None]  # outbox id, platform message id


class SentMarks:
    def __init__(self, write: Callable[[list[Mark]], Awaitable[None]]) -> None:
        self._write = write
        self._waiting: list[tuple[Mark, asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def mark(self, outbox_id: int, platform_message_id: str | None) -> None:
        """Returns once the row is marked sent; raises what the write raised."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(((outbox_id, platform_message_id), done))
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush(), name="outbox-sent-marks")
        await done

    async def _flush(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    await self._write([mark for mark, _ in batch])
                except Exception as exc:  # each caller retries its own mark
                    for _, done in batch:
                        if not done.done():
                            done.set_exception(exc)
                else:
                    for _, done in batch:
                        if not done.done():
                            done.set_result(None)
        finally:
            self._flusher = None
