from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlmodel import col

from core.messages import Channel
from core.reports.actors import Admin, Role
from storage.tables import AdminRow, InviteRow
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import NOW, make_citizen

TG, WA = Channel.TELEGRAM, Channel.WHATSAPP


def _invite(engine: Engine, code_hash: str, opd: str = "dpupr",
            role: Role = Role.OFFICER) -> None:
    with Session(engine) as session, session.begin():
        session.add(InviteRow(code_hash=code_hash, opd_slug=opd, role=role.value,
                              created_at=NOW, expires_at=NOW + timedelta(days=3)))


def _enrol(engine: Engine, code_hash: str, chat_id: str, name: str = "Rina",
           channel: Channel = TG) -> Admin:
    with SqlUnitOfWork(engine) as uow:
        invite = uow.admins.find_invite(code_hash)
        assert invite is not None
        admin = uow.admins.enrol(invite, channel, chat_id, name, NOW)
        uow.commit()
    return admin


def test_enrol_marks_the_invite_used_and_binds_the_chat(engine: Engine) -> None:
    _invite(engine, "h1", opd="dinkes", role=Role.COORDINATOR)
    with SqlUnitOfWork(engine) as uow:
        invite = uow.admins.find_invite("h1")
        assert invite is not None
        assert (invite.opd, invite.role, invite.used_at) == ("dinkes", Role.COORDINATOR, None)
        assert invite.expires_at == NOW + timedelta(days=3)
        admin = uow.admins.enrol(invite, TG, "chat-9", "Rina", NOW)
        # Read again inside the same unit of work: no stale copy of the invite.
        used = uow.admins.find_invite("h1")
        assert used is not None and used.used_at == NOW
        uow.commit()
    assert (admin.name, admin.opd, admin.role, admin.channel, admin.chat_id) == (
        "Rina", "dinkes", Role.COORDINATOR, TG, "chat-9")
    assert admin.is_coordinator
    with SqlUnitOfWork(engine) as uow:
        assert uow.admins.by_chat(TG, "chat-9") == admin
        assert uow.admins.by_chat(WA, "chat-9") is None  # same id, other channel
        assert uow.admins.find_invite("unknown") is None
        row = uow.session.scalars(select(InviteRow)).one()
        assert (row.used_at, row.used_by_admin_id) == (NOW, admin.id)


def test_enrolling_a_chat_again_revokes_its_earlier_binding(engine: Engine) -> None:
    _invite(engine, "first", opd="dpupr")
    _invite(engine, "second", opd="dinkes")
    before = _enrol(engine, "first", "chat-1")
    after = _enrol(engine, "second", "chat-1", name="Rina K.")
    assert after.id != before.id
    with SqlUnitOfWork(engine) as uow:
        assert uow.admins.by_chat(TG, "chat-1") == after
        assert uow.admins.active() == [after]
        revoked = uow.session.get_one(AdminRow, before.id)
        assert revoked.revoked_at == NOW


def test_revoked_admin_is_neither_found_by_chat_nor_active(engine: Engine) -> None:
    _invite(engine, "h1")
    admin = _enrol(engine, "h1", "chat-1")
    with Session(engine) as session, session.begin():
        session.get_one(AdminRow, admin.id).revoked_at = NOW + timedelta(hours=1)
    with SqlUnitOfWork(engine) as uow:
        assert uow.admins.by_chat(TG, "chat-1") is None
        assert uow.admins.active() == []
        assert uow.admins.active(opd="dpupr") == []


def test_active_filters_by_opd_and_role_in_enrolment_order(engine: Engine) -> None:
    for code, opd, role in (("a", "dpupr", Role.OFFICER), ("b", "dinkes", Role.OFFICER),
                            ("c", "diskominfo", Role.COORDINATOR), ("d", "dpupr", Role.OFFICER)):
        _invite(engine, code, opd=opd, role=role)
    a, b, c, d = (_enrol(engine, code, f"chat-{code}") for code in "abcd")
    with Session(engine) as session, session.begin():
        # Kept for the dashboard only: no chat to message.
        session.add(AdminRow(name="Web", opd_slug="dpupr", role="officer", created_at=NOW))
    with SqlUnitOfWork(engine) as uow:
        assert uow.admins.active() == [a, b, c, d]
        assert uow.admins.active(opd="dpupr") == [a, d]
        assert uow.admins.active(role=Role.COORDINATOR) == [c]
        assert uow.admins.active(opd="dpupr", role=Role.COORDINATOR) == []
        assert uow.admins.active(opd="dinkes", role=Role.OFFICER) == [b]


def test_admin_speaks_the_language_their_chat_chose(engine: Engine) -> None:
    _invite(engine, "a")
    _invite(engine, "b")
    make_citizen(engine, "chat-en")  # wrote to the bot first, in Indonesian
    with SqlUnitOfWork(engine) as uow:
        citizen = uow.citizens.get_or_create(TG, "chat-en", None, None, "id", NOW)
        uow.citizens.set_language(citizen.id, "en")  # then chose English with /bahasa
        uow.commit()
    english = _enrol(engine, "a", "chat-en")
    never_wrote = _enrol(engine, "b", "chat-new")
    assert english.language == "en"
    assert never_wrote.language == "id"
    with SqlUnitOfWork(engine) as uow:
        assert [a.language for a in uow.admins.active()] == ["en", "id"]


def test_find_invite_locks_the_row_until_commit(pg_engine: Engine) -> None:
    _invite(pg_engine, "h1")
    with SqlUnitOfWork(pg_engine) as uow:
        assert uow.admins.find_invite("h1") is not None
        with Session(pg_engine) as other, other.begin(), pytest.raises(OperationalError):
            other.execute(select(col(InviteRow.id)).where(col(InviteRow.code_hash) == "h1")
                          .with_for_update(nowait=True)).all()
