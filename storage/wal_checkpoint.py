"""SQLite's WAL checkpoints in a thread of their own, not inside a writer's commit.

By default SQLite copies the WAL back into the database file, and syncs it, in the commit that
finds more than 1,000 pages in the WAL, and that commit waits 10–20 ms for the disk. On SQLite
the hot path's transactions run in the event loop's thread (bot/db_calls.py), so every such
commit held up every request and webhook acknowledgement with it. The web chat at one citizen
measured a server-time p99 of 19–20 ms, against 8–9 ms without (bench/RESULTS.md).

A serving process therefore turns the automatic checkpoint off on its connections
(`make_engine(..., checkpoint_in_background=True)`). It runs a PASSIVE checkpoint from this
thread every second instead. A PASSIVE checkpoint never blocks a writer or a reader, and the
thread waits for the disk without holding the GIL.

Any other process (the CLI, migrations) keeps SQLite's automatic checkpoints. On PostgreSQL
and in-memory SQLite this does nothing.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 1.0


def checkpointed_here(engine: Engine) -> bool:
    """Whether `engine` is a file-backed SQLite database, the only kind with a WAL to move."""
    database = engine.url.database or ""
    return (engine.dialect.name == "sqlite" and database not in ("", ":memory:")
            and "mode=memory" not in str(engine.url))


class WalCheckpointer:
    """Moves the WAL into the database file every `interval` seconds while started."""

    def __init__(self, engine: Engine, interval: float = INTERVAL_SECONDS) -> None:
        self._engine, self._interval = engine, interval
        self.enabled = checkpointed_here(engine)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if not self.enabled or self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread, then checkpoint once more: the next process finds a short WAL."""
        if self._thread is None:
            return
        self._stopping.set()
        self._thread.join(timeout=10)
        self._thread = None
        try:
            self.run_once()
        except Exception as exc:  # shutting down: SQLite checkpoints at the last close anyway
            log.warning("last WAL checkpoint failed (%s)", type(exc).__name__)

    def run_once(self) -> tuple[int, int, int]:
        """One PASSIVE checkpoint: (busy, pages in the WAL, pages moved), as SQLite reports.

        It runs on a pooled driver connection in autocommit, outside SQLAlchemy's transaction
        (whose BEGIN IMMEDIATE would take the write lock)."""
        connection = self._engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
                busy, pages, moved = tuple(cursor.fetchone() or (0, -1, -1))
            finally:
                cursor.close()
        finally:
            connection.close()
        return int(busy), int(pages), int(moved)

    def _run(self) -> None:
        while not self._stopping.wait(self._interval):
            try:
                self.run_once()
            except Exception:  # the next second tries again; the WAL only grows meanwhile
                log.warning("WAL checkpoint failed", exc_info=True)
