"""SLA compliance per OPD over a period, for `Kepatuhan SLA` and `GET /api/v1/stats/sla`.

Everything is counted in SQL from the deadline rows (`storage.read.sla_terms`, the weekly
summary's terms): one GROUP BY per kind of row (received, verified, answered, overdue), one
for the OPDs' medians and one for the city's median; the OPDs' counts of each kind, and the
city's counts of the OPDs, are added up here. (One statement over the union of the four
kinds, the medians joined in, and another for the city took three to five times as long
over 100,000 reports: bench/RESULTS.md, "Dashboard pages".)

A verification deadline carries no OPD; a verification is credited to the OPD the report
went to: the OPD of the first answer deadline the report got from the verification's close
on (the disposition opens it at that moment), else the report's OPD now. So a report later
moved elsewhere still counts for the OPD it was first disposed to.

Medians are taken in SQL on both backends: rows numbered in order of hours within each OPD
(ROW_NUMBER and COUNT as window functions), then the average of the middle row (odd count)
or the two middle rows (even count).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Connection,
    Integer,
    Select,
    Subquery,
    and_,
    case,
    func,
    literal_column,
    null,
    select,
    union_all,
)

from core.sla.policy import Step
from storage.columns import table_of
from storage.read import sla_terms
from storage.read.sla_stats import OpdSla, SlaStats
from storage.tables import ReportDeadlineRow, ReportRow

_deadlines = table_of(ReportDeadlineRow)
_reports = table_of(ReportRow)
_verification = _deadlines.alias("verification")
_opened = _deadlines.alias("opened")
FIGURES = ("received", "verified", "verified_on_time", "answered", "answered_on_time",
           "overdue_now")


def sla_stats(conn: Connection, start: datetime, end: datetime, now: datetime) -> SlaStats:
    """The SLA figures of [start, end) (aware datetimes) per OPD and for the whole city;
    `overdue_now` is as of `now`."""
    for value in (start, end, now):
        if value.tzinfo is None:
            raise ValueError("start, end and now must be aware datetimes")
    answers = (
        select(_deadlines.c.opd, sla_terms.hours_between(
            conn.dialect.name, _deadlines.c.starts_at, _deadlines.c.closed_at).label("hours"))
        .where(sla_terms.answered(_deadlines, start, end))
        .subquery("answers")
    )
    counts: dict[str, dict[str, int]] = {}
    for part in _facts(start, end, now):
        facts = part.subquery("facts")
        for row in conn.execute(
                select(facts.c.opd, *(func.sum(facts.c[name]).label(name) for name in FIGURES))
                .where(facts.c.opd.is_not(None)).group_by(facts.c.opd)):
            figures = counts.setdefault(row.opd, dict.fromkeys(FIGURES, 0))
            for name in FIGURES:
                figures[name] += int(row._mapping[name])
    medians = {r.opd: r.median for r in conn.execute(_medians(answers))}
    city_median = medians.pop(None, None)
    opds = tuple(_figures(opd, counts[opd], medians.get(opd)) for opd in sorted(counts)
                 if any(counts[opd].values()))
    # The city's figures are the OPDs' summed (each counted row has one OPD); its median is
    # over all the city's answers, not a median of medians.
    def total(name: str) -> int:
        return sum(int(getattr(o, name)) for o in opds)

    city = OpdSla(None, total("received"), total("verified"), total("verified_on_time"),
                  total("answered"), total("answered_on_time"), total("overdue_now"),
                  _hours(city_median))
    return SlaStats(start, end, opds, city)


def _facts(start: datetime, end: datetime, now: datetime) -> tuple[Select[Any], ...]:
    """One row per counted deadline: its OPD and a 1 in each figure it counts for; one
    statement per kind of row, each read through its own index."""
    d, v = _deadlines, _verification
    went_to = (
        select(_opened.c.opd)
        .where(_opened.c.report_id == v.c.report_id, _opened.c.step == Step.JAWABAN.value,
               _opened.c.starts_at >= v.c.closed_at)
        .order_by(_opened.c.starts_at, _opened.c.id)
        .limit(1)
        .scalar_subquery()
    )
    return (
        _fact(d.c.opd, received=_one()).where(sla_terms.received(d, start, end)),
        _fact(func.coalesce(went_to, _reports.c.opd), verified=_one(),
              verified_on_time=_one_if(sla_terms.on_time(v)))
        .select_from(v.join(_reports, _reports.c.id == v.c.report_id))
        .where(sla_terms.verified(v, start, end)),
        _fact(d.c.opd, answered=_one(), answered_on_time=_one_if(sla_terms.on_time(d)))
        .where(sla_terms.answered(d, start, end)),
        _fact(d.c.opd, overdue_now=_one()).where(sla_terms.overdue(d, now)),
    )


def _fact(opd: ColumnElement[Any], **ones: ColumnElement[int]) -> Select[Any]:
    return select(opd.label("opd"),
                  *(ones.get(name, literal_column("0", Integer)).label(name) for name in FIGURES))


def _one() -> ColumnElement[int]:
    return literal_column("1", Integer)


def _one_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, _one()), else_=literal_column("0", Integer))


def _medians(answers: Subquery) -> CompoundSelect[Any]:
    """(opd, median of `answers.hours`) per OPD, and (NULL, the median over all of them) for
    the city: one pass ranks every answer both within its OPD and in the whole city."""
    hours = answers.c.hours
    ranked = select(
        answers.c.opd, hours,
        func.row_number().over(partition_by=answers.c.opd, order_by=hours).label("rank"),
        func.count().over(partition_by=answers.c.opd).label("n"),
        func.row_number().over(order_by=hours).label("city_rank"),
        func.count().over().label("city_n"),
    ).cte("ranked")  # read twice, so computed once (both backends materialise such a CTE)

    def middle(rank: ColumnElement[int], n: ColumnElement[int]) -> ColumnElement[bool]:
        # The middle row when n is odd (2·rank = n + 1), the two middle rows when even.
        return and_(2 * rank >= n, 2 * rank <= n + 2)

    median = func.avg(ranked.c.hours).label("median")
    return union_all(
        select(ranked.c.opd, median).where(middle(ranked.c.rank, ranked.c.n))
        .group_by(ranked.c.opd),
        select(null().label("opd"), median).where(middle(ranked.c.city_rank, ranked.c.city_n)),
    )


def _hours(median: Any) -> float | None:
    # Rounded to the millisecond's order: SQLite's julianday() leaves float noise below it.
    return None if median is None else round(float(median), 6)


def _figures(opd: str, counts: dict[str, int], median: Any) -> OpdSla:
    return OpdSla(
        opd=opd, received=counts["received"], verified=counts["verified"],
        verified_on_time=counts["verified_on_time"], answered=counts["answered"],
        answered_on_time=counts["answered_on_time"], overdue_now=counts["overdue_now"],
        median_hours_to_first_answer=_hours(median))
