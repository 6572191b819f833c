"""The rakor sheet from the dashboard (`/dashboard/rakor.csv` and `.xlsx`): the API's export
(`bot.api.exports`) with the session as the reader, so the `Kepatuhan SLA` page's download
links work in the browser without a bearer token. An officer's session gets its OPD's rows;
a coordinator's download names `publik` reporters and is a line in the audit log."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.api.errors import ApiError
from bot.api.exports import csv_response, start_export, xlsx_response
from bot.api.query import FILTERS
from bot.dashboard.web import PREFIX, Web
from core.reports.actors import Actor, Role
from storage.dashboard import Viewer


@dataclass(frozen=True, slots=True)
class SessionReader:
    """A dashboard session as `bot.api.caller.Reader`."""

    viewer: Viewer
    language: str

    @property
    def actor(self) -> Actor:
        return self.viewer.actor

    @property
    def officer_opd(self) -> str | None:
        return self.viewer.officer_opd

    @property
    def is_coordinator(self) -> bool:
        return self.viewer.role is Role.COORDINATOR


def export_routes(web: Web) -> APIRouter:
    router = APIRouter(prefix=PREFIX)
    container = web.container

    async def download(request: Request, suffix: str) -> Response:
        viewer = web.require(request)
        reader = SessionReader(viewer, web.language(request))
        params = {k: v for k, v in request.query_params.items() if k in FILTERS}
        shown = "&".join(f"{k}={v}" for k, v in params.items()) or "no filters"
        try:
            job = await asyncio.to_thread(start_export, container, reader, params,
                                          f"reports.{suffix}", f"dashboard {shown}")
        except ApiError as error:
            reason = error.detail["message"] if isinstance(error.detail, dict) else ""
            return web.problem(request, viewer, error.status_code, "dash.problem.export",
                               reason=reason)
        return csv_response(job) if suffix == "csv" else await xlsx_response(job)

    @router.get("/rakor.csv", include_in_schema=False)
    async def rakor_csv(request: Request) -> Response:
        return await download(request, "csv")

    @router.get("/rakor.xlsx", include_in_schema=False)
    async def rakor_xlsx(request: Request) -> Response:
        return await download(request, "xlsx")

    return router
