"""Personal data in the web chat, over its HTTP routes: the notice under the input, /data_saya,
/hapus_data, and photos uploaded with their GPS position stored without it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.app import create_app
from bot.bootstrap import Container, build_container, seed_directory
from bot.channels.web.chat import chat_id_for
from bot.settings import Settings
from storage.columns import table_of
from storage.tables import AttachmentRow
from tests.dialog import NOW
from tests.fakes import FakeClock
from tests.personal_data import holding
from tests.photos import metadata, phone_jpeg
from tests.service.chat import DESCRIPTION

STATIC = Path(__file__).resolve().parents[1] / "bot" / "channels" / "web" / "static"


class Browser:
    """One browser tab: its session and how far it has read."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http, self.session, self.cursor, self.n = http, "", 0, 0

    async def start(self) -> list[dict[str, Any]]:
        body = (await self.http.post("/chat/session", json={"lang": "id"})).raise_for_status()
        return self._read(body.json())

    async def send(self, **payload: Any) -> list[dict[str, Any]]:
        self.n += 1
        body = {"session": self.session, "client_id": f"c{self.n}", "after": self.cursor,
                **payload}
        return self._read((await self.http.post("/chat/send", json=body)).raise_for_status()
                          .json())

    async def upload(self, data: bytes) -> list[dict[str, Any]]:
        self.n += 1
        response = await self.http.post(
            "/chat/upload", files={"file": ("IMG_2041.jpg", data, "image/jpeg")},
            data={"session": self.session, "client_id": f"c{self.n}", "after": str(self.cursor)})
        return self._read(response.raise_for_status().json())

    def _read(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        self.session = body.get("session", self.session)
        self.cursor = body["cursor"]
        messages: list[dict[str, Any]] = body["messages"]
        return messages


@pytest.fixture
async def wired(db_url: str, tmp_path: Path) -> AsyncIterator[tuple[Container, httpx.AsyncClient]]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=db_url, data_dir=tmp_path / "data",
        retention_messages_days=14, retention_identity_days=365)
    clock = FakeClock(NOW)
    container = build_container(settings, clock=clock)
    seed_directory(settings, container.directories, clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(container)),
                                 base_url="http://aduan.test") as http:
        yield container, http
    container.engine.dispose()


async def test_the_page_shows_the_notice_under_the_input_with_the_configured_periods(
        wired: tuple[Container, httpx.AsyncClient]) -> None:
    _, http = wired
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    assert page.index('id="input"') < page.index('data-t="web.privacy_notice"')
    texts = (await http.get("/chat/texts", params={"lang": "id"})).json()["texts"]
    notice = texts["web.privacy_notice"]
    assert "14 hari" in notice and "365 hari" in notice and "/hapus_data" in notice
    english = (await http.get("/chat/texts", params={"lang": "en"})).json()["texts"]
    assert "/deletedata" in english["web.privacy_notice"]


async def test_a_web_citizen_sees_their_data_then_erases_it(
        wired: tuple[Container, httpx.AsyncClient]) -> None:
    container, http = wired
    tab = Browser(http)
    [welcome] = await tab.start()
    assert "🔒 Kami menyimpan" in welcome["text"] and "14 hari" in welcome["text"]
    chat_id = chat_id_for(tab.session)
    for step in ({"text": "/lapor"}, {"option": "type:pengaduan"}, {"option": "cat:jalan_rusak"},
                 {"text": DESCRIPTION}, {"option": "date:today"},
                 {"location": {"latitude": -0.914, "longitude": 100.349}}):
        await tab.send(**step)
    await tab.upload(phone_jpeg())
    for option in ("photos:done", "privacy:rahasia", "summary:confirm"):
        replies = await tab.send(option=option)
    number = re.search(r"ADU-\d{4}-\d{6}", replies[-1]["text"])
    assert number, replies
    with container.engine.connect() as connection:
        key = connection.execute(select(table_of(AttachmentRow).c.storage_key)).scalar_one()
    assert metadata(container.media.read(key))["gps"] == {}

    [kept] = await tab.send(text="/data_saya")
    assert "Kontak: Web sesi di peramban ini (tanpa nomor telepon)" in kept["text"]
    assert f"{number.group(0)} · " in kept["text"] and "14 hari" in kept["text"]
    [ask] = await tab.send(text="/hapus_data")
    assert [o["id"] for o in ask["options"]] == ["erase:yes", "erase:no"]
    assert holding(container.engine, chat_id)
    [done] = await tab.send(option="erase:yes")
    assert done["text"].startswith("Data Anda telah dihapus")

    assert holding(container.engine, chat_id, tab.session) == []
    gone = await http.get("/chat/messages", params={"session": tab.session, "after": 0})
    assert gone.status_code == 404  # the page keeps what it shows and offers a new session
