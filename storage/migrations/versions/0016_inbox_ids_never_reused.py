"""Inbox ids are never handed out twice on SQLite (AUTOINCREMENT).

Since the transaction that handles an update also deletes its inbox row
(`storage.repositories.messages.SqlInboundLog.seen`, issue 19), the row can be gone while the
inbox worker still holds its id in memory (queued, or finishing). SQLite gives a new row the
largest id in use plus one, so with the table emptied a webhook arriving in that moment got
the same id, was taken for the one already held, and was never handled: a citizen's message
lost in the benchmark. AUTOINCREMENT never reuses an id; PostgreSQL's sequences never did.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _recreate(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table("inbox", recreate="always",
                              table_kwargs={"sqlite_autoincrement": autoincrement}):
        pass


def upgrade() -> None:
    _recreate(True)


def downgrade() -> None:
    _recreate(False)
