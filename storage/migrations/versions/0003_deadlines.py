"""Stored deadlines with their nudge ladder; the record of nudges and digests sent.

Revision ID: 0003
Revises: 0002
Create Date: 2026-02-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types, so this file never changes when the models do.
STR = sa.String()
INT = sa.Integer()
TS = sa.DateTime(timezone=True)  # storage.columns.UtcDateTime


def _col(name: str, type_: sa.types.TypeEngine[object], nullable: bool = False,
         **kw: object) -> sa.Column[object]:
    return sa.Column(name, type_, nullable=nullable, **kw)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _partial_index(name: str, columns: list[str], predicate: str, unique: bool = False) -> None:
    op.create_index(name, "report_deadlines", columns, unique=unique,
                    postgresql_where=sa.text(predicate), sqlite_where=sa.text(predicate))


def upgrade() -> None:
    op.create_table(
        "report_deadlines",
        _col("id", INT), _col("report_id", INT), _col("step", STR), _col("opd", STR, True),
        _col("starts_at", TS), _col("due_at", TS), _col("remind_at", TS, True),
        _col("next_at", TS, True), _col("stage", INT), _col("snoozed_until", TS, True),
        _col("closed_at", TS, True), _col("closed_status", STR, True),
        _fk("report_deadlines", "report_id", "reports"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_deadlines")),
    )
    _partial_index("ix_report_deadlines_next_at", ["next_at"], "next_at IS NOT NULL")
    _partial_index("ix_report_deadlines_open_report_step", ["report_id", "step"],
                   "closed_at IS NULL", unique=True)
    _partial_index("ix_report_deadlines_open_opd_due", ["opd", "due_at"], "closed_at IS NULL")
    _partial_index("ix_report_deadlines_open_due", ["due_at", "step"],
                   "closed_at IS NULL AND step <> 'ombudsman'")
    op.create_index("ix_report_deadlines_step_starts", "report_deadlines", ["step", "starts_at"])
    op.create_index("ix_report_deadlines_step_closed", "report_deadlines", ["step", "closed_at"])
    op.create_table(
        "sla_nudges",
        _col("id", INT), _col("deadline_id", INT), _col("rung", STR), _col("sent_at", TS),
        _fk("sla_nudges", "deadline_id", "report_deadlines"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_nudges")),
        sa.UniqueConstraint("deadline_id", "rung", name="uq_sla_nudges_deadline_id_rung"),
    )
    op.create_table(
        "sla_digests",
        _col("id", INT), _col("kind", STR), _col("period", STR), _col("target", STR),
        _col("sent_at", TS),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_digests")),
        sa.UniqueConstraint("kind", "period", "target", name="uq_sla_digests_kind_period_target"),
    )


def downgrade() -> None:
    op.drop_table("sla_digests")
    op.drop_table("sla_nudges")
    op.drop_table("report_deadlines")  # and its indexes
