"""The Patterns page's reading: the same problem reported again and again in one kelurahan
(kelurahan × category × month), and every report of a period as duplicate-finder candidates
for the clusters (`core.matching.clusters`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Integer, case, func, literal, select

from core.matching.duplicates import Candidate
from core.reports.model import Privacy, Status
from storage.columns import table_of
from storage.read.trends import scope
from storage.tables import ReportRow

_reports = table_of(ReportRow)
MAX_CANDIDATES = 5000


@dataclass(frozen=True, slots=True)
class Recurring:
    """One kelurahan's reports of one category, per period (month)."""

    kelurahan: str
    category: str
    counts: tuple[int, ...]  # one per period, oldest first

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def periods(self) -> int:
        """In how many periods the problem was reported."""
        return sum(1 for n in self.counts if n)


def recurring(conn: Connection, bounds: Sequence[datetime], *, officer_opd: str | None = None,
              min_periods: int = 2, min_total: int = 3, limit: int = 20) -> tuple[Recurring, ...]:
    """Kelurahan × category pairs reported in at least `min_periods` of the periods
    [bounds[i], bounds[i+1]) and at least `min_total` times in all, the most reported first.

    One statement: counts per (kelurahan, category, period), then window functions number
    the periods and sum the pairs, so only the `limit` top pairs come back."""
    if len(bounds) < 2 or any(b.tzinfo is None for b in bounds):
        raise ValueError("give at least two aware period boundaries")
    c = _reports.c
    period = case(*((c.created_at < end, literal(index, Integer))
                    for index, end in enumerate(bounds[1:-1])),
                  else_=literal(len(bounds) - 2, Integer)).label("period")
    counted = (
        select(c.kelurahan, c.category, period, func.count().label("n"))
        .where(c.created_at >= bounds[0], c.created_at < bounds[-1], c.kelurahan.is_not(None),
               *scope(officer_opd))
        .group_by(c.kelurahan, c.category, period)
        .subquery("counted")
    )
    pair = (counted.c.kelurahan, counted.c.category)
    summed = select(
        counted, func.count().over(partition_by=pair).label("periods"),
        func.sum(counted.c.n).over(partition_by=pair).label("total"),
    ).subquery("summed")
    ranked = (
        select(summed, func.dense_rank().over(order_by=(
            summed.c.total.desc(), summed.c.kelurahan, summed.c.category)).label("rank"))
        .where(summed.c.periods >= min_periods, summed.c.total >= min_total)
        .subquery("ranked")
    )
    rows = conn.execute(
        select(ranked.c.kelurahan, ranked.c.category, ranked.c.period, ranked.c.n)
        .where(ranked.c.rank <= limit).order_by(ranked.c.rank, ranked.c.period)
    ).all()
    found: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        counts = found.setdefault((row.kelurahan, row.category), [0] * (len(bounds) - 1))
        counts[int(row.period)] = int(row.n)
    return tuple(Recurring(k, cat, tuple(counts)) for (k, cat), counts in found.items())


def cluster_candidates(conn: Connection, start: datetime, end: datetime, *,
                       officer_opd: str | None = None,
                       limit: int = MAX_CANDIDATES) -> tuple[Candidate, ...]:
    """Every report created in [start, end), open or closed, the newest first (at most
    `limit`), as the duplicate finder compares them."""
    c = _reports.c
    rows = conn.execute(
        select(c.tracking_no, c.citizen_id, c.status, c.privacy, c.title, c.description,
               c.latitude, c.longitude, c.kelurahan, c.created_at, c.opd, c.category)
        .where(c.created_at >= start, c.created_at < end, *scope(officer_opd))
        .order_by(c.created_at.desc(), c.id.desc())
        .limit(limit)
    ).all()
    return tuple(
        Candidate(tracking_no=r.tracking_no, citizen_id=r.citizen_id, status=Status(r.status),
                  privacy=Privacy(r.privacy), title=r.title, description=r.description,
                  latitude=r.latitude, longitude=r.longitude, kelurahan=r.kelurahan,
                  created_at=r.created_at, opd=r.opd, category=r.category)
        for r in rows)
