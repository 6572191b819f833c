"""A sweeper in its own process, for the multi-process test (tests/service/test_sla_processes.py).

    python -m tests.service.sweep_worker DATABASE_URL NOW_ISO ROUNDS START_FILE [--no-lock]

Waits for START_FILE to exist (so every worker starts together), then sweeps ROUNDS times as
if it were NOW_ISO. `--no-lock` disables the sweeper lock, leaving only SKIP LOCKED claims
and the unique nudge records between the workers. Prints what it sent as one JSON line.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from pathlib import Path

from bot.bootstrap import CityHolder, intake_config
from bot.settings import Settings
from core.sla.sweep import SlaSweeper
from storage.directory_store import SqlDirectoryStore
from storage.engine import make_engine
from storage.repositories.deadlines import SqlDeadlineRepository
from storage.uow import SqlUnitOfWorkFactory


def main(argv: list[str]) -> int:
    url, now_text, rounds, start_file = argv[:4]
    if "--no-lock" in argv:
        SqlDeadlineRepository.try_lock_sweep = lambda self: True  # type: ignore[method-assign]
    settings = Settings(database_url=url, _env_file=None)  # type: ignore[call-arg]
    engine = make_engine(url)
    city = CityHolder(SqlDirectoryStore(engine), intake_config(settings), settings)
    sweeper = SlaSweeper(SqlUnitOfWorkFactory(engine), city)
    city()
    deadline = time.monotonic() + 30
    while not Path(start_file).exists():
        if time.monotonic() > deadline:
            return 3
        time.sleep(0.005)
    now = datetime.fromisoformat(now_text)
    sent: dict[str, int] = {}
    locked_out = 0
    for _ in range(int(rounds)):
        result = sweeper.sweep(now)
        locked_out += result.locked_out
        for rung, count in result.sent.items():
            sent[rung.value] = sent.get(rung.value, 0) + count
    engine.dispose()
    print(json.dumps({"sent": sent, "locked_out": locked_out}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
