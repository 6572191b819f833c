"""Photos in outgoing Telegram messages: the real PTB Bot uploads to the fake Bot API."""

from __future__ import annotations

import itertools
import logging
from pathlib import Path

import pytest
from telegram import Bot

from bot.channels.telegram.sender import TelegramSender
from bot.media import MediaStore
from bot.pacing import Pacer
from core.messages import Channel, Media, Option, Outbound
from core.ports import OutgoingMessage, SendOutcome
from storage.uow import SqlUnitOfWork
from tests.fake_platforms.telegram_api import FakeTelegram
from tests.telegram.conftest import FAST, Wired

CHAT = "5601"
_ids = itertools.count(1)


def jpeg(n: int) -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes([n]) * 64 + bytes(range(256))


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(200))


@pytest.fixture
def store(tmp_path: Path) -> MediaStore:
    return MediaStore(tmp_path / "media")


def saved(store: MediaStore, data: bytes, content_type: str = "image/jpeg") -> Media:
    return store.save(data, content_type, content_type.rsplit("/", 1)[1], "foto.jpg")


def sender(bot: Bot, store: MediaStore | None) -> TelegramSender:
    return TelegramSender(bot, Pacer(FAST), media=store)


def item(message: Outbound) -> OutgoingMessage:
    return OutgoingMessage(next(_ids), Channel.TELEGRAM, CHAT, message, 1, {})


async def test_the_text_goes_first_then_the_photo_with_the_bytes_of_the_file(
        bot: Bot, fake_tg: FakeTelegram, store: MediaStore) -> None:
    photo = saved(store, jpeg(1))
    out = Outbound("Laporan ADU-2026-000001", (Option("menu:status", "Cek status"),),
                   media=(photo,))
    result = await sender(bot, store).send(item(out))
    assert result.outcome is SendOutcome.SENT
    calls = fake_tg.deliveries(CHAT)
    assert [c.method for c in calls] == ["sendMessage", "sendPhoto"]
    assert "inline_keyboard" in calls[0].params["reply_markup"]  # buttons stay on the text
    assert "reply_markup" not in calls[1].params and "caption" not in calls[1].params
    assert fake_tg.photos(CHAT) == [store.path_of(photo.storage_key).read_bytes()]
    assert result.platform_message_id == str(calls[0].result["message_id"])


async def test_several_photos_arrive_as_one_album_in_their_order(
        bot: Bot, fake_tg: FakeTelegram, store: MediaStore) -> None:
    files = [jpeg(1), PNG, jpeg(3)]
    media = (saved(store, files[0]), saved(store, files[1], "image/png"), saved(store, files[2]))
    result = await sender(bot, store).send(item(Outbound("Foto laporan", media=media)))
    assert result.outcome is SendOutcome.SENT
    assert [c.method for c in fake_tg.deliveries(CHAT)] == ["sendMessage", "sendMediaGroup"]
    assert fake_tg.photos(CHAT) == files


async def test_more_than_ten_photos_become_an_album_of_ten_then_the_rest(
        bot: Bot, fake_tg: FakeTelegram, store: MediaStore) -> None:
    files = [jpeg(n) for n in range(11)]
    media = tuple(saved(store, data) for data in files)
    result = await sender(bot, store).send(item(Outbound("Banyak foto", media=media)))
    assert result.outcome is SendOutcome.SENT
    assert [c.method for c in fake_tg.deliveries(CHAT)] == [
        "sendMessage", "sendMediaGroup", "sendPhoto"]
    assert fake_tg.photos(CHAT) == files


async def test_a_photo_missing_on_disk_is_skipped_and_the_rest_are_sent(
        bot: Bot, fake_tg: FakeTelegram, store: MediaStore,
        caplog: pytest.LogCaptureFixture) -> None:
    gone, kept = saved(store, jpeg(1)), saved(store, jpeg(2))
    store.path_of(gone.storage_key).unlink()
    with caplog.at_level(logging.WARNING, logger="bot.channels.telegram.photos"):
        result = await sender(bot, store).send(item(Outbound("Teks", media=(gone, kept))))
    assert result.outcome is SendOutcome.SENT
    assert [c.method for c in fake_tg.deliveries(CHAT)] == ["sendMessage", "sendPhoto"]
    assert fake_tg.photos(CHAT) == [jpeg(2)]
    assert gone.storage_key in caplog.text


async def test_a_photo_telegram_refuses_is_logged_and_the_message_still_counts_as_sent(
        bot: Bot, fake_tg: FakeTelegram, store: MediaStore,
        caplog: pytest.LogCaptureFixture) -> None:
    broken = store.save(b"not really an image", "image/jpeg", "jpg")
    good = saved(store, jpeg(5))
    with caplog.at_level(logging.WARNING, logger="bot.channels.telegram.sender"):
        first = await sender(bot, store).send(item(Outbound("Satu", media=(broken,))))
        second = await sender(bot, store).send(item(Outbound("Dua", media=(good,))))
    assert first.outcome is second.outcome is SendOutcome.SENT
    assert "image_process_failed" in caplog.text.lower()
    assert fake_tg.texts(CHAT) == ["Satu", "Dua"] and fake_tg.photos(CHAT) == [jpeg(5)]


async def test_a_flood_wait_on_the_photo_is_waited_out_without_resending_the_text(
        bot: Bot, fake_tg: FakeTelegram, store: MediaStore) -> None:
    fake_tg.script.flood_photos, fake_tg.script.retry_after = 1, 1
    photo = saved(store, jpeg(7))
    result = await sender(bot, store).send(item(Outbound("Teks", media=(photo,))))
    assert result.outcome is SendOutcome.SENT
    assert fake_tg.texts(CHAT) == ["Teks"]
    assert len(fake_tg.calls_of("sendPhoto", CHAT, ok_only=False)) == 2
    assert fake_tg.photos(CHAT) == [jpeg(7)]


async def test_a_blocked_chat_stops_at_the_text(
        bot: Bot, fake_tg: FakeTelegram, store: MediaStore) -> None:
    fake_tg.script.blocked.add(CHAT)
    result = await sender(bot, store).send(item(Outbound("Teks", media=(saved(store, PNG),))))
    assert result.outcome is SendOutcome.UNREACHABLE
    assert fake_tg.calls_of("sendPhoto", ok_only=False) == []


async def test_without_a_media_store_the_text_still_goes(
        bot: Bot, fake_tg: FakeTelegram, store: MediaStore) -> None:
    out = Outbound("Teks", media=(saved(store, jpeg(1)),))
    assert (await sender(bot, None).send(item(out))).outcome is SendOutcome.SENT
    assert [c.method for c in fake_tg.deliveries(CHAT)] == ["sendMessage"]


async def test_the_wired_channel_sends_queued_photos_from_the_data_dir(
        wired: Wired, fake_tg: FakeTelegram) -> None:
    store = wired.channel.sender.media
    assert store is not None
    photo = saved(store, jpeg(9))
    with SqlUnitOfWork(wired.container.engine) as uow:
        uow.outbox.put(Channel.TELEGRAM, CHAT, Outbound("Laporan", media=(photo,)),
                       wired.container.clock.now())
        uow.commit()
    await wired.drain()
    assert [c.method for c in fake_tg.deliveries(CHAT)] == ["sendMessage", "sendPhoto"]
    assert fake_tg.photos(CHAT) == [jpeg(9)]
