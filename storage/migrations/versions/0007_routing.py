"""Reports carry what routing found: the out-of-authority topic (PLN, BPJS, …) a report is
about, why its category was proposed (JSON), and when a coordinator confirmed its category
(the report's text is then an example for matching). Reports verified before this get the time
of their `verified` timeline event.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE (SQLite 3.35+ adds and drops columns in place): a batch rebuild of
    # "reports" would trip the foreign keys that point at it.
    op.add_column("reports", sa.Column("out_of_authority", sa.String(), nullable=True))
    op.add_column("reports", sa.Column("category_reason", sa.Text(), nullable=True))
    op.add_column("reports", sa.Column("category_verified_at", sa.DateTime(timezone=True),
                                       nullable=True))
    op.execute(
        "UPDATE reports SET category_verified_at = (SELECT MIN(e.at) FROM report_events e "
        "WHERE e.report_id = reports.id AND e.kind = 'verified')"
    )
    op.create_index("ix_reports_category_verified", "reports", ["category_verified_at"],
                    postgresql_where=sa.text("category_verified_at IS NOT NULL"),
                    sqlite_where=sa.text("category_verified_at IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ix_reports_category_verified", table_name="reports")
    for column in ("category_verified_at", "category_reason", "out_of_authority"):
        op.drop_column("reports", column)
