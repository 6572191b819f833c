"""`/healthz` and `/metrics` (Prometheus text)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

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
from prometheus_client.registry import Collector
from sqlalchemy import Engine, text

from core.intake.service import HandleOutcome
from core.messages import Channel
from core.ports import SendOutcome, SendResult
from storage.outbox_store import SqlOutboxStore

disable_created_metrics()  # type: ignore[no-untyped-call]  # *_created series are noise


class Metrics:
    """Counters of this process plus outbox gauges read from the database at scrape time."""

    def __init__(self, outbox: SqlOutboxStore) -> None:
        self.registry = CollectorRegistry()
        self.inbound = Counter("aduan_inbound_messages_total", "Inbound messages handled",
                               ["channel"], registry=self.registry)
        self.replayed = Counter("aduan_inbound_replays_total", "Inbound ids seen before (ignored)",
                                ["channel"], registry=self.registry)
        self.reports = Counter("aduan_reports_created_total", "Reports created",
                               ["channel"], registry=self.registry)
        self.sent = Counter("aduan_outbox_sent_total", "Messages delivered to a platform",
                            ["channel"], registry=self.registry)
        self.send_failures = Counter("aduan_outbox_send_failures_total",
                                     "Failed send attempts (retried or not)",
                                     ["channel", "outcome"], registry=self.registry)
        self.registry.register(_OutboxCollector(outbox))

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
