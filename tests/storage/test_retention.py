"""Retention (RETENTION_MESSAGES_DAYS, RETENTION_IDENTITY_DAYS) on a fixed clock: what goes,
what stays, and that a second run removes nothing more."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session

from bot.retention import RetentionJob
from core.messages import Channel, Outbound
from core.privacy.model import Purged
from core.privacy.policy import Retention
from core.privacy.retention import purge
from core.reports.model import Status
from core.reports.views import Follower
from storage.audit import SqlAuditLog
from storage.columns import table_of
from storage.outbox_store import SqlOutboxStore, farewell_meta
from storage.retention import SqlRetentionStore
from storage.tables import AdminRow, ChannelIdentityRow, InboundIdRow, OutboxRow
from storage.uow import SqlUnitOfWork
from tests.fakes import FakeClock
from tests.personal_data import holding
from tests.storage.helpers import NOW, make_citizen, new_report, put_messages

TG = Channel.TELEGRAM
DAY = timedelta(days=1)
_outbox = table_of(OutboxRow)


def run(engine: Engine, at: FakeClock) -> Purged:
    return purge(SqlRetentionStore(engine), Retention(), at.now())


def statuses(engine: Engine) -> dict[int, str]:
    with Session(engine) as session:
        return {r.id: r.status for r in session.execute(select(_outbox.c.id, _outbox.c.status))}


def test_delivered_messages_and_inbound_ids_go_after_thirty_days(engine: Engine) -> None:
    clock, store = FakeClock(NOW), SqlOutboxStore(engine)
    sent, failed, pending, held, late, newest = put_messages(
        engine, (TG, "a"), (TG, "b"), (TG, "c"), (TG, "d"), (TG, "e"), (TG, "f"))
    store.mark_sent(sent, "m1", NOW)
    store.mark_failed(failed, "400", NOW)
    store.mark_held(held, None, "window", NOW)
    store.mark_sent(late, "m2", NOW + 20 * DAY)  # delivered late: counted from delivery
    store.mark_sent(newest, "m3", NOW)
    with SqlUnitOfWork(engine) as uow:
        uow.inbound.seen(TG, "tg:1", NOW)
        uow.inbound.seen(TG, "tg:2", NOW + 20 * DAY)
        uow.commit()

    clock.advance(days=29)
    assert run(engine, clock).total == 0
    clock.advance(days=2)
    result = run(engine, clock)

    assert (result.messages, result.inbound_ids) == (2, 1)
    # Waiting messages stay; so does the newest row, whose id SQLite would hand out again.
    assert set(statuses(engine)) == {pending, held, late, newest}
    with Session(engine) as session:
        assert session.execute(select(table_of(InboundIdRow).c.external_id)).scalars().all() == [
            "tg:2"]
    assert run(engine, clock).total == 0  # idempotent
    assert "removed 2 delivered message(s) and 1 inbound id(s)" in result.line()


def test_a_farewell_forgets_its_chat_once_delivered_or_at_the_next_purge(engine: Engine) -> None:
    store = SqlOutboxStore(engine)
    with SqlUnitOfWork(engine) as uow:
        uow.privacy.farewell(TG, "555", Outbound("Data Anda telah dihapus"), NOW)
        uow.privacy.farewell(TG, "556", Outbound("Data Anda telah dihapus"), NOW)
        uow.outbox.put(TG, "557", Outbound("not yet sent"), NOW, meta=farewell_meta(NOW))
        uow.commit()
    [first, second, third] = sorted(statuses(engine))
    store.mark_sent(first, "tg-1", NOW)
    store.mark_chat_unreachable(TG, "556", NOW)  # given up in bulk: the purge catches it
    assert holding(engine, "555") == [] and holding(engine, "556")
    assert run(engine, FakeClock(NOW)).farewells == 1
    assert holding(engine, "555", "556") == []
    assert holding(engine, "557")  # still to be sent
    with Session(engine) as session:
        rows = session.execute(select(_outbox.c.id, _outbox.c.status, _outbox.c.payload)).all()
    assert {r.id for r in rows} == {first, second, third}  # the rows stay, without a chat


def _closed(engine: Engine, chat_id: str, status: Status = Status.DITOLAK) -> tuple[int, str]:
    citizen = make_citizen(engine, chat_id)
    with SqlUnitOfWork(engine) as uow:
        report_id, number = uow.reports.add_with_id(new_report(citizen, status=status))
        uow.commit()
    with Session(engine) as session, session.begin():
        session.execute(text("UPDATE reports SET chat_id = :c WHERE id = :r"),
                        {"c": chat_id, "r": report_id})
    return citizen, number


def test_reporters_of_reports_closed_two_years_ago_are_removed(engine: Engine) -> None:
    clock = FakeClock(NOW)
    old_citizen, old_report = _closed(engine, "tg-old")  # inactive since: erased whole
    _, open_report = _closed(engine, "tg-open", Status.DIPROSES)  # open: stays as it is
    active, _ = _closed(engine, "tg-active")  # wrote recently: keeps their chat
    follower = make_citizen(engine, "tg-follower")
    with SqlUnitOfWork(engine) as uow:
        view = uow.work.get(old_report)
        assert view is not None
        uow.work.follow(view.id, Follower(follower, TG, "tg-follower", "id"), NOW)
        uow.commit()
    clock.advance(days=729)
    assert run(engine, clock).reporters == 0
    clock.advance(days=2)
    with Session(engine) as session, session.begin():
        session.execute(update(table_of(ChannelIdentityRow))
                        .where(table_of(ChannelIdentityRow).c.chat_id == "tg-active")
                        .values(last_inbound_at=clock.now() - DAY))

    result = run(engine, clock)

    assert result.reporters == 2  # the rejected reports of tg-old and tg-active
    assert result.citizens == 2  # tg-old, and the follower of a closed report, both inactive
    assert holding(engine, "tg-old", "tg-follower") == []
    assert holding(engine, "tg-active") and holding(engine, "tg-open")
    with SqlUnitOfWork(engine) as uow:
        detached = uow.work.get(old_report)
        still = uow.work.get(open_report)
        assert detached is not None and still is not None
        assert detached.reporter.erased == "retention" and detached.reporter.chat_id == ""
        assert detached.reporter.citizen_id != old_citizen
        assert detached.status is Status.DITOLAK and uow.work.followers(detached.id) == []
        assert still.reporter.erased is None and still.reporter.chat_id == "tg-open"
        assert [e.kind for e in uow.work.timeline(detached.id, 10)] == [
            "created", "reporter_expired"]
        assert uow.privacy.kept(active, 10) is not None
        assert uow.privacy.kept(active, 10).reports == ()  # type: ignore[union-attr]
    assert run(engine, clock).total == 0  # idempotent


def test_an_enrolled_admins_chat_is_never_erased_for_inactivity(engine: Engine) -> None:
    make_citizen(engine, "tg-admin")
    with Session(engine) as session, session.begin():
        session.add(AdminRow(name="Budi", opd_slug="pupr", role="officer", channel="telegram",
                             chat_id="tg-admin", created_at=NOW))
    clock = FakeClock(NOW)
    clock.advance(days=800)
    assert run(engine, clock).citizens == 0
    assert any(f.startswith("channel_identities") for f in holding(engine, "tg-admin"))


def test_the_daily_job_writes_an_audit_line_only_when_it_removed_something(
        engine: Engine) -> None:
    clock = FakeClock(NOW)
    job = RetentionJob(engine, Retention(), clock)
    assert job.run_once() == Purged() and SqlAuditLog(engine).lines() == []
    _closed(engine, "tg-old")
    clock.advance(days=800)
    done = job.run_once()
    assert done is not None and done.reporters == 1
    [line] = SqlAuditLog(engine).lines()
    assert (line.actor_kind, line.actor, line.action) == ("system", "sweeper", "purge")
    assert line.detail == done.line() and "tg-old" not in (line.detail or "")
