"""The webhook inbox: an update is stored (one INSERT, unique per platform id) and
acknowledged, then handled by a worker; handled rows are deleted. A row is owned like an
outbox row (`claimed_by` = the worker id, a short lease renewed by its heartbeat).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)  # storage.columns.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("external_id", sa.String(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("claimed_by", sa.String(), nullable=True),
        sa.Column("claimed_until", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox")),
    )
    op.create_index("ux_inbox_channel_external", "inbox", ["channel", "external_id"],
                    unique=True)
    op.create_index("ix_inbox_claimed_until", "inbox", ["claimed_until"])


def downgrade() -> None:
    op.drop_index("ix_inbox_claimed_until", table_name="inbox")
    op.drop_index("ux_inbox_channel_external", table_name="inbox")
    op.drop_table("inbox")
