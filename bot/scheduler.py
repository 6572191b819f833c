"""APScheduler 3.11 in the FastAPI lifespan: thin timers over `core.sla_sweep.SlaSweeper` and the
daily retention job (`bot.retention.RetentionJob`).

The deadlines live in our tables, so the scheduler keeps no state of its own: it sweeps every
`SLA_SWEEP_SECONDS`, once more at 07:00 and 08:00 local time (end of quiet hours, digest time),
and once at start-up (which catches up after downtime). Several workers may all run it: the
sweeper lock, SKIP LOCKED claims and the unique nudge records make every nudge go out once.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.retention import RetentionJob
from core.ports import Clock
from core.sla.sweep import SlaSweeper, SweepResult

log = logging.getLogger(__name__)


PURGE_AT = {"hour": 3, "minute": 30}  # local time, daily: the retention job (bot.retention)
PURGE_AFTER_START = timedelta(minutes=2)  # and once after start-up, should 03:30 have been missed
# The first sweep (catching up after a restart) waits until the server has answered its first
# updates: it shares their interpreter (bench/RESULTS.md, "Start-up, deferred routes").
SWEEP_AFTER_START = timedelta(seconds=5)


class SlaScheduler:
    def __init__(self, sweeper: SlaSweeper, clock: Clock, interval_seconds: float,
                 tz: ZoneInfo, retention: RetentionJob | None = None) -> None:
        self._sweeper = sweeper
        self._retention = retention
        self._clock = clock
        self._interval = interval_seconds
        self._tz = tz
        self._busy = threading.Lock()  # the interval and cron jobs never sweep at once here
        self._planned = False
        self._scheduler: AsyncIOScheduler | None = None

    def start(self) -> None:
        scheduler = AsyncIOScheduler(timezone=self._tz)
        # coalesce + max_instances=1: a slow sweep or a suspended process never queues up
        # several runs; the next one simply finds everything that became due meanwhile.
        common = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
        scheduler.add_job(self._run, IntervalTrigger(seconds=self._interval, timezone=self._tz),
                          id="sla-sweep", next_run_time=self._clock.now() + SWEEP_AFTER_START,
                          **common)
        scheduler.add_job(self._run, CronTrigger(hour="7,8", minute=0, second=5,
                                                 timezone=self._tz),
                          id="sla-sweep-morning", **common)
        if self._retention is not None:
            scheduler.add_job(self._purge, CronTrigger(**PURGE_AT, timezone=self._tz),
                              id="retention", next_run_time=self._clock.now() + PURGE_AFTER_START,
                              **common)
        scheduler.start()
        self._scheduler = scheduler

    async def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        # A sweep running in its thread finishes its transaction before the engine goes away.
        await asyncio.to_thread(self._wait_idle)

    async def _run(self) -> None:
        await asyncio.to_thread(self.run_once)

    async def _purge(self) -> None:
        if self._retention is not None:
            await asyncio.to_thread(self._retention.run_once)

    def run_once(self) -> SweepResult | None:
        """One sweep now (None when one is already running in this process)."""
        if not self._busy.acquire(blocking=False):
            return None
        try:
            now = self._clock.now()
            if not self._planned:
                planned = self._sweeper.plan_missing(now)
                self._planned = True
                if planned:
                    log.info("planned deadlines of %d reports stored without them", planned)
            result = self._sweeper.sweep(now)
            if result.claimed or result.digests or result.weekly:
                log.info("sla sweep: %d due rows, sent %s, %d deferred, %d digests, %d weekly",
                         result.claimed, {k.value: v for k, v in result.sent.items()},
                         result.deferred, result.digests, result.weekly)
            return result
        except Exception:
            log.exception("sla sweep failed; the next run retries")
            return None
        finally:
            self._busy.release()

    def _wait_idle(self) -> None:
        with self._busy:
            pass
