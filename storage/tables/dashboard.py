"""The dashboard's sign-ins: one-time login links sent by `/dasbor`, and browser sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import UtcDateTime


class DashboardLinkRow(SQLModel, table=True):
    """A one-time login link for an enrolled admin; only the hash of its secret is stored."""

    __tablename__ = "dashboard_links"
    __table_args__ = (UniqueConstraint("secret_hash", name="uq_dashboard_links_secret_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    admin_id: int = Field(foreign_key="admins.id")
    secret_hash: str
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class DashboardSessionRow(SQLModel, table=True):
    """A signed-in browser: an enrolled admin's (by link) or a token holder's (by token).

    Only the hash of the cookie's secret is stored; the session ends at logout or after a
    working day without a request (`last_seen_at`)."""

    __tablename__ = "dashboard_sessions"
    __table_args__ = (
        UniqueConstraint("secret_hash", name="uq_dashboard_sessions_secret_hash"),
        Index("ix_dashboard_sessions_last_seen_at", "last_seen_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    secret_hash: str
    admin_id: int | None = Field(default=None, foreign_key="admins.id")
    token_id: int | None = Field(default=None, foreign_key="api_tokens.id")
    created_at: datetime = Field(sa_type=UtcDateTime)
    last_seen_at: datetime = Field(sa_type=UtcDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
