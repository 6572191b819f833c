"""`GET /api/v1/stats/sla`: SLA compliance per OPD over a period (the figures of
`storage.read.sla_stats`, the same the Monday summary counts).

Every OPD of the directory gets a row, zeros included (a quiet OPD is news at the rakor too),
in the directory's order. An officer token sees its own OPD's row only and no city row: the
city's sums are made of the other OPDs' figures, which it is not shown.
"""

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from bot.api.caller import Allow, Caller
from bot.api.errors import responses
from bot.api.models import SlaOut, SlaRowOut
from bot.api.query import PERIOD_DOCS, PERIOD_PARAMS, period
from bot.bootstrap import Container
from core.city import CityContext
from core.i18n import t
from storage.engine import read_only
from storage.read.sla_stats import OpdSla, SlaStats, sla_stats


def sla_rows(stats: SlaStats, city: CityContext, officer_opd: str | None,
             language: str) -> tuple[list[SlaRowOut], SlaRowOut | None]:
    """The OPDs' rows (an officer's own only) and the city's row (None for an officer)."""
    found = {row.opd: row for row in stats.opds}
    slugs = [o.slug for o in city.directory.opds]
    slugs += sorted(slug for slug in found if slug is not None and slug not in slugs)
    if officer_opd is not None:
        slugs = [officer_opd]
    rows = [_row(found.get(slug) or _nothing(slug), _name(slug, city)) for slug in slugs]
    whole = None if officer_opd is not None else _row(stats.city, t("sheet.city", language))
    return rows, whole


def _name(slug: str, city: CityContext) -> str:
    opd = city.directory.opd(slug)
    return opd.name if opd is not None else slug


def _nothing(slug: str) -> OpdSla:
    return OpdSla(slug, 0, 0, 0, 0, 0, 0, None)


def _row(figures: OpdSla, name: str) -> SlaRowOut:
    return SlaRowOut(opd=figures.opd, name=name, received=figures.received,
                     verified=figures.verified, verified_on_time=figures.verified_on_time,
                     answered=figures.answered, answered_on_time=figures.answered_on_time,
                     overdue_now=figures.overdue_now,
                     median_hours_to_first_answer=figures.median_hours_to_first_answer)


def add_stats_routes(router: APIRouter, container: Container, allow: Allow) -> None:
    reader = read_only(container.engine)  # on SQLite: no write lock for a read

    @router.get("/stats/sla", tags=["statistics"], summary="SLA compliance per OPD",
                response_model=SlaOut, response_model_by_alias=True, responses=responses(400),
                openapi_extra={"parameters": PERIOD_DOCS})
    async def sla(request: Request,
                  caller: Annotated[Caller, Depends(allow(*PERIOD_PARAMS))]) -> SlaOut:
        """Per OPD over [from, to): reports received, verified (on time), first answers
        (on time), overdue now, median hours to the first answer; plus the whole city's row.
        Default: the last 30 days. An officer token gets its own OPD's row only."""
        def read() -> SlaOut:
            city, now = container.city(), container.clock.now()
            start, end = period(request.query_params, now, city.tz, caller.language)
            with reader.connect() as conn:
                stats = sla_stats(conn, start, end, now)
            rows, whole = sla_rows(stats, city, caller.officer_opd, caller.language)
            return SlaOut(start=start, end=end, opds=rows, city=whole)

        return await asyncio.to_thread(read)
