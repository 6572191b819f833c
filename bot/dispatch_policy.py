"""How the dispatcher (bot.dispatcher) paces its work and what it writes after a send."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.ports import OutgoingMessage, SendOutcome, SendResult
from storage.outbox_store import SqlOutboxStore

log = logging.getLogger("bot.dispatcher")


@dataclass(frozen=True, slots=True)
class DispatchPolicy:
    batch_size: int = 8  # rows per claim; more are claimed as sends finish
    lease_seconds: float = 15.0  # renewed by the heartbeat; lapses this long after a crash
    heartbeat_seconds: float = 3.0
    max_attempts: int = 8
    base_backoff: float = 1.0
    max_backoff: float = 300.0
    idle_poll: float = 2.0  # catches rows written by other processes
    # Sends in flight at once: with a 300 ms round trip 32 carry ~100 calls/s, above Telegram's
    # 30/s and WhatsApp's 80/s; at 16 the 50 ms case of issue 19 was capped at 320 calls/s.
    concurrency: int = 32
    stop_grace: float = 5.0  # SIGTERM: how long claimed sends may take to finish


def backoff_seconds(attempts: int, policy: DispatchPolicy, rng: Callable[[], float]) -> float:
    """Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped."""
    # Bounding the exponent keeps the float finite when max_attempts is set very high.
    exponent = min(max(attempts - 1, 0), 64)
    ceiling = min(policy.max_backoff, policy.base_backoff * float(2**exponent))
    return ceiling / 2 + rng() * ceiling / 2


def record_outcome(store: SqlOutboxStore, item: OutgoingMessage, result: SendResult,
                   now: datetime, policy: DispatchPolicy, rng: Callable[[], float]) -> None:
    """Write what became of a send (a SENT one outside the dispatcher's group commit)."""
    match result.outcome:
        case SendOutcome.SENT:
            store.mark_sent(item.id, result.platform_message_id, now)
        case SendOutcome.UNREACHABLE:
            log.warning("chat unreachable on %s (outbox id=%s)", item.channel, item.id)
            store.mark_chat_unreachable(item.channel, item.chat_id, now)
        case SendOutcome.FAILED:
            log.warning("send failed permanently outbox id=%s: %s", item.id, result.error)
            store.mark_failed(item.id, result.error, now)
        case SendOutcome.HELD:
            store.mark_held(item.id, result.platform_message_id, result.error, now)
        # A platform that says when to come back (429 retry_after) is pacing us, not
        # failing: only retries without that instruction count towards giving up.
        case SendOutcome.RETRY if (result.retry_after is None
                                   and item.attempts >= policy.max_attempts):
            log.warning("giving up outbox id=%s after %s attempts", item.id, item.attempts)
            store.mark_failed(item.id, result.error or "too many attempts", now)
        case SendOutcome.RETRY:
            delay = result.retry_after
            if delay is None:
                delay = backoff_seconds(item.attempts, policy, rng)
            store.mark_retry(item.id, now + timedelta(seconds=delay), result.error, now)
