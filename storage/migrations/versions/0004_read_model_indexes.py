"""Indexes for the coordinator's read models (lists, detail, SLA statistics).

The reports' (status) and (opd, status) indexes grow into (status, created_at, id) and
(opd, status, created_at, id): their prefixes still serve what the old ones did.

Revision ID: 0004
Revises: 0003
Create Date: 2026-03-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# name: (table, columns, partial-index predicate or None)
NEW_INDEXES: dict[str, tuple[str, list[str], str | None]] = {
    "ix_reports_created": ("reports", ["created_at", "id"], None),
    "ix_reports_status_created": ("reports", ["status", "created_at", "id"], None),
    "ix_reports_opd_status_created": ("reports", ["opd", "status", "created_at", "id"], None),
    "ix_reports_duplicate_of": ("reports", ["duplicate_of_id"], "duplicate_of_id IS NOT NULL"),
    "ix_report_deadlines_report_step_starts": (
        "report_deadlines", ["report_id", "step", "starts_at"], None),
}
# The 0001 indexes the new ones replace.
OLD_INDEXES: dict[str, tuple[str, list[str]]] = {
    "ix_reports_status": ("reports", ["status"]),
    "ix_reports_opd_status": ("reports", ["opd", "status"]),
}


def _create(name: str, table: str, columns: list[str], predicate: str | None) -> None:
    where = {} if predicate is None else {
        "postgresql_where": sa.text(predicate), "sqlite_where": sa.text(predicate)}
    op.create_index(name, table, columns, **where)


def upgrade() -> None:
    for name, (table, columns, predicate) in NEW_INDEXES.items():
        _create(name, table, columns, predicate)
    for name, (table, _columns) in OLD_INDEXES.items():
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, (table, columns) in OLD_INDEXES.items():
        _create(name, table, columns, None)
    for name, (table, _columns, _predicate) in NEW_INDEXES.items():
        op.drop_index(name, table_name=table)
