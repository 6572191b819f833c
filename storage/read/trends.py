"""Counts over time for the dashboard: reports per period (the SLA page's weekly chart) and
categories rising against their own baseline (the Patterns page).

Periods are given as boundaries the caller computed in the city's time zone (a week starts
on Monday 00:00 WIB), so SQL compares timestamps only and both backends bucket alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Integer, case, func, literal, select, union_all

from core.reports.model import Status
from storage.columns import table_of
from storage.tables import ReportRow

_reports = table_of(ReportRow)


def scope(officer_opd: str | None) -> list[ColumnElement[bool]]:
    """An officer's reports: their OPD's, once disposed (never `baru`), as everywhere else."""
    if officer_opd is None:
        return []
    return [_reports.c.opd == officer_opd, _reports.c.status != Status.BARU.value]


def _aware(*values: datetime) -> None:
    if any(value.tzinfo is None for value in values):
        raise ValueError("period boundaries must be aware datetimes")


def volume(conn: Connection, bounds: Sequence[datetime], *,
           officer_opd: str | None = None) -> tuple[int, ...]:
    """Reports created in each period [bounds[i], bounds[i+1]): len(bounds) - 1 counts.

    One COUNT per period in one statement: each is a range of the created_at index."""
    _aware(*bounds)
    if len(bounds) < 2:
        return ()
    c = _reports.c
    parts = [
        select(literal(index, Integer).label("period"), func.count().label("n"))
        .select_from(_reports)
        .where(c.created_at >= start, c.created_at < end, *scope(officer_opd))
        for index, (start, end) in enumerate(zip(bounds, bounds[1:], strict=False))
    ]
    counts: dict[int, int] = {int(row[0]): int(row[1]) for row in conn.execute(union_all(*parts))}
    return tuple(int(counts.get(index, 0)) for index in range(len(bounds) - 1))


@dataclass(frozen=True, slots=True)
class Rising:
    """A category with more reports lately than its own baseline would have it."""

    category: str
    recent: int  # reports in the recent period
    baseline: int  # reports in the (longer) baseline period before it
    expected: float  # the baseline scaled to the recent period's length

    @property
    def ratio(self) -> float:
        return self.recent / self.expected if self.expected else float("inf")


def rising(conn: Connection, baseline_start: datetime, recent_start: datetime,
           recent_end: datetime, *, officer_opd: str | None = None, min_recent: int = 5,
           factor: float = 1.5, limit: int = 10) -> tuple[Rising, ...]:
    """Categories whose reports in [recent_start, recent_end) are at least `min_recent` and
    at least `factor` times what [baseline_start, recent_start) had per the same length;
    the steepest first. A category new in the recent period rises from zero."""
    _aware(baseline_start, recent_start, recent_end)
    share = (recent_end - recent_start) / (recent_start - baseline_start)
    c = _reports.c
    recent = func.sum(_one_if(c.created_at >= recent_start))
    baseline = func.sum(_one_if(c.created_at < recent_start))
    rows = conn.execute(
        select(c.category, recent.label("recent"), baseline.label("baseline"))
        .where(c.created_at >= baseline_start, c.created_at < recent_end, *scope(officer_opd))
        .group_by(c.category)
        .having(recent >= min_recent, recent >= baseline * (factor * share))
        .order_by((recent * 1.0 / (baseline * share + 1.0)).desc(), c.category)
        .limit(limit)
    ).all()
    return tuple(Rising(r.category, int(r.recent), int(r.baseline), int(r.baseline) * share)
                 for r in rows)


def _one_if(condition: ColumnElement[bool]) -> Any:
    return case((condition, 1), else_=0)
