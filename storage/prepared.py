"""Hot-path statements compiled once per dialect and run on the driver's own cursor.

`Session.execute` spends about 20 µs of Python per statement before and after the driver
works (execution context, parameter processing, result metadata, events); raw `sqlite3` takes
8 µs for the same primary-key lookup. The webhook path runs ten or so statements per update,
which was a quarter of the server's CPU (issue 19 in bench/RESULTS.md). A `Prepared` statement
keeps what SQLAlchemy computes (SQL text, parameter order, type processors) and reuses it.

It runs inside the caller's transaction (a `Session`'s or a `Connection`'s), so commits,
rollbacks, SQLite's write gate and PostgreSQL's locks are exactly as before. Whatever the
shortcut cannot reproduce goes through `execute` unchanged: Python-side column defaults,
expanding `IN` lists. Cursor events still fire, so statement counters and timers see these
statements too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, CursorResult, Dialect
from sqlalchemy.exc import MultipleResultsFound, NoResultFound
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class _Form:
    """One statement compiled for one dialect and one set of parameter names."""

    sql: str
    positional: tuple[str, ...] | None  # bind names in order (qmark), or None: named
    fixed: Mapping[str, Any]  # values compiled into the statement (literals, LIMIT 1)
    binds: tuple[tuple[str, Processor | None], ...]  # every bind, with its type's processor
    keys: tuple[str, ...]  # result column names
    types: tuple[Any, ...]  # result column types (their processors need the driver's type codes)


_SLOW = None  # a form the shortcut cannot run: `Session.execute` does


class Rows:
    """The result of a prepared statement: rows as tuples with attribute access."""

    __slots__ = ("_rows", "rowcount")

    def __init__(self, rows: list[Any], rowcount: int) -> None:
        self._rows, self.rowcount = rows, rowcount

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)

    def all(self) -> list[Any]:
        return self._rows

    def one(self) -> Any:
        if len(self._rows) != 1:
            raise (NoResultFound if not self._rows else MultipleResultsFound)(
                f"expected one row, got {len(self._rows)}")
        return self._rows[0]

    def one_or_none(self) -> Any:
        if len(self._rows) > 1:
            raise MultipleResultsFound(f"expected at most one row, got {len(self._rows)}")
        return self._rows[0] if self._rows else None

    def first(self) -> Any:
        return self._rows[0] if self._rows else None

    def scalar_one(self) -> Any:
        return self.one()[0]

    def scalar_one_or_none(self) -> Any:
        row = self.one_or_none()
        return None if row is None else row[0]

    def scalars(self) -> list[Any]:
        return [row[0] for row in self._rows]


class _Row(tuple[Any, ...]):
    """A result row: a tuple whose columns are also attributes (`row.version`)."""

    __slots__ = ()
    _fields: dict[str, int] = {}

    def __getattr__(self, name: str) -> Any:
        try:
            return self[self._fields[name]]
        except KeyError:
            raise AttributeError(name) from None


def _row_class(keys: Sequence[str]) -> type[_Row]:
    return type("PreparedRow", (_Row,), {"__slots__": (), "_fields":
                                          {key: i for i, key in enumerate(keys)}})


class Prepared:
    """A statement built once; `run` executes it with values in the caller's transaction."""

    __slots__ = ("statement", "_forms", "_rows", "_results")

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._forms: dict[tuple[str, tuple[str, ...]], _Form | None] = {}
        self._rows: dict[tuple[str, ...], type[_Row]] = {}
        # Per form: each result column's processor (None: none needs one), once rows came back.
        self._results: dict[tuple[str, tuple[str, ...]], tuple[Processor | None, ...] | None] = {}

    def run(self, target: Session | Connection, params: Mapping[str, Any]) -> Rows:
        conn = target.connection() if isinstance(target, Session) else target
        dialect = conn.dialect
        key = (dialect.name, tuple(params))
        try:
            form = self._forms[key]
        except KeyError:
            form = self._forms[key] = _compile(self.statement, dialect, key[1])
        if form is _SLOW:
            return self._slow(conn, params)
        if not conn.in_transaction():
            conn.begin()  # what `Connection.execute` does first (its "autobegin")
        values = dict(form.fixed)
        values.update(params)
        args: Any = values
        try:
            for name, process in form.binds:
                if process is not None:
                    values[name] = process(values[name])
            if form.positional is not None:
                args = [values[n] for n in form.positional]
        except Exception as error:  # a bad value (a naive datetime…): a StatementError, as before
            conn._handle_dbapi_exception(error, form.sql, args, None, None)
            raise  # not reached: the handler raises
        fetched, description, rowcount = _on_cursor(conn, form.sql, args)
        if fetched and key not in self._results:
            self._results[key] = _result_processors(form, dialect, description)
        results = self._results.get(key) if fetched else None
        if results is not None:
            fetched = [tuple(raw if p is None else p(raw) for p, raw in zip(results, row,
                                                                            strict=True))
                       for row in fetched]
        make = self._row_type(form.keys)
        return Rows([make(row) for row in fetched], rowcount)

    def _slow(self, conn: Connection, params: Mapping[str, Any]) -> Rows:
        result = conn.execute(self.statement, dict(params))
        assert isinstance(result, CursorResult)
        if not result.returns_rows:
            return Rows([], result.rowcount)
        keys = tuple(result.keys())
        make = self._row_type(keys)
        return Rows([make(tuple(row)) for row in result], result.rowcount)

    def _row_type(self, keys: tuple[str, ...]) -> type[_Row]:
        try:
            return self._rows[keys]
        except KeyError:
            made = self._rows[keys] = _row_class(keys)
            return made


