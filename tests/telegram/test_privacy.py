"""Personal data on Telegram, through the fake Bot API: /data_saya, /hapus_data, stripped photos."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from sqlalchemy import select

from storage.columns import table_of
from storage.tables import AttachmentRow
from tests.fake_platforms.telegram_api import FakeTelegram
from tests.fake_platforms.telegram_updates import TgUser
from tests.personal_data import holding
from tests.photos import metadata, phone_jpeg
from tests.service.chat import DESCRIPTION
from tests.telegram.conftest import Wired

CHAT_ID = 987654321


async def say(wired: Wired, update: dict[str, Any]) -> None:
    await wired.channel.handler.handle_raw(update)
    await wired.drain()


async def press(wired: Wired, fake_tg: FakeTelegram, user: TgUser, data: str) -> None:
    """A tap on a button of the bot's latest message to this chat."""
    latest = max(m for m, stored in fake_tg.messages.items()
                 if stored["chat"]["id"] == user.id)
    await say(wired, user.press(fake_tg.message(latest), data))
    await asyncio.sleep(0.05)  # the keyboard edit runs in the background


async def file_report(wired: Wired, fake_tg: FakeTelegram, user: TgUser) -> str:
    fake_tg.add_file("ph-gps", phone_jpeg())
    await say(wired, user.command("/lapor"))
    for data in ("type:pengaduan", "cat:jalan_rusak"):
        await press(wired, fake_tg, user, data)
    await say(wired, user.text(DESCRIPTION))
    await press(wired, fake_tg, user, "date:today")
    await say(wired, user.location(-0.9140, 100.3490))
    await say(wired, user.photo("ph-gps"))
    await press(wired, fake_tg, user, "photos:done")
    await press(wired, fake_tg, user, "privacy:publik")
    await press(wired, fake_tg, user, "summary:confirm")
    found = re.search(r"ADU-\d{4}-\d{6}", fake_tg.texts(user.id)[-1])
    assert found, fake_tg.texts(user.id)[-1]
    return found.group(0)


async def test_data_saya_then_hapus_data_leave_no_trace_of_the_telegram_user(
        wired: Wired, fake_tg: FakeTelegram) -> None:
    ratna = TgUser(CHAT_ID, first_name="Ratna", last_name="Kusumawati")
    number = await file_report(wired, fake_tg, ratna)
    assert "🔒 Kami menyimpan" in fake_tg.texts(CHAT_ID)[0]  # the first answer: the notice

    await say(wired, ratna.command("/data_saya"))
    kept = fake_tg.texts(CHAT_ID)[-1]
    assert "Nama: Ratna Kusumawati" in kept and f"Kontak: Telegram id chat {CHAT_ID}" in kept
    assert f"{number} · " in kept and "Baru, menunggu verifikasi" in kept

    engine = wired.container.engine
    with engine.connect() as connection:
        key = connection.execute(select(table_of(AttachmentRow).c.storage_key)).scalar_one()
    stored = wired.container.media.read(key)
    assert metadata(stored)["gps"] == {} and b"Galaxy" not in stored  # stripped on arrival

    await say(wired, ratna.command("/hapus_data"))
    assert fake_tg.texts(CHAT_ID)[-1].startswith("Hapus data Anda?")
    assert holding(engine, "Ratna", "Kusumawati", str(CHAT_ID))
    await press(wired, fake_tg, ratna, "erase:yes")
    assert fake_tg.texts(CHAT_ID)[-1].startswith("Data Anda telah dihapus")

    assert holding(engine, "Ratna", "Kusumawati", str(CHAT_ID)) == []
    with engine.connect() as connection:
        assert connection.execute(select(table_of(AttachmentRow).c.storage_key)).scalar_one() == key
    await say(wired, ratna.command("/status"))  # writing again: a new citizen, no reports
    assert "Anda belum" in fake_tg.texts(CHAT_ID)[-1]


async def test_the_english_aliases_work_on_telegram(wired: Wired, fake_tg: FakeTelegram) -> None:
    tom = TgUser(CHAT_ID + 1, first_name="Tobiasz", last_name=None, language_code="en")
    await say(wired, tom.command("/mydata"))
    assert "What we keep about you" in fake_tg.texts(tom.id)[-1]
    await say(wired, tom.command("/deletedata"))
    await say(wired, tom.text("YES"))
    assert fake_tg.texts(tom.id)[-1].startswith("Your data was erased")
    assert holding(wired.container.engine, "Tobiasz", str(tom.id)) == []
