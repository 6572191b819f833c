"""Write again until the database takes it: the shared back-off of the outbox and the inbox.

A row this live process owns but could not settle (the database away) would keep its lease
for good, the heartbeat renewing it, and hold its chat's later messages behind it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def until_stored(write: Callable[[], Awaitable[object]], what: str,
                       stopping: Callable[[], bool] = lambda: False) -> bool:
    """Await `write()` until it succeeds (True), backing off 0.2 s → 5 s between tries; False
    when `stopping()` says to give up (the stop settles the row instead)."""
    delay = 0.2
    while True:
        try:
            await write()
            return True
        except Exception as exc:
            if stopping():
                log.warning("could not %s at shutdown (%s)", what, type(exc).__name__)
                return False
            log.warning("could not %s (%s); again in %.1f s", what, type(exc).__name__, delay)
        await asyncio.sleep(delay)
        delay = min(delay * 2, 5.0)
