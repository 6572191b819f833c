"""An index on reports' (privacy, created_at, id): Open311's public listing (`publik` reports,
newest first) reads the page's ids from it alone instead of visiting every report of the
period to check its privacy.

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_reports_privacy_created", "reports", ["privacy", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_reports_privacy_created", table_name="reports")
