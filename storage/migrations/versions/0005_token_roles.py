"""API tokens carry a role and an OPD, as enrolled admins do (officer tokens see one OPD).

Tokens made before this were coordinator tokens (they could do everything): they stay so.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("role", sa.String(), nullable=False,
                                   server_default="coordinator"))
        batch.add_column(sa.Column("opd_slug", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("opd_slug")
        batch.drop_column("role")
