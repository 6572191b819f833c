"""Initial schema: citizens, conversations, reports, directory, admins, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types, so this file never changes when the models do.
STR = sa.String()
TEXT = sa.Text()
INT = sa.Integer()
TS = sa.DateTime(timezone=True)  # storage.columns.UtcDateTime


def _col(name: str, type_: sa.types.TypeEngine[object], nullable: bool = False,
         **kw: object) -> sa.Column[object]:
    return sa.Column(name, type_, nullable=nullable, **kw)


def _pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*columns, name=op.f(f"pk_{table}"))


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "citizens",
        _col("id", INT), _col("language", STR), _col("display_name", STR, True),
        _col("created_at", TS),
        _pk("citizens", "id"),
    )
    op.create_table(
        "channel_identities",
        _col("id", INT), _col("citizen_id", INT), _col("channel", STR), _col("chat_id", STR),
        _col("user_id", STR, True), _col("display_name", STR, True),
        _col("last_inbound_at", TS, True), _col("unreachable_at", TS, True),
        _col("created_at", TS),
        _fk("channel_identities", "citizen_id", "citizens"),
        _pk("channel_identities", "id"),
        sa.UniqueConstraint("channel", "chat_id", name="uq_channel_identities_chat"),
    )
    op.create_index("ix_channel_identities_citizen", "channel_identities", ["citizen_id"])
    op.create_table(
        "conversations",
        _col("id", INT), _col("channel", STR), _col("chat_id", STR), _col("citizen_id", INT),
        _col("state", TEXT), _col("version", INT), _col("updated_at", TS),
        _fk("conversations", "citizen_id", "citizens"),
        _pk("conversations", "id"),
        sa.UniqueConstraint("channel", "chat_id", name="uq_conversations_chat"),
    )
    op.create_table(
        "reports",
        _col("id", INT), _col("tracking_no", STR), _col("citizen_id", INT),
        _col("channel", STR), _col("chat_id", STR), _col("type", STR), _col("category", STR),
        _col("opd", STR, True), _col("status", STR), _col("title", STR),
        _col("description", TEXT), _col("event_date", sa.Date()),
        _col("latitude", sa.Float(), True), _col("longitude", sa.Float(), True),
        _col("address", STR, True), _col("kelurahan", STR, True), _col("privacy", STR),
        _col("lapor_id", STR, True), _col("created_at", TS), _col("updated_at", TS),
        _fk("reports", "citizen_id", "citizens"),
        _pk("reports", "id"),
        sa.UniqueConstraint("tracking_no", name="uq_reports_tracking_no"),
    )
    op.create_index("ix_reports_citizen_created", "reports", ["citizen_id", "created_at"])
    op.create_index("ix_reports_status", "reports", ["status"])
    op.create_index("ix_reports_category_created", "reports", ["category", "created_at"])
    op.create_index("ix_reports_opd_status", "reports", ["opd", "status"])
    op.create_table(
        "attachments",
        _col("id", INT), _col("report_id", INT), _col("storage_key", STR),
        _col("content_type", STR), _col("size", INT), _col("filename", STR, True),
        _col("created_at", TS),
        _fk("attachments", "report_id", "reports"),
        _pk("attachments", "id"),
    )
    op.create_index("ix_attachments_report", "attachments", ["report_id"])
    op.create_table(
        "report_events",
        _col("id", INT), _col("report_id", INT), _col("at", TS), _col("actor_kind", STR),
        _col("actor_id", INT, True), _col("kind", STR), _col("status_from", STR, True),
        _col("status_to", STR, True), _col("note", TEXT, True),
        _fk("report_events", "report_id", "reports"),
        _pk("report_events", "id"),
    )
    op.create_index("ix_report_events_report_at", "report_events", ["report_id", "at"])
    op.create_table(
        "tracking_counters",
        _col("year", INT, autoincrement=False), _col("last_value", INT),
        _pk("tracking_counters", "year"),
    )
    _directory_tables()
    _admin_tables()
    _delivery_tables()


def _directory_tables() -> None:
    op.create_table(
        "opds",
        _col("slug", STR), _col("name", STR), _col("aliases", TEXT), _col("updated_at", TS),
        _pk("opds", "slug"),
    )
    op.create_table(
        "categories",
        _col("code", STR), _col("name_id", STR), _col("name_en", STR), _col("opd_slug", STR),
        _col("sla_tier", STR), _col("synonyms", TEXT),
        _col("location_required", sa.Boolean()), _col("auto_dispose", sa.Boolean()),
        _col("updated_at", TS),
        _pk("categories", "code"),
    )
    op.create_table(
        "directory_versions",
        _col("id", INT), _col("source", STR), _col("content", TEXT), _col("imported_at", TS),
        _pk("directory_versions", "id"),
    )


def _admin_tables() -> None:
    op.create_table(
        "admins",
        _col("id", INT), _col("name", STR), _col("opd_slug", STR), _col("role", STR),
        _col("channel", STR, True), _col("chat_id", STR, True), _col("created_at", TS),
        _col("revoked_at", TS, True),
        _pk("admins", "id"),
    )
    op.create_index("ix_admins_chat", "admins", ["channel", "chat_id"])
    op.create_index("ix_admins_opd", "admins", ["opd_slug"])
    op.create_table(
        "invites",
        _col("id", INT), _col("code_hash", STR), _col("opd_slug", STR), _col("role", STR),
        _col("created_at", TS), _col("expires_at", TS), _col("used_at", TS, True),
        _col("used_by_admin_id", INT, True),
        _fk("invites", "used_by_admin_id", "admins"),
        _pk("invites", "id"),
        sa.UniqueConstraint("code_hash", name="uq_invites_code_hash"),
    )
    op.create_table(
        "api_tokens",
        _col("id", INT), _col("name", STR), _col("token_hash", STR), _col("created_at", TS),
        _col("revoked_at", TS, True), _col("last_used_at", TS, True),
        _pk("api_tokens", "id"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
    )


def _delivery_tables() -> None:
    op.create_table(
        "outbox",
        _col("id", INT), _col("channel", STR), _col("chat_id", STR), _col("payload", TEXT),
        _col("meta", TEXT), _col("status", STR), _col("attempts", INT),
        _col("next_attempt_at", TS), _col("claimed_until", TS, True),
        _col("platform_message_id", STR, True), _col("last_error", TEXT, True),
        _col("created_at", TS), _col("sent_at", TS, True),
        _pk("outbox", "id"),
    )
    op.create_index("ix_outbox_status_due", "outbox", ["status", "next_attempt_at"])
    op.create_index("ix_outbox_chat", "outbox", ["channel", "chat_id", "id"])
    op.create_table(
        "inbound_ids",
        _col("channel", STR), _col("external_id", STR), _col("received_at", TS),
        _pk("inbound_ids", "channel", "external_id"),
    )
    op.create_index("ix_inbound_ids_received_at", "inbound_ids", ["received_at"])
    op.create_table(
        "app_settings",
        _col("key", STR), _col("value", TEXT),
        _pk("app_settings", "key"),
    )


def downgrade() -> None:
    # Children before parents; dropping a table drops its indexes.
    for table in (
        "app_settings", "inbound_ids", "outbox", "api_tokens", "invites", "admins",
        "directory_versions", "categories", "opds", "tracking_counters", "report_events",
        "attachments", "reports", "conversations", "channel_identities", "citizens",
    ):
        op.drop_table(table)
