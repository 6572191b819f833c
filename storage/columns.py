"""Column types and small SQL helpers shared by the tables and repositories."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, Table, literal_column, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel


def to_utc(value: datetime) -> datetime:
    """Aware UTC; a naive value is taken to be UTC already (that is how SQLite returns them)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _aware_utc(value: datetime) -> datetime:
    """The value in UTC; a naive value is a bug upstream (DESIGN: aware UTC everywhere), so it
    fails loudly instead of being guessed."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value if value.tzinfo is UTC else value.astimezone(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """`timestamptz` on PostgreSQL; on SQLite a UTC string. Always aware UTC in Python."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = _aware_utc(value)
        # SQLite's DATETIME formats the wall-clock fields and drops tzinfo, so store UTC wall time.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else to_utc(value)

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        """On SQLite, the stored text in one step: the UTC wall time exactly as SQLite's
        DATETIME writes it ("YYYY-MM-DD HH:MM:SS.ffffff"). The two steps it replaces, this
        type's conversion and then DATETIME's formatting, were 4 % of the server's time
        (issue 19); tests/storage/test_utc_datetime.py holds the two equal."""
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)

        def process(value: datetime | None) -> str | None:
            if value is None:
                return None
            return _aware_utc(value).isoformat(" ", "microseconds")[:-6]  # without "+00:00"
        return process


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a SQLModel class (SQLModel does not type `__table__`)."""
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


def dialect_of(session: Session) -> str:
    """The session's database ("sqlite", "postgresql"), to pick a statement built for it.

    The hot path's statements are built once (per dialect where ON CONFLICT differs) and get
    their values at execution: building and cache-keying a statement costs SQLAlchemy about
    50 µs a time, three times what executing it costs (issue 19 in bench/RESULTS.md)."""
    return session.get_bind().dialect.name


def insert_for(session: Session, model: type[SQLModel]) -> postgresql.Insert | sqlite.Insert:
    """A dialect-specific INSERT, so callers can use ON CONFLICT on both backends."""
    return insert_for_dialect(dialect_of(session), table_of(model))


def insert_for_dialect(dialect: str, table: Table) -> postgresql.Insert | sqlite.Insert:
    if dialect == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def one_of_literals(column: Any, values: Iterable[str]) -> Any:
    """`column` equal to one of `values`, written as SQL literals: no bound IN list to expand
    at each execution (so `storage.prepared` can run it), and a condition a planner can match
    to a partial index's literal WHERE."""
    return or_(*(column == literal_column(f"'{value}'") for value in values))


def dumps(data: Any) -> str:
    """JSON for the text columns; keeps Indonesian text readable in the database."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
