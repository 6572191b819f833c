"""The list's page reads (storage/read/pages.py) against the plain definition of the order:
several statuses merged newest first, and deadlines read batch by batch (more than one batch,
ties on the due time, a selective filter, reports without a deadline last)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine

from core.reports.model import Status
from core.sla.policy import PlannedDeadline, Step
from storage.read.pages import BATCH
from storage.read.reports import ReportFilters, Sort, search_reports
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import NOW, make_citizen, new_report

STEP_OF = {Status.BARU: Step.VERIFIKASI, Status.DIDISPOSISIKAN: Step.JAWABAN,
           Status.DIPROSES: Step.SELESAI, Status.SELESAI: Step.KONFIRMASI}
STATUSES = list(Status)


@pytest.fixture
def many(engine: Engine) -> list[tuple[str, Status, str, datetime, datetime | None]]:
    """2.5 batches of reports: (number, status, opd, created, due of the admin step)."""
    citizen = make_citizen(engine)
    made = []
    with SqlUnitOfWork(engine) as uow:
        for n in range(BATCH * 5 // 2):
            status = STATUSES[n % len(STATUSES)]
            opd = "dinkes" if n % 11 == 0 else "dpupr"
            created = NOW - timedelta(minutes=n % 97)  # ties on created_at too
            report = replace(new_report(citizen, created, f"Laporan {n}", status=status),
                             opd=opd)
            report_id, number = uow.reports.add_with_id(report)
            step = STEP_OF.get(status)
            due = NOW + timedelta(hours=n % 23 - 5) if step is not None else None
            planned = [PlannedDeadline(Step.OMBUDSMAN, None, created, NOW, None)]
            if step is not None and due is not None:
                planned.append(PlannedDeadline(step, opd, created, due, None))
            uow.deadlines.replace(report_id, planned, created)
            made.append((number, status, opd, created, due if status.is_open else None))
        uow.commit()
    return made


def walk(engine: Engine, sort: Sort, limit: int, officer_opd: str | None = None,
         **filters: object) -> list[str]:
    seen: list[str] = []
    cursor = None
    with engine.connect() as conn:
        while True:
            page = search_reports(conn, ReportFilters(**filters), NOW, officer_opd=officer_opd,
                                  sort=sort, cursor=cursor, limit=limit)
            seen += [item.tracking_no for item in page.items]
            if page.next_cursor is None:
                return seen
            cursor = page.next_cursor


def ids(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


CASES: list[tuple[str | None, dict[str, object]]] = [
    (None, {}), (None, {"opd": "dinkes"}), ("dinkes", {}),
    (None, {"statuses": [Status.DIPROSES, Status.BARU]}), (None, {"overdue": True}),
    (None, {"overdue": False, "statuses": [Status.BARU, Status.SELESAI]}),
]


def test_every_order_and_filter_pages_like_its_definition(
        engine: Engine, many: list[tuple[str, Status, str, datetime, datetime | None]]) -> None:
    for officer, filters in CASES:
        rows = [row for row in many if shown(row, officer, filters)]
        newest = [r[0] for r in sorted(rows, key=lambda r: (r[3], ids(r[0])), reverse=True)]
        far = datetime.max.replace(tzinfo=NOW.tzinfo)
        by_due = [r[0] for r in sorted(rows, key=lambda r: (r[4] is None, r[4] or far,
                                                             ids(r[0])))]
        assert rows, "the fixture should match something"
        assert walk(engine, Sort.NEWEST, 37, officer, **filters) == newest, (officer, filters)
        assert walk(engine, Sort.DEADLINE, 37, officer, **filters) == by_due, (officer, filters)
        assert walk(engine, Sort.DEADLINE, 200, officer, **filters) == by_due, (officer, filters)


def shown(row: tuple[str, Status, str, datetime, datetime | None], officer: str | None,
          filters: dict[str, object]) -> bool:
    """The definition: which reports a list with these filters shows."""
    _, status, opd, _, due = row
    statuses = filters.get("statuses")
    if isinstance(statuses, list) and status not in statuses:
        return False
    if officer is not None and (opd != officer or status is Status.BARU):
        return False
    if "opd" in filters and opd != filters["opd"]:
        return False
    late = due is not None and due < NOW
    return "overdue" not in filters or late == filters["overdue"]