def execute_driver_sql(conn: Connection, sql: str) -> None:
    """A statement without values or rows (SQLite's BEGIN IMMEDIATE at every write), on the
    driver's cursor: `exec_driver_sql` cost 3 % of the server's CPU for it (issue 19)."""
    _on_cursor(conn, sql, ())


def _on_cursor(conn: Connection, sql: str, args: Any) -> tuple[Sequence[Any], Any, int]:
    """Run `sql` on a cursor of the connection's driver: (rows, cursor description, rowcount).
    Cursor events fire as `Connection.execute` fires them, and a driver error is wrapped by
    SQLAlchemy's own handler, so callers see `sqlalchemy.exc` errors as before."""
    dispatch = conn.dispatch
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if dispatch.before_cursor_execute:
            dispatch.before_cursor_execute(conn, cursor, sql, args, None, False)
        cursor.execute(sql, args)
        if dispatch.after_cursor_execute:
            dispatch.after_cursor_execute(conn, cursor, sql, args, None, False)
        description = cursor.description
        fetched = cursor.fetchall() if description is not None else []
        return fetched, description, cursor.rowcount
    except Exception as error:
        conn._handle_dbapi_exception(error, sql, args, cursor, None)
        raise  # not reached: the handler raises
    finally:
        cursor.close()


def _compile(statement: Executable, dialect: Dialect, names: tuple[str, ...]) -> _Form | None:
    compiled = statement.compile(dialect=dialect, column_keys=list(names))  # type: ignore[attr-defined]
    assert isinstance(compiled, SQLCompiler)
    if (compiled.insert_prefetch or compiled.update_prefetch or compiled.post_compile_params
            or compiled.literal_execute_params or compiled.escaped_bind_names
            or compiled.has_out_parameters):
        return _SLOW  # defaults computed in Python, expanding IN, …: SQLAlchemy's own path
    fixed: dict[str, Any] = {}
    for bind, name in compiled.bind_names.items():
        if name not in names:
            if bind.callable is not None or bind.required:
                return _SLOW
            fixed[name] = bind.value
    if not set(names) <= set(compiled.bind_names.values()):
        return _SLOW  # a value the statement does not take: SQLAlchemy says what is wrong
    processors: dict[str, Processor | None] = {}
    for name, process in compiled._bind_processors.items():
        if not callable(process):
            return _SLOW  # a tuple type's per-element processors
        processors[name] = process
    binds = tuple((name, processors.get(name)) for name in (*fixed, *names))
    keys = tuple(column.keyname for column in compiled._result_columns)
    types = tuple(column.type for column in compiled._result_columns)
    positional = tuple(compiled.positiontup or ()) if dialect.positional else None
    return _Form(sql=compiled.string, positional=positional, fixed=fixed, binds=binds,
                 keys=keys, types=types)


def _result_processors(form: _Form, dialect: Dialect,
                       description: Sequence[Any]) -> tuple[Processor | None, ...] | None:
    """What SQLAlchemy applies to each column of a row, given the driver's type codes."""
    found = tuple(kind._cached_result_processor(dialect, column[1])
                  for kind, column in zip(form.types, description, strict=True))
    return found if any(p is not None for p in found) else None
