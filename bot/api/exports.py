"""`GET /api/v1/reports.csv` and `.xlsx`: the rakor sheet (`bot.api.sheet`) of the reports
the list's filters select, in the list's order, read a page of 200 at a time: the CSV is
streamed as the pages come; the XLSX is written row by row by openpyxl's write-only mode to a
temporary file (spilled to disk past a few MB), then streamed, with the SLA summary per OPD
(`/api/v1/stats/sla` over `since`..`until`, by default the last 30 days) as its second sheet.
"""

import asyncio
import tempfile
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import datetime
from typing import IO, Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from bot.api.caller import Allow, Caller, Reader
from bot.api.errors import responses
from bot.api.query import DEFAULT_PERIOD, FILTER_DOCS, FILTERS, ListQuery, list_query
from bot.api.sheet import (
    COLUMNS,
    Cell,
    Xlsx,
    csv_lines,
    headings,
    period_note,
    report_cells,
    summary_cells,
)
from bot.api.stats import sla_rows
from bot.bootstrap import Container
from core.city import CityContext
from storage.audit import record_names_export
from storage.engine import read_only
from storage.read.reports import MAX_LIMIT
from storage.read.sheet import SheetPage, sheet_page
from storage.read.sla_stats import sla_stats

CHUNK = 64 * 1024
SPOOL = 8 * 1024 * 1024  # an XLSX larger than this goes to a temporary file on disk
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Export:
    """One download: the caller, its filters, the city and the moment it was asked for."""

    def __init__(self, container: Container, caller: Reader, query: ListQuery,
                 city: CityContext, now: datetime) -> None:
        self.caller, self.query, self.city, self.now = caller, query, city, now
        self.reader = read_only(container.engine)  # on SQLite: no write lock for a read

    def page(self, cursor: str | None) -> SheetPage:
        with self.reader.connect() as conn:
            return sheet_page(conn, self.query.filters, self.now,
                              officer_opd=self.caller.officer_opd, sort=self.query.sort,
                              cursor=cursor, limit=MAX_LIMIT,
                              publik_names=self.caller.is_coordinator)

    def cells(self, page: SheetPage) -> list[list[Cell]]:
        names = self.caller.is_coordinator
        return [report_cells(row, self.city, self.now, names) for row in page.rows]

    def pages(self) -> Iterator[SheetPage]:
        cursor: str | None = None
        while True:
            page = self.page(cursor)
            yield page
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    async def csv(self) -> AsyncIterator[bytes]:
        # A BOM, so Excel reads the file as UTF-8.
        yield ("\ufeff" + csv_lines([headings(COLUMNS)])).encode()
        cursor: str | None = None
        while True:
            page = await asyncio.to_thread(self.page, cursor)
            yield csv_lines(self.cells(page)).encode()
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def xlsx(self, out: IO[bytes]) -> None:
        book = Xlsx()
        for page in self.pages():
            book.add_reports(self.cells(page))
        filters = self.query.filters
        end = filters.until or self.now
        start = filters.since or end - DEFAULT_PERIOD
        with self.reader.connect() as conn:
            stats = sla_stats(conn, start, end, self.now)
        rows, whole = sla_rows(stats, self.city, self.caller.officer_opd, self.caller.language)
        summary = [summary_cells(row) for row in (*rows, *([whole] if whole else []))]
        book.finish(summary, period_note(start, end, self.city), out)


def start_export(container: Container, reader: Reader, params: Mapping[str, str],
                 sheet: str, where: str) -> Export:
    """The download `params` (the list's filters) ask for; 400 (`ApiError`) for bad ones. A
    coordinator's sheet names `publik` reporters, so it is a line in the audit log."""
    city, now = container.city(), container.clock.now()
    query = list_query(params, city, reader, paged=False)
    if reader.is_coordinator:
        record_names_export(container.engine, reader.actor, sheet, now, where)
    return Export(container, reader, query, city, now)


def csv_response(job: Export) -> StreamingResponse:
    return StreamingResponse(job.csv(), media_type=CSV_TYPE,
                             headers=_attachment(job.now, "csv", job.city))


async def xlsx_response(job: Export) -> StreamingResponse:
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 (closed by _chunks)
    try:
        await asyncio.to_thread(job.xlsx, spool)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return StreamingResponse(_chunks(spool), media_type=XLSX_TYPE,
                             headers=_attachment(job.now, "xlsx", job.city))


def _attachment(now: datetime, extension: str, city: CityContext) -> dict[str, str]:
    name = f"rakor-{now.astimezone(city.tz):%Y-%m-%d}.{extension}"
    return {"Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store"}


async def _chunks(spool: IO[bytes]) -> AsyncIterator[bytes]:
    try:
        while chunk := await asyncio.to_thread(spool.read, CHUNK):
            yield chunk
    finally:
        spool.close()


def add_export_routes(router: APIRouter, container: Container, allow: Allow) -> None:
    async def export(request: Request, caller: Caller, sheet: str) -> Export:
        return await asyncio.to_thread(
            start_export, container, caller, request.query_params, sheet,
            f"api {request.url.query or 'no filters'}")

    @router.get("/reports.csv", tags=["exports"], summary="The rakor sheet as CSV",
                response_class=StreamingResponse, responses={
                    **responses(400, 403),
                    200: {"content": {CSV_TYPE: {}}, "description": "UTF-8 with a BOM."}},
                openapi_extra={"parameters": FILTER_DOCS})
    async def reports_csv(request: Request,
                          caller: Annotated[Caller, Depends(allow(*FILTERS))]
                          ) -> StreamingResponse:
        """One row per report the filters select (the list's filters and `sort`), streamed.
        No reporter identity for `rahasia` or `anonim` reports, whoever downloads; a
        `publik` reporter's name only for coordinator tokens (each such download is a line
        in the audit log)."""
        return csv_response(await export(request, caller, "reports.csv"))

    @router.get("/reports.xlsx", tags=["exports"], summary="The rakor sheet as XLSX",
                response_class=StreamingResponse, responses={
                    **responses(400, 403),
                    200: {"content": {XLSX_TYPE: {}},
                          "description": "Sheets `Laporan` and `Ringkasan SLA`."}},
                openapi_extra={"parameters": FILTER_DOCS})
    async def reports_xlsx(request: Request,
                           caller: Annotated[Caller, Depends(allow(*FILTERS))]
                           ) -> StreamingResponse:
        """The same rows as the CSV in the sheet `Laporan`, plus `Ringkasan SLA`: the SLA
        figures per OPD over `since`..`until` (default the last 30 days; an officer token:
        its OPD's row only)."""
        return await xlsx_response(await export(request, caller, "reports.xlsx"))
