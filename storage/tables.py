"""SQLModel tables. Timestamps are aware UTC (`UtcDateTime`); JSON lives in text columns."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.columns import UtcDateTime

metadata = SQLModel.metadata
# Named constraints keep later migrations (and SQLite batch rebuilds) deterministic.
metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class CitizenRow(SQLModel, table=True):
    """A person who reports, across all their channel identities."""

    __tablename__ = "citizens"

    id: int | None = Field(default=None, primary_key=True)
    language: str
    display_name: str | None = None
    created_at: datetime = Field(sa_type=UtcDateTime)


class ChannelIdentityRow(SQLModel, table=True):
    """One chat on one channel, belonging to a citizen."""

    __tablename__ = "channel_identities"
    __table_args__ = (
        UniqueConstraint("channel", "chat_id", name="uq_channel_identities_chat"),
        Index("ix_channel_identities_citizen", "citizen_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizens.id")
    channel: str
    chat_id: str
    user_id: str | None = None
    display_name: str | None = None
    last_inbound_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    unreachable_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_at: datetime = Field(sa_type=UtcDateTime)


class ConversationRow(SQLModel, table=True):
    """The persisted intake conversation of one chat."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("channel", "chat_id", name="uq_conversations_chat"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str
    chat_id: str
    citizen_id: int = Field(foreign_key="citizens.id")
    state: str = Field(sa_type=Text)
    version: int = 0
    updated_at: datetime = Field(sa_type=UtcDateTime)


class ReportRow(SQLModel, table=True):
    """A report with LAPOR's field set."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("tracking_no", name="uq_reports_tracking_no"),
        Index("ix_reports_citizen_created", "citizen_id", "created_at"),
        Index("ix_reports_status", "status"),
        Index("ix_reports_category_created", "category", "created_at"),
        Index("ix_reports_opd_status", "opd", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    tracking_no: str
    citizen_id: int = Field(foreign_key="citizens.id")
    channel: str
    chat_id: str
    type: str
    category: str
    opd: str | None = None
    status: str
    title: str
    description: str = Field(sa_type=Text)
    event_date: date
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None
    kelurahan: str | None = None
    privacy: str
    lapor_id: str | None = None  # SP4N-LAPOR!'s own tracking id, once re-entered there
    duplicate_of_id: int | None = Field(default=None, foreign_key="reports.id")  # merged into
    rating: int | None = None  # the citizen's rating of the final answer
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)
    status_changed_at: datetime = Field(sa_type=UtcDateTime)  # the work queue's waiting time


class AttachmentRow(SQLModel, table=True):
    """A photo stored under DATA_DIR, attached to a report."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_report", "report_id"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id")
    storage_key: str
    content_type: str
    size: int
    filename: str | None = None
    created_at: datetime = Field(sa_type=UtcDateTime)


