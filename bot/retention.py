"""The daily retention job (`core.privacy.retention.purge`), run by the scheduler beside the SLA
sweeper; `aduan purge` runs the same from the command line."""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from core.ports import Clock
from core.privacy.model import AuditEntry, Purged
from core.privacy.policy import Retention
from core.privacy.retention import purge
from storage.audit import SqlAuditLog
from storage.retention import SqlRetentionStore

log = logging.getLogger(__name__)


class RetentionJob:
    """One purge at a time per process; every worker may run it (idempotent, batched, SKIP
    LOCKED), each run that removed anything leaves a line in the audit log."""

    def __init__(self, engine: Engine, retention: Retention, clock: Clock) -> None:
        self._store, self._audit = SqlRetentionStore(engine), SqlAuditLog(engine)
        self._retention, self._clock = retention, clock
        self._busy = threading.Lock()

    def run_once(self) -> Purged | None:
        """A purge now (None when one is already running here, or it failed)."""
        if not self._busy.acquire(blocking=False):
            return None
        try:
            now = self._clock.now()
            result = purge(self._store, self._retention, now)
            if result.total:
                self._audit.record(AuditEntry("system", "sweeper", "purge", None, result.line()),
                                   now)
                log.info("retention: %s", result.line())
            return result
        except Exception:
            log.exception("retention purge failed; the next run retries")
            return None
        finally:
            self._busy.release()
