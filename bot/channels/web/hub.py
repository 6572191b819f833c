"""Wakes long-polling browsers when their chat has new messages (in this process)."""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict


class WebChatHub:
    """One event per waiting request; `notify` may be called from any thread."""

    def __init__(self) -> None:
        self._waiters: dict[str, set[asyncio.Event]] = defaultdict(set)
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def notify(self, chat_id: str) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(self._set, chat_id)

    def _set(self, chat_id: str) -> None:
        for event in self._waiters.get(chat_id, ()):
            event.set()

    async def wait(self, chat_id: str, timeout: float) -> None:
        """Return when notified for `chat_id` or after `timeout` seconds."""
        event = asyncio.Event()
        self._waiters[chat_id].add(event)
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), timeout)
        finally:
            waiters = self._waiters.get(chat_id)
            if waiters is not None:
                waiters.discard(event)
                if not waiters:
                    del self._waiters[chat_id]
