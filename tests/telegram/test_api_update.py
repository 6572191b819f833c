"""An API action reaches the citizen's Telegram chat: the whole app with its lifespan (the
outbox dispatcher woken by the action's commit), the real python-telegram-bot client and the
fake Bot API. The citizen files through the webhook as Telegram would deliver it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import create_app
from bot.bootstrap import Container, build_container, seed_directory
from bot.settings import Settings
from core.reports.actors import Role
from storage.tokens import SqlTokenStore
from tests.e2e.admin_flow import PUPR, REPORT_STEPS, answer
from tests.fake_platforms.telegram_api import TOKEN, FakeTelegram
from tests.fake_platforms.telegram_updates import TgUser
from tests.telegram.conftest import until

SECRET = "api-test-webhook-secret_0123"
BASE = "http://aduan.test"


@pytest.fixture
async def served(db_url: str, tmp_path: Path, fake_tg: FakeTelegram
                 ) -> AsyncIterator[tuple[httpx.AsyncClient, Container]]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=db_url, data_dir=tmp_path / "data", sla_sweeper=False,
        telegram_bot_token=TOKEN, telegram_api_base_url=fake_tg.url, telegram_mode="webhook",
        telegram_webhook_secret=SECRET, public_base_url=BASE,
        telegram_messages_per_second=500, telegram_messages_per_chat_per_second=100)
    container = build_container(settings)
    seed_directory(settings, container.directories, container.clock)
    app = create_app(container)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
        yield client, container
    container.engine.dispose()


async def test_a_citizens_telegram_chat_receives_the_update_after_an_api_action(
        served: tuple[httpx.AsyncClient, Container], fake_tg: FakeTelegram) -> None:
    http, container = served
    siti = TgUser(7301)

    async def send(update: dict[str, Any]) -> str:
        before = len(fake_tg.sent(siti.id))
        posted = await http.post("/webhook/telegram", json=update,
                                 headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        assert posted.status_code == 200, posted.text
        await until(lambda: len(fake_tg.sent(siti.id)) > before, "the bot's reply")
        return str(fake_tg.sent(siti.id)[-1].params["text"])

    reply = ""
    for kind, value in REPORT_STEPS:
        if kind == "option":
            last = fake_tg.message(fake_tg.sent(siti.id)[-1].result["message_id"])
            reply = await send(siti.press(last, str(value)))
        elif kind == "pin":
            assert isinstance(value, tuple)
            reply = await send(siti.location(*value))
        else:
            reply = await send(siti.text(str(value)))
    found = re.search(r"ADU-\d{4}-\d{6}", reply)
    assert found, reply
    number = found.group(0)

    store, now = SqlTokenStore(container.engine), container.clock.now()
    _, kominfo = store.create("Sistem LAPOR Kominfo", now)
    _, pupr = store.create("Aplikasi PUPR", now, Role.OFFICER, "pupr")
    verified = await http.post(f"/api/v1/reports/{number}/verifikasi", json={},
                               headers={"Authorization": f"Bearer {kominfo}"})
    assert verified.status_code == 200, verified.text
    await until(lambda: any(PUPR in text for text in fake_tg.texts(siti.id)[-2:]),
                "the disposition update")
    text = "Tim kami menambal lubangnya hari Jumat."
    answered = await http.post(f"/api/v1/reports/{number}/balas", json={"teks": text},
                               headers={"Authorization": f"Bearer {pupr}"})
    assert answered.status_code == 200 and answered.json()["status"] == "diproses"
    await until(lambda: any(answer(PUPR, text) in t for t in fake_tg.texts(siti.id)),
                "the answer in Siti's chat")

