from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlmodel import col

from core.reports.model import TRACKING_RE, NewReport, Status
from storage.tables import AttachmentRow, ReportEventRow, ReportRow
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import NOW, make_citizen, new_report


def _add(engine: Engine, report: NewReport) -> str:
    with SqlUnitOfWork(engine) as uow:
        number = uow.reports.add(report)
        uow.commit()
    return number


def test_report_is_stored_with_attachments_and_first_event(engine: Engine) -> None:
    citizen_id = make_citizen(engine)
    number = _add(engine, new_report(citizen_id, photos=2, status=Status.DIDISPOSISIKAN))
    assert number == "ADU-2026-000001"
    with SqlUnitOfWork(engine) as uow:
        report = uow.session.scalars(select(ReportRow)).one()
        assert (report.tracking_no, report.opd, report.latitude) == (number, "dpupr", -6.2)
        assert report.address == "Jl. Merdeka 1"
        assert report.lapor_id is None
        attachments = uow.session.scalars(
            select(AttachmentRow).order_by(col(AttachmentRow.id))
        ).all()
        assert [a.storage_key for a in attachments] == ["sha256/0", "sha256/1"]
        events = uow.session.scalars(select(ReportEventRow)).all()
        assert [(e.actor_kind, e.kind, e.status_from, e.status_to) for e in events] == [
            ("citizen", "created", None, "didisposisikan")
        ]
        assert events[0].at == NOW


def test_tracking_year_follows_jakarta_time(engine: Engine) -> None:
    citizen_id = make_citizen(engine)
    # 18:00 UTC on 31 December is already 01:00 on 1 January in Jakarta.
    new_year = datetime(2025, 12, 31, 18, 0, tzinfo=UTC)
    numbers = [
        _add(engine, new_report(citizen_id, created_at=at))
        for at in (new_year - timedelta(hours=2), new_year, new_year)
    ]
    assert numbers == ["ADU-2025-000001", "ADU-2026-000001", "ADU-2026-000002"]


def test_rolled_back_report_gives_its_number_back(engine: Engine) -> None:
    citizen_id = make_citizen(engine)
    with SqlUnitOfWork(engine) as uow:
        assert uow.reports.add(new_report(citizen_id)) == "ADU-2026-000001"
    assert _add(engine, new_report(citizen_id)) == "ADU-2026-000001"


def test_tracking_numbers_are_unique_and_contiguous_under_concurrency(engine: Engine) -> None:
    citizen_id = make_citizen(engine)
    threads_n, per_thread = 8, 25
    barrier = threading.Barrier(threads_n)
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def submit() -> None:
        try:
            barrier.wait()
            for _ in range(per_thread):
                number = _add(engine, new_report(citizen_id))
                with lock:
                    numbers.append(number)
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    sequences = sorted(int(m.group(2)) for n in numbers if (m := TRACKING_RE.match(n)))
    assert sequences == list(range(1, threads_n * per_thread + 1))


def test_citizen_sees_own_reports_newest_first(engine: Engine) -> None:
    sari = make_citizen(engine, "chat-1")
    budi = make_citizen(engine, "chat-2")
    first = _add(engine, new_report(sari, created_at=NOW - timedelta(days=2), title="Sampah"))
    second = _add(engine, new_report(sari, created_at=NOW - timedelta(hours=1), title="Banjir"))
    others = _add(engine, new_report(budi, created_at=NOW, title="Parkir liar"))
    with SqlUnitOfWork(engine) as uow:
        listed = uow.reports.list_for_citizen(sari, limit=10)
        assert [r.tracking_no for r in listed] == [second, first]
        assert [r.title for r in uow.reports.list_for_citizen(sari, limit=1)] == ["Banjir"]
        assert uow.reports.count_created_since(sari, NOW - timedelta(days=1)) == 1
        assert uow.reports.count_created_since(sari, NOW - timedelta(days=3)) == 2
        found = uow.reports.get_for_citizen(sari, first)
        assert found is not None
        assert (found.status, found.category, found.opd) == (Status.BARU, "jalan", "dpupr")
        assert found.created_at == NOW - timedelta(days=2)
        assert found.created_at.tzinfo is UTC and found.updated_at.tzinfo is UTC
        assert uow.reports.get_for_citizen(sari, others) is None
