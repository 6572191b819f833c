"""`GET /api/v1/reports` with filters over a large database, through the real app.

    python -m bench.api_reports --reports 100000 [--rounds 40] [--database-url URL]

Fills a fresh database (bulk inserts through the tables, as bench/sla_sweep.py does) with
`--reports` reports filed over the last year: every category, 30 % open (baru /
didisposisikan / diproses, each with its open deadline, a tenth of them overdue, and the
Ombudsman date), the rest closed with their history row. Then it asks the app (create_app over
the real container, in process through httpx's ASGI transport: token check, parsing, the read
model, JSON) for pages of 50, one request at a time, and prints p50/p95/p99/max per scenario:
first pages of common filters, and cursor walks `--rounds` pages deep.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Connection, insert, text

from bench.common import fit_now, machine, percentile, throwaway_database, vacuum_postgres
from bot.app import create_app, settle_heap
from bot.bootstrap import build_container, seed_directory
from bot.settings import Settings
from core.reports.actors import Role
from core.reports.model import Privacy, ReportType, Status
from core.sla.policy import Step
from storage.columns import table_of
from storage.engine import make_engine
from storage.migrate import upgrade_engine
from storage.tables import CitizenRow, ReportDeadlineRow, ReportRow
from storage.tokens import SqlTokenStore

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # Monday 10:00 WIB
EXPORTS: dict[str, tuple[float, int, float]] = {}  # suffix: seconds, bytes, peak RSS MiB
CPU_MS: list[float] = []  # the scenario being measured: CPU time per request
CHUNK = 5000
OPEN = (Status.BARU, Status.DIDISPOSISIKAN, Status.DIPROSES)
CLOSED = (Status.SELESAI, Status.DITUTUP, Status.DITOLAK)
STEP_OF = {Status.BARU: Step.VERIFIKASI, Status.DIDISPOSISIKAN: Step.JAWABAN,
           Status.DIPROSES: Step.SELESAI}
WORDS = ("jalan", "berlubang", "sampah", "menumpuk", "lampu", "mati", "got", "mampet", "banjir",
         "depan", "sekolah", "pasar", "masjid", "gang", "rumah", "warga", "sudah", "minggu",
         "bau", "parah", "motor", "jatuh", "anak", "bahaya", "tolong", "segera", "diperbaiki")


class FixedClock:
    def now(self) -> datetime:
        return NOW


# VACUUM ANALYZEd after the fill on PostgreSQL (bench.common.vacuum_postgres)
TABLES = ("reports", "report_deadlines", "report_events", "citizens")


def fill(url: str, reports: int, rng: random.Random, categories: list[tuple[str, str]]) -> None:
    engine = make_engine(url)
    upgrade_engine(engine)
    with engine.begin() as connection:
        connection.execute(insert(table_of(CitizenRow)).values(
            id=1, language="id", display_name="bench", created_at=NOW))
        report_rows: list[dict[str, object]] = []
        deadline_rows: list[dict[str, object]] = []
        for n in range(1, reports + 1):
            code, opd_slug = rng.choice(categories)
            is_open = rng.random() < 0.3
            status = rng.choice(OPEN if is_open else CLOSED)
            created = NOW - timedelta(seconds=rng.randint(0, 365 * 86400))
            opd = None if status is Status.BARU and rng.random() < 0.2 else opd_slug
            words = [rng.choice(WORDS) for _ in range(rng.randint(10, 24))]
            report_rows.append({
                "id": n, "tracking_no": f"ADU-{created.year}-{n:06d}", "citizen_id": 1,
                "channel": "web", "chat_id": f"c{n}", "type": ReportType.PENGADUAN.value,
                "category": code, "opd": opd, "status": status.value,
                "title": " ".join(words[:6]), "description": " ".join(words),
                "event_date": created.date(), "latitude": None, "longitude": None,
                "address": None, "kelurahan": None, "privacy": Privacy.RAHASIA.value,
                "created_at": created, "updated_at": created, "status_changed_at": created,
            })
            deadline_rows.append(_deadline(n, Step.VERIFIKASI, None, created,
                                           created + timedelta(days=3),
                                           closed=created + timedelta(days=1)))
            if is_open:
                late = rng.random() < 0.1
                due = NOW + (timedelta(hours=-rng.randint(1, 240)) if late
                             else timedelta(hours=rng.randint(1, 480)))
                deadline_rows.append(_deadline(n, STEP_OF[status], opd, created, due))
                deadline_rows.append(_deadline(n, Step.OMBUDSMAN, None, created,
                                               created + timedelta(days=60)))
            if len(report_rows) >= CHUNK:
                _flush(connection, report_rows, deadline_rows)
        _flush(connection, report_rows, deadline_rows)
        if engine.dialect.name == "postgresql":  # rows with explicit ids; fresh statistics
            for table in ("reports", "citizens"):
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"))
            connection.execute(text("ANALYZE reports"))
            connection.execute(text("ANALYZE report_deadlines"))
    engine.dispose()


def _deadline(report_id: int, step: Step, opd: str | None, starts: datetime, due: datetime,
              closed: datetime | None = None) -> dict[str, object]:
    return {"report_id": report_id, "step": step.value, "opd": opd, "starts_at": starts,
            "due_at": due, "remind_at": None, "next_at": None, "stage": 0,
            "snoozed_until": None, "closed_at": closed,
            "closed_status": Status.DIDISPOSISIKAN.value if closed else None}


def _flush(connection: Connection, reports: list[dict[str, object]],
           deadlines: list[dict[str, object]]) -> None:
    if reports:
        connection.execute(insert(table_of(ReportRow)), reports)
    if deadlines:
        connection.execute(insert(table_of(ReportDeadlineRow)), deadlines)
    reports.clear()
    deadlines.clear()


# (name, token kind, params, walk the cursor?)
SCENARIOS: list[tuple[str, str, dict[str, str], bool]] = [
    ("newest, no filter", "coordinator", {}, True),
    ("status=baru", "coordinator", {"status": "baru"}, True),
    ("open, sort=deadline", "coordinator",
     {"status": "baru,didisposisikan,diproses", "sort": "deadline"}, True),
    ("overdue=true, sort=deadline", "coordinator", {"overdue": "true", "sort": "deadline"}, True),
    ("opd=pupr&status=diproses", "coordinator", {"opd": "pupr", "status": "diproses"}, True),
    ("category=sampah&since=30 days", "coordinator",
     {"category": "sampah", "since": "2026-10-24"}, True),
    ("since/until one month", "coordinator", {"since": "2026-06-01", "until": "2026-06-30"}, True),
    ("q=lampu&status=baru", "coordinator", {"q": "lampu", "status": "baru"}, False),
    ("q=ADU-2026-0123 (tracking number)", "coordinator", {"q": "ADU-2026-0123"}, False),
    ("officer pupr, newest", "officer", {}, True),
    ("officer pupr, open by deadline", "officer",
     {"status": "didisposisikan,diproses", "sort": "deadline"}, True),
]


async def measure(http: httpx.AsyncClient, headers: dict[str, str], params: dict[str, str],
                  walk: bool, rounds: int) -> tuple[list[float], int]:
    """Latencies (ms) of `rounds` requests: a cursor walk, or the first page again and again.
    Each request's CPU time of this process (all its threads) goes to CPU_MS."""
    times: list[float] = []
    rows = 0
    cursor: str | None = None
    for _ in range(rounds):
        query = {**params, "limit": "50", **({"cursor": cursor} if cursor else {})}
        started, cpu = time.perf_counter(), time.process_time()
        response = await http.get("/api/v1/reports", params=query, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        CPU_MS.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, response.text
        body = response.json()
        rows += len(body["items"])
        cursor = body["next_cursor"] if walk else None
        if walk and cursor is None:
            cursor = None  # walked off the end: start over
    return times, rows


async def run_requests(url: str, data_dir: Path, rounds: int,
                       exports: bool = True) -> list[tuple[str, Any]]:
    settings = Settings(database_url=url, data_dir=data_dir,  # type: ignore[call-arg]
                        sla_sweeper=False, api_requests_per_minute=1_000_000, _env_file=None)
    container = build_container(settings, clock=FixedClock())
    seed_directory(settings, container.directories, container.clock)
    tokens = SqlTokenStore(container.engine)
    _, coordinator = tokens.create("bench coordinator", NOW)
    _, officer = tokens.create("bench pupr", NOW, Role.OFFICER, "pupr")
    headers = {"coordinator": {"Authorization": f"Bearer {coordinator}"},
               "officer": {"Authorization": f"Bearer {officer}"}}
    results: list[tuple[str, Any]] = []
    transport = httpx.ASGITransport(app=create_app(container))
    fit_now(container)
    settle_heap()  # as the server's lifespan does (ASGITransport runs no lifespan)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        await measure(http, headers["coordinator"], {}, False, 10)  # warm up
        for name, who, params, walk in SCENARIOS:
            CPU_MS.clear()
            times, rows = await measure(http, headers[who], params, walk, rounds)
            results.append((name, (sorted(times), rows / len(times), sorted(CPU_MS))))
        for suffix in ("csv", "xlsx") if exports else ():  # every report (not per page)
            started = time.perf_counter()
            response = await http.get(f"/api/v1/reports.{suffix}", headers=headers["coordinator"])
            assert response.status_code == 200, response.text
            EXPORTS[suffix] = (time.perf_counter() - started, len(response.content),
                               resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    container.engine.dispose()
    return results


def report(results: list[tuple[str, Any]], backend: str, reports: int, seconds: float) -> str:
    lines = [f"{backend}: {reports} reports (filled in {seconds:.0f} s); {machine()}", "",
             "| scenario | requests | rows/page | p50 ms | p95 ms | p99 ms | max ms "
             "| CPU p50 ms | CPU p95 ms |", "|---|---|---|---|---|---|---|---|---|"]
    everything: list[float] = []
    all_cpu: list[float] = []
    for name, (times, per_page, cpu) in results:
        everything += times
        all_cpu += cpu
        lines.append(f"| {name} | {len(times)} | {per_page:.0f} | {percentile(times, 50):.1f} | "
                     f"{percentile(times, 95):.1f} | {percentile(times, 99):.1f} | "
                     f"{times[-1]:.1f} | {percentile(cpu, 50):.1f} | {percentile(cpu, 95):.1f} |")
    everything.sort()
    all_cpu.sort()
    lines.append(f"| **all** | {len(everything)} | | {percentile(everything, 50):.1f} | "
                 f"**{percentile(everything, 95):.1f}** | {percentile(everything, 99):.1f} | "
                 f"{everything[-1]:.1f} | {percentile(all_cpu, 50):.1f} | "
                 f"**{percentile(all_cpu, 95):.1f}** |")
    for suffix, (seconds_taken, size, rss) in EXPORTS.items():
        lines.append(f"\nreports.{suffix} of all {reports} reports: {seconds_taken:.1f} s, "
                     f"{size / 1e6:.1f} MB; process peak RSS after it {rss:.0f} MiB")
    return "\n".join(lines)


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=40, help="requests per scenario")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-exports", action="store_true",
                        help="skip timing the CSV/XLSX of every report (minutes on a busy host)")
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL server to make a throwaway schema on (default SQLite)")
    args = parser.parse_args(argv)
    from core.directory.loader import bundled_directory_path, load_directory_file

    directory = load_directory_file(bundled_directory_path())
    categories = [(c.code, c.opd) for c in directory.categories]
    with throwaway_database(args.database_url) as (url, data_dir):
        started = time.perf_counter()
        fill(url, args.reports, random.Random(args.seed), categories)
        vacuum_postgres(url, TABLES)
        seconds = time.perf_counter() - started
        results = asyncio.run(run_requests(url, data_dir, args.rounds, not args.no_exports))
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    out(report(results, backend, args.reports, seconds))


if __name__ == "__main__":
    main()
