"""SLA compliance per OPD over a period, for `Kepatuhan SLA` and `GET /api/v1/stats/sla`.

Everything is counted from the deadline rows (`storage.read.sla_terms`, the weekly summary's
terms), each kind read from a covering index (migration 0014) so that no statement visits
the table: received and overdue-now counted per OPD in SQL, and the verifications per the
OPD they went to (a correlated lookup per verification, from an index too); the first
answers read one row each and counted here, with the medians (ranking the answers' hours
with window functions for the medians cost more than the rest together: 0.15–0.2 s over 90
days of 100,000 reports. bench/RESULTS.md, "Dashboard pages").

A verification deadline carries no OPD; a verification is credited to the OPD the report
went to: the OPD of the first answer deadline the report got from the verification's close
on (the disposition opens it at that moment), else the report's OPD now. So a report later
moved elsewhere still counts for the OPD it was first disposed to.

A median is the middle answer's hours (odd count) or the mean of the two middle ones (even
count), over the hours SQL computed (`sla_terms.hours_between`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Integer, case, func, literal_column, select

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
    d, v = _deadlines, _verification
    counts: dict[str, dict[str, int]] = {}

    def figures(opd: str) -> dict[str, int]:
        found = counts.get(opd)
        if found is None:
            found = counts[opd] = dict.fromkeys(FIGURES, 0)
        return found

    for opd, n in conn.execute(select(d.c.opd, func.count()).where(
            sla_terms.received(d, start, end)).group_by(d.c.opd)).all():
        figures(opd)["received"] += int(n)
    # Grouped over a subquery that OFFSET 0 keeps apart: flattened, SQLite would look the
    # OPD up twice per row (once to group, once to show).
    went = select(_went_to().label("opd"), _one_if(sla_terms.on_time(v)).label("on_time")) \
        .where(sla_terms.verified(v, start, end)).offset(0).subquery("went")
    for opd, n, on_time in conn.execute(select(went.c.opd, func.count(), func.sum(
            went.c.on_time)).where(went.c.opd.is_not(None)).group_by(went.c.opd)).all():
        figures(opd)["verified"] += int(n)
        figures(opd)["verified_on_time"] += int(on_time)
    hours: dict[str, list[float]] = {}
    for opd, taken, on_time in conn.execute(select(
            d.c.opd, sla_terms.hours_between(conn.dialect.name, d.c.starts_at, d.c.closed_at),
            _one_if(sla_terms.on_time(d))).where(sla_terms.answered(d, start, end))).all():
        taken_by = hours.get(opd)
        if taken_by is None:
            taken_by = hours[opd] = []
            figures(opd)
        taken_by.append(taken)
        if on_time:
            counts[opd]["answered_on_time"] += 1
    for opd, taken_by in hours.items():
        counts[opd]["answered"] = len(taken_by)
    for opd, n in conn.execute(select(d.c.opd, func.count()).where(
            sla_terms.overdue(d, now)).group_by(d.c.opd)).all():
        figures(opd)["overdue_now"] += int(n)
    opds = tuple(_figures(opd, counts[opd], median(hours.get(opd, ()))) for opd in sorted(counts)
                 if any(counts[opd].values()))
    # The city's figures are the OPDs' summed (each counted row has one OPD); its median is
    # over all the city's answers, not a median of medians.
    def total(name: str) -> int:
        return sum(int(getattr(o, name)) for o in opds)

    city = OpdSla(None, total("received"), total("verified"), total("verified_on_time"),
                  total("answered"), total("answered_on_time"), total("overdue_now"),
                  _hours(median([h for taken in hours.values() for h in taken])))
    return SlaStats(start, end, opds, city)


def _went_to() -> ColumnElement[Any]:
    """The OPD a verification (`_verification`) went to: its report's first answer deadline
    from the verification's close on, else the report's OPD now (looked up only then)."""
    v, opened = _verification, _opened
    first_answer = (
        select(opened.c.opd)
        .where(opened.c.report_id == v.c.report_id, opened.c.step == Step.JAWABAN.value,
               opened.c.starts_at >= v.c.closed_at)
        .order_by(opened.c.starts_at, opened.c.id)
        .limit(1)
        .scalar_subquery()
    )
    report_opd = select(_reports.c.opd).where(_reports.c.id == v.c.report_id).scalar_subquery()
    return func.coalesce(first_answer, report_opd)


def _one_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, literal_column("1", Integer)), else_=literal_column("0", Integer))


def median(values: Sequence[float]) -> float | None:
    """The middle value, or the mean of the two middle ones; None for no values."""
    ordered = sorted(map(float, values))
    n = len(ordered)
    if n == 0:
        return None
    middle = n // 2
    return ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _hours(median: Any) -> float | None:
    # Rounded to the millisecond's order: SQLite's julianday() leaves float noise below it.
    return None if median is None else round(float(median), 6)


def _figures(opd: str, counts: dict[str, int], median: Any) -> OpdSla:
    return OpdSla(
        opd=opd, received=counts["received"], verified=counts["verified"],
        verified_on_time=counts["verified_on_time"], answered=counts["answered"],
        answered_on_time=counts["answered_on_time"], overdue_now=counts["overdue_now"],
        median_hours_to_first_answer=_hours(median))
