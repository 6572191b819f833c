"""The SLA figures as read fast (covering indexes, medians counted in Python) equal the
straightforward SQL they replaced (`tests/storage/sla_stats_reference.py`, the statements as
they were before migration 0014) on random deadline histories, on both backends."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, insert

from core.reports.model import Status
from core.sla.policy import Step
from storage.columns import table_of
from storage.read.sla_stats import median, sla_stats
from storage.tables import ReportDeadlineRow
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import NOW, make_citizen, new_report
from tests.storage.sla_stats_reference import sla_stats as reference

DAY = timedelta(days=1)
OPDS = ("dpupr", "dinkes", "dinsos", "dishub", None)
CLOSED_AS = (Status.DIDISPOSISIKAN, Status.DIPROSES, Status.SELESAI, Status.BARU,
             Status.DITOLAK, None)


def _moment(rng: random.Random, few: list[datetime]) -> datetime:
    """Mostly a random instant within 40 days of NOW; often one already used (ties)."""
    if few and rng.random() < 0.3:
        return rng.choice(few)
    at = NOW - timedelta(seconds=rng.randint(-10 * 86400, 30 * 86400))
    few.append(at)
    return at


def _deadline(report_id: int, rng: random.Random, used: list[datetime]) -> dict[str, Any]:
    step = rng.choice((Step.VERIFIKASI, Step.JAWABAN, Step.JAWABAN, Step.SELESAI,
                       Step.KONFIRMASI, Step.OMBUDSMAN))
    starts = _moment(rng, used)
    closed = None if rng.random() < 0.3 else max(starts, _moment(rng, used))
    return {"report_id": report_id, "step": step.value,
            "opd": None if step is Step.VERIFIKASI else rng.choice(OPDS),
            "starts_at": starts, "due_at": starts + rng.choice((0, 1, 3, 7)) * DAY
            + timedelta(hours=rng.randint(0, 23)), "stage": 0, "closed_at": closed,
            "closed_status": None if closed is None else
            (s.value if (s := rng.choice(CLOSED_AS)) else None)}


def _fill(engine: Engine, seed: int) -> None:
    rng = random.Random(seed)
    citizen = make_citizen(engine)
    used: list[datetime] = []
    rows: list[dict[str, Any]] = []
    with SqlUnitOfWork(engine) as uow:
        for n in range(80):
            report = replace(new_report(citizen, NOW - n * DAY / 3),
                             opd=rng.choice(OPDS))
            report_id = uow.reports.add_with_id(report)[0]
            open_steps: set[str] = set()
            for _ in range(rng.randint(0, 6)):
                row = _deadline(report_id, rng, used)
                if row["closed_at"] is None and row["step"] in open_steps:
                    row["closed_at"] = row["starts_at"]  # one open row per step at most
                elif row["closed_at"] is None:
                    open_steps.add(row["step"])
                rows.append(row)
        uow.commit()
    with engine.begin() as conn:
        conn.execute(insert(table_of(ReportDeadlineRow)), rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sla_stats_equal_the_straightforward_sql_on_random_histories(
        engine: Engine, seed: int) -> None:
    _fill(engine, seed)
    periods = [(NOW - 30 * DAY, NOW + 10 * DAY), (NOW - 7 * DAY, NOW), (NOW, NOW + DAY),
               (NOW - 3 * DAY, NOW - 2 * DAY), (NOW + 20 * DAY, NOW + 30 * DAY)]
    with engine.connect() as conn:
        wide = sla_stats(conn, *periods[0], NOW).city
        assert wide.verified and wide.answered and wide.overdue_now  # the data exercise them
        for start, end in periods:
            for now in (start, end, NOW):
                assert sla_stats(conn, start, end, now) == reference(conn, start, end, now), (
                    start, end, now)


def test_median_of_odd_and_even_counts() -> None:
    assert median([]) is None
    assert median([5.0]) == 5.0
    assert median([9.0, 1.0, 5.0]) == 5.0
    assert median([4.0, 1.0, 10.0, 6.0]) == 5.0
