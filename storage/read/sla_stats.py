"""SLA compliance per OPD over a period, for `Kepatuhan SLA` and `GET /api/v1/stats/sla`.

Everything is counted in SQL from the deadline rows (`storage.read.sla_terms`, the weekly
summary's terms): one statement for the OPDs' rows, one for the whole city's.

A verification deadline carries no OPD; a verification is credited to the OPD the report
went to: the OPD of the first answer deadline the report got from the verification's close
on (the disposition opens it at that moment), else the report's OPD now. So a report later
moved elsewhere still counts for the OPD it was first disposed to.

Medians are taken in SQL on both backends: rows numbered in order of hours within each OPD
(ROW_NUMBER and COUNT as window functions), then the average of the middle row (odd count)
or the two middle rows (even count).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Connection,
    Integer,
    Row,
    Select,
    Subquery,
    and_,
    case,
    func,
    literal_column,
    select,
    union_all,
)

from core.sla.policy import Step
from storage.columns import table_of
from storage.read import sla_terms
from storage.tables import ReportDeadlineRow, ReportRow

_deadlines = table_of(ReportDeadlineRow)
_reports = table_of(ReportRow)
_verification = _deadlines.alias("verification")
_opened = _deadlines.alias("opened")
FIGURES = ("received", "verified", "verified_on_time", "answered", "answered_on_time",
           "overdue_now")


@dataclass(frozen=True, slots=True)
class OpdSla:
    """One OPD's record over the period (`opd` None: the whole city's)."""

    opd: str | None
    received: int  # disposed to the OPD (its first-answer deadline started)
    verified: int  # verified by the coordinator and disposed to the OPD
    verified_on_time: int  # of those, by the verification deadline
    answered: int  # first answers given
    answered_on_time: int  # of those, by the first-answer deadline
    overdue_now: int  # the OPD's open answer/completion deadlines past due at `now`
    median_hours_to_first_answer: float | None  # disposition → first answer; None: no answer


@dataclass(frozen=True, slots=True)
class SlaStats:
    start: datetime
    end: datetime
    opds: tuple[OpdSla, ...]  # each OPD with any figure above zero, by slug
    city: OpdSla  # sums of the OPDs' figures; the median over all the city's answers


def sla_stats(conn: Connection, start: datetime, end: datetime, now: datetime) -> SlaStats:
    """The SLA figures of [start, end) (aware datetimes) per OPD and for the whole city;
    `overdue_now` is as of `now`."""
    for value in (start, end, now):
        if value.tzinfo is None:
            raise ValueError("start, end and now must be aware datetimes")
    facts = _facts(start, end, now).subquery("facts")
    answers = (
        select(_deadlines.c.opd, sla_terms.hours_between(
            conn.dialect.name, _deadlines.c.starts_at, _deadlines.c.closed_at).label("hours"))
        .where(sla_terms.answered(_deadlines, start, end))
        .subquery("answers")
    )
    medians = _medians(answers, per_opd=True).subquery("medians")
    sums = [func.coalesce(func.sum(facts.c[name]), 0).label(name) for name in FIGURES]
    opds = conn.execute(
        select(facts.c.opd, *sums, medians.c.median)
        .outerjoin(medians, medians.c.opd == facts.c.opd)
        .where(facts.c.opd.is_not(None))
        .group_by(facts.c.opd, medians.c.median)
        .order_by(facts.c.opd)
    ).all()
    city = conn.execute(
        select(*sums, _medians(answers, per_opd=False).scalar_subquery().label("median"))
        .where(facts.c.opd.is_not(None))
    ).one()
    return SlaStats(start, end, tuple(_figures(r.opd, r) for r in opds), _figures(None, city))


def _facts(start: datetime, end: datetime, now: datetime) -> CompoundSelect[Any]:
    """One row per counted deadline: its OPD and a 1 in each figure it counts for."""
    d, v = _deadlines, _verification
    went_to = (
        select(_opened.c.opd)
        .where(_opened.c.report_id == v.c.report_id, _opened.c.step == Step.JAWABAN.value,
               _opened.c.starts_at >= v.c.closed_at)
        .order_by(_opened.c.starts_at, _opened.c.id)
        .limit(1)
        .scalar_subquery()
    )
    return union_all(
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


def _medians(answers: Subquery, per_opd: bool) -> Select[Any]:
    """The median of `answers.hours`, per OPD (opd, median) or over all of them (median)."""
    partition = answers.c.opd if per_opd else None
    ranked = select(
        answers.c.opd, answers.c.hours,
        func.row_number().over(partition_by=partition, order_by=answers.c.hours).label("rank"),
        func.count().over(partition_by=partition).label("n"),
    ).subquery("ranked")
    # The middle row when n is odd (2·rank = n + 1), the two middle rows when even.
    middle = and_(2 * ranked.c.rank >= ranked.c.n, 2 * ranked.c.rank <= ranked.c.n + 2)
    median = func.avg(ranked.c.hours).label("median")
    if per_opd:
        return select(ranked.c.opd, median).where(middle).group_by(ranked.c.opd)
    return select(median).where(middle)


def _figures(opd: str | None, row: Row[*tuple[Any, ...]]) -> OpdSla:
    # Rounded to the millisecond's order: SQLite's julianday() leaves float noise below it.
    median = None if row.median is None else round(float(row.median), 6)
    return OpdSla(
        opd=opd, received=int(row.received), verified=int(row.verified),
        verified_on_time=int(row.verified_on_time), answered=int(row.answered),
        answered_on_time=int(row.answered_on_time), overdue_now=int(row.overdue_now),
        median_hours_to_first_answer=median)
