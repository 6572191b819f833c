"""The dashboard's sign-ins: one-time login links (`/dasbor`) and browser sessions.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
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


def upgrade() -> None:
    op.create_table(
        "dashboard_links",
        _col("id", INT), _col("admin_id", INT), _col("secret_hash", STR),
        _col("created_at", TS), _col("expires_at", TS), _col("used_at", TS, True),
        _fk("dashboard_links", "admin_id", "admins"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_links")),
        sa.UniqueConstraint("secret_hash", name="uq_dashboard_links_secret_hash"),
    )
    op.create_table(
        "dashboard_sessions",
        _col("id", INT), _col("secret_hash", STR), _col("admin_id", INT, True),
        _col("token_id", INT, True), _col("created_at", TS), _col("last_seen_at", TS),
        _col("ended_at", TS, True),
        _fk("dashboard_sessions", "admin_id", "admins"),
        _fk("dashboard_sessions", "token_id", "api_tokens"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_sessions")),
        sa.UniqueConstraint("secret_hash", name="uq_dashboard_sessions_secret_hash"),
    )
    op.create_index("ix_dashboard_sessions_last_seen_at", "dashboard_sessions",
                    ["last_seen_at"])


def downgrade() -> None:
    op.drop_table("dashboard_sessions")  # and its index
    op.drop_table("dashboard_links")
