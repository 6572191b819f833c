"""How the report list reads one page in order, so that a page costs about its own rows
however many reports there are (bench/api_reports.py: 100,000 reports).

- Newest first: one keyset range of a (…, created_at, id) index. Several statuses (a comma
  list, or an officer's "anything but baru") would make the database sort every matching
  report first, so each status reads its own range of (status, …) or (opd, status, …) and
  the union of those few pages is merged.
- By deadline: read the open admin-step deadlines in due order from their partial index, a
  batch at a time, keep the batch's reports that match, then — once the deadlines run out —
  the reports without one, by id. Starting from the reports instead (what both planners
  chose for a joined query) sorts every open report for each page.

Measured in bench/RESULTS.md ("Coordinator API list").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    Row,
    Select,
    and_,
    case,
    func,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql.util import ClauseAdapter, find_tables

from core.sla.policy import Step
from storage.columns import table_of
from storage.read.cursor import BadCursor
from storage.tables import ReportDeadlineRow, ReportRow

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FEW = 2000  # fewer matching reports than this are sorted at once (`by_deadline`)
BATCH, MAX_BATCH = 200, 5000  # deadlines read at a time (SQLite takes 32,766 parameters)
ADMIN_STEPS = tuple(s.value for s in Step if s.nudges_admins)  # verifikasi, jawaban, selesai

reports = table_of(ReportRow)
merged_into = reports.alias("merged_into")
# The deadline of the admin step a report is in. The write side keeps one open row per step
# and closes every other step's row whenever it replans, so this join adds one row at most.
current = table_of(ReportDeadlineRow).alias("current_deadline")
OPEN_ADMIN_STEP = and_(current.c.closed_at.is_(None), current.c.step.in_(ADMIN_STEPS))
joined = reports.outerjoin(current, and_(current.c.report_id == reports.c.id, OPEN_ADMIN_STEP))
# The same deadlines as rows to start from, said as "open and not a citizen's step" in
# literals: so SQLite sees that the partial index ix_report_deadlines_open_due (closed_at IS
# NULL AND step <> 'ombudsman', in due order) covers them, and has no (step, closed_at)
# equality to wander off to the history index with and then sort.
_DEADLINE_ROWS = (current.c.closed_at.is_(None), *(
    current.c.step != literal_column(f"'{step.value}'")
    for step in (Step.OMBUDSMAN, *(s for s in Step if not s.nudges_admins
                                   and s is not Step.OMBUDSMAN))))


def _columns(now: datetime, r: Any = reports.c, deadline: Any = current.c,
             merged: Any = merged_into.c) -> list[ColumnElement[Any]]:
    """The list's columns, from the tables or from a subquery that carries them."""
    return [
        r.id, r.tracking_no, r.type, r.category, r.opd, r.status, r.title, r.privacy,
        r.kelurahan, r.address, r.latitude, r.longitude, r.created_at, r.updated_at,
        r.lapor_id, merged.tracking_no.label("duplicate_of"),
        deadline.step.label("deadline_step"), deadline.due_at.label("deadline_due"),
        case((deadline.due_at < now, True), else_=False).label("overdue"),
    ]


def _select(now: datetime, source: FromClause) -> Select[Any]:
    return select(*_columns(now)).select_from(
        source.outerjoin(merged_into, merged_into.c.id == reports.c.duplicate_of_id))


def newest(conn: Connection, where: Sequence[ColumnElement[bool]],
           statuses: Sequence[str] | None, after: tuple[datetime | None, int] | None,
           count: int, now: datetime) -> Sequence[Row[Any]]:
    """Up to `count` rows matching `where` (and one of `statuses`, None: any), newest first,
    after the position `after` (created_at, id)."""
    if statuses is not None and not statuses:
        return []
    if statuses is None or len(statuses) == 1:
        chosen = [] if statuses is None else [reports.c.status == statuses[0]]
        return conn.execute(_newest_page(now, [*where, *chosen], after, count)).all()
    parts = [select(_newest_page(now, [*where, reports.c.status == status], after, count)
                    .subquery(f"status_{n}")) for n, status in enumerate(statuses)]
    merged = union_all(*parts).subquery("merged")
    return conn.execute(select(merged).order_by(merged.c.created_at.desc(), merged.c.id.desc())
                        .limit(count)).all()


def _newest_page(now: datetime, where: Sequence[ColumnElement[bool]],
                 after: tuple[datetime | None, int] | None, count: int) -> Select[Any]:
    created, row_id = reports.c.created_at, reports.c.id
    query = _select(now, joined).where(*where).order_by(created.desc(), row_id.desc())
    if after is not None:
        at, last_id = after
        if at is None:  # never made so: this order's key always has a time
            raise BadCursor("malformed cursor")
        # The first term lets the (…, created_at, id) indexes start at the cursor.
        query = query.where(created <= at,
                            or_(created < at, and_(created == at, row_id < last_id)))
    return query.limit(count)


