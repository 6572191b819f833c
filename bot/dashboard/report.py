"""One report's page: its fields, photos, pin, timeline, possible duplicates and the action
buttons this viewer may use now. Opening it is a `viewed` timeline event, as `/lihat` is,
and, when the page shows the reporter, a line in the audit log (`aduan audit`).

Officers reach only their OPD's reports: another OPD's number answers 404, exactly like a
number that does not exist (the lifecycle's `view` decides, for every front-end alike)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.dashboard.web import PREFIX, Web
from bot.media import media_response
from core.i18n import t
from core.matching.duplicate_finder import DuplicateFinder
from core.reports import lifecycle
from core.reports.access import Action, can_see, identity_visible, refusal
from core.reports.model import TRACKING_RE
from core.reports.render import reporter_text
from core.reports.results import Refused
from storage.audit import record_identity_read
from storage.dashboard import Viewer
from storage.engine import read_only
from storage.read.detail import report_detail

SIMILAR_SHOWN = 5
# The buttons in the order they are shown; each is a POST to /dashboard/laporan/{no}/{name}.
BUTTONS = (Action.VERIFY, Action.DISPOSE, Action.ANSWER, Action.RESOLVE, Action.REJECT,
           Action.MERGE, Action.LAPOR_ID, Action.SNOOZE)


def report_page(web: Web, request: Request, viewer: Viewer, ref: str, *, status: int = 200,
                error: str | None = None, done: str | None = None) -> Response:
    """The page of `ref` as `viewer` may see it (404 when they may not)."""
    container = web.container
    city, now = container.city(), container.clock.now()
    if not TRACKING_RE.match(ref):
        return web.problem(request, viewer, 404, "dash.problem.not_found", ref=ref[:40])
    with container.uow() as uow:
        seen = lifecycle.view(uow, viewer.actor, ref, now)
        if isinstance(seen, Refused):
            return web.problem(request, viewer, 404, "dash.problem.not_found", ref=ref)
        report = seen.report
        detail = report_detail(uow.session.connection(), ref, officer_opd=viewer.officer_opd)
        found = DuplicateFinder().for_report(uow, report, city.config, SIMILAR_SHOWN * 2)
        if identity_visible(viewer.role, report.privacy) and report.reporter.erased is None:
            record_identity_read(uow.session, viewer.actor, ref, now, "dashboard")
        uow.commit()
    if detail is None:  # changed hands between the two reads
        return web.problem(request, viewer, 404, "dash.problem.not_found", ref=ref)
    lang = web.language(request)
    similar = [d for d in found if can_see(viewer.actor, d.candidate)][:SIMILAR_SHOWN]
    actions = [a.value for a in BUTTONS if refusal(viewer.actor, a, report) is None]
    return web.render(
        request, "report.html", viewer, status=status, title=detail.tracking_no, r=detail,
        reporter=reporter_text(report, viewer.role, lang), similar=similar, actions=actions,
        current=city.sla.current_deadline(report), opds=city.directory.opds, error=error,
        done=t(f"dash.done.{done}", lang) if done else None, pin=_pin(detail, city))


def _pin(detail: Any, city: Any) -> dict[str, Any] | None:
    if detail.latitude is None or detail.longitude is None:
        return None
    return {"lat": detail.latitude, "lon": detail.longitude, "label": detail.tracking_no,
            "kelurahan": [{"name": k.name, "lat": k.latitude, "lon": k.longitude}
                          for k in city.directory.kelurahan if k.latitude is not None]}


def report_routes(web: Web) -> APIRouter:
    router = APIRouter(prefix=PREFIX)
    container = web.container

    @router.get("/laporan/{ref}", include_in_schema=False)
    def report(request: Request, ref: str, ok: str = "") -> Response:
        viewer = web.require(request)
        done = ok if ok in {a.value for a in BUTTONS} else None
        return report_page(web, request, viewer, ref, done=done)

    @router.get("/laporan/{ref}/foto/{index}", include_in_schema=False)
    def photo(request: Request, ref: str, index: int) -> Response:
        """A photo of the report, only to a viewer who may see the report."""
        viewer = web.require(request)
        with read_only(container.engine).connect() as conn:
            detail = report_detail(conn, ref, officer_opd=viewer.officer_opd)
        if detail is None or not 0 <= index < len(detail.attachments):
            return web.problem(request, viewer, 404, "dash.problem.not_found", ref=ref[:40])
        attachment = detail.attachments[index]
        data = container.media.read(attachment.storage_key)
        if data is None:
            return web.problem(request, viewer, 404, "dash.problem.photo_missing")
        return media_response(data, attachment.content_type, {
            "Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"})

    return router
