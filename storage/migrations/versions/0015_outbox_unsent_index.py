"""A partial index over the outbox's unsent rows, by chat: the dispatcher's "no older unsent
row in this chat" check (`storage.outbox_store._is_head_of_chat`) visited every message the
chat was ever sent, each a table lookup for its status, on every claim. The outbox keeps sent
rows, so that cost grew with every conversation; this index holds only the few rows still
pending or being sent. bench/RESULTS.md ("Issue 19: the claim's look at older rows").

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_outbox_unsent"
UNSENT = "status = 'pending' OR status = 'sending'"


def upgrade() -> None:
    op.create_index(NAME, "outbox", ["channel", "chat_id", "id"],
                    postgresql_where=sa.text(UNSENT), sqlite_where=sa.text(UNSENT))


def downgrade() -> None:
    op.drop_index(NAME, table_name="outbox")
