from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, update
from sqlalchemy.orm import Session
from sqlmodel import col

from core.city import IntakeConfig
from core.matching.duplicate_finder import DuplicateFinder
from core.messages import Audience, Channel, Location, Media, Outbound
from core.reports.actors import Role
from core.reports.model import NewReport, Privacy, Status
from core.reports.views import Follower, ReportChange, Reporter, ReportEvent
from storage.tables import AdminRow, ChannelIdentityRow, OutboxRow
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import NOW, make_citizen, new_report

TG, WA = Channel.TELEGRAM, Channel.WHATSAPP
HOUR = timedelta(hours=1)


def _add(engine: Engine, report: NewReport) -> str:
    with SqlUnitOfWork(engine) as uow:
        number = uow.reports.add(report)
        uow.commit()
    return number


def _view_id(uow: SqlUnitOfWork, number: str) -> int:
    view = uow.work.get(number)
    assert view is not None
    return view.id


def _id(engine: Engine, number: str) -> int:
    with SqlUnitOfWork(engine) as uow:
        return _view_id(uow, number)


def _change(engine: Engine, number: str, change: ReportChange, at: datetime = NOW) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.work.update(_view_id(uow, number), change, at)
        uow.commit()


def _admin(engine: Engine, name: str = "Rina") -> int:
    with Session(engine) as session, session.begin():
        row = AdminRow(name=name, opd_slug="dpupr", role=Role.OFFICER.value,
                       channel=TG.value, chat_id="admin-chat", created_at=NOW)
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


