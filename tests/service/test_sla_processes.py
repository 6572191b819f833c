"""Two sweeper processes on one PostgreSQL: every nudge goes out exactly once."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.bootstrap import build_container, seed_directory
from bot.settings import Settings
from tests.conftest import _empty_all_tables
from tests.fakes import FakeClock
from tests.service.work_helpers import enrol, file_report

REPO = Path(__file__).resolve().parents[2]
LATER = datetime(2026, 12, 10, 3, 0, tzinfo=UTC)  # Thursday 10:00 WIB: everything overdue
REPORTS, VERIFIED = 24, 12


@pytest.mark.parametrize("lock", ["advisory-lock", "no-lock"])
def test_two_sweeper_processes_send_every_nudge_once(pg_url: str, tmp_path: Path,
                                                     lock: str) -> None:
    _empty_all_tables(pg_url)
    settings = Settings(database_url=pg_url, data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    clock = FakeClock()
    container = build_container(settings, clock=clock)
    seed_directory(settings, container.directories, clock)
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    enrol(container, "budi", "pupr"), enrol(container, "ani", "pupr", name="Ani")
    numbers = [file_report(container, f"warga{i}")[1] for i in range(REPORTS)]
    for number in numbers[:VERIFIED]:
        coordinator.say(f"/verifikasi {number}")
    container.engine.dispose()

    start = tmp_path / "go"
    command = [sys.executable, "-m", "tests.service.sweep_worker", pg_url, LATER.isoformat(),
               "4", str(start)] + (["--no-lock"] if lock == "no-lock" else [])
    workers = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for _ in range(2)]
    start.touch()
    outputs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], [err[-2000:] for _, err in outputs]
    results = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]

    # Unverified: the coordinator hears of each overdue verification; verified: the coordinator
    # and both pupr officers hear of each overdue first answer. Each (chat, report) once.
    with container.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT chat_id, payload FROM outbox WHERE payload LIKE :p"), {"p": "%Lewat tenggat%"}
        ).all()
    per_chat_report = Counter(
        (chat, next(n for n in numbers if n in payload)) for chat, payload in rows)
    assert set(per_chat_report.values()) == {1}, per_chat_report.most_common(3)
    expected = REPORTS + 2 * VERIFIED  # coordinator: all; each officer: the verified ones
    assert len(rows) == expected
    total_sent = sum(r["sent"].get("overdue", 0) for r in results)
    assert total_sent == REPORTS  # one overdue rung per report, whichever worker sent it
    container.engine.dispose()
