"""Send pacing for a platform: a global token bucket, one per chat, and a flood-wait pause."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pacing:
    """Rates per process. The defaults are Telegram's: about 30 messages/s per bot and about
    1/s per chat (short bursts pass); WhatsApp uses a global budget only (80/s per number)."""

    global_rate: float = 30.0
    global_burst: float = 10.0
    chat_rate: float = 1.0
    chat_burst: float = 3.0
    # Longer than this, a send is handed back to the outbox (RETRY) instead of holding its
    # lease and a dispatcher slot while it sleeps.
    max_wait: float = 10.0
    # Platform calls at once. A kill -9 can repeat only a send the platform accepted before the
    # process recorded it, so this bounds the messages sent twice (issue 20: at most 5); at 30/s
    # it still allows 165 ms per call.
    max_in_flight: int = 5

    @classmethod
    def from_rates(cls, per_second: float, per_chat_per_second: float) -> Pacing:
        """Bursts scaled to the rates: a third of a second overall, three messages per chat;
        calls at once by `in_flight_for`."""
        return cls(global_rate=per_second, global_burst=max(1.0, per_second / 3),
                   chat_rate=per_chat_per_second, chat_burst=max(3.0, per_chat_per_second),
                   max_in_flight=in_flight_for(per_second))


ROUND_TRIP_SECONDS = 1 / 6  # the call round trip at which the in-flight limit keeps the rate
MIN_IN_FLIGHT, MAX_IN_FLIGHT = 5, 32


def in_flight_for(per_second: float) -> int:
    """Calls at once that keep `per_second` up at a round trip of ROUND_TRIP_SECONDS (Little's
    law): Telegram's 30/s gets 5. A raised rate (a local Bot API server, a benchmark) gets up to
    32 to use it (5 in flight at a 50 ms round trip capped a process at 100 calls/s, issue 19),
    at the price of more messages a kill -9 can repeat (issue 20 bounds them by this number)."""
    return max(MIN_IN_FLIGHT, min(MAX_IN_FLIGHT, math.ceil(per_second * ROUND_TRIP_SECONDS)))


class TokenBucket:
    """`rate` tokens per second, holding at most `burst`."""

    __slots__ = ("rate", "burst", "tokens", "stamp")

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate, self.burst = rate, max(burst, 1.0)
        self.tokens, self.stamp = self.burst, now

    def refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_time(self, now: float) -> float:
        self.refill(now)
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1.0

    def idle_full(self, now: float) -> bool:
        self.refill(now)
        return self.tokens >= self.burst


class Pacer:
    """Hands out send slots; all state lives in one event loop, so no locks are needed."""

    def __init__(self, pacing: Pacing, clock: Callable[[], float] = time.monotonic) -> None:
        self.pacing, self._clock = pacing, clock
        self._global = TokenBucket(pacing.global_rate, pacing.global_burst, clock())
        self._chats: dict[str, TokenBucket] = {}
        self._paused_until = 0.0
        self._waiting = 0  # sends sleeping for a slot: extras must not take it from them
        self._calls: asyncio.Semaphore | None = None  # made in the event loop that uses it

    def calls(self) -> asyncio.Semaphore:
        """Held around each platform call: at most `max_in_flight` at once."""
        if self._calls is None:
            self._calls = asyncio.Semaphore(max(1, self.pacing.max_in_flight))
        return self._calls

    def pause(self, seconds: float) -> None:
        """A 429 is per bot, not per chat: every send waits it out."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def paused_for(self) -> float:
        return max(0.0, self._paused_until - self._clock())

    def delay(self, chat_id: str | None) -> float:
        """Seconds until a send to `chat_id` may go out (without taking a slot)."""
        now = self._clock()
        waits = [self._paused_until - now, self._global.wait_time(now)]
        if chat_id is not None:
            waits.append(self._chat(chat_id, now).wait_time(now))
        return max(0.0, *waits)

    async def acquire(self, chat_id: str | None) -> float | None:
        """Wait for a slot and take it; or, when the wait would be too long, return it."""
        while True:
            wait = self.delay(chat_id)
            if wait > self.pacing.max_wait:
                return wait
            if wait <= 0:
                break
            self._waiting += 1
            try:
                await asyncio.sleep(wait)
            finally:
                self._waiting -= 1
        now = self._clock()
        self._global.take()
        if chat_id is not None:
            self._chat(chat_id, now).take()
        return None

    def try_acquire(self) -> bool:
        """A slot of the bot-wide budget only if one is free right now (for extras like edits,
        which must never hold back a reply)."""
        if self._waiting or self.delay(None) > 0:
            return False
        self._global.take()
        return True

    def _chat(self, chat_id: str, now: float) -> TokenBucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            if len(self._chats) > 10_000:  # forget chats whose bucket has refilled completely
                self._chats = {k: b for k, b in self._chats.items() if not b.idle_full(now)}
            bucket = self._chats[chat_id] = TokenBucket(
                self.pacing.chat_rate, self.pacing.chat_burst, now)
        return bucket
