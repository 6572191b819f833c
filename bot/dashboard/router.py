"""The dashboard's routes and its static files (styles, scripts, vendored Leaflet and
Chart.js with their licences), put into the app in one call."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from bot.bootstrap import Container
from bot.dashboard.actions import action_routes
from bot.dashboard.exports import export_routes
from bot.dashboard.login import login_routes
from bot.dashboard.maps import map_routes
from bot.dashboard.patterns import pattern_routes
from bot.dashboard.queue import queue_routes
from bot.dashboard.report import report_routes
from bot.dashboard.sla import sla_routes
from bot.dashboard.web import PREFIX, Web

STATIC = resources.files("bot.dashboard") / "static"


def install(app: FastAPI, container: Container) -> None:
    """Serve `/dashboard` and its assets from `app`."""
    web = Web(container)
    for routes in (login_routes, queue_routes, report_routes, action_routes, sla_routes,
                   map_routes, pattern_routes, export_routes):
        app.include_router(routes(web))
    app.mount(f"{PREFIX}/static", StaticFiles(directory=str(STATIC)), name="dashboard-static")
