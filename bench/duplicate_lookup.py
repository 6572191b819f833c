"""Category matching + duplicate lookup per submitted report, with many open reports stored.

    python -m bench.duplicate_lookup --reports 100000 --lookups 1000 [--database-url URL]

Fills a fresh database with `--reports` open reports (30 days, every category, pins over a
22 km square, a third public), then times what a submit adds: what the CATEGORY step offers
for a typed text (`core.matching.propose`, synonyms and examples), and `DuplicateFinder.find`
in its own unit of work (SQL narrowing + scoring). Half the drafts carry a pin, half only a
kelurahan and a text.
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

from sqlalchemy import insert, text

from bench.common import percentile
from core.city import CityContext, IntakeConfig
from core.directory.loader import bundled_directory_path, load_directory_file
from core.intake.context import Context
from core.matching.categories import propose
from core.matching.duplicate_finder import DuplicateFinder
from core.messages import Location
from core.ports import Citizen
from core.reports.model import Draft, Privacy, ReportType, Status
from storage.columns import table_of
from storage.engine import make_engine
from storage.migrate import upgrade_engine
from storage.tables import CitizenRow, ReportRow
from storage.uow import SqlUnitOfWork

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
CENTRE = (-0.9100, 100.3600)
SPREAD = 0.1  # degrees: about 11 km each way
WORDS = ("jalan", "berlubang", "sampah", "menumpuk", "lampu", "mati", "got", "mampet", "banjir",
         "depan", "sekolah", "pasar", "masjid", "gang", "rumah", "warga", "sudah", "minggu",
         "bau", "parah", "motor", "jatuh", "anak", "bahaya", "tolong", "segera", "diperbaiki")
TYPED = ("jalan rusak berlubang", "sampah numpuk", "lampu jalan mati", "got mampet banjir",
         "pohon tumbang", "pkl di trotoar", "parkir liar", "ktp belum jadi", "air pdam mati")


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20)))


def fill(engine_url: str, reports: int, city: CityContext, rng: random.Random) -> None:
    engine = make_engine(engine_url)
    upgrade_engine(engine)
    categories = [c.code for c in city.directory.categories]
    kelurahan = [k.name for k in city.directory.kelurahan]
    opens = [Status.BARU.value, Status.DIDISPOSISIKAN.value, Status.DIPROSES.value]
    with engine.begin() as connection:
        connection.execute(insert(table_of(CitizenRow)).values(
            id=1, language="id", display_name="bench", created_at=NOW))
        batch: list[dict[str, object]] = []
        for n in range(1, reports + 1):
            created = NOW - timedelta(seconds=rng.randint(0, 30 * 86400))
            batch.append({
                "tracking_no": f"ADU-2026-{n:06d}", "citizen_id": 1, "channel": "web",
                "chat_id": f"c{n}", "type": ReportType.PENGADUAN.value,
                "category": rng.choice(categories), "opd": None, "status": rng.choice(opens),
                "title": "Laporan", "description": sentence(rng), "event_date": created.date(),
                "latitude": CENTRE[0] + rng.uniform(-SPREAD, SPREAD),
                "longitude": CENTRE[1] + rng.uniform(-SPREAD, SPREAD),
                "address": None, "kelurahan": rng.choice(kelurahan),
                "privacy": Privacy.PUBLIK.value if n % 3 == 0 else Privacy.RAHASIA.value,
                "created_at": created, "updated_at": created, "status_changed_at": created,
            })
            if len(batch) == 5000:
                connection.execute(insert(table_of(ReportRow)), batch)
                batch = []
        if batch:
            connection.execute(insert(table_of(ReportRow)), batch)
        if engine.dialect.name == "postgresql":
            connection.execute(text("ANALYZE reports"))
    engine.dispose()


def run(url: str, reports: int, lookups: int, seed: int) -> None:
    rng = random.Random(seed)
    city = CityContext.build(load_directory_file(bundled_directory_path()), IntakeConfig(),
                             ZoneInfo("Asia/Jakarta"))
    started = time.perf_counter()
    fill(url, reports, city, rng)
    print(f"filled {reports} reports in {time.perf_counter() - started:.1f} s")
    engine = make_engine(url)
    finder, citizen = DuplicateFinder(), Citizen(2, "id", None)
    categories = [c.code for c in city.directory.categories]
    kelurahan = [k.name for k in city.directory.kelurahan]
    match_ms, lookup_ms, found = [], [], 0
    for n in range(lookups + 20):
        typed = rng.choice(TYPED)
        draft = Draft(category=rng.choice(categories), description=sentence(rng))
        if n % 2:
            draft.location = Location(CENTRE[0] + rng.uniform(-SPREAD, SPREAD),
                                      CENTRE[1] + rng.uniform(-SPREAD, SPREAD))
        else:
            draft.kelurahan = rng.choice(kelurahan)
        t0 = time.perf_counter()
        propose(city.matcher, typed)
        t1 = time.perf_counter()
        with SqlUnitOfWork(engine) as uow:
            hits = finder.find(uow, citizen, draft, Context(city, NOW))
        t2 = time.perf_counter()
        if n >= 20:  # warm-up
            match_ms.append((t1 - t0) * 1000)
            lookup_ms.append((t2 - t1) * 1000)
            found += bool(hits)
    engine.dispose()
    total = sorted(a + b for a, b in zip(match_ms, lookup_ms, strict=True))
    print(f"python {platform.python_version()}, {engine.dialect.name}, {reports} open reports, "
          f"{lookups} lookups, {found} with duplicates offered")
    for name, values in (("category match", sorted(match_ms)),
                         ("duplicate lookup", sorted(lookup_ms)), ("total", total)):
        print(f"{name:17} p50 {percentile(values, 50):6.2f} ms  p95 {percentile(values, 95):6.2f}"
              f" ms  p99 {percentile(values, 99):6.2f} ms  max {values[-1]:6.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default=None,
                        help="an EMPTY database (default: a fresh SQLite file)")
    args = parser.parse_args()
    if args.database_url:
        run(args.database_url, args.reports, args.lookups, args.seed)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{Path(tmp) / 'bench.db'}", args.reports, args.lookups, args.seed)


if __name__ == "__main__":
    main()