@contextmanager
def _counting_selects(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_get_builds_the_full_view_with_reporter_photos_and_merge(engine: Engine) -> None:
    sari = make_citizen(engine, "chat-1")
    original = _add(engine, new_report(sari, photos=2))
    merged = _add(engine, new_report(sari, created_at=NOW + HOUR))
    _change(engine, merged, ReportChange(duplicate_of_id=_id(engine, original)))
    with SqlUnitOfWork(engine) as uow:
        view = uow.work.get(original, for_update=True)
        assert view is not None
        assert (view.tracking_no, view.status, view.opd, view.category) == (
            original, Status.BARU, "dpupr", "jalan")
        assert view.location == Location(-6.2, 106.8)
        assert (view.address, view.kelurahan, view.duplicate_of, view.rating) == (
            "Jl. Merdeka 1", "Menteng", None, None)
        assert view.photos == (Media("sha256/0", "image/jpeg", 1000, "p0.jpg"),
                               Media("sha256/1", "image/jpeg", 1001, "p1.jpg"))
        assert view.reporter == Reporter(sari, TG, "chat-1", "u-chat-1", "Sari", "id")
        assert view.created_at == view.status_changed_at == NOW
        assert view.status_changed_at.tzinfo is UTC
        other = uow.work.get(merged)
        assert other is not None
        assert (other.duplicate_of, other.photos) == (original, ())
        assert uow.work.get("ADU-2099-000001") is None


def test_reporter_name_is_the_chats_else_the_citizens(engine: Engine) -> None:
    sari = make_citizen(engine, "chat-1")
    number = _add(engine, new_report(sari))
    with Session(engine) as session, session.begin():
        session.execute(update(ChannelIdentityRow).values(display_name="Sari W."))
    with SqlUnitOfWork(engine) as uow:
        view = uow.work.get(number)
        assert view is not None and view.reporter.display_name == "Sari W."
    with Session(engine) as session, session.begin():
        session.execute(update(ChannelIdentityRow).values(display_name=None, user_id=None))
    with SqlUnitOfWork(engine) as uow:
        view = uow.work.get(number)
        assert view is not None
        assert (view.reporter.display_name, view.reporter.user_id) == ("Sari", None)


def test_update_moves_status_age_only_with_a_status(engine: Engine) -> None:
    sari = make_citizen(engine)
    with SqlUnitOfWork(engine) as uow:
        number = uow.reports.add(new_report(sari))
        report_id = _view_id(uow, number)
        uow.work.update(report_id, ReportChange(status=Status.DIDISPOSISIKAN, opd="dinkes",
                                                lapor_id="LAP-7"), NOW + HOUR)
        # The citizen's side, in the same unit of work, sees the change too.
        summary = uow.reports.get_for_citizen(sari, number)
        assert summary is not None and summary.status is Status.DIDISPOSISIKAN
        uow.work.update(report_id, ReportChange(rating=4), NOW + 2 * HOUR)
        view = uow.work.get(number)
        assert view is not None
        assert (view.status, view.opd, view.lapor_id, view.rating) == (
            Status.DIDISPOSISIKAN, "dinkes", "LAP-7", 4)
        assert (view.status_changed_at, view.updated_at) == (NOW + HOUR, NOW + 2 * HOUR)
        uow.work.update(report_id, ReportChange(clear_opd=True), NOW + 3 * HOUR)
        cleared = uow.work.get(number)
        assert cleared is not None
        assert (cleared.opd, cleared.lapor_id, cleared.status) == (
            None, "LAP-7", Status.DIDISPOSISIKAN)
        with pytest.raises(ValueError):
            uow.work.update(report_id, ReportChange(opd="dpupr", clear_opd=True), NOW)


def test_timeline_hides_views_and_names_admins_but_never_citizens(engine: Engine) -> None:
    sari = make_citizen(engine)
    admin_id = _admin(engine)
    assert admin_id == sari  # same number: only actor_kind tells them apart
    number = _add(engine, new_report(sari))
    events = [
        ReportEvent(NOW + HOUR, "admin", admin_id, "viewed"),
        ReportEvent(NOW + 2 * HOUR, "admin", admin_id, "disposed", Status.BARU,
                    Status.DIDISPOSISIKAN, "ke DPUPR"),
        ReportEvent(NOW + 3 * HOUR, "system", None, "reminder"),
        ReportEvent(NOW + 4 * HOUR, "citizen", sari, "feedback", note="terima kasih"),
    ]
    with SqlUnitOfWork(engine) as uow:
        report_id = _view_id(uow, number)
        for e in reversed(events):  # stored out of order: the timeline sorts by time
            uow.work.add_event(report_id, e)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        timeline = uow.work.timeline(report_id, limit=10)
        assert [(e.kind, e.actor_kind, e.actor_name) for e in timeline] == [
            ("created", "citizen", None), ("disposed", "admin", "Rina"),
            ("reminder", "system", None), ("feedback", "citizen", None),
        ]
        disposed = timeline[1]
        assert (disposed.at, disposed.status_from, disposed.status_to, disposed.note) == (
            NOW + 2 * HOUR, Status.BARU, Status.DIDISPOSISIKAN, "ke DPUPR")
        assert timeline[0].status_to is Status.BARU
        latest = uow.work.timeline(report_id, limit=2)
        assert [e.kind for e in latest] == ["reminder", "feedback"]


def test_queue_puts_the_longest_waiting_first_and_counts_all(engine: Engine) -> None:
    sari = make_citizen(engine)
    r1, r2, r3, r4, r5 = (_add(engine, new_report(sari)) for _ in range(5))
    _change(engine, r1, ReportChange(status=Status.DIDISPOSISIKAN), NOW + 3 * HOUR)
    _change(engine, r2, ReportChange(status=Status.DIDISPOSISIKAN), NOW + HOUR)
    _change(engine, r3, ReportChange(status=Status.DIPROSES, opd="dinkes"), NOW + 2 * HOUR)
    _change(engine, r5, ReportChange(status=Status.SELESAI), NOW + HOUR)  # ties with r2
    working = [Status.DIDISPOSISIKAN, Status.DIPROSES]
    with SqlUnitOfWork(engine) as uow:

        def numbers(opd: str | None, statuses: list[Status], limit: int) -> tuple[list[str], int]:
            views, total = uow.work.queue(opd, statuses, limit)
            return [v.tracking_no for v in views], total

        assert numbers("dpupr", working, 10) == ([r2, r1], 2)
        assert numbers(None, working, 10) == ([r2, r3, r1], 3)
        assert numbers(None, working, 1) == ([r2], 3)
        assert numbers("dpupr", [Status.BARU], 10) == ([r4], 1)
        assert numbers("dpupr", [Status.DIDISPOSISIKAN, Status.SELESAI], 10) == ([r2, r5, r1], 3)
        assert numbers("dinkes", [Status.BARU], 10) == ([], 0)


def test_queue_reads_a_page_of_twenty_in_a_fixed_number_of_queries(engine: Engine) -> None:
    citizens = [make_citizen(engine, f"chat-{i}") for i in range(5)]
    for i in range(25):
        report = new_report(citizens[i % 5], photos=2)
        _add(engine, replace(report, chat_id=f"chat-{i % 5}"))
    with SqlUnitOfWork(engine) as uow, _counting_selects(engine) as selects:
        views, total = uow.work.queue(None, [Status.BARU], 20)
    assert (len(views), total) == (20, 25)
    assert all(len(v.photos) == 2 for v in views)
    assert {v.reporter.chat_id for v in views} == {f"chat-{i}" for i in range(5)}
    assert len(selects) <= 4, selects


def test_admins_possible_duplicates_follow_the_submit_rules_whatever_the_privacy(
        engine: Engine) -> None:
    sari, joko = make_citizen(engine), make_citizen(engine, chat_id="joko")
    near = Location(-6.2003, 106.8)  # ~33 m from new_report's pin
    far = Location(-6.21, 106.8)  # ~1.1 km

    def add(hours: int, citizen: int = sari, **fields: Any) -> str:
        return _add(engine, replace(new_report(citizen, created_at=NOW + hours * HOUR), **fields))

    base = add(0)
    close_by = add(1, joko, location=near, privacy=Privacy.ANONIM)  # not public: admins see it
    add(2, joko, location=far)
    add(3, joko, category="sampah")
    closed = add(4, joko)
    merged = add(5, joko)
    _add(engine, replace(new_report(joko, created_at=NOW - timedelta(days=31))))  # too old
    _change(engine, closed, ReportChange(status=Status.DITUTUP))
    _change(engine, merged, ReportChange(duplicate_of_id=_id(engine, base)))
    with SqlUnitOfWork(engine) as uow:
        view = uow.work.get(base)
        assert view is not None
        found = DuplicateFinder().for_report(uow, view, IntakeConfig(), 10)
    numbers = [d.candidate.tracking_no for d in found]
    assert numbers == [close_by]  # not the far, other-category, closed, merged or old ones
    assert found[0].distance_m is not None and 20 < found[0].distance_m < 50
    assert found[0].candidate.opd == "dpupr"  # for the caller's visibility check

def test_following_twice_is_refused_and_followers_carry_their_language(engine: Engine) -> None:
    sari = make_citizen(engine, "chat-1")
    budi = make_citizen(engine, "chat-2")
    ani = make_citizen(engine, "chat-3", channel=WA)
    with SqlUnitOfWork(engine) as uow:
        uow.citizens.set_language(budi, "en")
        uow.commit()
    number = _add(engine, new_report(sari))
    report_id = _id(engine, number)
    with SqlUnitOfWork(engine) as uow:
        assert uow.work.follow(report_id, Follower(budi, TG, "chat-2", "id"), NOW)
        assert not uow.work.follow(report_id, Follower(budi, TG, "chat-2", "id"), NOW)
        assert uow.work.follow(report_id, Follower(ani, WA, "chat-3", "id"), NOW)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.work.followers(report_id) == [
            Follower(budi, TG, "chat-2", "en"), Follower(ani, WA, "chat-3", "id")]
        assert uow.work.unfollow(report_id, budi)
        assert not uow.work.unfollow(report_id, budi)
        assert uow.work.followers(report_id) == [Follower(ani, WA, "chat-3", "id")]


def test_citizen_lists_the_reports_they_follow_with_their_own(engine: Engine) -> None:
    sari = make_citizen(engine, "chat-1")
    budi = make_citizen(engine, "chat-2")
    own = _add(engine, new_report(sari, created_at=NOW - 48 * HOUR))
    budis = replace(new_report(budi, created_at=NOW - 24 * HOUR), chat_id="chat-2")
    not_followed = _add(engine, budis)
    followed = _add(engine, replace(budis, created_at=NOW))
    with SqlUnitOfWork(engine) as uow:
        uow.work.follow(_view_id(uow, followed), Follower(sari, TG, "chat-1", "id"), NOW)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert [r.tracking_no for r in uow.reports.list_for_citizen(sari, 10)] == [
            followed, own]
        assert [r.tracking_no for r in uow.reports.list_for_citizen(budi, 10)] == [
            followed, not_followed]
        assert uow.reports.get_for_citizen(sari, followed) is not None
        assert uow.reports.get_for_citizen(sari, not_followed) is None


def test_reply_to_an_admin_notification_finds_its_report_in_that_chat_only(
        engine: Engine) -> None:
    def note(ref: str) -> Outbound:
        return Outbound("Laporan baru", report=ref, audience=Audience.ADMIN)

    with SqlUnitOfWork(engine) as uow:
        about = uow.outbox.put(TG, "chat-1", note("ADU-2026-000007"), NOW)
        elsewhere = uow.outbox.put(TG, "chat-2", note("ADU-2026-000009"), NOW)
        plain = uow.outbox.put(TG, "chat-1", Outbound("Halo"), NOW)
        update_to_citizen = uow.outbox.put(TG, "chat-1", Outbound(
            "Kabar", report="ADU-2026-000003", audience=Audience.CITIZEN), NOW)
        held = uow.outbox.put(WA, "chat-1", note("ADU-2026-000004"), NOW)
        uow.commit()
    with Session(engine) as session, session.begin():
        for row_id, platform_id, status in ((about, "555", "sent"), (elsewhere, "555", "read"),
                                            (plain, "556", "sent"),
                                            (update_to_citizen, "557", "sent"),
                                            (held, "wamid.T", "held")):
            session.execute(update(OutboxRow).where(col(OutboxRow.id) == row_id)
                            .values(platform_message_id=platform_id, status=status))
    with SqlUnitOfWork(engine) as uow:
        assert uow.work.report_for_message(TG, "chat-1", "555") == "ADU-2026-000007"
        assert uow.work.report_for_message(TG, "chat-2", "555") == "ADU-2026-000009"
        assert uow.work.report_for_message(TG, "chat-3", "555") is None
        assert uow.work.report_for_message(WA, "chat-1", "555") is None
        assert uow.work.report_for_message(TG, "chat-1", "556") is None
        assert uow.work.report_for_message(TG, "chat-1", "557") is None  # not a notification
        assert uow.work.report_for_message(WA, "chat-1", "wamid.T") is None  # a held template
        assert uow.work.report_for_message(TG, "chat-1", "999") is None
