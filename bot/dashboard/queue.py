"""The queue (`/dashboard`): open reports, most urgent deadline first, 🔴🟡🟢, the API's
filters in the URL, and how many reports each status holds under the same filters."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.dashboard.filters import QueueQuery
from bot.dashboard.web import PREFIX, Web
from core.i18n import t
from core.reports.model import Status
from storage.engine import read_only
from storage.read.cursor import BadCursor
from storage.read.reports import count_by_status, search_reports

PAGE_SIZE = 50
DONE = {"alihkan"}  # an action after which the report left this viewer's sight


def queue_routes(web: Web) -> APIRouter:
    router = APIRouter(prefix=PREFIX)
    container = web.container

    @router.get("", include_in_schema=False)
    def queue(request: Request, ok: str = "") -> Response:
        viewer = web.require(request)
        query = QueueQuery.parse(request.query_params, viewer)
        city, now = container.city(), container.clock.now()
        filters = query.filters(city.tz)
        scope = viewer.officer_opd
        try:
            with read_only(container.engine).connect() as conn:
                page = search_reports(conn, filters, now, officer_opd=scope, sort=query.sort,
                                      cursor=query.cursor or None, limit=PAGE_SIZE)
                counts = count_by_status(conn, filters, now, officer_opd=scope)
        except BadCursor:
            return web.problem(request, viewer, 400, "dash.problem.cursor")
        lang = web.language(request)
        visible = [s for s in Status if scope is None or s is not Status.BARU]
        opds = [] if scope else list(city.directory.opds)
        return web.render(
            request, "queue.html", viewer, title=t("dash.queue.title", lang), query=query,
            items=page.items, next_url=query.url(cursor=page.next_cursor)
            if page.next_cursor else None, counts=[(s, counts[s]) for s in visible],
            total=sum(counts[s] for s in visible), statuses=visible, opds=opds,
            categories=city.directory.categories, first_page=not query.cursor,
            done=t(f"dash.done.{ok}", lang) if ok in DONE else None)

    return router
