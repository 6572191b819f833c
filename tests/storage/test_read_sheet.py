"""The rakor sheet's read model and a report's attachments: the list's page with the sheet's
fields, a reporter's name only for publik reports and only when asked, the officer's scope."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import Engine

from core.reports.model import Privacy, Status
from storage.read.detail import attachments
from storage.read.reports import ReportFilters, Sort, search_reports
from storage.read.sheet import sheet_page
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import NOW, make_citizen, new_report


def _add(engine: Engine, n: int, privacy: Privacy, status: Status = Status.DIDISPOSISIKAN,
         opd: str = "dpupr", photos: int = 0) -> str:
    chat = f"chat-{n}"
    citizen = make_citizen(engine, chat)
    report = replace(new_report(citizen, NOW + timedelta(minutes=n), f"Laporan {n}", photos,
                                status), chat_id=chat, privacy=privacy, opd=opd,
                     description=f"Isi laporan nomor {n} yang cukup panjang untuk dibaca.")
    with SqlUnitOfWork(engine) as uow:
        _, number = uow.reports.add_with_id(report)
        uow.commit()
    return number


def test_a_sheet_page_is_the_lists_page_with_the_sheets_fields(engine: Engine) -> None:
    numbers = [_add(engine, n, privacy) for n, privacy in enumerate(
        [Privacy.PUBLIK, Privacy.RAHASIA, Privacy.ANONIM, Privacy.PUBLIK])]
    filters = ReportFilters(statuses=[Status.DIDISPOSISIKAN])
    with engine.connect() as conn:
        listed = search_reports(conn, filters, NOW, sort=Sort.DEADLINE, limit=3)
        page = sheet_page(conn, filters, NOW, sort=Sort.DEADLINE, limit=3, publik_names=True)
        rest = sheet_page(conn, filters, NOW, sort=Sort.DEADLINE, cursor=page.next_cursor,
                          limit=3, publik_names=True)
    assert [row.item for row in page.rows] == list(listed.items)
    assert page.next_cursor == listed.next_cursor and rest.next_cursor is None
    rows = {row.item.tracking_no: row for row in (*page.rows, *rest.rows)}
    assert list(rows) == numbers
    assert [rows[n].reporter_name for n in numbers] == ["Sari", None, None, "Sari"]
    first = rows[numbers[0]]
    assert first.description == "Isi laporan nomor 0 yang cukup panjang untuk dibaca."
    assert first.event_date.isoformat() == "2026-03-01"


def test_names_are_read_only_when_asked_and_the_officer_scope_holds(engine: Engine) -> None:
    ours = _add(engine, 1, Privacy.PUBLIK)
    _add(engine, 2, Privacy.PUBLIK, opd="dinkes")
    _add(engine, 3, Privacy.PUBLIK, status=Status.BARU)
    with engine.connect() as conn:
        plain = sheet_page(conn, ReportFilters(), NOW)
        officer = sheet_page(conn, ReportFilters(), NOW, officer_opd="dpupr", publik_names=True)
        empty = sheet_page(conn, ReportFilters(q="tidak ada"), NOW, publik_names=True)
    assert len(plain.rows) == 3 and all(row.reporter_name is None for row in plain.rows)
    assert [row.item.tracking_no for row in officer.rows] == [ours]
    assert empty.rows == () and empty.next_cursor is None


def test_attachments_in_order_within_the_officers_scope(engine: Engine) -> None:
    number = _add(engine, 1, Privacy.RAHASIA, photos=2)
    new = _add(engine, 2, Privacy.RAHASIA, status=Status.BARU, photos=1)
    bare = _add(engine, 3, Privacy.PUBLIK)
    with engine.connect() as conn:
        found = attachments(conn, number)
        assert found is not None
        assert [(a.storage_key, a.filename) for a in found] == [
            ("sha256/0", "p0.jpg"), ("sha256/1", "p1.jpg")]
        assert attachments(conn, number, officer_opd="dpupr") == found
        assert attachments(conn, number, officer_opd="dinkes") is None
        assert attachments(conn, new, officer_opd="dpupr") is None  # still baru
        assert attachments(conn, "ADU-2026-999999") is None
        assert attachments(conn, bare) == ()
