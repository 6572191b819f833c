"""Builders shared by the storage tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine

from core.messages import Channel, Location, Media, Outbound
from core.reports.model import NewReport, Privacy, ReportType, Status
from storage.uow import SqlUnitOfWork

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


def make_citizen(engine: Engine, chat_id: str = "chat-1",
                 channel: Channel = Channel.TELEGRAM) -> int:
    with SqlUnitOfWork(engine) as uow:
        citizen = uow.citizens.get_or_create(channel, chat_id, "u-" + chat_id, "Sari", "id", NOW)
        uow.commit()
    return citizen.id


def new_report(citizen_id: int, created_at: datetime = NOW, title: str = "Jalan berlubang",
               photos: int = 0, status: Status = Status.BARU) -> NewReport:
    return NewReport(
        citizen_id=citizen_id, channel=Channel.TELEGRAM, chat_id="chat-1",
        type=ReportType.PENGADUAN, category="jalan", opd="dpupr", status=status, title=title,
        description="Jalan di depan pasar berlubang besar dan membahayakan pengendara.",
        event_date=date(2026, 3, 1), location=Location(-6.2, 106.8), address="Jl. Merdeka 1",
        kelurahan="Menteng", privacy=Privacy.RAHASIA,
        photos=tuple(Media(f"sha256/{i}", "image/jpeg", 1000 + i, f"p{i}.jpg")
                     for i in range(photos)),
        created_at=created_at,
    )


def put_messages(engine: Engine, *targets: tuple[Channel, str], at: datetime = NOW) -> list[int]:
    """Queue one message per target, in order; return the outbox ids."""
    with SqlUnitOfWork(engine) as uow:
        ids = [uow.outbox.put(channel, chat_id, Outbound(text=f"m{i}"), at)
               for i, (channel, chat_id) in enumerate(targets)]
        uow.commit()
    return ids
