"""Personal data (UU 27/2022): the privacy notice and erasure marks on citizens; the audit log.

`citizens.notice_at` records when a citizen was told what is kept (citizens from before this
are told once, on their next message); `erased_at`/`erasure` mark a citizen row whose identity
was removed (on request or by retention) and that remains only as the reporter of its reports.
`audit_log` records operator actions from the CLI and reads of reporters' identities.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types, so this file never changes when the models do.
STR = sa.String()
TS = sa.DateTime(timezone=True)  # storage.columns.UtcDateTime
COLUMNS: tuple[tuple[str, sa.types.TypeEngine[object]], ...] = (
    ("notice_at", TS), ("erased_at", TS), ("erasure", STR))


def upgrade() -> None:
    # Plain ALTER TABLE on both databases (SQLite adds and, since 3.35, drops a nullable column
    # in place): a batch copy of "citizens" would fail, every chat and report refers to it.
    for name, type_ in COLUMNS:
        op.add_column("citizens", sa.Column(name, type_, nullable=True))
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor_kind", STR, nullable=False),
        sa.Column("actor", STR, nullable=False),
        sa.Column("action", STR, nullable=False),
        sa.Column("subject", STR, nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_table("audit_log")
    for name, _ in reversed(COLUMNS):
        op.drop_column("citizens", name)
