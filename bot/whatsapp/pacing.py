"""An async token bucket: WhatsApp allows about 80 messages per second per business number."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

DEFAULT_RATE = 80.0


class TokenBucket:
    """`acquire()` waits for a token; `pause()` stops everyone after the platform said "slow down"."""

    def __init__(self, rate: float = DEFAULT_RATE, burst: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = max(1.0, burst if burst is not None else rate)
        self._clock = clock
        self._tokens = self.capacity
        self._updated = clock()
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    async def acquire(self) -> None:
        # Waiters queue on the lock, so tokens are handed out first come, first served.
        async with self._lock:
            while True:
                now = self._clock()
                self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                wait = self._paused_until - now
                if wait <= 0 and self._tokens >= 1:
                    self._tokens -= 1
                    return
                if wait <= 0:
                    wait = (1 - self._tokens) / self.rate
                await asyncio.sleep(wait)
