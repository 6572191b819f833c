from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import StatementError
from sqlmodel import col

from core.intake.state import Conversation, Step
from core.messages import Channel, Location, Media
from core.reports.model import Privacy, ReportType
from storage.tables import ChannelIdentityRow
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import NOW


def _identity(engine: Engine, chat_id: str) -> tuple[str | None, datetime | None, datetime]:
    with SqlUnitOfWork(engine) as uow:
        row = uow.session.scalars(
            select(ChannelIdentityRow).where(col(ChannelIdentityRow.chat_id) == chat_id)
        ).one()
        return row.display_name, row.last_inbound_at, row.created_at


def test_citizen_is_created_once_per_chat_and_identity_is_refreshed(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        first = uow.citizens.get_or_create(Channel.TELEGRAM, "42", "7", "Sari", "id", NOW)
        uow.commit()
    later = NOW + timedelta(hours=1)
    with SqlUnitOfWork(engine) as uow:
        again = uow.citizens.get_or_create(Channel.TELEGRAM, "42", "7", "Sari W.", "en", later)
        uow.commit()
    assert again.id == first.id
    assert again.language == "id"  # the stored choice wins over the hint
    display_name, last_inbound_at, created_at = _identity(engine, "42")
    assert display_name == "Sari W."
    assert last_inbound_at == later
    assert created_at.tzinfo is UTC


def test_set_language_is_remembered(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        citizen = uow.citizens.get_or_create(Channel.WHATSAPP, "628123", None, None, "id", NOW)
        uow.citizens.set_language(citizen.id, "en")
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.citizens.get_or_create(
            Channel.WHATSAPP, "628123", None, None, "id", NOW
        ).language == "en"


def test_racing_first_messages_share_one_citizen(engine: Engine) -> None:
    barrier = threading.Barrier(6)
    ids: list[int] = []

    def first_contact() -> None:
        barrier.wait()
        with SqlUnitOfWork(engine) as uow:
            ids.append(uow.citizens.get_or_create(Channel.WEB, "w-race", None, None, "id", NOW).id)
            uow.commit()

    threads = [threading.Thread(target=first_contact) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ids) == 6
    assert len(set(ids)) == 1


def test_conversation_round_trips_and_bumps_version(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        citizen = uow.citizens.get_or_create(Channel.TELEGRAM, "42", None, None, "id", NOW)
        assert uow.conversations.load_for_update(Channel.TELEGRAM, "42") is None
        conversation = Conversation(step=Step.LOCATION, language="en")
        conversation.draft.type = ReportType.PENGADUAN
        conversation.draft.description = "Lampu jalan mati sejak seminggu."
        conversation.draft.location = Location(-6.2, 106.8, "Jl. Sudirman")
        conversation.draft.photos.append(Media("sha256/ab", "image/jpeg", 10, "a.jpg"))
        conversation.draft.privacy = Privacy.ANONIM
        uow.conversations.save(Channel.TELEGRAM, "42", citizen.id, conversation, NOW)
        uow.commit()
    assert conversation.version == 1

    with SqlUnitOfWork(engine) as uow:
        loaded = uow.conversations.load_for_update(Channel.TELEGRAM, "42")
        assert loaded is not None
        assert loaded.to_dict() == conversation.to_dict()
        assert loaded.version == 1
        loaded.step = Step.PHOTOS
        uow.conversations.save(Channel.TELEGRAM, "42", citizen.id, loaded, NOW)
        uow.commit()
    assert loaded.version == 2

    with SqlUnitOfWork(engine) as uow:
        again = uow.conversations.load_for_update(Channel.TELEGRAM, "42")
        assert again is not None
        assert (again.step, again.version) == (Step.PHOTOS, 2)
        assert uow.conversations.load_for_update(Channel.WHATSAPP, "42") is None


def test_naive_timestamps_are_refused(engine: Engine) -> None:
    with pytest.raises(StatementError, match="naive datetime"), SqlUnitOfWork(engine) as uow:
        uow.inbound.seen(Channel.WEB, "x", NOW.replace(tzinfo=None))


def test_timestamps_in_other_zones_are_stored_as_utc(engine: Engine) -> None:
    jakarta = NOW.astimezone(ZoneInfo("Asia/Jakarta"))
    with SqlUnitOfWork(engine) as uow:
        uow.citizens.get_or_create(Channel.WEB, "w-tz", None, None, "id", jakarta)
        uow.commit()
    _, last_inbound_at, created_at = _identity(engine, "w-tz")
    assert last_inbound_at == created_at == NOW
    assert created_at.tzinfo is UTC and created_at.hour == NOW.hour
