"""The metadata every table shares, with its naming convention, and index helpers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel import SQLModel

metadata = SQLModel.metadata
# Named constraints keep later migrations (and SQLite batch rebuilds) deterministic. The
# convention names a constraint when its table is defined, so this module is imported
# before any table module (storage/tables/__init__.py does it first).
metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Both dialects take the same partial-index predicates; SQLAlchemy wants one keyword per dialect.
def partial_where(predicate: str) -> dict[str, Any]:
    return {"postgresql_where": text(predicate), "sqlite_where": text(predicate)}
