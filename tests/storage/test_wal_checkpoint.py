"""A serving process's SQLite commits leave the WAL alone; `WalCheckpointer` moves it into the
database file from its own thread (storage/wal_checkpoint.py). What is in the database file
alone is read with `immutable=1`, which ignores the WAL."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from sqlalchemy import Engine, text

from storage.engine import make_engine
from storage.wal_checkpoint import WalCheckpointer


def in_database_file(path: Path) -> int:
    """Rows of `t` in the main database file, not counting what is still in the WAL."""
    with sqlite3.connect(f"file:{path}?immutable=1", uri=True) as conn:
        try:
            return int(conn.execute("SELECT count(*) FROM t").fetchone()[0])
        except sqlite3.OperationalError:  # the table itself is still only in the WAL
            return 0


def autocheckpoint(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one())


def write(engine: Engine, rows: int, start: int = 0) -> None:
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT)"))
        conn.execute(text("INSERT INTO t (id, body) VALUES (:id, :body)"),
                     [{"id": start + i, "body": "x" * 2000} for i in range(rows)])


def test_commits_leave_the_wal_to_the_checkpointer(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    engine = make_engine(f"sqlite:///{path}", checkpoint_in_background=True)
    assert autocheckpoint(engine) == 0
    write(engine, 3000)  # ~1,500 pages: past the 1,000 at which a commit would checkpoint
    assert in_database_file(path) == 0
    checkpointer = WalCheckpointer(engine)
    busy, pages, moved = checkpointer.run_once()
    assert busy == 0 and pages > 1000 and moved == pages
    assert in_database_file(path) == 3000
    engine.dispose()


def test_the_thread_checkpoints_while_started_and_once_more_at_stop(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    engine = make_engine(f"sqlite:///{path}", checkpoint_in_background=True)
    checkpointer = WalCheckpointer(engine, interval=0.05)
    checkpointer.start()
    try:
        write(engine, 50)
        deadline = time.monotonic() + 10
        while in_database_file(path) < 50 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert in_database_file(path) == 50
    finally:
        checkpointer.stop()
    write(engine, 20, start=50)
    time.sleep(0.2)
    assert in_database_file(path) == 50  # stopped: nothing moves it
    checkpointer.start()
    checkpointer.stop()  # the last checkpoint at stop
    assert in_database_file(path) == 70
    engine.dispose()


def test_other_processes_keep_sqlites_own_checkpoints(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    assert autocheckpoint(engine) == 1000
    engine.dispose()


def test_nothing_to_do_without_a_wal_file() -> None:
    for url in ("sqlite:///:memory:", "postgresql+psycopg://nobody@127.0.0.1:1/none"):
        checkpointer = WalCheckpointer(make_engine(url))
        assert not checkpointer.enabled
        checkpointer.start()  # a no-op: no thread, no connection
        checkpointer.stop()
