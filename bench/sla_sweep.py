"""One SLA sweep over a large database: finding the due deadlines, then handling them.

    python -m bench.sla_sweep --reports 1000000 --open 100000 --due 1000 [--database-url URL]

Fills a fresh database with `--reports` reports of which `--open` are open (baru /
didisposisikan / diproses) with their active deadline rows (the step's and the Ombudsman
date's); every report also has one closed deadline row of an earlier step, so the table holds
`reports + 2 * open` rows. `--due` of the open reports have a rung due now. One coordinator
and one officer per OPD are enrolled. Then it times, each in its own transaction:
- find: the sweeper's claim of the first batch (`claim_due`: next_at <= now, SKIP LOCKED on
  PostgreSQL) — what "finds the due ones" costs;
- find all: claiming every due row in one query without handling them (rolled back);
- sweep: `SlaSweeper.sweep` handling every due row (nudges to the outbox, the nudge records,
  timeline events) and, at 08:00 on a working day, the daily digest.
"""

from __future__ import annotations

import argparse
import platform
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, insert, select, text

from core.city import CityContext, IntakeConfig
from core.directory.loader import bundled_directory_path, load_directory_file
from core.messages import Channel
from core.reports.actors import invite_code_hash
from core.reports.model import Privacy, ReportType, Status
from core.sla.policy import Step
from core.sla.sweep import BATCH, SlaSweeper
from storage.admin_store import SqlAdminStore
from storage.columns import table_of
from storage.engine import make_engine
from storage.migrate import upgrade_engine
from storage.tables import CitizenRow, ReportDeadlineRow, ReportRow
from storage.uow import SqlUnitOfWork, SqlUnitOfWorkFactory

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # Tuesday 08:00 WIB: digest time
CHUNK = 5000
OPEN = (Status.BARU, Status.DIDISPOSISIKAN, Status.DIPROSES)
STEP_OF = {Status.BARU: Step.VERIFIKASI, Status.DIDISPOSISIKAN: Step.JAWABAN,
           Status.DIPROSES: Step.SELESAI}


def fill(url: str, reports: int, open_count: int, due: int, city: CityContext,
         rng: random.Random) -> None:
    engine = make_engine(url)
    upgrade_engine(engine)
    categories = city.directory.categories
    due_ids = set(rng.sample(range(1, open_count + 1), due))
    with engine.begin() as connection:
        connection.execute(insert(table_of(CitizenRow)).values(
            id=1, language="id", display_name="bench", created_at=NOW))
        report_rows: list[dict[str, object]] = []
        deadline_rows: list[dict[str, object]] = []
        for n in range(1, reports + 1):
            category = rng.choice(categories)
            is_open = n <= open_count
            status = rng.choice(OPEN) if is_open else Status.DITUTUP
            created = NOW - timedelta(seconds=rng.randint(0, (50 if is_open else 700) * 86400))
            opd = None if status is Status.BARU else category.opd
            report_rows.append({
                "id": n, "tracking_no": f"ADU-2026-{n:07d}", "citizen_id": 1, "channel": "web",
                "chat_id": f"c{n}", "type": ReportType.PENGADUAN.value, "category": category.code,
                "opd": opd, "status": status.value, "title": "Laporan", "description": "x" * 40,
                "event_date": created.date(), "latitude": None, "longitude": None,
                "address": None, "kelurahan": None, "privacy": Privacy.RAHASIA.value,
                "created_at": created, "updated_at": created, "status_changed_at": created,
            })
            # One earlier step, closed (history every report has).
            deadline_rows.append(_row(n, Step.VERIFIKASI, None, created, created + timedelta(days=3),
                                      None, None, closed=created + timedelta(days=1)))
            if is_open:
                step = STEP_OF[status]
                if n in due_ids:
                    due_at = NOW - timedelta(hours=rng.randint(1, 48))
                else:
                    due_at = NOW + timedelta(days=rng.randint(2, 60))
                remind = due_at - timedelta(hours=17)
                deadline_rows.append(_row(n, step, opd, created, due_at, remind, remind))
                ombudsman = created + timedelta(days=60)
                deadline_rows.append(_row(n, Step.OMBUDSMAN, None, created, ombudsman, None,
                                          ombudsman))
            if len(report_rows) >= CHUNK:
                _flush(connection, report_rows, deadline_rows)
        _flush(connection, report_rows, deadline_rows)
        if engine.dialect.name == "postgresql":
            for table in ("reports", "citizens"):  # rows were inserted with explicit ids
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"))
            connection.execute(text("ANALYZE reports"))
            connection.execute(text("ANALYZE report_deadlines"))
    store = SqlAdminStore(engine)
    invites = [("diskominfo", "coordinator")] + [(o.slug, "officer") for o in city.directory.opds]
    for index, (opd, role) in enumerate(invites):
        code, _ = store.create_invite(opd, role, NOW)
        with SqlUnitOfWork(engine) as uow:
            invite = uow.admins.find_invite(invite_code_hash(code))
            assert invite is not None
            uow.citizens.get_or_create(Channel.WEB, f"admin{index}", None, "Admin", "id", NOW)
            uow.admins.enrol(invite, Channel.WEB, f"admin{index}", f"Admin {index}", NOW)
            uow.commit()
    engine.dispose()


