"""Admin work: status age, merged duplicates and ratings on reports; report followers.

Revision ID: 0002
Revises: 0001
Create Date: 2026-01-15
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types, so this file never changes when the models do.
STR = sa.String()
TEXT = sa.Text()
INT = sa.Integer()
TS = sa.DateTime(timezone=True)  # storage.columns.UtcDateTime

# The columns reports had at 0001, in order; a SQLite rebuild copies exactly these.
REPORT_COLUMNS_0001 = (
    "id", "tracking_no", "citizen_id", "channel", "chat_id", "type", "category", "opd",
    "status", "title", "description", "event_date", "latitude", "longitude", "address",
    "kelurahan", "privacy", "lapor_id", "created_at", "updated_at",
)
REPORT_INDEXES = {
    "ix_reports_citizen_created": ["citizen_id", "created_at"],
    "ix_reports_status": ["status"],
    "ix_reports_category_created": ["category", "created_at"],
    "ix_reports_opd_status": ["opd", "status"],
}


def _col(name: str, type_: sa.types.TypeEngine[object], nullable: bool = False,
         **kw: object) -> sa.Column[object]:
    return sa.Column(name, type_, nullable=nullable, **kw)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if _is_sqlite():
        _rebuild_reports_on_sqlite(with_work_columns=True)
    else:
        op.add_column("reports", _col("duplicate_of_id", INT, True))
        op.add_column("reports", _col("rating", INT, True))
        op.add_column("reports", _col("status_changed_at", TS, True))
        op.execute("UPDATE reports SET status_changed_at = updated_at")
        op.alter_column("reports", "status_changed_at", nullable=False)
        op.create_foreign_key(op.f("fk_reports_duplicate_of_id_reports"), "reports", "reports",
                              ["duplicate_of_id"], ["id"])
    op.create_table(
        "report_followers",
        _col("id", INT), _col("report_id", INT), _col("citizen_id", INT),
        _col("channel", STR), _col("chat_id", STR), _col("created_at", TS),
        _fk("report_followers", "report_id", "reports"),
        _fk("report_followers", "citizen_id", "citizens"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_followers")),
        sa.UniqueConstraint("report_id", "citizen_id",
                            name="uq_report_followers_report_id_citizen_id"),
    )
    op.create_index("ix_report_followers_citizen", "report_followers", ["citizen_id"])
    op.create_index("ix_outbox_platform_message", "outbox",
                    ["channel", "chat_id", "platform_message_id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_platform_message", table_name="outbox")
    op.drop_table("report_followers")
    if _is_sqlite():
        _rebuild_reports_on_sqlite(with_work_columns=False)
        return
    op.drop_constraint(op.f("fk_reports_duplicate_of_id_reports"), "reports", type_="foreignkey")
    for column in ("status_changed_at", "rating", "duplicate_of_id"):
        op.drop_column("reports", column)


def _rebuild_reports_on_sqlite(with_work_columns: bool) -> None:
    # SQLite cannot add a NOT NULL column or a foreign key in place, and Alembic's batch copy
    # (fill a new table, drop the old one, rename) fails on the DROP once attachments refer
    # to reports: foreign_keys=ON cannot be switched off inside the migration's transaction.
    # So the checks are deferred to COMMIT, and "reports" itself is refilled (a renamed copy
    # would not count as the parent again); a row left without its parent still fails COMMIT.
    op.execute("PRAGMA defer_foreign_keys=ON")
    columns = ", ".join(REPORT_COLUMNS_0001)
    op.execute(f"CREATE TEMP TABLE _reports_copy AS SELECT {columns} FROM reports")
    op.drop_table("reports")  # and its indexes
    _create_reports(with_work_columns)
    if with_work_columns:
        op.execute(f"INSERT INTO reports ({columns}, status_changed_at) "
                   f"SELECT {columns}, updated_at FROM _reports_copy")
    else:
        op.execute(f"INSERT INTO reports ({columns}) SELECT {columns} FROM _reports_copy")
    op.execute("DROP TABLE _reports_copy")
    for name, index_columns in REPORT_INDEXES.items():
        op.create_index(name, "reports", index_columns)


def _create_reports(with_work_columns: bool) -> None:
    work: list[sa.Column[object] | sa.ForeignKeyConstraint] = []
    if with_work_columns:
        work = [
            _col("duplicate_of_id", INT, True), _col("rating", INT, True),
            _col("status_changed_at", TS), _fk("reports", "duplicate_of_id", "reports"),
        ]
    op.create_table(
        "reports",
        _col("id", INT), _col("tracking_no", STR), _col("citizen_id", INT),
        _col("channel", STR), _col("chat_id", STR), _col("type", STR), _col("category", STR),
        _col("opd", STR, True), _col("status", STR), _col("title", STR),
        _col("description", TEXT), _col("event_date", sa.Date()),
        _col("latitude", sa.Float(), True), _col("longitude", sa.Float(), True),
        _col("address", STR, True), _col("kelurahan", STR, True), _col("privacy", STR),
        _col("lapor_id", STR, True), _col("created_at", TS), _col("updated_at", TS),
        *work,
        _fk("reports", "citizen_id", "citizens"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sa.UniqueConstraint("tracking_no", name="uq_reports_tracking_no"),
    )
