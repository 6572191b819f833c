"""Covering indexes for the SLA figures (`storage.read.sla_stats`, the weekly summary): each
kind of counted deadline row is read from an index alone, without visiting the table.

- (step, starts_at) grows the OPD: received per OPD;
- (step, closed_at) grows what a closed row is counted by (status, OPD, due time, start,
  report): answered and verified, on time or not, hours to the first answer;
- (report_id, step, starts_at) grows id and OPD: the OPD a verification went to is the
  first answer deadline from its close on, in (starts_at, id) order;
- the open (opd, due_at) index grows the step: overdue now per OPD.

Their prefixes still serve what the old ones did. bench/RESULTS.md ("Dashboard pages").

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "report_deadlines"
OPEN = "closed_at IS NULL"
# name: (columns before, columns after, partial-index predicate or None)
CHANGED: dict[str, tuple[list[str], list[str], str | None]] = {
    "ix_report_deadlines_step_starts": (["step", "starts_at"], ["step", "starts_at", "opd"],
                                        None),
    "ix_report_deadlines_step_closed": (
        ["step", "closed_at"],
        ["step", "closed_at", "closed_status", "opd", "due_at", "starts_at", "report_id"], None),
    "ix_report_deadlines_report_step_starts": (
        ["report_id", "step", "starts_at"], ["report_id", "step", "starts_at", "id", "opd"],
        None),
    "ix_report_deadlines_open_opd_due": (["opd", "due_at"], ["opd", "due_at", "step"], OPEN),
}


def _replace(name: str, columns: list[str], predicate: str | None) -> None:
    where = {} if predicate is None else {
        "postgresql_where": sa.text(predicate), "sqlite_where": sa.text(predicate)}
    op.drop_index(name, table_name=TABLE)
    op.create_index(name, TABLE, columns, **where)


def upgrade() -> None:
    for name, (_before, after, predicate) in CHANGED.items():
        _replace(name, after, predicate)


def downgrade() -> None:
    for name, (before, _after, predicate) in CHANGED.items():
        _replace(name, before, predicate)
