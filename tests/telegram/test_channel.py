"""The Telegram channel wired to the real service (SQLite and PostgreSQL) and the fake Bot API."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import func, select

from bot.channels.telegram.polling import AdvisoryLock, FileLock, polling_lock
from bot.channels.telegram.setup import SECRET_KEY, WebhookSecret
from storage.app_settings import SqlAppSettings
from storage.columns import table_of
from storage.tables import AttachmentRow
from tests.fake_platforms.telegram_api import FakeTelegram
from tests.fake_platforms.telegram_updates import TgUser, group_message
from tests.telegram.conftest import Wired, until

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8


async def say(wired: Wired, data: dict[str, Any]) -> str:
    what = await wired.channel.handler.handle_raw(data)
    await wired.drain()
    return what


async def test_a_pressed_button_is_answered_and_its_message_becomes_the_next_question(
        wired: Wired, fake_tg: FakeTelegram) -> None:
    siti = TgUser(7001)
    await say(wired, siti.command("/start"))
    menu = fake_tg.sent(siti.id)[-1]
    assert "Selamat datang" in menu.params["text"]
    stored = fake_tg.message(max(fake_tg.messages))
    await say(wired, siti.press(stored, "menu:lapor"))
    await until(lambda: bool(fake_tg.calls_of("answerCallbackQuery")),  # a follow-up task
                "answerCallbackQuery")
    assert fake_tg.texts(siti.id)[-1].startswith("Jenis laporan")
    assert len(fake_tg.calls_of("answerCallbackQuery")) == 1
    # One edit puts the next question and its buttons in the pressed message's place (issue
    # 19: it was a keyboard edit plus a new message).
    edited = fake_tg.calls_of("editMessageText")[0].params
    assert edited["message_id"] == stored["message_id"]
    assert edited["text"].startswith("Jenis laporan") and edited["reply_markup"]["inline_keyboard"]
    assert len(fake_tg.calls_of("sendMessage", siti.id)) == 1


async def test_a_repeated_update_id_changes_nothing(wired: Wired, fake_tg: FakeTelegram) -> None:
    siti = TgUser(7002)
    update = siti.command("/bantuan")
    assert await say(wired, update) == "handled"
    assert await say(wired, update) == "replayed"
    assert len(fake_tg.sent(siti.id)) == 1


async def test_commands_with_the_bot_name_and_status_deep_links_work(
        wired: Wired, fake_tg: FakeTelegram) -> None:
    siti = TgUser(7003)
    await say(wired, siti.command("/bantuan@AduanKotaBot"))
    assert fake_tg.texts(siti.id)[-1].startswith("Perintah yang tersedia")
    await say(wired, siti.command("/start status_ADU-2026-000042"))
    assert "ADU-2026-000042" in fake_tg.texts(siti.id)[-1]


async def test_a_group_gets_one_polite_pointer_to_a_private_chat(
        wired: Wired, fake_tg: FakeTelegram) -> None:
    wired.channel.handler.bot_username = "AduanKotaBot"  # start() learns it from getMe
    command = group_message("/lapor@AduanKotaBot")
    assert await say(wired, command) == "notice"
    assert await say(wired, command) == "replayed"
    assert await say(wired, group_message("pagi semua")) == "ignored"
    texts = fake_tg.texts(-100123)
    assert len(texts) == 1 and "pesan pribadi" in texts[0]


async def test_a_photo_is_downloaded_stored_by_content_and_counted(
        wired: Wired, fake_tg: FakeTelegram) -> None:
    siti = TgUser(7004)
    fake_tg.add_file("ph-1", JPEG)
    for step in ("/lapor", "pengaduan", "lampu jalan mati", "ya",
                 "Lampu jalan di depan masjid mati sejak seminggu, gelap dan rawan.", "hari ini"):
        await say(wired, siti.text(step))
    await say(wired, siti.location(-0.888, 100.364))
    await say(wired, siti.photo("ph-1", size=len(JPEG)))
    assert "Foto diterima (1/5)" in fake_tg.texts(siti.id)[-1]
    key = hashlib.sha256(JPEG).hexdigest()
    assert wired.container.media.read(f"{key}.jpg") == JPEG
    assert [c.params["path"] for c in fake_tg.calls_of("download")] == ["photos/ph-1.jpg"]


async def test_files_that_are_too_big_or_not_images_get_a_clear_reply(
        wired: Wired, fake_tg: FakeTelegram) -> None:
    siti = TgUser(7005, language_code="en")
    fake_tg.add_file("pdf", b"%PDF-1.4 surat")
    fake_tg.add_file("huge", JPEG, size=25 * 1024 * 1024)
    assert await say(wired, siti.document("pdf", "surat.pdf", "application/pdf", 14)) == "notice"
    assert "only photos" in fake_tg.texts(siti.id)[-1]
    assert await say(wired, siti.photo("huge", size=1000)) == "notice"  # getFile knows better
    assert "at most 20 MB" in fake_tg.texts(siti.id)[-1]
    # The PDF had to be read to be judged; the huge file never was.
    assert [c.params["path"] for c in fake_tg.calls_of("download")] == ["photos/pdf.jpg"]
    with wired.container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(table_of(AttachmentRow))).scalar() == 0


async def test_the_reply_keyboard_for_a_location_is_removed_by_the_next_message(
        wired: Wired, fake_tg: FakeTelegram) -> None:
    siti = TgUser(7006)
    for step in ("/lapor", "pengaduan", "lampu jalan mati", "ya",
                 "Lampu jalan di depan masjid mati sejak seminggu, gelap dan rawan.", "hari ini"):
        await say(wired, siti.text(step))
    asking = fake_tg.sent(siti.id)[-1].params["reply_markup"]
    assert asking["keyboard"][0][0]["request_location"] is True
    await say(wired, siti.text("Jl. Sudirman no. 5, Air Tawar Barat"))  # typed, not shared
    after = fake_tg.sent(siti.id)[-1].params
    assert after["reply_markup"] == {"remove_keyboard": True}
    edit = fake_tg.calls_of("editMessageReplyMarkup")[-1].params
    assert "inline_keyboard" in edit["reply_markup"]
    await say(wired, siti.text("lanjut"))
    assert "remove_keyboard" not in str(fake_tg.sent(siti.id)[-1].params.get("reply_markup"))


def test_the_generated_webhook_secret_is_stored_once_and_shared(wired: Wired) -> None:
    store = SqlAppSettings(wired.container.engine)
    first, second = WebhookSecret(None, store), WebhookSecret(None, store)
    assert first.value() == second.value() == store.get(SECRET_KEY)
    assert first.valid_for_telegram() and len(first.value()) >= 32
    assert store.set_if_absent(SECRET_KEY, "other") == first.value()
    assert WebhookSecret("configured", store).value() == "configured"


def test_only_one_process_may_poll(wired: Wired) -> None:
    engine = wired.container.engine
    first, second = polling_lock(engine, wired.container.settings.data_dir), polling_lock(
        engine, wired.container.settings.data_dir)
    expected = AdvisoryLock if engine.dialect.name == "postgresql" else FileLock
    assert isinstance(first, expected)
    assert first.acquire() and first.alive()
    try:
        assert not second.acquire()
    finally:
        first.release()
    assert second.acquire()
    second.release()

