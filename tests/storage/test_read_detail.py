"""One report's detail: every field, reporter, photos, open deadlines, merges, timeline."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import Engine

from core.messages import Channel
from core.reports.actors import ActorKind, Role, invite_code_hash
from core.reports.model import Privacy, ReportType, Status
from core.reports.views import ReportChange, ReportEvent
from core.sla.policy import PlannedDeadline, Step
from storage.admin_store import SqlAdminStore
from storage.read.detail import (
    AttachmentDetail,
    OpenDeadline,
    ReportDetail,
    ReporterDetail,
    TimelineItem,
    report_detail,
)
from storage.tokens import SqlTokenStore
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import NOW, make_citizen, new_report

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
TG = Channel.TELEGRAM


def _admin(engine: Engine, name: str, opd: str, chat_id: str) -> int:
    code, _ = SqlAdminStore(engine).create_invite(opd, Role.OFFICER.value, NOW)
    with SqlUnitOfWork(engine) as uow:
        invite = uow.admins.find_invite(invite_code_hash(code))
        assert invite is not None
        admin = uow.admins.enrol(invite, TG, chat_id, name, NOW)
        uow.commit()
    return admin.id


def _token(engine: Engine, name: str) -> int:
    entry, _ = SqlTokenStore(engine).create(name, NOW)
    return entry.id


def _add(engine: Engine, citizen: int, hours: int, photos: int = 0) -> tuple[int, str]:
    with SqlUnitOfWork(engine) as uow:
        added = uow.reports.add_with_id(new_report(citizen, NOW + hours * HOUR, photos=photos))
        uow.commit()
    return added


def test_detail_has_every_field_the_reporter_photos_deadlines_and_merges(engine: Engine) -> None:
    sari = make_citizen(engine)
    report_id, number = _add(engine, sari, 0, photos=2)
    first_id, first = _add(engine, sari, 1)
    second_id, second = _add(engine, sari, 2)
    later = NOW + 3 * HOUR
    with SqlUnitOfWork(engine) as uow:
        uow.work.update(report_id, ReportChange(status=Status.DIDISPOSISIKAN, lapor_id="LAP-1",
                                                rating=4), later)
        for merged in (second_id, first_id):
            uow.work.update(merged, ReportChange(duplicate_of_id=report_id), later)
        uow.deadlines.replace(report_id, [
            PlannedDeadline(Step.OMBUDSMAN, None, NOW, NOW + 60 * DAY, None),
            PlannedDeadline(Step.JAWABAN, "dpupr", later, later + 5 * DAY, None)], later)
        (answer,) = [r for r in uow.deadlines.active(report_id) if r.step is Step.JAWABAN]
        uow.deadlines.snooze(answer.id, later + DAY)
        uow.commit()
    with engine.connect() as conn:
        detail = report_detail(conn, number)
        merged_one = report_detail(conn, first)
    assert detail is not None and merged_one is not None
    assert replace(detail, timeline=()) == ReportDetail(
        id=report_id, tracking_no=number, type=ReportType.PENGADUAN, category="jalan",
        opd="dpupr", status=Status.DIDISPOSISIKAN, title="Jalan berlubang",
        description="Jalan di depan pasar berlubang besar dan membahayakan pengendara.",
        event_date=date(2026, 3, 1), latitude=-6.2, longitude=106.8, address="Jl. Merdeka 1",
        kelurahan="Menteng", privacy=Privacy.RAHASIA, lapor_id="LAP-1", rating=4,
        created_at=NOW, updated_at=later, status_changed_at=later, duplicate_of=None,
        merged=(first, second),  # oldest first, whatever order they were merged in
        reporter=ReporterDetail(sari, "Sari", TG, "chat-1", "u-chat-1", "id"),
        attachments=(AttachmentDetail("sha256/0", "image/jpeg", 1000, "p0.jpg"),
                     AttachmentDetail("sha256/1", "image/jpeg", 1001, "p1.jpg")),
        deadlines=(OpenDeadline(Step.JAWABAN, "dpupr", later, later + 5 * DAY, later + DAY),
                   OpenDeadline(Step.OMBUDSMAN, None, NOW, NOW + 60 * DAY, None)),
        timeline=())
    assert (merged_one.duplicate_of, merged_one.merged, merged_one.attachments,
            merged_one.deadlines) == (number, (), (), ())


def test_timeline_names_admins_and_tokens_but_never_citizens(engine: Engine) -> None:
    sari = make_citizen(engine)
    budi = make_citizen(engine, "chat-2")
    rina = _admin(engine, "Rina", "dpupr", "admin-1")
    bot = _token(engine, "integrasi-lapor")
    assert sari == rina == bot  # one id in three tables: only actor_kind tells them apart
    report_id, number = _add(engine, sari, 0)
    events = [
        ReportEvent(NOW + HOUR, "admin", rina, "viewed"),
        ReportEvent(NOW + 2 * HOUR, "admin", rina, "disposed", Status.BARU,
                    Status.DIDISPOSISIKAN, "ke DPUPR"),
        ReportEvent(NOW + 3 * HOUR, "token", bot, "lapor_id", note="LAP-7"),
        ReportEvent(NOW + 4 * HOUR, "system", None, "reminder"),
        ReportEvent(NOW + 5 * HOUR, "citizen", budi, "followed"),
        ReportEvent(NOW + 5 * HOUR, "citizen", sari, "feedback", note="terima kasih"),
    ]
    with SqlUnitOfWork(engine) as uow:
        for event in reversed(events):  # stored out of order: the timeline sorts by time
            uow.work.add_event(report_id, event)
        uow.commit()
    with engine.connect() as conn:
        detail = report_detail(conn, number)
        with_views = report_detail(conn, number, include_viewed=True)
    assert detail is not None and with_views is not None
    assert [(e.kind, e.actor_kind, e.actor_name, e.actor_opd) for e in detail.timeline] == [
        ("created", ActorKind.CITIZEN, None, None),
        ("disposed", ActorKind.ADMIN, "Rina", "dpupr"),
        ("lapor_id", ActorKind.TOKEN, "integrasi-lapor", None),
        ("reminder", ActorKind.SYSTEM, None, None),
        ("feedback", ActorKind.CITIZEN, None, None),  # same time: in the order recorded
        ("followed", ActorKind.CITIZEN, None, None),
    ]
    assert detail.timeline[1] == TimelineItem(
        NOW + 2 * HOUR, "disposed", ActorKind.ADMIN, "Rina", "dpupr", Status.BARU,
        Status.DIDISPOSISIKAN, "ke DPUPR")
    assert detail.timeline[0].status_to is Status.BARU
    assert [e.kind for e in with_views.timeline][:3] == ["created", "viewed", "disposed"]
    assert with_views.timeline[1].actor_name == "Rina"


def test_officer_sees_a_report_disposed_to_their_opd_only(engine: Engine) -> None:
    sari = make_citizen(engine)
    report_id, number = _add(engine, sari, 0)
    with engine.connect() as conn:
        assert report_detail(conn, number) is not None  # the coordinator sees a new report
        assert report_detail(conn, number, officer_opd="dpupr") is None  # still `baru`
        assert report_detail(conn, "ADU-2099-000001") is None
    with SqlUnitOfWork(engine) as uow:
        uow.work.update(report_id, ReportChange(status=Status.DIDISPOSISIKAN), NOW + HOUR)
        uow.commit()
    with engine.connect() as conn:
        seen = report_detail(conn, number, officer_opd="dpupr")
        assert seen is not None and seen.tracking_no == number
        assert report_detail(conn, number, officer_opd="dinkes") is None
