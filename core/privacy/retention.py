"""Use case: apply RETENTION_MESSAGES_DAYS and RETENTION_IDENTITY_DAYS (`aduan purge`, and the
sweeper once a day). Idempotent: what was removed is not found again, so a second run, or two
at once, removes nothing more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from core.privacy.model import Purged
from core.privacy.policy import Retention
from core.privacy.ports import RetentionStore

BATCH = 500  # rows per transaction
REPORT_BATCH = 100  # reports or citizens per transaction (several statements each)


def purge(store: RetentionStore, retention: Retention, now: datetime) -> Purged:
    """Remove what is past its retention, batch after batch; returns the counts."""
    messages, identity = retention.messages_before(now), retention.identity_before(now)
    return Purged(
        messages=_drain(lambda: store.delete_delivered(messages, BATCH), BATCH),
        inbound_ids=_drain(lambda: store.delete_inbound_ids(messages, BATCH), BATCH),
        farewells=_drain(lambda: store.forget_farewells(BATCH), BATCH),
        # Reports first: a citizen whose last report lost its reporter may then be inactive.
        reporters=_drain(lambda: store.detach_reporters(identity, REPORT_BATCH, now),
                         REPORT_BATCH),
        citizens=_drain(lambda: store.erase_inactive(identity, REPORT_BATCH, now), REPORT_BATCH),
    )


def _drain(step: Callable[[], int], batch: int) -> int:
    """Repeat `step` until a batch comes back short (rows other transactions hold are skipped:
    the next run takes them)."""
    total = 0
    while True:
        done = step()
        total += done
        if done < batch:
            return total
