"""Report rows for `aduan export`: LAPOR's field set, never the reporter's identity."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storage.columns import table_of
from storage.tables import AttachmentRow, CategoryRow, CitizenRow, OpdRow, ReportRow

_reports = table_of(ReportRow)
_attachments = table_of(AttachmentRow)
_categories = table_of(CategoryRow)
_opds = table_of(OpdRow)
_citizens = table_of(CitizenRow)
BATCH = 500


@dataclass(frozen=True, slots=True)
class ExportRow:
    tracking_no: str
    status: str
    type: str
    category: str
    category_name: str | None
    opd: str | None
    opd_name: str | None
    title: str
    description: str
    event_date: date
    latitude: float | None
    longitude: float | None
    address: str | None
    kelurahan: str | None
    privacy: str
    channel: str
    lapor_id: str | None
    created_at: datetime
    updated_at: datetime
    attachments: tuple[str, ...]
    # Never who the reporter is; only, once it happened, that their identity was removed
    # (`core.privacy.Erasure` value: "request", "retention").
    reporter_erased: str | None = None


class SqlReportExport:
    """Streams reports in id order, in batches, with their attachment keys."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def rows(self, since: datetime | None = None, only_not_in_lapor: bool = False
             ) -> Iterator[ExportRow]:
        last_id = 0
        while True:
            query = (
                select(_reports, _categories.c.name_id.label("category_name"),
                       _opds.c.name.label("opd_name"), _citizens.c.erasure)
                .join(_citizens, _citizens.c.id == _reports.c.citizen_id)
                .outerjoin(_categories, _categories.c.code == _reports.c.category)
                .outerjoin(_opds, _opds.c.slug == _reports.c.opd)
                .where(_reports.c.id > last_id)
                .order_by(_reports.c.id)
                .limit(BATCH)
            )
            if since is not None:
                query = query.where(_reports.c.created_at >= since)
            if only_not_in_lapor:
                query = query.where(_reports.c.lapor_id.is_(None))
            with Session(self._engine) as session:
                batch = session.execute(query).all()
                files: dict[int, list[str]] = defaultdict(list)
                if batch:
                    for report_id, key in session.execute(
                        select(_attachments.c.report_id, _attachments.c.storage_key)
                        .where(_attachments.c.report_id.in_([r.id for r in batch]))
                        .order_by(_attachments.c.id)
                    ):
                        files[report_id].append(key)
            if not batch:
                return
            for r in batch:
                yield ExportRow(
                    r.tracking_no, r.status, r.type, r.category, r.category_name, r.opd,
                    r.opd_name, r.title, r.description, r.event_date, r.latitude, r.longitude,
                    r.address, r.kelurahan, r.privacy, r.channel, r.lapor_id,
                    r.created_at, r.updated_at, tuple(files[r.id]), r.erasure,
                )
            last_id = batch[-1].id
