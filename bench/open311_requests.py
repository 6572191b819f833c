"""GET /open311/v2/requests.json over many reports, against the real `aduan serve`.

    python -m bench.open311_requests [--reports 100000] [--requests 200] [--database-url URL]
                                     [--public-index]

Fills a fresh database through the tables (as bench/duplicate_lookup.py does) with
`--reports` reports filed over the last 180 days (so about half fall in the spec's default 90
days): every category, a third `publik`, lifecycle statuses, a timeline event per report plus
an answer or a rejection reason where the status has one, the open step's deadline, a photo
for one in ten. Then times whole pages (default: up to 1000 requests each) for several callers
and filters, one request at a time: the client's round trip, the server's own time
(Server-Timing), and the server process's mean CPU time per request (all its threads, from
/proc: what a busy host inflates least). The server runs without its SLA sweeper and without
a request limit. The database is thrown away afterwards. `--public-index` adds a partial
index on public reports' (created_at, id) first, to measure what it would buy.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import Engine, insert, text

from bench.common import (
    machine,
    percentile,
    process_cpu,
    throwaway_database,
    vacuum_postgres,
    wait_idle,
)
from bench.webchat_intake import server
from core.directory.loader import bundled_directory_path, load_directory_file
from core.reports.model import Privacy, ReportType, Status
from storage.columns import table_of
from storage.engine import make_engine
from storage.migrate import upgrade_engine
from storage.tables import (
    AttachmentRow,
    CitizenRow,
    ReportDeadlineRow,
    ReportEventRow,
    ReportRow,
)
from storage.tokens import SqlTokenStore

CENTRE = (-0.9100, 100.3600)
STATUSES = [(Status.BARU, 20), (Status.DIDISPOSISIKAN, 20), (Status.DIPROSES, 20),
            (Status.SELESAI, 10), (Status.DITUTUP, 25), (Status.DITOLAK, 5)]
STEP_OF = {Status.BARU: "verifikasi", Status.DIDISPOSISIKAN: "jawaban",
           Status.DIPROSES: "selesai"}
WORDS = ("jalan", "berlubang", "sampah", "menumpuk", "lampu", "mati", "got", "mampet",
         "banjir", "depan", "sekolah", "pasar", "masjid", "gang", "warga", "tolong", "segera")
# (name, query string, with the coordinator's key)
SCENARIOS = [
    ("public, default (90 days, page 1 of up to 1000)", "", False),
    ("public, page_size=200", "page_size=200", False),
    ("public, page_size=100, page=5", "page_size=100&page=5", False),
    ("public, status=open&service_code=sampah,jalan_rusak",
     "status=open&service_code=sampah,jalan_rusak", False),
    ("coordinator key, default (page 1)", "", True),
    ("coordinator key, page=10", "page=10", True),
    ("coordinator key, 30 days, page_size=100", "start_date={start30}&page_size=100", True),
    ("public, service_request_id (20 numbers)", "service_request_id={ids}", False),
]


# VACUUM ANALYZEd after the fill on PostgreSQL (bench.common.vacuum_postgres)
TABLES = ("reports", "report_deadlines", "report_events", "citizens")


def rows(count: int, now: datetime, rng: random.Random) -> Iterator[dict[str, Any]]:
    directory = load_directory_file(bundled_directory_path())
    categories = [(c.code, c.opd) for c in directory.categories]
    kelurahan = [k.name for k in directory.kelurahan]
    statuses, weights = zip(*STATUSES, strict=True)
    for n in range(1, count + 1):
        created = now - timedelta(seconds=rng.randint(60, 180 * 86400))
        code, opd = rng.choice(categories)
        yield {"id": n, "tracking_no": f"ADU-{created.year}-{n:06d}", "citizen_id": 1,
               "channel": "web", "chat_id": f"c{n}", "type": ReportType.PENGADUAN.value,
               "category": code, "opd": opd, "status": rng.choices(statuses, weights)[0].value,
               "title": "Laporan", "description": " ".join(rng.choices(WORDS, k=25)),
               "event_date": created.date(), "latitude": CENTRE[0] + rng.uniform(-0.1, 0.1),
               "longitude": CENTRE[1] + rng.uniform(-0.1, 0.1), "address": None,
               "kelurahan": rng.choice(kelurahan),
               "privacy": Privacy.PUBLIK.value if n % 3 == 0 else Privacy.RAHASIA.value,
               "created_at": created, "updated_at": created, "status_changed_at": created}


def fill(engine: Engine, count: int, now: datetime, rng: random.Random) -> None:
    """Reports with their timeline, open deadline and photos, in batches of 5,000."""
    upgrade_engine(engine)
    batches: dict[Any, list[dict[str, Any]]] = {}
    tables = [table_of(t) for t in (ReportRow, ReportEventRow, ReportDeadlineRow, AttachmentRow)]

    def flush(connection: Any) -> None:
        for table in tables:
            if batches.get(table):
                connection.execute(insert(table), batches.pop(table))

    with engine.begin() as connection:
        connection.execute(insert(table_of(CitizenRow)).values(
            id=1, language="id", display_name="bench", created_at=now))
        for report in rows(count, now, rng):
            at, status, report_id = report["created_at"], Status(report["status"]), report["id"]
            batches.setdefault(tables[0], []).append(report)
            events = batches.setdefault(tables[1], [])
            events.append({"report_id": report_id, "at": at, "actor_kind": "citizen",
                           "actor_id": 1, "kind": "created"})
            if status in (Status.DIPROSES, Status.SELESAI, Status.DITUTUP, Status.DITOLAK):
                kind = "rejected" if status is Status.DITOLAK else "answer"
                events.append({"report_id": report_id, "at": at + timedelta(days=2),
                               "actor_kind": "admin", "actor_id": 1, "kind": kind,
                               "note": "Sudah kami tindak lanjuti, terima kasih."})
            if status in STEP_OF:
                batches.setdefault(tables[2], []).append({
                    "report_id": report_id, "step": STEP_OF[status], "opd": report["opd"],
                    "starts_at": at, "due_at": at + timedelta(days=7), "stage": 0})
            if report_id % 10 == 0:
                batches.setdefault(tables[3], []).append({
                    "report_id": report_id, "storage_key": f"{report_id:064d}.jpg",
                    "content_type": "image/jpeg", "size": 1000, "created_at": at})
            if report_id % 5000 == 0:
                flush(connection)
        flush(connection)
        if engine.dialect.name == "postgresql":
            connection.execute(text("ANALYZE"))


def measure(base: str, query: str, key: str | None, repeats: int, pid: int) -> dict[str, Any]:
    client_ms, server_ms, items, size = [], [], 0, 0
    params = f"{query}&api_key={key}" if key else query
    with httpx.Client(base_url=base, timeout=60) as http:
        for n in range(repeats + 10):  # 10 warm-up requests
            if n == 10:
                cpu = process_cpu(pid)
            started = time.perf_counter()
            response = http.get(f"/open311/v2/requests.json?{params}")
            elapsed = (time.perf_counter() - started) * 1000
            response.raise_for_status()
            if n >= 10:
                client_ms.append(elapsed)
                dur = response.headers["server-timing"].split("dur=")[1]
                server_ms.append(float(dur))
            items, size = len(response.json()), len(response.content)
    cpu_ms = (process_cpu(pid) - cpu) * 1000 / repeats
    client_ms.sort()
    server_ms.sort()
    return {"items": items, "kib": size / 1024, "p50": percentile(client_ms, 50),
            "p95": percentile(client_ms, 95), "server p50": percentile(server_ms, 50),
            "server p95": percentile(server_ms, 95), "max": client_ms[-1], "cpu": cpu_ms}


PUBLIC_INDEX = ("CREATE INDEX ix_reports_public_created ON reports (created_at, id) "
                "WHERE privacy = 'publik'")


def run(database_url: str | None, count: int, repeats: int, port: int, seed: int,
        public_index: bool) -> None:
    rng, now = random.Random(seed), datetime.now(UTC)
    with throwaway_database(database_url) as (url, data_dir):
        engine = make_engine(url)
        started = time.perf_counter()
        fill(engine, count, now, rng)
        vacuum_postgres(url, TABLES)
        print(f"filled {count} reports in {time.perf_counter() - started:.1f} s "
              f"({engine.dialect.name}{', public index' if public_index else ''}); {machine()}")
        if public_index:
            with engine.begin() as conn:
                conn.execute(text(PUBLIC_INDEX))
                if engine.dialect.name == "postgresql":
                    conn.execute(text("ANALYZE reports"))
        _, key = SqlTokenStore(engine).create("bench", now)
        with engine.connect() as conn:
            sample = conn.execute(text("SELECT tracking_no FROM reports WHERE privacy = 'publik' "
                                       "ORDER BY id LIMIT 20")).scalars().all()
        engine.dispose()
        values = {"start30": (now - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "ids": ",".join(sample)}
        print("| request | items | KiB | p50 ms | **p95 ms** | server p50 | server p95 | max | "
              "server CPU/request |")
        print("|---|---|---|---|---|---|---|---|---|")
        # The key makes hundreds of requests a minute; the sweeper would plan the filled
        # reports' missing deadlines in the same process while the pages are timed.
        os.environ.update(API_REQUESTS_PER_MINUTE="1000000", SLA_SWEEPER="false")
        with server(url, data_dir, port, "WARNING") as pid:
            wait_idle(pid)  # its start-up work (the n-gram fit) over
            for name, query, keyed in SCENARIOS:
                got = measure(f"http://127.0.0.1:{port}", query.format(**values),
                              key if keyed else None, repeats, pid)
                print(f"| {name} | {got['items']} | {got['kib']:.0f} | {got['p50']:.1f} | "
                      f"**{got['p95']:.1f}** | {got['server p50']:.1f} | "
                      f"{got['server p95']:.1f} | {got['max']:.1f} | {got['cpu']:.1f} |",
                      flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="per scenario, after warm-up")
    parser.add_argument("--port", type=int, default=8311)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL server to make a throwaway schema in (default: SQLite)")
    parser.add_argument("--public-index", action="store_true",
                        help="add a partial index on public reports first (not in the schema)")
    args = parser.parse_args()
    run(args.database_url, args.reports, args.requests, args.port, args.seed, args.public_index)


if __name__ == "__main__":
    main()
