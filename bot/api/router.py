"""`/api/v1`: the coordinator's API, assembled from its parts (DESIGN.md "HTTP surface").

Every route takes a bearer token (`aduan admin token`), answers errors as
`{"detail": {"reason", "message"}}` (`bot.api.errors`) and reads through `storage.read`;
actions go through `core.reports.lifecycle`, as the chat commands do.
"""

from __future__ import annotations

from fastapi import APIRouter

from bot.api.actions import add_action_routes
from bot.api.caller import authorised
from bot.api.directory import add_directory_routes
from bot.api.errors import ApiRoute
from bot.api.exports import add_export_routes
from bot.api.reports import add_report_routes
from bot.api.stats import add_stats_routes
from bot.bootstrap import Container


def api_router(container: Container) -> APIRouter:
    router = APIRouter(prefix="/api/v1", route_class=ApiRoute)
    allow = authorised(container.token_auth)
    add_directory_routes(router, container, allow)
    add_stats_routes(router, container, allow)
    add_export_routes(router, container, allow)
    add_report_routes(router, container, allow)
    add_action_routes(router, container, allow)  # last: it ends with the unknown-action catch
    return router
