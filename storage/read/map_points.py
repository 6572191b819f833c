"""Open reports with a pin, for the dashboard's map (`Peta`), each with its deadline state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Connection, and_, case, func, literal, select

from core.reports.access import OPEN
from core.reports.model import Status
from storage.columns import table_of
from storage.read.reports import ADMIN_STEPS
from storage.read.trends import scope
from storage.tables import ReportDeadlineRow, ReportRow

_reports = table_of(ReportRow)
_current = table_of(ReportDeadlineRow).alias("current_deadline")
MAX_POINTS = 5000


class DeadlineState(StrEnum):
    """The queue's colours: 🔴 past due, 🟡 due by the end of the next working day, 🟢 later."""

    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"
    NONE = "none"  # no running admin deadline


@dataclass(frozen=True, slots=True)
class MapPoint:
    tracking_no: str
    latitude: float
    longitude: float
    status: Status
    category: str
    title: str
    state: DeadlineState


@dataclass(frozen=True, slots=True)
class MapPoints:
    points: tuple[MapPoint, ...]  # the most urgent first, at most `limit`
    without_pin: int  # open reports in scope that have no pin


def open_points(conn: Connection, now: datetime, yellow_until: datetime, *,
                officer_opd: str | None = None, limit: int = MAX_POINTS) -> MapPoints:
    """Open reports (an officer: their OPD's) with a pin, the most urgent deadline first."""
    r, due = _reports.c, _current.c.due_at
    state = case((due.is_(None), literal(DeadlineState.NONE.value)),
                 (due < now, literal(DeadlineState.RED.value)),
                 (due <= yellow_until, literal(DeadlineState.YELLOW.value)),
                 else_=literal(DeadlineState.GREEN.value))
    joined = _reports.outerjoin(_current, and_(
        _current.c.report_id == r.id, _current.c.closed_at.is_(None),
        _current.c.step.in_(ADMIN_STEPS)))
    where = [r.status.in_([s.value for s in OPEN]), *scope(officer_opd)]
    rows = conn.execute(
        select(r.tracking_no, r.latitude, r.longitude, r.status, r.category, r.title,
               state.label("state"))
        .select_from(joined)
        .where(*where, r.latitude.is_not(None), r.longitude.is_not(None))
        .order_by(due.asc().nulls_last(), r.id)
        .limit(limit)
    ).all()
    without_pin = conn.execute(
        select(func.count()).select_from(_reports).where(*where, r.latitude.is_(None))
    ).scalar_one()
    return MapPoints(
        tuple(MapPoint(row.tracking_no, float(row.latitude), float(row.longitude),
                       Status(row.status), row.category, row.title, DeadlineState(row.state))
              for row in rows),
        int(without_pin))
