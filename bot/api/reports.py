"""`GET /api/v1/reports` (filters, cursor pages), one report (every look recorded on its
timeline) and its attachments' files."""

import asyncio
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response

from bot.api.caller import Allow, Caller
from bot.api.errors import ApiError, refused, responses
from bot.api.models import ReportOut, ReportPageOut
from bot.api.present import identity_shown, item_out, report_out
from bot.api.query import LIST_DOCS, LIST_PARAMS, list_query
from bot.bootstrap import Container
from bot.media import media_response
from core.city import CityContext
from core.reports import lifecycle
from core.reports.model import parse_tracking_number
from core.reports.results import Refused
from storage.audit import record_identity_read
from storage.engine import read_only
from storage.read.detail import attachments, report_detail
from storage.read.reports import search_reports

VIEWED_DOC = [{"name": "include_viewed", "in": "query", "required": False,
               "description": "true: the timeline also lists every `viewed` entry (who looked, "
                              "when); default false.",
               "schema": {"type": "string", "enum": ["true", "false"]}}]


def reference(text: str, city: CityContext, now: datetime, language: str) -> str:
    """The tracking number in a path (`ADU-2026-000042`, any case; `2026-42` or `42` this
    year, as in the chat commands); 404 when it is none."""
    number = parse_tracking_number(text[:40], now.astimezone(city.tz).year)
    if number is None:
        shown = "".join(c for c in text[:40] if c.isprintable())
        raise ApiError(404, "work.not_found", language, ref=shown)
    return number


def add_report_routes(router: APIRouter, container: Container, allow: Allow) -> None:
    reader = read_only(container.engine)  # on SQLite: no write lock for a read

    @router.get("/reports", tags=["reports"], summary="List reports (filters, cursor pages)",
                response_model=ReportPageOut, responses=responses(400, 403),
                openapi_extra={"parameters": LIST_DOCS})
    async def list_reports(request: Request,
                           caller: Annotated[Caller, Depends(allow(*LIST_PARAMS))]
                           ) -> ReportPageOut:
        """Reports the token may see (an officer token: its OPD's, never `baru`), newest
        first or by deadline, `limit` at a time. Unknown parameters and bad values: 400."""
        def read() -> ReportPageOut:
            query = list_query(request.query_params, container.city(), caller)
            with reader.connect() as conn:
                page = search_reports(conn, query.filters, container.clock.now(),
                                      officer_opd=caller.officer_opd, sort=query.sort,
                                      cursor=query.cursor, limit=query.limit)
            return ReportPageOut(items=[item_out(i) for i in page.items],
                                 next_cursor=page.next_cursor)

        return await asyncio.to_thread(read)

    @router.get("/reports/{tracking}", tags=["reports"], summary="One report",
                response_model=ReportOut, responses=responses(400, 404),
                openapi_extra={"parameters": VIEWED_DOC})
    async def show_report(request: Request, tracking: str,
                          caller: Annotated[Caller, Depends(allow("include_viewed"))]
                          ) -> ReportOut:
        """Fields, status, deadline, timeline with actors, attachments' URLs and the reporter
        as the token's role may see. Each call records a `viewed` entry by the token on the
        timeline (an audit trail of who looked), and each answer that carries the reporter a line
        in the audit log (`aduan audit`). A report the token may not see is 404,
        exactly like a missing one."""
        viewed = request.query_params.get("include_viewed", "false").strip().lower()
        if viewed not in ("true", "false"):
            raise ApiError(400, "api.bad_boolean", caller.language, name="include_viewed",
                           value=viewed[:40])

        def read() -> ReportOut:
            city, now = container.city(), container.clock.now()
            ref = reference(tracking, city, now, caller.language)
            with container.uow() as uow:
                seen = lifecycle.view(uow, caller.actor, ref, now)
                if isinstance(seen, Refused):
                    raise refused(seen, caller.language)
                detail = report_detail(uow.session.connection(), seen.report.tracking_no,
                                       officer_opd=caller.officer_opd,
                                       include_viewed=viewed == "true")
                if detail is not None and identity_shown(detail, caller.token.role):
                    record_identity_read(uow.session, caller.actor, detail.tracking_no, now,
                                         "api GET")
                uow.commit()
            if detail is None:  # lifecycle.view lets exactly these through; never expected
                raise ApiError(404, "work.not_found", caller.language, ref=ref)
            return report_out(detail, caller.token.role, now)

        return await asyncio.to_thread(read)

    @router.get("/reports/{tracking}/attachments/{n}", tags=["reports"],
                summary="An attachment's file", response_class=FileResponse,
                responses={**responses(404), 200: {"content": {"image/jpeg": {},
                                                               "image/png": {},
                                                               "image/webp": {}},
                                                   "description": "The file."}})
    async def attachment(tracking: str, n: str,
                         caller: Annotated[Caller, Depends(allow())]) -> Response:
        """The `n`-th attachment (1, 2, …) of a report the token may see; 404 otherwise."""
        def find() -> tuple[bytes, str, str | None]:
            city, now = container.city(), container.clock.now()
            ref = reference(tracking, city, now, caller.language)
            with reader.connect() as conn:
                found = attachments(conn, ref, officer_opd=caller.officer_opd)
            if found is None:
                raise ApiError(404, "work.not_found", caller.language, ref=ref)
            index = int(n) if n.isascii() and n.isdigit() and len(n) < 4 else 0
            if not 1 <= index <= len(found):
                raise ApiError(404, "api.no_attachment", caller.language, ref=ref, n=n[:10])
            chosen = found[index - 1]
            data = container.media.read(chosen.storage_key)
            if data is None:
                raise ApiError(404, "api.attachment_gone", caller.language, ref=ref, n=index)
            return data, chosen.content_type, chosen.filename

        data, content_type, filename = await asyncio.to_thread(find)
        return media_response(data, content_type, {"X-Content-Type-Options": "nosniff",
                                                   "Cache-Control": "private, no-store"},
                              filename)
