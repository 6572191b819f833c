"""The coordinator's report list: filters, officer scope, keyset pages, counts by status."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine

from core.reports.model import Privacy, ReportType, Status
from core.reports.views import ReportChange
from core.sla.policy import PlannedDeadline, Step
from storage.read.cursor import BadCursor
from storage.read.reports import (
    CurrentDeadline,
    ReportFilters,
    ReportListItem,
    Sort,
    count_by_status,
    search_reports,
)
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import NOW, make_citizen, new_report

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def _add(engine: Engine, created: datetime, status: Status = Status.BARU,
         opd: str | None = "dpupr", category: str = "jalan", title: str = "Jalan berlubang",
         description: str | None = None, deadline: tuple[Step, datetime] | None = None) -> str:
    """A report with, optionally, one open deadline (and the Ombudsman's, which never counts)."""
    report = replace(new_report(make_citizen(engine), created, title, status=status),
                     opd=opd, category=category)
    if description is not None:
        report = replace(report, description=description)
    planned = [PlannedDeadline(Step.OMBUDSMAN, None, created, created + HOUR, None)]
    if deadline is not None:
        planned.append(PlannedDeadline(deadline[0], opd, created, deadline[1], None))
    with SqlUnitOfWork(engine) as uow:
        report_id, number = uow.reports.add_with_id(report)
        uow.deadlines.replace(report_id, planned, created)
        uow.commit()
    return number


def _numbers(engine: Engine, officer_opd: str | None = None, **filters: object) -> list[str]:
    with engine.connect() as conn:
        page = search_reports(conn, ReportFilters(**filters), NOW,
                              officer_opd=officer_opd, limit=200)
    assert page.next_cursor is None
    return [item.tracking_no for item in page.items]


@pytest.fixture
def five(engine: Engine) -> list[str]:
    """r1…r5, newest last; r1 and r3 overdue; r4 waits on the citizen, not on an admin."""
    return [
        _add(engine, NOW - 5 * HOUR, deadline=(Step.VERIFIKASI, NOW - HOUR)),
        _add(engine, NOW - 4 * HOUR, Status.DIDISPOSISIKAN, title="Lampu jalan mati",
             deadline=(Step.JAWABAN, NOW + 2 * DAY)),
        _add(engine, NOW - 3 * HOUR, Status.DIPROSES, "dinkes", "kesehatan", "Puskesmas tutup",
             description="Puskesmas kelurahan tutup sejak pagi, antrean pasien ditolak.",
             deadline=(Step.SELESAI, NOW - 2 * HOUR)),
        _add(engine, NOW - 2 * HOUR, Status.SELESAI, category="sampah", title="Sampah menumpuk",
             deadline=(Step.KONFIRMASI, NOW - HOUR)),
        _add(engine, NOW - HOUR, Status.DITOLAK, None, title="Iklan"),
    ]


def test_each_filter_alone_and_combined(engine: Engine, five: list[str]) -> None:
    r1, r2, r3, r4, r5 = five
    assert _numbers(engine) == [r5, r4, r3, r2, r1]
    assert _numbers(engine, statuses=[Status.BARU, Status.DIPROSES]) == [r3, r1]
    assert _numbers(engine, opd="dpupr") == [r4, r2, r1]
    assert _numbers(engine, category="jalan") == [r5, r2, r1]
    assert _numbers(engine, since=NOW - 4 * HOUR) == [r5, r4, r3, r2]  # since is inclusive
    assert _numbers(engine, until=NOW - 2 * HOUR) == [r3, r2, r1]  # until is not
    assert _numbers(engine, since=NOW - 4 * HOUR, until=NOW - 2 * HOUR) == [r3, r2]
    assert _numbers(engine, q="LAMPU") == [r2]  # title, any case
    assert _numbers(engine, q="antrean PASIEN") == [r3]  # description
    assert _numbers(engine, q=r3[-4:]) == [r3]  # tracking number
    assert _numbers(engine, q=r3.lower()) == [r3]  # a whole one, any case: its index range
    assert _numbers(engine, q=r3[:-1]) == [r5, r4, r3, r2, r1]  # its start: ADU-2026-00000
    assert _numbers(engine, q=r3[:9]) == [r5, r4, r3, r2, r1]  # ADU-2026-
    assert _numbers(engine, q="ADU-1999-") == []
    assert _numbers(engine, q="  ") == [r5, r4, r3, r2, r1]  # blank: no filter
    # Overdue: an admin step's deadline is past; r4's confirmation window is the citizen's.
    assert _numbers(engine, overdue=True) == [r3, r1]
    assert _numbers(engine, overdue=False) == [r5, r4, r2]
    assert _numbers(engine, opd="dpupr", category="jalan", overdue=False) == [r2]
    assert _numbers(engine, statuses=[Status.BARU], q="lampu") == []


def test_items_carry_the_list_fields_deadline_and_merge(engine: Engine, five: list[str]) -> None:
    r1, r2, *_ = five
    with SqlUnitOfWork(engine) as uow:
        target = uow.work.get(r2)
        merged = uow.work.get(r1)
        assert target is not None and merged is not None
        uow.work.update(merged.id, ReportChange(duplicate_of_id=target.id, lapor_id="LAP-9"),
                        NOW)
        uow.commit()
    with engine.connect() as conn:
        items = search_reports(conn, ReportFilters(opd="dpupr", category="jalan"), NOW).items
    assert [(i.tracking_no, i.deadline, i.overdue, i.duplicate_of) for i in items] == [
        (r2, CurrentDeadline(Step.JAWABAN, NOW + 2 * DAY), False, None),
        (r1, CurrentDeadline(Step.VERIFIKASI, NOW - HOUR), True, r2),
    ]
    assert items[1] == ReportListItem(
        id=merged.id, tracking_no=r1, type=ReportType.PENGADUAN, category="jalan", opd="dpupr",
        status=Status.BARU, title="Jalan berlubang", privacy=Privacy.RAHASIA,
        kelurahan="Menteng", address="Jl. Merdeka 1", latitude=-6.2, longitude=106.8,
        created_at=NOW - 5 * HOUR, updated_at=NOW, lapor_id="LAP-9", duplicate_of=r2,
        deadline=CurrentDeadline(Step.VERIFIKASI, NOW - HOUR), overdue=True)


def test_q_takes_like_wildcards_literally(engine: Engine) -> None:
    percent = _add(engine, NOW, title="Diskon 50% palsu")
    _add(engine, NOW, title="Diskon 500 ribu")
    underscore = _add(engine, NOW, title="Akun a_b menipu")
    _add(engine, NOW, title="Akun axb menipu")
    assert _numbers(engine, q="50%") == [percent]
    assert _numbers(engine, q="%") == [percent]
    assert _numbers(engine, q="a_b") == [underscore]


def test_officer_sees_only_reports_disposed_to_their_opd(engine: Engine, five: list[str]) -> None:
    r1, r2, r3, r4, r5 = five
    # r1 is dpupr's but still `baru`, r3 is dinkes', r5 nobody's.
    assert _numbers(engine, officer_opd="dpupr") == [r4, r2]
    assert _numbers(engine, officer_opd="dpupr", statuses=[Status.BARU]) == []
    assert _numbers(engine, officer_opd="dpupr", opd="dinkes") == []
    assert _numbers(engine, officer_opd="dinkes") == [r3]
    with engine.connect() as conn:
        counts = count_by_status(conn, ReportFilters(), NOW, officer_opd="dpupr")
    assert counts == {**dict.fromkeys(Status, 0), Status.DIDISPOSISIKAN: 1, Status.SELESAI: 1}


def test_counts_by_status_keep_every_filter_but_the_statuses(engine: Engine,
                                                            five: list[str]) -> None:
    with engine.connect() as conn:
        def counts(**filters: object) -> dict[Status, int]:
            found = count_by_status(conn, ReportFilters(**filters), NOW)
            return {status: n for status, n in found.items() if n}

        assert set(count_by_status(conn, ReportFilters(), NOW)) == set(Status)
        assert counts() == {Status.BARU: 1, Status.DIDISPOSISIKAN: 1, Status.DIPROSES: 1,
                            Status.SELESAI: 1, Status.DITOLAK: 1}
        assert counts(statuses=[Status.DITOLAK], opd="dpupr") == {
            Status.BARU: 1, Status.DIDISPOSISIKAN: 1, Status.SELESAI: 1}
        assert counts(overdue=True) == {Status.BARU: 1, Status.DIPROSES: 1}
        assert counts(category="jalan", since=NOW - 4 * HOUR, q="lampu") == {
            Status.DIDISPOSISIKAN: 1}


def _walk(engine: Engine, sort: Sort, limit: int, filters: ReportFilters) -> list[list[str]]:
    pages: list[list[str]] = []
    cursor: str | None = None
    with engine.connect() as conn:
        while True:
            page = search_reports(conn, filters, NOW, sort=sort, cursor=cursor, limit=limit)
            pages.append([item.tracking_no for item in page.items])
            if page.next_cursor is None:
                return pages
            cursor = page.next_cursor
            assert len(pages) < 20


def test_newest_first_pages_through_ties_without_gaps_or_repeats(engine: Engine) -> None:
    # Three reports share each creation time: the id settles their order.
    created = {_add(engine, NOW - (i // 3) * HOUR): NOW - (i // 3) * HOUR for i in range(23)}
    _add(engine, NOW, opd="dinkes")
    expected = sorted(created, key=lambda n: (created[n], n), reverse=True)
    pages = _walk(engine, Sort.NEWEST, 5, ReportFilters(opd="dpupr"))
    assert [len(p) for p in pages] == [5, 5, 5, 5, 3]
    assert [n for page in pages for n in page] == expected
    assert _walk(engine, Sort.NEWEST, 23, ReportFilters(opd="dpupr")) == [expected]


def test_deadline_order_pages_earliest_first_then_those_without(engine: Engine) -> None:
    due: dict[str, datetime | None] = {}
    for i in range(21):  # ids interleave: every third has no admin deadline
        if i % 3 == 2:  # none at all, or only the citizen's confirmation window
            step = (Step.KONFIRMASI, NOW - DAY) if i % 2 else None
            due[_add(engine, NOW, Status.SELESAI, deadline=step)] = None
        else:  # pairs share a due time
            at = NOW + (7 - i // 3) * HOUR
            due[_add(engine, NOW, Status.DIDISPOSISIKAN, deadline=(Step.JAWABAN, at))] = at
    with_due = sorted((n for n in due if due[n]), key=lambda n: (due[n], n))
    expected = with_due + sorted(n for n in due if due[n] is None)
    for limit in (4, 5, 14):  # a page ends inside, at, and past the last dated report
        pages = _walk(engine, Sort.DEADLINE, limit, ReportFilters())
        assert [n for page in pages for n in page] == expected
        assert all(len(page) == limit for page in pages[:-1])
    with engine.connect() as conn:
        first = search_reports(conn, ReportFilters(), NOW, sort=Sort.DEADLINE, limit=1).items[0]
    assert first.deadline == CurrentDeadline(Step.JAWABAN, NOW + HOUR) and not first.overdue


def test_a_cursor_it_did_not_make_is_refused(engine: Engine) -> None:
    for i in range(3):
        _add(engine, NOW - i * HOUR)
    with engine.connect() as conn:
        cursor = search_reports(conn, ReportFilters(), NOW, limit=1).next_cursor
        assert cursor is not None
        edited = cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB")
        for bad in ("", "not a cursor!", "eyJ4IjoxfQ", cursor[:-5], edited, cursor + "x" * 300):
            with pytest.raises(BadCursor):
                search_reports(conn, ReportFilters(), NOW, cursor=bad)
        with pytest.raises(BadCursor):  # made for the other order
            search_reports(conn, ReportFilters(), NOW, sort=Sort.DEADLINE, cursor=cursor)
        assert issubclass(BadCursor, ValueError)


def test_limit_and_datetimes_are_checked(engine: Engine) -> None:
    for i in range(2):
        _add(engine, NOW - i * HOUR)
    with engine.connect() as conn:
        for limit in (0, 201, -1):
            with pytest.raises(ValueError):
                search_reports(conn, ReportFilters(), NOW, limit=limit)
        assert len(search_reports(conn, ReportFilters(), NOW, limit=200).items) == 2
        page = search_reports(conn, ReportFilters(), NOW, limit=1)
        assert len(page.items) == 1 and page.next_cursor is not None
        with pytest.raises(ValueError):
            search_reports(conn, ReportFilters(since=NOW.replace(tzinfo=None)), NOW)
