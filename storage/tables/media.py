"""Photo files kept in the database (`MEDIA_STORE=database`, the default on PostgreSQL), so that
every worker on every machine reads what any of them took in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary
from sqlmodel import Field, SQLModel

from storage.columns import UtcDateTime


class MediaFileRow(SQLModel, table=True):
    """One stored file, named by its content (SHA-256 and extension, `bot.media`)."""

    __tablename__ = "media_files"

    key: str = Field(primary_key=True)
    content_type: str
    size: int
    data: bytes = Field(sa_type=LargeBinary)
    created_at: datetime = Field(sa_type=UtcDateTime)