class ReportEventRow(SQLModel, table=True):
    """One entry of a report's timeline: who did what, when."""

    __tablename__ = "report_events"
    __table_args__ = (Index("ix_report_events_report_at", "report_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id")
    at: datetime = Field(sa_type=UtcDateTime)
    actor_kind: str  # citizen | admin | system
    actor_id: int | None = None
    kind: str
    status_from: str | None = None
    status_to: str | None = None
    note: str | None = Field(default=None, sa_type=Text)


class ReportFollowerRow(SQLModel, table=True):
    """A citizen who follows someone else's report and receives its updates."""

    __tablename__ = "report_followers"
    __table_args__ = (
        UniqueConstraint("report_id", "citizen_id",
                         name="uq_report_followers_report_id_citizen_id"),
        Index("ix_report_followers_citizen", "citizen_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id")
    citizen_id: int = Field(foreign_key="citizens.id")
    channel: str
    chat_id: str
    created_at: datetime = Field(sa_type=UtcDateTime)


class TrackingCounterRow(SQLModel, table=True):
    """The last tracking sequence handed out in a year."""

    __tablename__ = "tracking_counters"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last_value: int = 0


class OpdRow(SQLModel, table=True):
    """An agency (OPD) as of the latest directory import."""

    __tablename__ = "opds"

    slug: str = Field(primary_key=True)
    name: str
    aliases: str = Field(default="[]", sa_type=Text)  # JSON list
    updated_at: datetime = Field(sa_type=UtcDateTime)


class CategoryRow(SQLModel, table=True):
    """A report category as of the latest directory import."""

    __tablename__ = "categories"

    code: str = Field(primary_key=True)
    name_id: str
    name_en: str
    opd_slug: str
    sla_tier: str
    synonyms: str = Field(default="[]", sa_type=Text)  # JSON list
    location_required: bool = True
    auto_dispose: bool = False
    updated_at: datetime = Field(sa_type=UtcDateTime)


class DirectoryVersionRow(SQLModel, table=True):
    """One imported directory file, kept verbatim so any version can be reloaded."""

    __tablename__ = "directory_versions"

    id: int | None = Field(default=None, primary_key=True)
    source: str
    content: str = Field(sa_type=Text)
    imported_at: datetime = Field(sa_type=UtcDateTime)


class AdminRow(SQLModel, table=True):
    """An OPD officer or coordinator enrolled on a chat channel."""

    __tablename__ = "admins"
    __table_args__ = (
        Index("ix_admins_chat", "channel", "chat_id"),
        Index("ix_admins_opd", "opd_slug"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str
    opd_slug: str
    role: str  # officer | coordinator
    channel: str | None = None
    chat_id: str | None = None
    created_at: datetime = Field(sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class InviteRow(SQLModel, table=True):
    """A one-time enrolment code; only its hash is stored."""

    __tablename__ = "invites"
    __table_args__ = (UniqueConstraint("code_hash", name="uq_invites_code_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str
    opd_slug: str
    role: str
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    used_by_admin_id: int | None = Field(default=None, foreign_key="admins.id")


class ApiTokenRow(SQLModel, table=True):
    """A bearer token for the API, Open311 and the dashboard; only its hash is stored."""

    __tablename__ = "api_tokens"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    token_hash: str
    created_at: datetime = Field(sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class OutboxRow(SQLModel, table=True):
    """A message waiting to be sent (or fetched, for the web chat), with its delivery state."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_due", "status", "next_attempt_at"),
        Index("ix_outbox_chat", "channel", "chat_id", "id"),
        # A citizen's or admin's reply quotes our message by its platform id.
        Index("ix_outbox_platform_message", "channel", "chat_id", "platform_message_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: str
    chat_id: str
    payload: str = Field(sa_type=Text)  # JSON of Outbound.to_dict()
    meta: str = Field(default="{}", sa_type=Text)  # JSON, for the dispatcher
    status: str = "pending"  # pending | sending | sent | delivered | read | held | failed
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UtcDateTime)
    claimed_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    platform_message_id: str | None = None
    last_error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(sa_type=UtcDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class InboundIdRow(SQLModel, table=True):
    """A platform update/message id already taken in, for idempotent webhooks."""

    __tablename__ = "inbound_ids"
    __table_args__ = (Index("ix_inbound_ids_received_at", "received_at"),)

    channel: str = Field(primary_key=True)
    external_id: str = Field(primary_key=True)
    received_at: datetime = Field(sa_type=UtcDateTime)


class AppSettingRow(SQLModel, table=True):
    """A value the service generated and must keep across restarts (e.g. a webhook secret)."""

    __tablename__ = "app_settings"

    key: str = Field(primary_key=True)
    value: str = Field(sa_type=Text)


# Both dialects take the same partial-index predicates; SQLAlchemy wants one keyword per dialect.
def _where(predicate: str) -> dict[str, Any]:
    return {"postgresql_where": text(predicate), "sqlite_where": text(predicate)}


class ReportDeadlineRow(SQLModel, table=True):
    """A deadline of one step of a report and how far up the nudge ladder it has gone."""

    __tablename__ = "report_deadlines"
    __table_args__ = (
        # Closed rows (history) soon outnumber active ones many times over, so the indexes
        # that serve the sweeper and the views hold active rows only.
        # The sweeper's claim: only rows with a rung still to come.
        Index("ix_report_deadlines_next_at", "next_at", **_where("next_at IS NOT NULL")),
        # A report's own deadlines (its view, replanning, reports not yet planned); a step
        # has one open deadline at most, which a report's view relies on.
        Index("ix_report_deadlines_open_report_step", "report_id", "step", unique=True,
              **_where("closed_at IS NULL")),
        # Workload: one OPD's open deadlines, and the whole city's (Ombudsman rows are not
        # admin work) in due order.
        Index("ix_report_deadlines_open_opd_due", "opd", "due_at", **_where("closed_at IS NULL")),
        Index("ix_report_deadlines_open_due", "due_at", "step",
              **_where("closed_at IS NULL AND step <> 'ombudsman'")),
        # The weekly summary: received (started) and answered (closed) within a week.
        Index("ix_report_deadlines_step_starts", "step", "starts_at"),
        Index("ix_report_deadlines_step_closed", "step", "closed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id")
    step: str  # core.sla.Step
    opd: str | None = None
    starts_at: datetime = Field(sa_type=UtcDateTime)
    due_at: datetime = Field(sa_type=UtcDateTime)
    remind_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    next_at: datetime | None = Field(default=None, sa_type=UtcDateTime)  # None: nothing left
    stage: int = 0  # rungs done: 0 none, 1 reminder sent, 2 final rung done
    snoozed_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_status: str | None = None  # the report's status when the row was closed


class SlaNudgeRow(SQLModel, table=True):
    """A rung of a deadline's ladder that was sent; the unique key keeps it to once."""

    __tablename__ = "sla_nudges"
    __table_args__ = (
        UniqueConstraint("deadline_id", "rung", name="uq_sla_nudges_deadline_id_rung"),
    )

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="report_deadlines.id")
    rung: str  # core.sla.Rung
    sent_at: datetime = Field(sa_type=UtcDateTime)


class SlaDigestRow(SQLModel, table=True):
    """A daily digest or weekly summary that was sent, keyed by its period and recipient."""

    __tablename__ = "sla_digests"
    __table_args__ = (
        UniqueConstraint("kind", "period", "target", name="uq_sla_digests_kind_period_target"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    period: str
    target: str
    sent_at: datetime = Field(sa_type=UtcDateTime)