def by_deadline(conn: Connection, where: Sequence[ColumnElement[bool]],
                statuses: Sequence[str] | None, after: tuple[datetime | None, int] | None,
                count: int, now: datetime) -> Sequence[Row[Any]]:
    """Up to `count` rows matching `where` (and one of `statuses`), soonest current deadline
    first, then those without one by id; after the position `after` (due_at or None, id)."""
    if statuses is not None and not statuses:
        return []
    chosen = [*where, *([] if statuses is None else [reports.c.status.in_(statuses)])]
    rows: list[Row[Any]] = []
    if after is None or after[0] is not None:
        walked = _with_deadlines(conn, chosen, after, count, now)
        if walked is None:  # a rare match: sorting the few beats walking every deadline
            return _few_by_deadline(conn, chosen, after, count, now)
        rows = walked
        if len(rows) == count:
            return rows
    row_id = reports.c.id
    rest = (_select(now, joined).where(current.c.due_at.is_(None), *chosen)
            .order_by(row_id.asc()).limit(count - len(rows)))
    if after is not None and after[0] is None:
        rest = rest.where(row_id > after[1])
    return [*rows, *conn.execute(rest).all()]


def _few(conn: Connection, where: Sequence[ColumnElement[bool]]) -> bool:
    """Whether fewer than FEW reports match: then sorting them all is cheap, while walking the
    deadlines in due order for a rare match (a tracking number, an OPD's few) reads them all.
    (Counted on the reports alone unless a filter is on the deadline: the outer join would
    visit each report's deadline for nothing.)"""
    source = joined if _on_deadline(where) else reports
    probe = select(reports.c.id).select_from(source).where(*where).limit(FEW).subquery("probe")
    return int(conn.execute(select(func.count()).select_from(probe)).scalar_one()) < FEW


def _on_deadline(where: Sequence[ColumnElement[bool]]) -> bool:
    return any(current in find_tables(condition, check_columns=True, include_aliases=True)
               for condition in where)


def _few_by_deadline(conn: Connection, where: Sequence[ColumnElement[bool]],
                     after: tuple[datetime | None, int] | None, count: int,
                     now: datetime) -> Sequence[Row[Any]]:
    """`by_deadline`'s order in one sorted query over the (few) matching reports: their ids
    and due times sorted first (from the indexes, mostly), then the page's `count` rows read
    in full (sorting every match's whole row cost twice as much: bench/RESULTS.md)."""
    due, row_id = current.c.due_at, reports.c.id
    without = case((due.is_(None), 1), else_=0)  # NULLs last on both databases
    keys = select(row_id.label("id"), without.label("without"), due.label("due")) \
        .select_from(joined).where(*where)
    if after is not None:
        at, last = after
        keys = keys.where(and_(due.is_(None), row_id > last) if at is None else
                          or_(due.is_(None), due > at, and_(due == at, row_id > last)))
    page = keys.order_by(without, due.asc(), row_id.asc()).limit(count).subquery("page")
    return conn.execute(
        _select(now, joined.join(page, page.c.id == reports.c.id))
        .order_by(page.c.without, page.c.due.asc(), page.c.id.asc())).all()


def _with_deadlines(conn: Connection, where: Sequence[ColumnElement[bool]],
                    after: tuple[datetime | None, int] | None, count: int,
                    now: datetime) -> list[Row[Any]] | None:
    """The reports with a current deadline, in (due_at, id) order: open deadlines are read a
    batch at a time in due order from their own index (a query on that table alone, so no
    planner can prefer a report index and sort), then the batch's reports that match
    `where`; batches grow until `count` rows are found or the deadlines run out. None when
    the first batch fell short and fewer than FEW reports match at all (`_few`)."""
    due, report_id = current.c.due_at, current.c.report_id
    position = after
    batch = max(BATCH, 4 * count)
    rows: list[Row[Any]] = []
    while len(rows) < count:
        ids_query = (select(report_id, due).where(*_DEADLINE_ROWS)
                     .order_by(due.asc(), report_id.asc()).limit(batch))
        if position is None:
            ids_query = ids_query.where(due >= EPOCH)  # a range: SQLite then reads the index
        else:
            at, last = position
            ids_query = ids_query.where(
                due >= at, or_(due > at, and_(due == at, report_id > last)))
        found = conn.execute(ids_query).all()
        if found:
            rows += conn.execute(_batch_matches(ids_query, batch, where, count - len(rows),
                                                now)).all()
        if len(found) < batch:
            break
        if position is after and len(rows) < count and _few(conn, where):
            return None
        position = (found[-1][1], found[-1][0])
        batch = min(batch * 4, MAX_BATCH)
    return rows


def _batch_matches(ids_query: Select[Any], size: int, where: Sequence[ColumnElement[bool]],
                   count: int, now: datetime) -> Select[Any]:
    """The batch's reports in its order, then `where` on them. The batch with its reports is a
    LIMIT subquery, which no database flattens: each reads it first (the deadlines' index,
    then reports by primary key) and filters after. Joined flat, SQLite preferred a status
    or OPD index of the reports and sorted all they matched."""
    batch = ids_query.subquery("batch")
    read = (select(reports, current.c.step, current.c.due_at)
            .select_from(batch.join(reports, reports.c.id == batch.c.report_id)
                         .join(current, and_(current.c.report_id == batch.c.report_id,
                                             *_DEADLINE_ROWS)))
            .order_by(batch.c.due_at.asc(), batch.c.report_id.asc())
            .limit(size)  # a LIMIT keeps it unflattened (the batch has no more rows)
            .subquery("read"))
    on_read = ClauseAdapter(read, include_fn=lambda c: getattr(c, "table", None) in (
        reports, current))
    return (select(*_columns(now, read.c, read.c))
            .select_from(read.outerjoin(merged_into, merged_into.c.id == read.c.duplicate_of_id))
            .where(*(on_read.traverse(w) for w in where))
            .order_by(read.c.due_at.asc(), read.c.id.asc()).limit(count))
