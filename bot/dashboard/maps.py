"""`Peta`: open reports on a map, coloured by deadline state as in the queue.

Leaflet is served by the app. Without `DASHBOARD_TILE_URL` no tile is fetched: the reports
and the kelurahan (from the directory) are drawn on a plain background, so the page works
offline; with it, tiles that fail to load leave the same picture."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.dashboard.present import STATE_COLOURS, Presenter
from bot.dashboard.web import PREFIX, Web
from core.i18n import t
from storage.engine import read_only
from storage.read.map_points import DeadlineState, open_points


def map_routes(web: Web) -> APIRouter:
    router = APIRouter(prefix=PREFIX)
    container = web.container

    @router.get("/peta", include_in_schema=False)
    def map_page(request: Request) -> Response:
        viewer = web.require(request)
        lang, city, now = web.language(request), container.city(), container.clock.now()
        shown = Presenter(lang, city, now)
        with read_only(container.engine).connect() as conn:
            found = open_points(conn, now, shown.yellow_until, officer_opd=viewer.officer_opd)
        states = Counter(p.state for p in found.points)
        data = {
            "tiles": container.settings.dashboard_tile_url,
            "points": [{"no": p.tracking_no, "lat": p.latitude, "lon": p.longitude,
                        "state": p.state.value, "status": p.status.value,
                        "category": shown.category(p.category), "title": p.title[:80],
                        "url": f"{PREFIX}/laporan/{p.tracking_no}"} for p in found.points],
            "kelurahan": [{"name": k.name, "lat": k.latitude, "lon": k.longitude}
                          for k in city.directory.kelurahan if k.latitude is not None],
        }
        legend = [(STATE_COLOURS[s], s.value, t(f"dash.state.{s.value}", lang), states[s])
                  for s in DeadlineState]
        return web.render(request, "map.html", viewer, title=t("dash.nav.map", lang),
                          data=data, legend=legend, shown=len(found.points),
                          without_pin=found.without_pin)

    return router
