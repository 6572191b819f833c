"""What an operator watches (`/metrics`): open reports by deadline colour per OPD, and how far
behind the outbox is. Read at scrape time, so every worker reports the same numbers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, case, func, literal, select

from core.reports.access import OPEN
from storage.columns import table_of, to_utc
from storage.read.map_points import DeadlineState
from storage.read.reports import ADMIN_STEPS
from storage.tables import OutboxRow, ReportDeadlineRow, ReportRow

_reports = table_of(ReportRow)
_current = table_of(ReportDeadlineRow).alias("current_deadline")
_outbox = table_of(OutboxRow)
UNSENT = ("pending", "sending")


def open_reports_by_state(conn: Connection, now: datetime,
                          yellow_until: datetime) -> dict[tuple[str, str], int]:
    """(OPD slug or "" before disposition, deadline state) -> open reports, as the queue
    colours them (🔴 past due, 🟡 by the end of the next working day, 🟢 later, none)."""
    r, due = _reports.c, _current.c.due_at
    state = case((due.is_(None), literal(DeadlineState.NONE.value)),
                 (due < now, literal(DeadlineState.RED.value)),
                 (due <= yellow_until, literal(DeadlineState.YELLOW.value)),
                 else_=literal(DeadlineState.GREEN.value)).label("state")
    joined = _reports.outerjoin(_current, and_(
        _current.c.report_id == r.id, _current.c.closed_at.is_(None),
        _current.c.step.in_(ADMIN_STEPS)))
    each = (select(func.coalesce(r.opd, "").label("opd"), state).select_from(joined)
            .where(r.status.in_([s.value for s in OPEN])).subquery())
    rows = conn.execute(
        select(each.c.opd, each.c.state, func.count().label("n"))
        .group_by(each.c.opd, each.c.state)
    ).all()
    counts: dict[tuple[str, str], int] = {}
    for row in rows:  # one report with two running admin steps counts once per state
        key = (str(row.opd), str(row.state))
        counts[key] = counts.get(key, 0) + int(row.n)
    return counts


def oldest_unsent(conn: Connection) -> dict[str, datetime]:
    """Channel -> when its oldest message still waiting to be sent was queued."""
    rows = conn.execute(
        select(_outbox.c.channel, func.min(_outbox.c.created_at))
        .where(_outbox.c.status.in_(UNSENT))
        .group_by(_outbox.c.channel)
    ).all()
    return {str(channel): to_utc(at) for channel, at in rows if at is not None}
