"""The dashboard's pages over a large database: how long the queue and `Kepatuhan SLA` take.

    python -m bench.dashboard_pages --reports 100000 --requests 200 [--database-url URL]

Fills a fresh database (bulk inserts through the tables, as bench/duplicate_lookup.py does)
with `--reports` reports filed over the last year, every one with the deadline rows its
life so far left: a verification (closed once verified), a first answer and a completion
deadline for those that got that far, the citizen's confirmation, the Ombudsman date; older
reports are mostly done, recent ones mostly open, some of each late. Then it signs in with a
coordinator token and requests each page `--requests` times through the whole app
(in-process over ASGI: routing, session check, read models, template), one at a time, after
a few warm-up requests, and prints p50/p95/p99/max per page.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import random
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert, text

from bench.common import fit_now, machine, percentile, throwaway_database, vacuum_postgres
from bot.app import create_app, settle_heap
from bot.bootstrap import build_container, seed_directory
from bot.settings import Settings
from core.reports.model import Privacy, ReportType, Status
from core.sla.policy import Step
from storage.columns import table_of
from storage.engine import make_engine
from storage.migrate import upgrade_engine
from storage.tables import CitizenRow, ReportDeadlineRow, ReportRow
from storage.tokens import SqlTokenStore

CHUNK = 5000
DAY = timedelta(days=1)
PAGES = {
    "queue": "/dashboard",
    "queue, filtered": "/dashboard?status=semua&category=jalan_rusak&overdue=1",
    "queue, all, newest": "/dashboard?status=semua&sort=newest",
    "SLA (28 days)": "/dashboard/sla",
    "SLA (90 days)": "/dashboard/sla?since={since90}",
    "map": "/dashboard/peta",
    "patterns": "/dashboard/pola",
}
CPU_MS: dict[str, list[float]] = {}  # per page: this process's CPU time per request
REQUIRED = ("queue", "queue, filtered", "queue, all, newest", "SLA (28 days)", "SLA (90 days)")


# VACUUM ANALYZEd after the fill on PostgreSQL (bench.common.vacuum_postgres)
TABLES = ("reports", "report_deadlines", "report_events", "citizens")


def _status(age_days: float, rng: random.Random) -> Status:
    """What a report of this age is now: the older, the likelier done."""
    roll = rng.random()
    if age_days < 3:
        return Status.BARU if roll < 0.6 else Status.DIDISPOSISIKAN
    if age_days < 30:
        return (Status.BARU, Status.DIDISPOSISIKAN, Status.DIPROSES, Status.SELESAI,
                Status.DITOLAK)[min(4, int(roll * 5))]
    if roll < 0.05:
        return Status.DIPROSES  # the ones the coordinator chases
    return Status.DITUTUP if roll < 0.85 else (Status.DITOLAK if roll < 0.93 else Status.SELESAI)


def _deadlines(report_id: int, status: Status, opd: str, created: datetime, now: datetime,
               rng: random.Random) -> list[dict[str, Any]]:
    """The deadline rows a report of `status` has by now (closed ones as history)."""
    rows: list[dict[str, Any]] = []

    def row(step: Step, owner: str | None, starts: datetime, days: float,
            closed: datetime | None, closed_status: Status | None) -> datetime:
        rows.append({"report_id": report_id, "step": step.value, "opd": owner,
                     "starts_at": starts, "due_at": starts + days * DAY, "stage": 0,
                     "next_at": None if closed else starts + days * DAY, "closed_at": closed,
                     "closed_status": closed_status.value if closed_status else None})
        return closed or now

    done = status in (Status.SELESAI, Status.DITUTUP, Status.DITOLAK)
    row(Step.OMBUDSMAN, None, created, 60, created + rng.uniform(5, 50) * DAY if done else None,
        status if done else None)
    if status is Status.BARU:
        row(Step.VERIFIKASI, None, created, 4, None, None)
        return rows
    verified = min(now, created + rng.uniform(0.1, 7) * DAY)
    if status is Status.DITOLAK:
        row(Step.VERIFIKASI, None, created, 4, verified, Status.DITOLAK)
        return rows
    row(Step.VERIFIKASI, None, created, 4, verified, Status.DIDISPOSISIKAN)
    answered = None if status is Status.DIDISPOSISIKAN else min(
        now, verified + rng.uniform(0.05, 12) * DAY)
    row(Step.JAWABAN, opd, verified, 7, answered, Status.DIPROSES if answered else None)
    if answered is None:
        return rows
    finished = None if status is Status.DIPROSES else min(now, answered + rng.uniform(1, 30) * DAY)
    row(Step.SELESAI, opd, answered, 20, finished, Status.SELESAI if finished else None)
    if finished is not None:
        closed = finished + 14 * DAY if status is Status.DITUTUP and finished + 14 * DAY < now \
            else None
        row(Step.KONFIRMASI, opd, finished, 14, closed, Status.DITUTUP if closed else None)
    return rows


def fill(url: str, data_dir: Path, reports: int, now: datetime, seed: int) -> None:
    rng = random.Random(seed)
    settings = Settings(_env_file=None, database_url=url, data_dir=data_dir)  # type: ignore[call-arg]
    engine = make_engine(url)
    upgrade_engine(engine)
    container = build_container(settings)
    seed_directory(settings, container.directories, container.clock)
    city = container.city()
    container.engine.dispose()
    categories = [(c.code, c.opd) for c in city.directory.categories]
    places = [k for k in city.directory.kelurahan if k.latitude is not None]
    reports_t, deadlines_t = table_of(ReportRow), table_of(ReportDeadlineRow)
    with engine.begin() as conn:
        conn.execute(insert(table_of(CitizenRow)).values(
            id=1, language="id", display_name="bench", created_at=now))
        batch: list[dict[str, Any]] = []
        rows: list[dict[str, Any]] = []
        for n in range(1, reports + 1):
            created = now - (365 * (reports - n) / reports + rng.uniform(0, 0.01)) * DAY
            status = _status((now - created) / DAY, rng)
            category, opd = rng.choice(categories)
            place = rng.choice(places)
            assert place.latitude is not None and place.longitude is not None
            batch.append({
                "id": n, "tracking_no": f"ADU-{created.year}-{n:06d}", "citizen_id": 1,
                "channel": "web", "chat_id": f"c{n}", "type": ReportType.PENGADUAN.value,
                "category": category, "opd": None if status is Status.BARU else opd,
                "status": status.value, "title": f"Laporan {category} {n}",
                "description": f"Laporan warga nomor {n} tentang {category} di {place.name}.",
                "event_date": created.date(), "latitude": place.latitude + rng.uniform(-.01, .01),
                "longitude": place.longitude + rng.uniform(-.01, .01), "address": None,
                "kelurahan": place.name, "privacy": Privacy.RAHASIA.value,
                "created_at": created, "updated_at": created, "status_changed_at": created})
            rows += _deadlines(n, status, opd, created, now, rng)
            if len(batch) == CHUNK:
                conn.execute(insert(reports_t), batch)
                conn.execute(insert(deadlines_t), rows)
                batch, rows = [], []
        if batch:
            conn.execute(insert(reports_t), batch)
            conn.execute(insert(deadlines_t), rows)
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE reports"))
            conn.execute(text("ANALYZE report_deadlines"))
            conn.execute(text("SELECT setval('reports_id_seq', (SELECT max(id) FROM reports))"))
    engine.dispose()


async def measure(url: str, data_dir: Path, requests: int,
                  now: datetime) -> dict[str, list[float]]:
    settings = Settings(_env_file=None, database_url=url, data_dir=data_dir,  # type: ignore[call-arg]
                        sla_sweeper=False)
    container = build_container(settings)
    secret = SqlTokenStore(container.engine).create("bench", now)[1]
    since90 = (now - 89 * DAY).astimezone(settings.tz).date().isoformat()
    timings: dict[str, list[float]] = {name: [] for name in PAGES}
    transport = httpx.ASGITransport(app=create_app(container))
    fit_now(container)
    settle_heap()  # as the server's lifespan does (ASGITransport runs no lifespan)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        login = await http.get("/dashboard/masuk")
        csrf = re.search(r'name="csrf" value="([^"]+)"', login.text)
        assert csrf, login.text[:300]
        signed = await http.post("/dashboard/masuk", data={"token": secret, "csrf": csrf[1]})
        assert signed.status_code == 303, signed.text[:300]
        for name, path in PAGES.items():
            path = path.format(since90=since90)
            rounds = requests if name in REQUIRED else max(10, requests // 10)
            for n in range(rounds + 5):
                started, cpu = time.perf_counter(), time.process_time()
                response = await http.get(path)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, (path, response.status_code)
                if n >= 5:  # warm-up
                    timings[name].append(elapsed)
                    CPU_MS.setdefault(name, []).append((time.process_time() - cpu) * 1000)
    container.engine.dispose()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL: a fresh schema is made there and dropped afterwards")
    args = parser.parse_args()
    now = datetime.now(UTC)
    with throwaway_database(args.database_url) as (url, data_dir):
        started = time.perf_counter()
        fill(url, data_dir, args.reports, now, args.seed)
        vacuum_postgres(url, TABLES)
        print(f"filled {args.reports} reports in {time.perf_counter() - started:.1f} s")
        timings = asyncio.run(measure(url, data_dir, args.requests, now))
    backend = "postgresql" if args.database_url else "sqlite"
    print(f"{machine()}; {backend}; python {platform.python_version()}")
    print("| page | n | p50 ms | p95 ms | p99 ms | max ms | CPU p50 ms | CPU p95 ms |\n"
          "|---|---|---|---|---|---|---|---|")
    for name, values in timings.items():
        ordered, cpu = sorted(values), sorted(CPU_MS.get(name, [0.0]))
        print(f"| {name} | {len(ordered)} | {percentile(ordered, 50):.1f} | "
              f"{percentile(ordered, 95):.1f} | {percentile(ordered, 99):.1f} | "
              f"{ordered[-1]:.1f} | {percentile(cpu, 50):.1f} | {percentile(cpu, 95):.1f} |")


if __name__ == "__main__":
    main()
