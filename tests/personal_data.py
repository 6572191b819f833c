"""Finding a person in the database: every text column of every table, whatever the schema."""

from __future__ import annotations

from sqlalchemy import Engine, String, inspect, text


def holding(engine: Engine, *needles: str) -> list[str]:
    """`table.column: value` wherever a text value contains one of `needles` (any case)."""
    wanted = [n.casefold() for n in needles if n]
    found: list[str] = []
    with engine.connect() as connection:
        inspector = inspect(connection)
        for table in inspector.get_table_names():
            for column in inspector.get_columns(table):
                if not isinstance(column["type"], String):  # VARCHAR, TEXT, …
                    continue
                name = column["name"]
                for value in connection.execute(text(f'SELECT "{name}" FROM "{table}"')).scalars():
                    if value is not None and any(n in str(value).casefold() for n in wanted):
                        found.append(f"{table}.{name}: {str(value)[:120]}")
    return found


def text_columns(engine: Engine) -> set[str]:
    """Every `table.column` the scan reads, to show it covers the whole schema."""
    with engine.connect() as connection:
        inspector = inspect(connection)
        return {f"{table}.{column['name']}" for table in inspector.get_table_names()
                for column in inspector.get_columns(table)
                if isinstance(column["type"], String)}
