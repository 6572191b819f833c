"""The city's directory as last imported: OPDs, categories and the imported files."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from storage.columns import UtcDateTime


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
