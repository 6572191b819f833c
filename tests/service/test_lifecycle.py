"""Lifecycle use cases called without a chat: an API token, the system or a citizen acts.

Each test asserts what the use case promises: the status, the timeline event with its actor,
the deadline rows and the outbox rows (citizen updates, admin notifications)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

import pytest
from sqlalchemy import text

from bot.bootstrap import Container
from core.messages import Audience, Channel, Outbound
from core.ports import UnitOfWork
from core.reports import lifecycle
from core.reports.actors import Actor, Role
from core.reports.model import ReportType, Status
from core.reports.results import Changed, RefusalKind, Refused, Submitted
from storage.tokens import SqlTokenStore
from tests.service.chat import Chat
from tests.service.work_helpers import enrol, events, file_report, report_row

R = TypeVar("R")


def token(container: Container, name: str, role: Role = Role.COORDINATOR,
          opd: str | None = None) -> Actor:
    entry, _ = SqlTokenStore(container.engine).create(name, container.clock.now(), role, opd)
    return entry.actor


def run(container: Container, use_case: Callable[[UnitOfWork], R]) -> R:
    """One unit of work around the call, committed (as an API route would)."""
    with container.uow() as uow:
        result = use_case(uow)
        uow.commit()
    return result


def deadlines(container: Container, number: str) -> list[tuple[str, str | None]]:
    with container.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT d.step, d.opd FROM report_deadlines d JOIN reports r ON r.id = d.report_id "
            "WHERE r.tracking_no = :n AND d.closed_at IS NULL AND d.step <> 'ombudsman' "
            "ORDER BY d.id"), {"n": number}).all()
    return [(r[0], r[1]) for r in rows]


def outbox_count(container: Container) -> int:
    with container.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM outbox")).scalar_one())


def updates(chat: Chat, number: str) -> list[Outbound]:
    return [m for m in chat.replies() if m.report == number and m.audience is Audience.CITIZEN]


@pytest.fixture
def kominfo(container: Container) -> Actor:
    return token(container, "Sistem LAPOR Kominfo")


def verified(container: Container, actor: Actor, citizen_id: str = "sari") -> tuple[Chat, str]:
    citizen, number = file_report(container, citizen_id)
    done = run(container, lambda uow: lifecycle.verify(uow, container.city(), actor, number,
                                                         None, container.clock.now()))
    assert isinstance(done, Changed)
    citizen.replies()
    return citizen, number


def test_submit_by_a_token_routes_stores_plans_and_notifies_the_coordinator(
        container: Container, kominfo: Actor) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    Chat(container, "warga").say("/start")
    with container.engine.connect() as connection:
        citizen_id = connection.execute(text("SELECT max(id) FROM citizens")).scalar_one()
    form = lifecycle.Submission(
        citizen_id=citizen_id, channel=Channel.WEB, chat_id="warga", type=ReportType.PENGADUAN,
        category="jalan_rusak", description="Jalan berlubang besar di depan pasar sejak minggu lalu.",
        event_date=date(2026, 11, 20))
    done = run(container, lambda uow: lifecycle.submit(uow, container.city(), kominfo, form,
                                                         container.clock.now()))
    assert isinstance(done, Submitted) and done.status is Status.BARU
    assert events(container, done.tracking_no) == [("created", "token", kominfo.id)]
    assert deadlines(container, done.tracking_no) == [("verifikasi", None)]
    [note] = coordinator.replies()
    assert note.text.startswith(f"📥 Laporan baru {done.tracking_no}")


def test_submit_refuses_an_unknown_category_and_stores_nothing(container: Container,
                                                                kominfo: Actor) -> None:
    form = lifecycle.Submission(
        citizen_id=1, channel=Channel.WEB, chat_id="x", type=ReportType.ASPIRASI,
        category="tidak_ada", description="x" * 30, event_date=date(2026, 11, 20))
    refused = run(container, lambda uow: lifecycle.submit(uow, container.city(), kominfo, form,
                                                            container.clock.now()))
    assert isinstance(refused, Refused) and refused.kind is RefusalKind.INVALID
    with container.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM reports")).scalar_one() == 0


def test_verify_by_a_coordinator_token_disposes_replans_and_tells_citizen_and_officer(
        container: Container, kominfo: Actor) -> None:
    officer = enrol(container, "budi", "pupr")
    citizen, number = file_report(container, "sari")
    citizen.replies()
    done = run(container, lambda uow: lifecycle.verify(uow, container.city(), kominfo, number,
                                                         None, container.clock.now()))
    assert isinstance(done, Changed) and done.report.status is Status.DIDISPOSISIKAN
    assert report_row(container, number)["opd"] == "pupr"
    assert events(container, number)[-1] == ("verified", "token", kominfo.id)
    assert deadlines(container, number) == [("jawaban", "pupr")]
    [update] = updates(citizen, number)
    assert update.status == "didisposisikan" and "Diteruskan" in update.text
    [note] = officer.replies()
    assert number in note.text


def test_dispose_to_a_named_opd_and_officers_may_not(container: Container,
                                                      kominfo: Actor) -> None:
    _, number = file_report(container, "sari")
    done = run(container, lambda uow: lifecycle.dispose(uow, container.city(), kominfo, number,
                                                          "dlh", container.clock.now()))
    assert isinstance(done, Changed) and done.report.opd == "dlh"
    assert deadlines(container, number) == [("jawaban", "dlh")]
    officer = token(container, "Aplikasi DLH", Role.OFFICER, "dlh")
    refused = run(container, lambda uow: lifecycle.dispose(uow, container.city(), officer, number,
                                                             "pupr", container.clock.now()))
    assert isinstance(refused, Refused) and refused.kind is RefusalKind.FORBIDDEN
    assert report_row(container, number)["opd"] == "dlh"


def test_hand_back_by_an_officer_token_returns_it_to_the_coordinator(
        container: Container, kominfo: Actor) -> None:
    citizen, number = verified(container, kominfo)
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    officer = token(container, "Aplikasi PUPR", Role.OFFICER, "pupr")
    refused = run(container, lambda uow: lifecycle.hand_back(
        uow, container.city(), kominfo, number, "Bukan kewenangan kami", container.clock.now()))
    assert isinstance(refused, Refused) and refused.reason == "work.officer_only"
    done = run(container, lambda uow: lifecycle.hand_back(
        uow, container.city(), officer, number, "Jalan provinsi, bukan kewenangan kota",
        container.clock.now()))
    assert isinstance(done, Changed) and done.report.status is Status.BARU
    assert report_row(container, number)["opd"] is None
    assert events(container, number)[-1] == ("handed_back", "token", officer.id)
    assert deadlines(container, number) == [("verifikasi", None)]
    assert "Jalan provinsi" in coordinator.replies()[0].text
    assert [u.status for u in updates(citizen, number)] == ["baru"]


def test_answer_moves_to_diproses_once_and_later_answers_announce_no_status(
        container: Container, kominfo: Actor) -> None:
    citizen, number = verified(container, kominfo)
    officer = token(container, "Aplikasi PUPR", Role.OFFICER, "pupr")
    for reply in ("Tim kami meninjau lokasi besok.", "Penambalan dijadwalkan Jumat."):
        done = run(container, lambda uow, reply=reply: lifecycle.answer(
            uow, container.city(), officer, number, reply, container.clock.now()))
        assert isinstance(done, Changed) and done.report.status is Status.DIPROSES
    assert [e for e in events(container, number) if e[0] == "answer"] == [
        ("answer", "token", officer.id)] * 2
    assert deadlines(container, number) == [("selesai", "pupr")]
    first, second = updates(citizen, number)
    # WhatsApp's template outside the 24-hour window names the new status, or "new answer".
    assert (first.status, second.status) == ("diproses", None)
    assert "Penambalan dijadwalkan Jumat." in second.text


def test_resolve_asks_the_reporter_to_confirm_and_plans_the_confirmation(
        container: Container, kominfo: Actor) -> None:
    citizen, number = verified(container, kominfo)
    done = run(container, lambda uow: lifecycle.resolve(
        uow, container.city(), kominfo, number, "Jalan sudah ditambal.", container.clock.now()))
    assert isinstance(done, Changed) and done.report.status is Status.SELESAI
    assert events(container, number)[-1] == ("resolved", "token", kominfo.id)
    assert deadlines(container, number) == [("konfirmasi", "pupr")]
    [update] = updates(citizen, number)
    assert [o.id for o in update.options] == [f"fb:ok:{number}", f"fb:no:{number}"]


def test_reject_closes_a_new_report_with_the_reason(container: Container,
                                                    kominfo: Actor) -> None:
    citizen, number = file_report(container, "sari")
    citizen.replies()
    done = run(container, lambda uow: lifecycle.reject(
        uow, container.city(), kominfo, number, "Laporan tidak lengkap", container.clock.now()))
    assert isinstance(done, Changed) and done.report.status is Status.DITOLAK
    assert events(container, number)[-1] == ("rejected", "token", kominfo.id)
    assert deadlines(container, number) == []
    [update] = updates(citizen, number)
    assert "Laporan tidak lengkap" in update.text and update.status == "ditolak"


def test_merge_closes_the_duplicate_and_its_reporter_follows_the_original(
        container: Container, kominfo: Actor) -> None:
    _, original = file_report(container, "sari")
    other, duplicate = file_report(container, "budi", name="Budi")
    done = run(container, lambda uow: lifecycle.merge(uow, container.city(), kominfo, duplicate,
                                                        original, container.clock.now()))
    assert isinstance(done, Changed) and done.report.status is Status.DITUTUP
    assert done.target is not None and done.target.tracking_no == original
    assert events(container, duplicate)[-1] == ("merged", "token", kominfo.id)
    assert events(container, original)[-1] == ("merged_in", "token", kominfo.id)
    assert deadlines(container, duplicate) == []
    other.replies()
    run(container, lambda uow: lifecycle.reject(uow, container.city(), kominfo, original,
                                                "Sudah ditangani", container.clock.now()))
    assert updates(other, original), "the merged report's reporter follows the original"


def test_snooze_holds_reminders_and_needs_a_running_deadline(container: Container,
                                                             kominfo: Actor) -> None:
    _, number = verified(container, kominfo)
    done = run(container, lambda uow: lifecycle.snooze(uow, container.city(), kominfo, number,
                                                         container.clock.now()))
    assert isinstance(done, Changed) and done.snoozed is not None
    assert events(container, number)[-1] == ("snoozed", "token", kominfo.id)
    with container.engine.connect() as connection:
        snoozed = connection.execute(text(
            "SELECT count(*) FROM report_deadlines WHERE snoozed_until IS NOT NULL")).scalar_one()
    assert snoozed == 1
    # Resolved: only the citizen's confirmation runs, nothing of the OPD's to hold back.
    officer = token(container, "Aplikasi PUPR", Role.OFFICER, "pupr")
    run(container, lambda uow: lifecycle.resolve(uow, container.city(), officer, number,
                                                 "Sudah diperbaiki.", container.clock.now()))
    refused = run(container, lambda uow: lifecycle.snooze(uow, container.city(), officer, number,
                                                            container.clock.now()))
    assert isinstance(refused, Refused) and refused.reason == "work.tunda_nothing"
    assert refused.kind is RefusalKind.CONFLICT


def test_set_lapor_id_records_it_and_refuses_a_malformed_one(container: Container,
                                                             kominfo: Actor) -> None:
    _, number = file_report(container, "sari")
    bad = run(container, lambda uow: lifecycle.set_lapor_id(
        uow, container.city(), kominfo, number, "<script>", container.clock.now()))
    assert isinstance(bad, Refused) and bad.kind is RefusalKind.INVALID
    done = run(container, lambda uow: lifecycle.set_lapor_id(
        uow, container.city(), kominfo, number, "LAPOR-88123", container.clock.now()))
    assert isinstance(done, Changed) and report_row(container, number)["lapor_id"] == "LAPOR-88123"
    assert events(container, number)[-1] == ("lapor_id", "token", kominfo.id)


def test_refusals_change_nothing_and_say_why(container: Container, kominfo: Actor) -> None:
    _, number = verified(container, kominfo)
    other_opd = token(container, "Aplikasi DLH", Role.OFFICER, "dlh")
    before = (events(container, number), outbox_count(container))
    now = container.clock.now()
    cases = [
        (lambda uow: lifecycle.answer(uow, container.city(), other_opd, number, "Jawaban kami", now),
         RefusalKind.NOT_FOUND, "work.not_found"),
        (lambda uow: lifecycle.reject(uow, container.city(), kominfo, number, "Spam laporan", now),
         RefusalKind.CONFLICT, "work.bad_status"),
        (lambda uow: lifecycle.answer(uow, container.city(), kominfo, number, "ok", now),
         RefusalKind.INVALID, "work.text_too_short"),
        (lambda uow: lifecycle.answer(uow, container.city(), kominfo, "ADU-2026-999999",
                                      "Jawaban kami", now),
         RefusalKind.NOT_FOUND, "work.not_found"),
    ]
    for call, kind, reason in cases:
        refused = run(container, call)
        assert isinstance(refused, Refused) and (refused.kind, refused.reason) == (kind, reason)
    assert (events(container, number), outbox_count(container)) == before


def test_citizen_confirms_rates_or_disputes_without_a_chat(container: Container,
                                                           kominfo: Actor) -> None:
    officer_chat = enrol(container, "budi", "pupr")
    _, first = verified(container, kominfo, "sari")
    _, second = verified(container, kominfo, "sari")
    with container.engine.connect() as connection:
        citizen_id = connection.execute(text(
            "SELECT citizen_id FROM reports WHERE tracking_no = :n"), {"n": first}).scalar_one()
    sari, stranger = Actor.of_citizen(citizen_id), Actor.of_citizen(citizen_id + 1000)
    for number in (first, second):
        run(container, lambda uow, number=number: lifecycle.resolve(
            uow, container.city(), kominfo, number, "Sudah diperbaiki.", container.clock.now()))
    officer_chat.replies()
    city, now = container.city(), container.clock.now()
    refused = run(container, lambda uow: lifecycle.confirm(uow, city, stranger, first, now))
    assert isinstance(refused, Refused) and refused.kind is RefusalKind.NOT_FOUND
    assert isinstance(run(container, lambda uow: lifecycle.confirm(uow, city, sari, first, now)),
                      Changed)
    rated = run(container, lambda uow: lifecycle.rate(uow, city, sari, first, 4, now))
    assert isinstance(rated, Changed) and report_row(container, first)["rating"] == 4
    again = run(container, lambda uow: lifecycle.rate(uow, city, sari, first, 5, now))
    assert isinstance(again, Refused) and again.reason == "fb.expired"
    assert events(container, first)[-2:] == [("confirmed", "citizen", citizen_id),
                                             ("rated", "citizen", citizen_id)]
    disputed = run(container, lambda uow: lifecycle.dispute(uow, city, sari, second,
                                                              "Masih berlubang", now))
    assert isinstance(disputed, Changed) and disputed.report.status is Status.DIPROSES
    assert deadlines(container, second) == [("selesai", "pupr")]
    assert "Masih berlubang" in officer_chat.replies()[0].text


def test_the_system_closes_an_unconfirmed_report(container: Container, kominfo: Actor) -> None:
    citizen, number = verified(container, kominfo)
    run(container, lambda uow: lifecycle.resolve(uow, container.city(), kominfo, number,
                                                 "Sudah diperbaiki.", container.clock.now()))
    citizen.replies()

    def close(uow: UnitOfWork) -> Changed:
        report = uow.work.get(number, for_update=True)
        assert report is not None
        return lifecycle.close_unconfirmed(uow, container.city(), report, container.clock.now())

    done = run(container, close)
    assert done.report.status is Status.DITUTUP
    assert events(container, number)[-1] == ("auto_closed", "system", None)
    assert [u.status for u in updates(citizen, number)] == ["ditutup"]


def test_the_timeline_names_the_token_that_acted(container: Container, kominfo: Actor) -> None:
    _, number = verified(container, kominfo)
    with container.uow() as uow:
        report = uow.work.get(number)
        assert report is not None
        entries = uow.work.timeline(report.id, 10)
    assert [(e.kind, e.actor_kind, e.actor_name) for e in entries][-1] == (
        "verified", "token", "Sistem LAPOR Kominfo")
    assert entries[0].actor_name is None  # the citizen who filed it is never named


def test_a_report_filed_through_the_api_gets_no_chat_messages(container: Container,
                                                              kominfo: Actor) -> None:
    with container.uow() as uow:
        citizen = uow.citizens.get_or_create(Channel.API, "open311:1:warga@example.org", None,
                                             "Warga", "id", container.clock.now())
        uow.commit()
    form = lifecycle.Submission(
        citizen_id=citizen.id, channel=Channel.API, chat_id="open311:1:warga@example.org",
        type=ReportType.PENGADUAN, category="jalan_rusak",
        description="Jalan berlubang besar di depan pasar sejak minggu lalu.",
        event_date=date(2026, 11, 20))
    done = run(container, lambda uow: lifecycle.submit(uow, container.city(), kominfo, form,
                                                         container.clock.now()))
    assert isinstance(done, Submitted)
    changed = run(container, lambda uow: lifecycle.verify(uow, container.city(), kominfo,
                                                            done.tracking_no, None,
                                                            container.clock.now()))
    assert isinstance(changed, Changed) and changed.report.status is Status.DIDISPOSISIKAN
    with container.engine.connect() as connection:
        queued = connection.execute(text(
            "SELECT count(*) FROM outbox WHERE channel = 'api'")).scalar_one()
    assert queued == 0  # API callers read the status; nothing waits for a chat that is not there
