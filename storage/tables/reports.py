"""Citizens, their chats and conversations; reports with their photos, timeline and followers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import UtcDateTime
from storage.tables.base import partial_where


class CitizenRow(SQLModel, table=True):
    """A person who reports, across all their channel identities."""

    __tablename__ = "citizens"

    id: int | None = Field(default=None, primary_key=True)
    language: str
    display_name: str | None = None
    created_at: datetime = Field(sa_type=UtcDateTime)
    # When the citizen was told what is kept about them (the one-line notice); None: not yet.
    notice_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # A row whose identity was removed (`core.privacy.Erasure`: "request" or "retention"); it
    # stays only so that the reports it filed keep a reporter, shown as removed.
    erased_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    erasure: str | None = None


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
        # The coordinator's lists, newest first (storage.read.reports: keyset on created_at,
        # id), whole city, by status, by OPD (an officer's scope) and by category; their
        # prefixes serve the work queue and the counts by status.
        Index("ix_reports_created", "created_at", "id"),
        Index("ix_reports_status_created", "status", "created_at", "id"),
        Index("ix_reports_opd_status_created", "opd", "status", "created_at", "id"),
        Index("ix_reports_category_created", "category", "created_at"),
        # Open311 without a key lists `publik` reports only, newest first: read from the index
        # alone instead of visiting every report of the period to check its privacy.
        Index("ix_reports_privacy_created", "privacy", "created_at", "id"),
        # A report's detail lists the reports merged into it; few are, so only those.
        Index("ix_reports_duplicate_of", "duplicate_of_id",
              **partial_where("duplicate_of_id IS NOT NULL")),
        # The learned examples, newest confirmations first; few reports have one.
        Index("ix_reports_category_verified", "category_verified_at",
              **partial_where("category_verified_at IS NOT NULL")),
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
    out_of_authority: str | None = None  # code of a topic the city does not handle (PLN, …)
    category_reason: str | None = Field(default=None, sa_type=Text)  # JSON: why it was proposed
    # When a coordinator confirmed the category (verified it as is, or re-categorised): the
    # report's text is then an example for matching (core.matching.learning).
    category_verified_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
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
