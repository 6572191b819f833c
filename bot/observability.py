"""`/healthz` and `/metrics` (Prometheus text).

Counters are per process; with `aduan serve --workers N` each worker writes them to
PROMETHEUS_MULTIPROC_DIR (prometheus_client's multiprocess mode, set up by `aduan serve`) and
any worker's scrape sums them all. Gauges are read from the database at scrape time, so every
worker of every machine reports the same: outbox depth and oldest unsent age per channel, open
reports by deadline colour per OPD.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterable
from datetime import datetime

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import Engine, text

from core.intake.service import HandleOutcome
from core.messages import Channel
from core.ports import Clock, SendOutcome, SendResult
from storage.engine import read_only
from storage.outbox_store import SqlOutboxStore
from storage.read.operations import oldest_unsent, open_reports_by_state

disable_created_metrics()  # type: ignore[no-untyped-call]  # *_created series are noise


# When the working-day calendar is there: the end of the next working day after `now`.
YellowUntil = Callable[[datetime], datetime]
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


class Metrics:
    """Counters of every worker plus gauges read from the database at scrape time."""

    def __init__(self, outbox: SqlOutboxStore, engine: Engine | None = None,
                 clock: Clock | None = None, yellow_until: YellowUntil | None = None) -> None:
        own = CollectorRegistry()  # this process's counters
        if os.environ.get(MULTIPROC_ENV):
            self.registry = CollectorRegistry()  # every worker's, summed from their files
            MultiProcessCollector(self.registry)  # type: ignore[no-untyped-call]
        else:
            self.registry = own
        self.inbound = Counter("aduan_inbound_messages_total", "Inbound messages handled",
                               ["channel"], registry=own)
        self.replayed = Counter("aduan_inbound_replays_total", "Inbound ids seen before (ignored)",
                                ["channel"], registry=own)
        self.reports = Counter("aduan_reports_created_total", "Reports created",
                               ["channel"], registry=own)
        self.sent = Counter("aduan_outbox_sent_total", "Messages delivered to a platform",
                            ["channel"], registry=own)
        self.send_failures = Counter("aduan_outbox_send_failures_total",
                                     "Failed send attempts (retried or not)",
                                     ["channel", "outcome"], registry=own)
        self.registry.register(_OutboxCollector(outbox))
        if engine is not None and clock is not None and yellow_until is not None:
            self.registry.register(_OperationsCollector(engine, clock, yellow_until))

    def handled(self, channel: Channel, outcome: HandleOutcome) -> None:
        (self.replayed if outcome.replayed else self.inbound).labels(channel.value).inc()
        if outcome.created:
            self.reports.labels(channel.value).inc(len(outcome.created))

    def send_result(self, channel: Channel, result: SendResult) -> None:
        if result.outcome is SendOutcome.SENT:
            self.sent.labels(channel.value).inc()
        else:
            self.send_failures.labels(channel.value, result.outcome.value).inc()


class _OutboxCollector(Collector):
    def __init__(self, outbox: SqlOutboxStore) -> None:
        self._outbox = outbox

    def collect(self) -> Iterable[Metric]:
        depth = GaugeMetricFamily("aduan_outbox_depth", "Messages waiting to be sent",
                                  labels=["channel"])
        for channel, count in self._outbox.depth().items():
            depth.add_metric([channel], count)
        failed = GaugeMetricFamily("aduan_outbox_failed", "Messages that could not be delivered",
                                   labels=["channel"])
        for channel, count in self._outbox.failures().items():
            failed.add_metric([channel], count)
        return [depth, failed]


class _OperationsCollector(Collector):
    def __init__(self, engine: Engine, clock: Clock, yellow_until: YellowUntil) -> None:
        self._reader, self._clock, self._yellow_until = read_only(engine), clock, yellow_until

    def collect(self) -> Iterable[Metric]:
        now = self._clock.now()
        with self._reader.connect() as conn:
            by_state = open_reports_by_state(conn, now, self._yellow_until(now))
            oldest = oldest_unsent(conn)
        open_reports = GaugeMetricFamily(
            "aduan_open_reports", "Open reports by OPD and deadline colour (red: past due, "
            "yellow: due by the end of the next working day, green: later, none: no admin "
            "deadline running; opd is empty before disposition)", labels=["opd", "colour"])
        for (opd, colour), count in sorted(by_state.items()):
            open_reports.add_metric([opd, colour], count)
        age = GaugeMetricFamily("aduan_outbox_oldest_unsent_seconds",
                                "Age of the oldest message waiting to be sent (0: none)",
                                labels=["channel"])
        for channel in [c.value for c in Channel if c.pushes]:
            queued = oldest.get(channel)
            age.add_metric([channel], max(0.0, (now - queued).total_seconds()) if queued else 0.0)
        return [open_reports, age]


def observability_router(engine: Engine, metrics: Metrics,
                         extra_checks: Callable[[], dict[str, str]] | None = None) -> APIRouter:
    router = APIRouter(tags=["operations"])

    def check_database() -> str:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return "ok"

    @router.get("/healthz")
    async def healthz() -> JSONResponse:
        try:
            database = await asyncio.wait_for(asyncio.to_thread(check_database), timeout=5)
        except Exception as exc:
            return JSONResponse({"status": "error", "database": type(exc).__name__},
                                status_code=503)
        body = {"status": "ok", "database": database, **(extra_checks() if extra_checks else {})}
        return JSONResponse(body)

    @router.get("/metrics")
    async def scrape() -> Response:
        payload = await asyncio.to_thread(generate_latest, metrics.registry)
        return Response(payload, media_type=CONTENT_TYPE_LATEST)

    return router
