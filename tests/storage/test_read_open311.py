"""Open311's read model: who sees which reports, the GET filters, and the spec's fields."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine

from core.directory.loader import bundled_directory_path, load_directory_file
from core.messages import Channel
from core.reports.model import Privacy, Status
from core.reports.views import ReportChange, ReportEvent
from core.sla.policy import PlannedDeadline, Step
from storage.directory_store import SqlDirectoryStore
from storage.read.open311 import (
    RequestQuery,
    Visibility,
    directory_changed_at,
    filed_through_open311,
    public_photo,
    service_requests,
)
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import NOW, make_citizen, new_report

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
PUBLIC, COORDINATOR = Visibility(), Visibility(everything=True)


def _add(engine: Engine, created: datetime, privacy: Privacy = Privacy.PUBLIK,
         status: Status = Status.BARU, opd: str | None = "dpupr", category: str = "jalan",
         photos: int = 0, channel: Channel = Channel.TELEGRAM, chat_id: str = "chat-1") -> str:
    report = replace(new_report(make_citizen(engine, chat_id, channel), created, photos=photos,
                                status=status), privacy=privacy, opd=opd, category=category,
                     channel=channel, chat_id=chat_id)
    with SqlUnitOfWork(engine) as uow:
        _, number = uow.reports.add_with_id(report)
        uow.commit()
    return number


def _numbers(engine: Engine, visibility: Visibility = PUBLIC, **query: object) -> list[str]:
    with engine.connect() as conn:
        rows = service_requests(conn, RequestQuery(**query), visibility)  # type: ignore[arg-type]
    return [row.tracking_no for row in rows]


@pytest.fixture
def mixed(engine: Engine) -> dict[str, str]:
    """One report per kind the visibility rules tell apart, newest last."""
    return {
        "public": _add(engine, NOW - 6 * HOUR),
        "rahasia": _add(engine, NOW - 5 * HOUR, Privacy.RAHASIA, Status.DIDISPOSISIKAN),
        "anonim": _add(engine, NOW - 4 * HOUR, Privacy.ANONIM, Status.DIPROSES),
        "rahasia_new": _add(engine, NOW - 3 * HOUR, Privacy.RAHASIA, Status.BARU),
        "other_opd": _add(engine, NOW - 2 * HOUR, Privacy.RAHASIA, Status.DIPROSES, "dinkes"),
        "public_closed": _add(engine, NOW - HOUR, Privacy.PUBLIK, Status.SELESAI, "dinkes",
                              "kesehatan"),
    }


def test_without_a_key_only_public_reports_are_listed(engine: Engine,
                                                      mixed: dict[str, str]) -> None:
    assert _numbers(engine) == [mixed["public_closed"], mixed["public"]]


def test_a_coordinator_sees_every_report_and_an_officer_its_opds_once_disposed(
        engine: Engine, mixed: dict[str, str]) -> None:
    assert _numbers(engine, COORDINATOR) == list(reversed(mixed.values()))
    officer = _numbers(engine, Visibility(officer_opd="dpupr"))
    assert officer == [mixed["public_closed"], mixed["anonim"], mixed["rahasia"],
                       mixed["public"]]  # not the undisposed one, nor another OPD's


def test_filters_by_number_service_status_and_dates(engine: Engine,
                                                    mixed: dict[str, str]) -> None:
    m = mixed
    assert _numbers(engine, COORDINATOR, is_open=False) == [m["public_closed"]]
    assert _numbers(engine, COORDINATOR, is_open=True)[-1] == m["public"]
    assert len(_numbers(engine, COORDINATOR, is_open=True)) == 5
    assert _numbers(engine, COORDINATOR, categories=("kesehatan",)) == [m["public_closed"]]
    # Both ends are inclusive.
    assert _numbers(engine, COORDINATOR, start=NOW - 5 * HOUR, end=NOW - 4 * HOUR) == [
        m["anonim"], m["rahasia"]]
    # Numbers override the other filters, never the visibility.
    assert _numbers(engine, numbers=(m["public"], m["rahasia"]), is_open=False,
                    categories=("kesehatan",)) == [m["public"]]
    assert _numbers(engine, COORDINATOR, numbers=(m["rahasia"],)) == [m["rahasia"]]


def test_pages_are_newest_first_and_do_not_overlap(engine: Engine) -> None:
    made = [_add(engine, NOW - n * HOUR) for n in range(7)]  # newest first
    pages = [_numbers(engine, offset=offset, limit=3) for offset in (0, 3, 6, 9)]
    assert pages == [made[:3], made[3:6], made[6:], []]
    with pytest.raises(ValueError):
        _numbers(engine, limit=1001)


def test_fields_notes_deadline_merge_and_photos(engine: Engine) -> None:
    answered = _add(engine, NOW - 3 * HOUR, status=Status.DIPROSES, photos=2)
    hidden = _add(engine, NOW - 2 * HOUR, Privacy.RAHASIA, Status.DITUTUP, photos=1)
    with SqlUnitOfWork(engine) as uow:
        one, two = uow.work.get(answered), uow.work.get(hidden)
        assert one is not None and two is not None
        for at, kind, note in [(NOW - 2 * HOUR, "answer", "Tim meluncur besok."),
                               (NOW - HOUR, "handed_back", "bukan kami"),  # internal
                               (NOW - HOUR, "disputed", "Belum diperbaiki, Pak Budi")]:
            uow.work.add_event(one.id, ReportEvent(at, "admin", 1, kind, note=note))
        uow.work.update(two.id, ReportChange(duplicate_of_id=one.id), NOW)
        uow.deadlines.replace(one.id, [
            PlannedDeadline(Step.SELESAI, "dpupr", NOW, NOW + 3 * DAY, None),
            PlannedDeadline(Step.OMBUDSMAN, None, NOW, NOW + 60 * DAY, None)], NOW)
        uow.commit()
    with engine.connect() as conn:
        first, second = service_requests(conn, RequestQuery(), COORDINATOR)
    assert (second.tracking_no, second.status, second.note, second.deadline_step,
            second.deadline_due, second.has_photo) == (
        answered, Status.DIPROSES, "Tim meluncur besok.", Step.SELESAI, NOW + 3 * DAY, True)
    assert (second.latitude, second.longitude, second.kelurahan) == (-6.2, 106.8, "Menteng")
    # A confidential report's photo is never offered, whoever asks.
    assert (first.tracking_no, first.duplicate_of, first.has_photo, first.deadline_step) == (
        hidden, answered, False, None)
    # A closed report was last updated when it was closed (the merge after it does not count).
    assert (first.updated_at, second.updated_at) == (NOW - 2 * HOUR, NOW - 3 * HOUR)


def test_public_photos_are_served_by_position_and_no_other(engine: Engine) -> None:
    public = _add(engine, NOW, photos=2)
    hidden = _add(engine, NOW, Privacy.ANONIM, photos=1)
    with engine.connect() as conn:
        assert [public_photo(conn, public, n).storage_key  # type: ignore[union-attr]
                for n in (1, 2)] == ["sha256/0", "sha256/1"]
        assert public_photo(conn, public, 3) is None and public_photo(conn, public, 0) is None
        assert public_photo(conn, hidden, 1) is None


def test_a_token_is_only_known_for_reports_filed_through_open311(engine: Engine) -> None:
    filed = _add(engine, NOW, channel=Channel.API, chat_id="open311:1:anonim")
    other_api = _add(engine, NOW, channel=Channel.API, chat_id="other:1")
    chat = _add(engine, NOW)
    with engine.connect() as conn:
        assert filed_through_open311(conn, filed, "open311")
        assert not filed_through_open311(conn, other_api, "open311")
        assert not filed_through_open311(conn, chat, "open311")
        assert not filed_through_open311(conn, "ADU-2026-999999", "open311")


def test_the_directory_change_time_is_the_last_import(engine: Engine) -> None:
    with engine.connect() as conn:
        assert directory_changed_at(conn) is None
    store, directory = SqlDirectoryStore(engine), load_directory_file(bundled_directory_path())
    store.save(directory, "a.yaml", "a", NOW - DAY)
    store.save(directory, "b.yaml", "b", NOW)
    with engine.connect() as conn:
        assert directory_changed_at(conn) == NOW
