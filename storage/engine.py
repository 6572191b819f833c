"""Engine construction for SQLite (the default) and PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

from storage.prepared import execute_driver_sql

_PG_DRIVERS = {"postgres", "postgresql", "postgresql+psycopg"}
READ_ONLY = "aduan_read_only"  # execution option: a transaction that never writes
# Execution option: a short write someone is waiting on (the webhook's inbox INSERT, which
# holds up the acknowledgement): on SQLite it takes the write gate before queued writers.
URGENT = "aduan_urgent"
BUSY_TIMEOUT_SECONDS = 5.0


def normalize_url(url: str) -> URL:
    """Parse `url`; `postgres://` and `postgresql://` mean psycopg 3, the only PG driver we ship."""
    parsed = make_url(url)
    if parsed.drivername in _PG_DRIVERS:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str, checkpoint_in_background: bool = False) -> Engine:
    """An engine tuned for this service's short write transactions. `checkpoint_in_background`:
    SQLite's commits leave the WAL to a `storage.wal_checkpoint.WalCheckpointer`, which the
    caller runs (a serving process)."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed)
        if checkpoint_in_background:
            event.listen(engine, "connect", _no_automatic_checkpoint)
        return engine
    return create_engine(parsed, pool_pre_ping=True)


def urgent(engine: Engine) -> Engine:
    """The same engine for short writes that go ahead of queued ones (SQLite; no-op elsewhere)."""
    return engine.execution_options(**{URGENT: True})


def read_only(engine: Engine) -> Engine:
    """The same engine for transactions that only read: on SQLite they skip the write lock."""
    return engine.execution_options(**{READ_ONLY: True})


def _is_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:") or "mode=memory" in str(url.query)


def _sqlite_engine(url: URL) -> Engine:
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if _is_memory(url):
        # One shared connection, or each checkout would see its own empty database.
        kwargs["poolclass"] = StaticPool
    elif url.database and not url.database.startswith("file:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)
    gate = _WriteGate()
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", gate.begin)
    event.listen(engine, "commit", gate.end)
    event.listen(engine, "rollback", gate.end)
    # Whatever way a connection leaves its transaction, the gate must open again.
    event.listen(engine.pool, "reset", gate.on_reset)
    for pool_event in ("checkin", "invalidate", "close"):
        event.listen(engine.pool, pool_event, gate.on_pool_event)
    return engine


def _no_automatic_checkpoint(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA wal_autocheckpoint=0")
    finally:
        cursor.close()


def _on_sqlite_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Take BEGIN away from the sqlite3 module, which would only begin lazily at the first
    # write; `_on_sqlite_begin` issues BEGIN IMMEDIATE instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable enough under WAL, much faster
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


class _WriteGate:
    """Queues this process's SQLite writers on a lock before BEGIN IMMEDIATE.

    SQLite's own busy handler polls with sleeps of up to 100 ms, so writers waiting on each
    other saw 0.5–1 s tails under load (bench/RESULTS.md); a lock hands over at once. Other
    processes are still serialised by SQLite itself (busy_timeout). Read-only transactions
    (`read_only(engine)`) use a deferred BEGIN: under WAL they never wait for the writer.
    `urgent(engine)` writers are let in before the others that wait.
    """

    HELD = "aduan_write_gate_held"

    def __init__(self) -> None:
        self._turn = threading.Condition()
        self._held = False
        self._urgent = 0  # urgent writers waiting

    def begin(self, connection: Connection) -> None:
        options = connection.get_execution_options()
        if options.get(READ_ONLY):
            execute_driver_sql(connection, "BEGIN")
            return
        # Bounded: should the gate ever be stuck, fall back to SQLite's busy timeout.
        if self._acquire(bool(options.get(URGENT))):
            connection.info[self.HELD] = True
        try:
            # IMMEDIATE takes the write lock up front: a deferred transaction that reads then
            # writes fails with "database is locked" when another writer got in between.
            execute_driver_sql(connection, "BEGIN IMMEDIATE")
        except BaseException:
            self._release(connection.info)
            raise

    def end(self, connection: Connection) -> None:
        self._release(connection.info)

    def on_pool_event(self, _dbapi_connection: Any, record: Any, *_: Any) -> None:
        self._release(record.info)

    def on_reset(self, dbapi_connection: Any, connection_record: Any, reset_state: Any) -> None:
        self._release(connection_record.info)

    def _acquire(self, urgent: bool) -> bool:
        with self._turn:
            if not urgent:
                got = self._turn.wait_for(lambda: not self._held and not self._urgent,
                                          BUSY_TIMEOUT_SECONDS)
            else:
                self._urgent += 1
                try:
                    got = self._turn.wait_for(lambda: not self._held, BUSY_TIMEOUT_SECONDS)
                finally:
                    self._urgent -= 1
            if got:
                self._held = True
            return got

    def _release(self, info: dict[Any, Any]) -> None:
        if info.pop(self.HELD, False):
            with self._turn:
                self._held = False
                # With an urgent writer waiting every waiter must look (it may not be first).
                if self._urgent:
                    self._turn.notify_all()
                else:
                    self._turn.notify()
