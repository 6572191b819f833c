"""The texts of reports whose category a coordinator confirmed, for matching to learn from
(`core.matching.learning`): newest confirmation first."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import Engine, func, select

from core.reports.model import Status
from storage.columns import table_of
from storage.tables import ReportRow

_reports = table_of(ReportRow)
_confirmed = (_reports.c.category_verified_at.is_not(None),
              _reports.c.status != Status.DITOLAK.value)


class SqlLearnedExamples:
    """Reads confirmed reports' categories and texts."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def watermark(self) -> tuple[int, datetime | None]:
        """(how many, the latest confirmation): changes whenever there is more to learn."""
        with self._engine.connect() as conn:
            row = conn.execute(select(func.count(), func.max(_reports.c.category_verified_at))
                               .where(*_confirmed)).one()
        return int(row[0]), row[1]

    def confirmed(self, limit: int) -> Iterator[tuple[str, str]]:
        """(category, description) of the `limit` most recently confirmed reports."""
        with self._engine.connect() as conn:
            yield from ((r.category, r.description) for r in conn.execute(
                select(_reports.c.category, _reports.c.description).where(*_confirmed)
                .order_by(_reports.c.category_verified_at.desc(), _reports.c.id.desc())
                .limit(limit)))
