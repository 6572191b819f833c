"""The notice use case: a channel's own catalog reply, once per platform message id."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.bootstrap import Container
from core.intake.notice import Author, Notice, put_notice
from core.messages import Channel
from storage.columns import table_of
from storage.tables import CitizenRow
from tests.service.chat import Chat


def citizens(container: Container) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table_of(CitizenRow))).scalar_one())


def texts(container: Container, channel: Channel, chat_id: str) -> list[str]:
    return [m.text for _, m, _ in container.outbox.fetch_for_chat(channel, chat_id, 0, 100)]


def test_a_notice_is_queued_once_per_message_id(container: Container) -> None:
    notice = Notice(Channel.TELEGRAM, "-100123", "tg:1", "telegram.private_only", "en")
    now = container.clock.now()
    assert put_notice(container.uow, now, notice) is False
    assert put_notice(container.uow, now, notice) is True  # a redelivery: nothing more
    [text] = texts(container, Channel.TELEGRAM, "-100123")
    assert "private chat" in text


def test_without_an_author_nobody_is_recorded_and_the_hint_chooses_the_language(
        container: Container) -> None:
    notice = Notice(Channel.TELEGRAM, "5501", "tg:2", "telegram.file_too_large", "en",
                    {"max_mb": 20})
    put_notice(container.uow, container.clock.now(), notice, "id")
    assert "at most 20 MB" in texts(container, Channel.TELEGRAM, "5501")[0]
    assert citizens(container) == 0


def test_the_conversation_language_wins_over_the_hint(container: Container) -> None:
    sari = Chat(container, "5502", Channel.TELEGRAM)
    sari.say("/bahasa")
    sari.say(option="lang:en")
    sari.replies()
    notice = Notice(Channel.TELEGRAM, "5502", "tg:3", "telegram.file_type", "id")
    put_notice(container.uow, container.clock.now(), notice)
    assert "only photos" in sari.replies()[0].text


def test_an_author_is_recorded_as_a_citizen_in_the_default_language(container: Container) -> None:
    notice = Notice(Channel.WHATSAPP, "6281200000009", "wa:1", "whatsapp.file_not_image",
                    author=Author("6281200000009", "Sari"))
    put_notice(container.uow, container.clock.now(), notice, "id")
    assert texts(container, Channel.WHATSAPP, "6281200000009")[0].startswith("Maaf, hanya foto")
    assert citizens(container) == 1
