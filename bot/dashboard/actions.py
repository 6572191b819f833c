"""The report page's buttons: each a POST form calling exactly one lifecycle use case in one
unit of work, as the signed-in person (an enrolled admin, or the token's name) — the same
checks, timeline event and citizen update as the chat command of the same name.

Done: back to the report (303) with a line saying so. Refused: the report page again with
the refusal in the reader's words and the status an API would answer (409, 403, 422; 404
for a report this viewer may not see).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from bot.dashboard.report import report_page
from bot.dashboard.web import PREFIX, Web
from core.i18n import t
from core.reports import lifecycle
from core.reports.access import can_see
from core.reports.actors import Role
from core.reports.model import Status, parse_tracking_number
from core.reports.results import RefusalKind, Refused, Result
from storage.dashboard import Viewer
from storage.uow import SqlUnitOfWork

STATUS_OF = {RefusalKind.NOT_FOUND: 404, RefusalKind.FORBIDDEN: 403,
             RefusalKind.CONFLICT: 409, RefusalKind.INVALID: 422}
ACTIONS = ("verifikasi", "alihkan", "balas", "selesai", "tolak", "gabung", "lapor_id", "tunda")
Field = Annotated[str, Form(max_length=5000)]


def refusal_text(refused: Refused, lang: str) -> str:
    """A refusal in the reader's language (a `Status` parameter shown in words)."""
    values = {key: t(f"status.{value.value}", lang) if isinstance(value, Status) else value
              for key, value in refused.params.items()}
    return t(refused.reason, lang, **values)


def act(uow: SqlUnitOfWork, web: Web, viewer: Viewer, ref: str, action: str,
        fields: dict[str, str]) -> Result:
    """Run `action` on `ref` as `viewer` (not committed)."""
    city, now, actor = web.container.city(), web.container.clock.now(), viewer.actor
    match action:
        case "verifikasi":
            return lifecycle.verify(uow, city, actor, ref, fields["opd"] or None, now)
        case "alihkan" if viewer.role is Role.COORDINATOR:
            return lifecycle.dispose(uow, city, actor, ref, fields["opd"], now)
        case "alihkan":
            return lifecycle.hand_back(uow, city, actor, ref, fields["alasan"], now)
        case "balas":
            return lifecycle.answer(uow, city, actor, ref, fields["teks"], now)
        case "selesai":
            return lifecycle.resolve(uow, city, actor, ref, fields["teks"], now)
        case "tolak":
            return lifecycle.reject(uow, city, actor, ref, fields["alasan"], now)
        case "gabung":
            year = now.astimezone(city.tz).year
            target = parse_tracking_number(fields["ke"], year) or fields["ke"].strip()
            return lifecycle.merge(uow, city, actor, ref, target, now)
        case "lapor_id":
            return lifecycle.set_lapor_id(uow, city, actor, ref, fields["nomor"].strip(), now)
        case _:
            return lifecycle.snooze(uow, city, actor, ref, now)


def action_routes(web: Web) -> APIRouter:
    router = APIRouter(prefix=PREFIX)

    @router.post("/laporan/{ref}/{action}", include_in_schema=False)
    def run(request: Request, ref: str, action: str, csrf: Annotated[str, Form()] = "",
            opd: Field = "", alasan: Field = "", teks: Field = "", ke: Field = "",
            nomor: Field = "") -> Response:
        viewer = web.require(request)
        if not web.csrf_ok(request, csrf):
            return web.problem(request, viewer, 403, "dash.problem.csrf")
        if action not in ACTIONS:
            return web.problem(request, viewer, 404, "dash.problem.not_found", ref=ref[:40])
        fields = {"opd": opd, "alasan": alasan, "teks": teks, "ke": ke, "nomor": nomor}
        with web.container.uow() as uow:
            result = act(uow, web, viewer, ref, action, fields)
            if not isinstance(result, Refused):
                uow.commit()
        if isinstance(result, Refused):
            if result.kind is RefusalKind.NOT_FOUND and result.reason == "work.not_found":
                return web.problem(request, viewer, 404, "dash.problem.not_found", ref=ref[:40])
            return report_page(web, request, viewer, ref, status=STATUS_OF[result.kind],
                               error=refusal_text(result, web.language(request)))
        if not can_see(viewer.actor, result.report):  # an officer's hand-back: no longer theirs
            return RedirectResponse(f"{PREFIX}?ok={action}", 303)
        return RedirectResponse(f"{PREFIX}/laporan/{ref}?ok={action}", 303)

    return router
