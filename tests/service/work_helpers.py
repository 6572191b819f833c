"""Enrolled admins and filed reports for the work-side service tests."""

from __future__ import annotations

from sqlalchemy import text

from bot.bootstrap import Container
from core.messages import Channel, Outbound
from storage.admin_store import SqlAdminStore
from tests.service.chat import Chat


def enrol(container: Container, chat_id: str, opd: str, role: str = "officer",
          channel: Channel = Channel.WEB, name: str = "Budi") -> Chat:
    """A chat that enrolled with a fresh invite code; its confirmation is consumed."""
    code, _ = SqlAdminStore(container.engine).create_invite(opd, role, container.clock.now())
    admin = Chat(container, chat_id, channel)
    [reply] = admin.say(f"/daftar {code}", name=name)
    assert "Terdaftar sebagai" in reply.text, reply.text
    return admin


def file_report(container: Container, chat_id: str, category: str = "jalan_rusak",
                privacy: str = "rahasia", name: str = "Sari Wulandari",
                channel: Channel = Channel.WEB) -> tuple[Chat, str]:
    citizen = Chat(container, chat_id, channel)
    number = citizen.file_report(category, privacy, name)
    return citizen, number


def texts(messages: list[Outbound]) -> str:
    return "\n---\n".join(m.text for m in messages)


def events(container: Container, number: str) -> list[tuple[str, str | None, int | None]]:
    with container.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT e.kind, e.actor_kind, e.actor_id FROM report_events e "
            "JOIN reports r ON r.id = e.report_id WHERE r.tracking_no = :n ORDER BY e.id"),
            {"n": number}).all()
    return [(r[0], r[1], r[2]) for r in rows]


def report_row(container: Container, number: str) -> dict[str, object]:
    with container.engine.connect() as connection:
        return dict(connection.execute(text("SELECT * FROM reports WHERE tracking_no = :n"),
                                       {"n": number}).mappings().one())
