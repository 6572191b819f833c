"""The audit log: operator actions from the CLI and reads of reporters' identities."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from storage.columns import UtcDateTime


class AuditRow(SQLModel, table=True):
    """Who did what, when. Never holds a citizen's name, contact or chat id: a citizen is named
    by their row id, a report by its tracking number."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UtcDateTime)
    actor_kind: str  # operator (CLI) | admin | token | citizen | system (`storage.audit`)
    actor: str  # the operator's login, the admin's or token's name with its id, "sweeper"
    action: str  # invite | revoke | token | export | purge | erase | identity_read
    subject: str | None = None  # what it was done to: "report ADU-…", "citizen 42", "admin 3"
    detail: str | None = Field(default=None, sa_type=Text)