def _row(report_id: int, step: Step, opd: str | None, starts: datetime, due: datetime,
         remind: datetime | None, next_at: datetime | None,
         closed: datetime | None = None) -> dict[str, object]:
    return {"report_id": report_id, "step": step.value, "opd": opd, "starts_at": starts,
            "due_at": due, "remind_at": remind, "next_at": None if closed else next_at,
            "stage": 0, "snoozed_until": None, "closed_at": closed,
            "closed_status": Status.DIDISPOSISIKAN.value if closed else None}


def _flush(connection: Connection, reports: list[dict[str, object]],
           deadlines: list[dict[str, object]]) -> None:
    if reports:
        connection.execute(insert(table_of(ReportRow)), reports)
    if deadlines:
        connection.execute(insert(table_of(ReportDeadlineRow)), deadlines)
    reports.clear()
    deadlines.clear()


def run(url: str, reports: int, open_count: int, due: int, seed: int) -> None:
    rng = random.Random(seed)
    city = CityContext.build(load_directory_file(bundled_directory_path()), IntakeConfig(), WIB)
    started = time.perf_counter()
    fill(url, reports, open_count, due, city, rng)
    print(f"filled {reports} reports ({open_count} open, {due} due) in "
          f"{time.perf_counter() - started:.1f} s")
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(select(func.count()).select_from(
            table_of(ReportDeadlineRow))).scalar_one()
    finds = []
    for _ in range(5):
        with SqlUnitOfWork(engine) as uow:
            t0 = time.perf_counter()
            uow.deadlines.try_lock_sweep()
            first = uow.deadlines.claim_due(NOW, BATCH)
            finds.append((time.perf_counter() - t0) * 1000)
    with SqlUnitOfWork(engine) as uow:  # every due row in one claim (rolled back)
        t0 = time.perf_counter()
        everything = uow.deadlines.claim_due(NOW, reports)
        find_all_ms = (time.perf_counter() - t0) * 1000
    sweeper = SlaSweeper(SqlUnitOfWorkFactory(engine), lambda: city)
    t0 = time.perf_counter()
    result = sweeper.sweep(NOW)
    sweep_s = time.perf_counter() - t0
    with engine.connect() as connection:
        outbox = connection.execute(text("SELECT count(*) FROM outbox")).scalar_one()
    engine.dispose()
    finds.sort()
    print(f"python {platform.python_version()}, {engine.dialect.name}, {reports} reports, "
          f"{open_count} open, {rows} deadline rows, {due} due")
    print(f"find (claim first batch of {BATCH}, {len(first)} rows): median {finds[2]:.1f} ms, "
          f"max {finds[-1]:.1f} ms; all {len(everything)} due rows in one claim: "
          f"{find_all_ms:.1f} ms")
    sent = ", ".join(f"{k.value} {v}" for k, v in result.sent.items())
    print(f"sweep: {result.claimed} due rows handled in {sweep_s:.2f} s "
          f"({result.claimed / sweep_s:.0f} rows/s); sent {sent}; {result.digests} digests; "
          f"{outbox} outbox messages")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default=None,
                        help="an EMPTY database (default: a fresh SQLite file)")
    args = parser.parse_args()
    if args.database_url:
        run(args.database_url, args.reports, args.open, args.due, args.seed)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{Path(tmp) / 'bench.db'}", args.reports, args.open, args.due, args.seed)


if __name__ == "__main__":
    main()
