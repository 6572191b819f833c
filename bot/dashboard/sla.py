"""`Kepatuhan SLA`: each OPD's record over a chosen period (received, verified on time,
answered on time, overdue now, median hours to the first answer), sortable, with three
charts (reports per week, on-time share per OPD, overdue by OPD) and downloads. Set large
and high-contrast: this is the page the coordinator projects at the rakor meeting.

Officers see their own OPD's row and charts only."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.dashboard.periods import Period, week_bounds
from bot.dashboard.present import Presenter
from bot.dashboard.web import PREFIX, Web
from core.i18n import t
from storage.dashboard import Viewer
from storage.engine import read_only
from storage.read.sla_stats import OpdSla, sla_stats
from storage.read.trends import volume

DEFAULT_DAYS = 28  # four weeks: the span a monthly rakor looks back on
COLUMNS = ("opd", "received", "verified", "answered", "overdue", "median")


@dataclass(frozen=True, slots=True)
class SlaView:
    period: Period
    rows: tuple[OpdSla, ...]
    city: OpdSla
    weeks: tuple[tuple[str, int], ...]  # (week label, reports filed)


def _figure(value: float | None) -> float:
    return -1.0 if value is None else value  # no figure sorts below every figure


def _sort_key(column: str, shown: Presenter) -> Callable[[OpdSla], Any]:
    keys: dict[str, Callable[[OpdSla], Any]] = {
        "opd": lambda r: shown.opd(r.opd).lower(),
        "received": lambda r: r.received,
        "verified": lambda r: _figure(Presenter.share(r.verified_on_time, r.verified)),
        "answered": lambda r: _figure(Presenter.share(r.answered_on_time, r.answered)),
        "overdue": lambda r: r.overdue_now,
        "median": lambda r: _figure(r.median_hours_to_first_answer),
    }
    return keys[column]


def load(web: Web, viewer: Viewer, params: Any, shown: Presenter) -> SlaView:
    container = web.container
    tz = container.city().tz
    period = Period.chosen(params.get("since"), params.get("until"), shown.now, tz, DEFAULT_DAYS)
    start, end = period.bounds(tz)
    bounds = week_bounds(period, tz)
    with read_only(container.engine).connect() as conn:
        stats = sla_stats(conn, start, end, shown.now)
        counts = volume(conn, bounds, officer_opd=viewer.officer_opd)
    rows, city = stats.opds, stats.city
    if viewer.officer_opd is not None:
        rows = tuple(r for r in rows if r.opd == viewer.officer_opd)
        city = rows[0] if rows else OpdSla(viewer.officer_opd, 0, 0, 0, 0, 0, 0, None)
    column = params.get("sort", "")
    column = column if column in COLUMNS else "overdue"
    descending = params.get("order", "desc" if column != "opd" else "asc") != "asc"
    rows = tuple(sorted(rows, key=_sort_key(column, shown), reverse=descending))
    weeks = tuple((shown.short_day(b), n) for b, n in zip(bounds, counts, strict=False))
    return SlaView(period, rows, city, weeks)


def chart_data(view: SlaView, shown: Presenter, lang: str) -> dict[str, Any]:
    """What `dashboard.js` draws, in the reader's language."""
    by_name = sorted(view.rows, key=lambda r: shown.short_opd(r.opd))
    overdue = sorted((r for r in view.rows if r.overdue_now), key=lambda r: -r.overdue_now)
    return {
        "weekly": {"labels": [label for label, _ in view.weeks],
                   "values": [n for _, n in view.weeks], "label": t("dash.sla.chart_weekly", lang)},
        "on_time": {"labels": [shown.short_opd(r.opd) for r in by_name],
                    "verified": [shown.share(r.verified_on_time, r.verified) for r in by_name],
                    "answered": [shown.share(r.answered_on_time, r.answered) for r in by_name],
                    "verified_label": t("dash.sla.verified_on_time", lang),
                    "answered_label": t("dash.sla.answered_on_time", lang)},
        "overdue": {"labels": [shown.short_opd(r.opd) for r in overdue],
                    "values": [r.overdue_now for r in overdue],
                    "label": t("dash.sla.overdue_now", lang)},
    }


def sla_routes(web: Web) -> APIRouter:
    router = APIRouter(prefix=PREFIX)
    container = web.container

    def presenter(request: Request) -> Presenter:
        return Presenter(web.language(request), container.city(), container.clock.now())

    @router.get("/sla", include_in_schema=False)
    def sla_page(request: Request) -> Response:
        viewer = web.require(request)
        shown = presenter(request)
        view = load(web, viewer, request.query_params, shown)
        period = {"since": view.period.first.isoformat(), "until": view.period.last.isoformat()}
        sort = request.query_params.get("sort", "overdue")
        order = request.query_params.get("order", "")
        return web.render(
            request, "sla.html", viewer, title=t("dash.nav.sla", shown.lang), view=view,
            period=period, charts=chart_data(view, shown, shown.lang), columns=COLUMNS,
            sort=sort if sort in COLUMNS else "overdue", order=order,
            sort_url=lambda column, order: f"{PREFIX}/sla?" + urlencode(
                {**period, "sort": column, "order": order}),
            csv_url=f"{PREFIX}/sla.csv?" + urlencode(period),
            export_csv=f"{PREFIX}/rakor.csv?" + urlencode(period),
            export_xlsx=f"{PREFIX}/rakor.xlsx?" + urlencode(period))

    @router.get("/sla.csv", include_in_schema=False)
    def sla_csv(request: Request) -> Response:
        """The table as shown, one row per OPD and the city's total last."""
        viewer = web.require(request)
        shown = presenter(request)
        view = load(web, viewer, request.query_params, shown)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["opd", "nama", "diterima", "diverifikasi", "verifikasi_tepat_waktu",
                         "dijawab", "jawaban_tepat_waktu", "terlambat_sekarang",
                         "median_jam_jawaban_pertama"])
        for row in (*view.rows, view.city):
            writer.writerow([row.opd or "", shown.opd(row.opd) if row.opd else "", row.received,
                             row.verified, row.verified_on_time, row.answered,
                             row.answered_on_time, row.overdue_now,
                             "" if row.median_hours_to_first_answer is None
                             else f"{row.median_hours_to_first_answer:.1f}"])
        name = f"kepatuhan-sla-{view.period.first}-{view.period.last}.csv"
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})

    return router
