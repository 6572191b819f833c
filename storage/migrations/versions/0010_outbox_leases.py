"""Outbox leases owned by a worker: `outbox.claimed_by` names the dispatcher (host, process id
and a start-up nonce) that holds a row in `sending`, so a restarted process takes back at once
what a dead one on its host had claimed, and heartbeats renew only the owner's leases.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column added in place (no batch copy of a busy table).
    op.add_column("outbox", sa.Column("claimed_by", sa.String(), nullable=True))
    op.create_index("ix_outbox_claimed_by", "outbox", ["claimed_by"])


def downgrade() -> None:
    op.drop_index("ix_outbox_claimed_by", table_name="outbox")
    op.drop_column("outbox", "claimed_by")
