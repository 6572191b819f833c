"""OPD officers and coordinators, their enrolment invites, and API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import UtcDateTime


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
    role: str = "coordinator"  # officer | coordinator: what the token may see and do
    opd_slug: str | None = None  # an officer token's OPD (a coordinator's own, if given)
    created_at: datetime = Field(sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
