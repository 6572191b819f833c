"""Versioned storage of the city directory (OPDs and categories)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from core.directory.loader import parse_directory
from core.directory.model import Directory
from storage.columns import dumps, insert_for
from storage.tables import CategoryRow, DirectoryVersionRow, OpdRow


class SqlDirectoryStore:
    """Keeps every imported directory file and upserts its OPDs and categories."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def save(self, directory: Directory, source: str, content: str, now: datetime) -> int:
        """Record `content` as a new version and make `directory` current; return the version."""
        with Session(self._engine) as session, session.begin():
            version = DirectoryVersionRow(source=source, content=content, imported_at=now)
            session.add(version)
            session.flush()
            assert version.id is not None
            opds = [
                {"slug": o.slug, "name": o.name, "aliases": dumps(list(o.aliases)),
                 "updated_at": now}
                for o in directory.opds
            ]
            categories = [
                {"code": c.code, "name_id": c.name_id, "name_en": c.name_en, "opd_slug": c.opd,
                 "sla_tier": c.sla_tier, "synonyms": dumps(list(c.synonyms)),
                 "location_required": c.location_required, "auto_dispose": c.auto_dispose,
                 "updated_at": now}
                for c in directory.categories
            ]
            _upsert(session, OpdRow, "slug", opds)
            _upsert(session, CategoryRow, "code", categories)
            return version.id

    def latest(self) -> tuple[int, str, str] | None:
        """(version id, source, content) of the newest import, or None before the first."""
        with Session(self._engine) as session:
            row = session.execute(
                select(
                    col(DirectoryVersionRow.id), col(DirectoryVersionRow.source),
                    col(DirectoryVersionRow.content),
                )
                .order_by(col(DirectoryVersionRow.id).desc())
                .limit(1)
            ).one_or_none()
        return None if row is None else (row.id, row.source, row.content)

    def current(self) -> Directory | None:
        """The newest imported directory, parsed, or None before the first import."""
        stored = self.latest()
        return parse_directory(stored[2], stored[1]) if stored else None

    def latest_version_id(self) -> int | None:
        with Session(self._engine) as session:
            return session.execute(
                select(col(DirectoryVersionRow.id))
                .order_by(col(DirectoryVersionRow.id).desc())
                .limit(1)
            ).scalar_one_or_none()


def _upsert(session: Session, model: type[SQLModel], key: str,
            rows: Sequence[dict[str, Any]]) -> None:
    """Insert or refresh `rows`. Slugs a newer directory drops are kept on purpose: old reports
    still point at them, and joins (exports, dashboards) still need their names."""
    if not rows:
        return
    stmt = insert_for(session, model).values(list(rows))
    stmt = stmt.on_conflict_do_update(
        index_elements=[key],
        set_={c: stmt.excluded[c] for c in rows[0] if c != key},
    )
    session.execute(stmt)
