"""Shared benchmark pieces: the citizen's script, latency statistics, a throwaway database."""

from __future__ import annotations

import contextlib
import math
import platform
import tempfile
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from storage.engine import normalize_url

CENTRE = (-0.8795, 100.3465)  # Air Tawar Utara in the bundled sample city


@dataclass(frozen=True, slots=True)
class Turn:
    """One message a citizen sends: `kind` names the form step, `payload` is /chat/send's field."""

    kind: str
    payload: dict[str, Any]


def citizen_script(n: int) -> list[Turn]:
    """The ~8-step form, answered by citizen number `n` (descriptions and pins vary per citizen)."""
    lat, lon = CENTRE[0] + (n % 50) * 0.0004, CENTRE[1] + (n % 37) * 0.0004
    description = (f"Sampah menumpuk di depan rumah nomor {n} sudah {n % 9 + 2} hari "
                   f"tidak diangkut, baunya sampai ke gang {n % 13 + 1}.")
    return [
        Turn("menu", {"option": "menu:lapor"}),
        Turn("type", {"option": "type:pengaduan"}),
        Turn("category_text", {"text": "sampah numpuk"}),
        Turn("category_yes", {"text": "ya"}),
        Turn("description", {"text": description}),
        Turn("date", {"option": "date:today"}),
        Turn("location", {"location": {"latitude": lat, "longitude": lon}}),
        Turn("photos", {"option": "photos:done"}),
        Turn("privacy", {"option": "privacy:rahasia"}),
        Turn("confirm", {"option": "summary:confirm"}),
    ]


STEP_KINDS = ("session", *(turn.kind for turn in citizen_script(0)))


def percentile(ordered: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted sequence (q in 0..100)."""
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class Samples:
    """Latencies in milliseconds, grouped by step kind, for one or more metrics."""

    by_kind: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def add(self, kind: str, ms: float) -> None:
        self.by_kind[kind].append(ms)

    def all(self) -> list[float]:
        return [v for values in self.by_kind.values() for v in values]

    def stats(self, kind: str | None = None) -> tuple[int, float, float, float, float]:
        """(count, p50, p95, p99, max) for one kind, or over every kind when `kind` is None."""
        ordered = sorted(self.all() if kind is None else self.by_kind.get(kind, []))
        if not ordered:
            return 0, math.nan, math.nan, math.nan, math.nan
        return (len(ordered), percentile(ordered, 50), percentile(ordered, 95),
                percentile(ordered, 99), ordered[-1])


def latency_table(metrics: dict[str, Samples]) -> str:
    """Markdown: one row per step kind (plus "all"), p50/p95/p99/max for each named metric."""
    header = ["step", "n"]
    for name in metrics:
        header += [f"{name} p50", f"{name} p95", f"{name} p99", f"{name} max"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    first = next(iter(metrics.values()))
    kinds = [k for k in STEP_KINDS if k in first.by_kind] + ["**all**"]
    for kind in kinds:
        key = None if kind == "**all**" else kind
        cells = [kind, str(first.stats(key)[0])]
        for samples in metrics.values():
            _, p50, p95, p99, top = samples.stats(key)
            cells += [f"{p50:.2f}", f"{p95:.2f}", f"{p99:.2f}", f"{top:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    import os

    return f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}"


def is_postgres(url: str | None) -> bool:
    return url is not None and normalize_url(url).get_backend_name() == "postgresql"


@contextlib.contextmanager
def throwaway_database(database_url: str | None) -> Iterator[tuple[str, Path]]:
    """Yield (DATABASE_URL, DATA_DIR): a fresh temp dir, and with a PostgreSQL URL a fresh schema
    that is dropped afterwards. Otherwise the database is a new SQLite file in the temp dir."""
    with tempfile.TemporaryDirectory(prefix="aduan-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        if not is_postgres(database_url):
            yield f"sqlite:///{data_dir / 'aduan.db'}", data_dir
            return
        assert database_url is not None
        base = normalize_url(database_url)
        schema = f"aduan_bench_{uuid.uuid4().hex[:12]}"
        admin = create_engine(base, connect_args={"connect_timeout": 3})
        try:
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            url = base.update_query_dict({"options": f"-csearch_path={schema}"})
            yield url.render_as_string(hide_password=False), data_dir
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()


def vacuum_postgres(url: str, tables: Sequence[str]) -> None:
    """`VACUUM ANALYZE` the freshly filled tables, as autovacuum would have done on a running
    server: without it PostgreSQL's visibility map is empty and every index-only scan reads the
    table too (bench/RESULTS.md, "Dashboard pages"). A no-op on SQLite."""
    if not is_postgres(url):
        return
    engine = create_engine(normalize_url(url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for table in tables:
                conn.execute(text(f"VACUUM ANALYZE {table}"))
    finally:
        engine.dispose()


def wait_idle(pid: int, quiet_share: float = 0.05, window: float = 0.5,
              timeout: float = 60.0) -> None:
    """Wait until process `pid` and its children use under `quiet_share` of a core over
    `window` seconds: a server's one-time start-up work (the category n-gram fit it starts in
    a child process a second after its lifespan, bot/app.py) is over, so what is timed next
    is the steady state."""
    import contextlib
    import os
    import time
    from pathlib import Path

    tick = os.sysconf("SC_CLK_TCK")

    def cpu() -> float:
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if stat.parent.name == str(pid) or int(fields[1]) == pid:
                    # utime + stime, and the reaped children's (a fit that just ended)
                    total += sum(int(f) for f in fields[11:15])
        return total / tick

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = cpu()
        time.sleep(window)
        if cpu() - before < quiet_share * window:
            return
    raise RuntimeError(f"process {pid} still busy after {timeout:.0f} s")


def process_cpu(pid: int) -> float:
    """CPU seconds process `pid` has used (all its threads, user + system), in clock ticks of
    10 ms: over many requests a mean per request that a busy host does not inflate."""
    import os

    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def fit_now(container: Any) -> None:
    """Fit the category n-gram model in this thread (a server fits it in a child process a
    second after start-up): in-process benches then time the steady state, not that fit."""
    container.city().matcher.ngrams.prepare()
