"""Delivery: the outbox, inbound ids taken in, and settings the service generated."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from storage.columns import UtcDateTime
from storage.tables.base import partial_where


class OutboxRow(SQLModel, table=True):
    """A message waiting to be sent (or fetched, for the web chat), with its delivery state."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_due", "status", "next_attempt_at"),
        Index("ix_outbox_chat", "channel", "chat_id", "id"),
        # The few rows not yet sent, by chat: "is this row its chat's head?" (migration 0015).
        Index("ix_outbox_unsent", "channel", "chat_id", "id",
              **partial_where("status = 'pending' OR status = 'sending'")),
        # A citizen's or admin's reply quotes our message by its platform id.
        Index("ix_outbox_platform_message", "channel", "chat_id", "platform_message_id"),
        Index("ix_outbox_claimed_by", "claimed_by"),
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
    claimed_by: str | None = None  # the dispatcher holding the lease (bot.dispatch.worker_id)
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


class InboxRow(SQLModel, table=True):
    """A webhook update stored before it was acknowledged, until it has been handled.

    Deleted once handled (the intake's `inbound_ids` then answers a redelivery), so no message
    body outlives its handling here. A row is owned like an outbox row: `claimed_by` names the
    worker (`bot.worker_id`), whose heartbeat renews the short `claimed_until`; a dead owner's
    rows are taken back at once, a lapsed lease (owner on another host) by any worker's sweep.
    """

    __tablename__ = "inbox"
    __table_args__ = (
        Index("ux_inbox_channel_external", "channel", "external_id", unique=True),
        Index("ix_inbox_claimed_until", "claimed_until"),
        # Never a deleted row's id again: the worker may still hold it (migration 0016).
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: str
    external_id: str
    payload: str = Field(sa_type=Text)  # the platform's JSON, as received
    attempts: int = 0
    received_at: datetime = Field(sa_type=UtcDateTime)
    claimed_by: str | None = None
    claimed_until: datetime = Field(sa_type=UtcDateTime)


class AppSettingRow(SQLModel, table=True):
    """A value the service generated and must keep across restarts (e.g. a webhook secret)."""

    __tablename__ = "app_settings"

    key: str = Field(primary_key=True)
    value: str = Field(sa_type=Text)
