"""`POST /api/v1/reports/{tracking}/{action}`: the chat commands' actions, each exactly the
lifecycle use case with the token as the actor, in one unit of work committed only when the
report changed. The answer is the report as the action left it (even when the token no
longer sees it afterwards: an officer's hand-back)."""

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends
from fastapi.types import DecoratedCallable

from bot.api.bodies import (
    AnswerBody,
    ForwardBody,
    LaporIdBody,
    MergeBody,
    RejectBody,
    SnoozeBody,
    VerifyBody,
)
from bot.api.caller import Allow, Caller
from bot.api.errors import ApiError, refused, responses
from bot.api.models import ReportOut
from bot.api.present import identity_shown, report_out
from bot.api.reports import reference
from bot.bootstrap import Container
from core.city import CityContext
from core.ports import UnitOfWork
from core.reports import lifecycle
from core.reports.actors import Actor
from core.reports.model import parse_tracking_number
from core.reports.results import Refused, Result
from storage.audit import record_identity_read
from storage.read.detail import report_detail

ACTIONS = ("verifikasi", "alihkan", "balas", "selesai", "tolak", "gabung", "lapor_id", "tunda")
UseCase = Callable[[UnitOfWork, CityContext, Actor, str, datetime], Result]
ACTION_ERRORS = responses(400, 403, 404, 409, 413, 415, 422)


def add_action_routes(router: APIRouter, container: Container, allow: Allow) -> None:
    async def act(caller: Caller, tracking: str, use_case: UseCase) -> ReportOut:
        def run() -> ReportOut:
            city, now = container.city(), container.clock.now()
            ref = reference(tracking, city, now, caller.language)
            with container.uow() as uow:
                result = use_case(uow, city, caller.actor, ref, now)
                if isinstance(result, Refused):
                    raise refused(result, caller.language)
                detail = report_detail(uow.session.connection(), result.report.tracking_no)
                assert detail is not None  # the use case just changed it, under a row lock
                if identity_shown(detail, caller.token.role):
                    record_identity_read(uow.session, caller.actor, detail.tracking_no, now,
                                         "api action")
                uow.commit()
            return report_out(detail, caller.token.role, now)

        return await asyncio.to_thread(run)

    def route(action: str, summary: str) -> Callable[[DecoratedCallable], DecoratedCallable]:
        return router.post(f"/reports/{{tracking}}/{action}", tags=["actions"], summary=summary,
                           response_model=ReportOut, responses=ACTION_ERRORS)

    token = Depends(allow())

    @route("verifikasi", "Verify a new report and dispose it (coordinator)")
    async def verify(tracking: str, caller: Annotated[Caller, token],
                     body: Annotated[VerifyBody | None, Body()] = None) -> ReportOut:
        """`baru` → `didisposisikan`, to `opd` or the category's OPD (`/verifikasi`)."""
        opd = body.opd if body is not None else None
        return await act(caller, tracking, lambda uow, city, actor, ref, now: lifecycle.verify(
            uow, city, actor, ref, opd, now))

    @route("alihkan", "Forward to another OPD (coordinator) or hand back (officer)")
    async def forward(tracking: str, body: ForwardBody, caller: Annotated[Caller, token]) -> ReportOut:
        """`{"opd"}`: a coordinator disposes the report to that OPD; `{"alasan"}`: an
        officer hands it back to the coordinator as not its OPD's (`/alihkan`)."""
        if (body.opd is None) == (body.alasan is None):
            raise ApiError(422, "api.alihkan_body", caller.language)
        if body.opd is not None:
            opd = body.opd
            return await act(caller, tracking, lambda uow, city, actor, ref, now:
                             lifecycle.dispose(uow, city, actor, ref, opd, now))
        reason = body.alasan or ""
        return await act(caller, tracking, lambda uow, city, actor, ref, now:
                         lifecycle.hand_back(uow, city, actor, ref, reason, now))

    @route("balas", "Answer the citizen")
    async def answer(tracking: str, body: AnswerBody, caller: Annotated[Caller, token]) -> ReportOut:
        """The first answer moves `didisposisikan` → `diproses` (`/balas`)."""
        return await act(caller, tracking, lambda uow, city, actor, ref, now: lifecycle.answer(
            uow, city, actor, ref, body.teks, now))

    @route("selesai", "The final answer")
    async def resolve(tracking: str, body: AnswerBody, caller: Annotated[Caller, token]) -> ReportOut:
        """→ `selesai`; the citizen is asked to confirm or dispute (`/selesai`)."""
        return await act(caller, tracking, lambda uow, city, actor, ref, now: lifecycle.resolve(
            uow, city, actor, ref, body.teks, now))

    @route("tolak", "Reject a new report (coordinator)")
    async def reject(tracking: str, body: RejectBody, caller: Annotated[Caller, token]) -> ReportOut:
        """`baru` → `ditolak`; the reason goes to the citizen (`/tolak`)."""
        return await act(caller, tracking, lambda uow, city, actor, ref, now: lifecycle.reject(
            uow, city, actor, ref, body.alasan, now))

    @route("gabung", "Merge a duplicate into the original")
    async def merge(tracking: str, body: MergeBody, caller: Annotated[Caller, token]) -> ReportOut:
        """This report → `ditutup` as a duplicate of `ke`, whose followers its reporter
        joins (`/gabung`)."""
        def target(now: datetime, city: CityContext) -> str:
            return parse_tracking_number(body.ke, now.astimezone(city.tz).year) or body.ke

        return await act(caller, tracking, lambda uow, city, actor, ref, now: lifecycle.merge(
            uow, city, actor, ref, target(now, city), now))

    @route("lapor_id", "Record the SP4N-LAPOR! tracking id")
    async def lapor_id(tracking: str, body: LaporIdBody, caller: Annotated[Caller, token]) -> ReportOut:
        """The report then leaves `aduan export --format lapor` (`/lapor_id`)."""
        return await act(caller, tracking, lambda uow, city, actor, ref, now:
                         lifecycle.set_lapor_id(uow, city, actor, ref, body.nomor, now))

    @route("tunda", "Snooze the reminders for one working day")
    async def snooze(tracking: str, caller: Annotated[Caller, token],
                     body: Annotated[SnoozeBody | None, Body()] = None) -> ReportOut:
        """The deadline stays; reminders wait a working day (`/tunda`)."""
        return await act(caller, tracking, lambda uow, city, actor, ref, now: lifecycle.snooze(
            uow, city, actor, ref, now))

    @router.post("/reports/{tracking}/{action}", include_in_schema=False)
    async def unknown(action: str, caller: Annotated[Caller, token]) -> None:
        raise ApiError(404, "api.unknown_action", caller.language, action=action[:40],
                       known=", ".join(ACTIONS))
