"""The weekly rakor sheet (`/api/v1/reports.csv` and `.xlsx`): the report list's page, in the
list's filters and order, with what a sheet shows besides (the description, the date of the
event and, only where asked and only for `publik` reports, the reporter's name)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, and_, case, func, select

from core.reports.model import Privacy
from storage.columns import table_of
from storage.read.reports import ReportFilters, ReportListItem, Sort, search_reports
from storage.tables import ChannelIdentityRow, CitizenRow, ReportRow

_reports = table_of(ReportRow)
_citizens = table_of(CitizenRow)
_identities = table_of(ChannelIdentityRow)


@dataclass(frozen=True, slots=True)
class SheetRow:
    item: ReportListItem
    description: str
    event_date: date
    reporter_name: str | None  # None unless asked for, and always for rahasia and anonim


@dataclass(frozen=True, slots=True)
class SheetPage:
    rows: tuple[SheetRow, ...]
    next_cursor: str | None


def sheet_page(conn: Connection, filters: ReportFilters, now: datetime, *,
               officer_opd: str | None = None, sort: Sort = Sort.NEWEST,
               cursor: str | None = None, limit: int = 200,
               publik_names: bool = False) -> SheetPage:
    """One page of `search_reports` (same arguments, same errors) with each row's sheet
    fields. With `publik_names` the reporter's name of `publik` reports is read too; the name
    of a `rahasia` or `anonim` report never leaves the database here."""
    page = search_reports(conn, filters, now, officer_opd=officer_opd, sort=sort,
                          cursor=cursor, limit=limit)
    ids = [item.id for item in page.items]
    extra = _extras(conn, ids, publik_names) if ids else {}
    rows = tuple(SheetRow(item, *extra[item.id]) for item in page.items)
    return SheetPage(rows, page.next_cursor)


def _extras(conn: Connection, ids: list[int],
            publik_names: bool) -> dict[int, tuple[str, date, str | None]]:
    name = func.coalesce(_identities.c.display_name, _citizens.c.display_name)
    shown = (case((_reports.c.privacy == Privacy.PUBLIK.value, name), else_=None)
             if publik_names else None)
    query = (
        select(_reports.c.id, _reports.c.description, _reports.c.event_date,
               *([shown.label("reporter_name")] if shown is not None else []))
        .where(_reports.c.id.in_(ids))
    )
    if shown is not None:
        query = (query.select_from(
            _reports.join(_citizens, _citizens.c.id == _reports.c.citizen_id)
            .outerjoin(_identities, and_(_identities.c.channel == _reports.c.channel,
                                         _identities.c.chat_id == _reports.c.chat_id))))
    return {
        row.id: (row.description, row.event_date,
                 row.reporter_name if publik_names else None)
        for row in conn.execute(query)
    }
