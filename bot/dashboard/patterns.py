"""`Pola`: complaint patterns for the coordination meeting — not tickets but causes.

Three views, each linking to its reports: problems that come back to one kelurahan month
after month (kelurahan × category × month), categories rising against their own baseline
(the last four weeks against the twelve before), and clusters of reports about the same
problem in one place (the duplicate finder's notion of "same", over every report of the
last 90 days, open or closed)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.dashboard.filters import QueueQuery
from bot.dashboard.periods import month_bounds, start_of, today
from bot.dashboard.present import Presenter
from bot.dashboard.web import PREFIX, Web
from core.i18n import t
from core.matching.clusters import find_clusters
from core.matching.duplicates import DuplicateRules
from storage.engine import read_only
from storage.read.patterns import cluster_candidates, recurring
from storage.read.trends import rising

MONTHS, RECENT_DAYS, BASELINE_DAYS, CLUSTER_DAYS = 6, 28, 84, 90


def pattern_routes(web: Web) -> APIRouter:
    router = APIRouter(prefix=PREFIX)
    container = web.container

    @router.get("/pola", include_in_schema=False)
    def patterns(request: Request) -> Response:
        viewer = web.require(request)
        lang, city, now = web.language(request), container.city(), container.clock.now()
        shown, tz, scope = Presenter(lang, city, now), city.tz, viewer.officer_opd
        last = today(now, tz)
        months = month_bounds(last, MONTHS, tz)
        end = start_of(last + timedelta(days=1), tz)
        recent_start = end - timedelta(days=RECENT_DAYS)
        rules = DuplicateRules(radius_m=city.config.duplicate_radius_m,
                               window_days=city.config.duplicate_window_days)
        with read_only(container.engine).connect() as conn:
            repeats = recurring(conn, months, officer_opd=scope)
            rises = rising(conn, recent_start - timedelta(days=BASELINE_DAYS), recent_start, end,
                           officer_opd=scope)
            candidates = cluster_candidates(conn, end - timedelta(days=CLUSTER_DAYS), end,
                                            officer_opd=scope)
        clusters = find_clusters(candidates, rules)
        every = QueueQuery(every_status=True)
        since_months = shown.iso_day(months[0])
        return web.render(
            request, "patterns.html", viewer, title=t("dash.nav.patterns", lang),
            months=[shown.month(b) for b in months[:-1]], repeats=repeats, rises=rises,
            clusters=clusters, cluster_days=CLUSTER_DAYS,
            repeat_url=lambda r: every.url(kelurahan=r.kelurahan, category=r.category,
                                           since=since_months),
            rise_url=lambda r: every.url(category=r.category, since=shown.iso_day(recent_start)),
            recent_days=RECENT_DAYS, baseline_days=BASELINE_DAYS)

    return router
