"""One fake Graph API server for the whole session; the WhatsApp channel wired in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.app import create_app
from bot.bootstrap import Container, build_container, seed_directory
from bot.channels.whatsapp import WhatsAppChannel
from bot.channels.whatsapp.client import WhatsAppClient
from bot.settings import Settings
from storage.tables import OutboxRow
from storage.whatsapp_store import ChatState
from tests.dialog import NOW
from tests.fake_platforms.graph_api import (
    PHONE_NUMBER_ID,
    TOKEN,
    VERSION,
    FakeGraphApi,
)
from tests.fakes import FakeClock
from tests.whatsapp.payloads import APP_SECRET, VERIFY_TOKEN, envelope, signed


@dataclass
class WaService:
    """The wired service in-process: the real webhook over ASGI, the dispatcher driven by hand."""

    container: Container
    channel: WhatsAppChannel
    http: httpx.AsyncClient
    graph: FakeGraphApi
    clock: FakeClock

    async def post(self, *messages: dict[str, Any], statuses: tuple[dict[str, Any], ...] = (),
                   wait: bool = True) -> httpx.Response:
        """A signed webhook; with `wait`, returns once its messages are handled too."""
        raw, headers = signed(envelope(*messages, statuses=statuses))
        answer = await self.http.post("/webhook/whatsapp", content=raw, headers=headers)
        if wait:
            await self.handled()
        return answer

    async def handled(self) -> None:
        """Until every message acknowledged so far has been handled (the webhook answers once
        a message is stored in the inbox, and handles it after)."""
        await self.container.inbox.idle()

    async def deliver(self) -> None:
        """Send everything that is due now (once every acknowledged message is handled)."""
        await self.handled()
        while await self.container.dispatcher.drain_once():
            pass

    def rows(self, chat_id: str) -> list[Any]:
        with Session(self.container.engine) as session:
            return list(session.execute(
                select(OutboxRow).where(col(OutboxRow.chat_id) == chat_id)
                .order_by(col(OutboxRow.id))).scalars())

    def count(self, table: type[Any]) -> int:
        with Session(self.container.engine) as session:
            return int(session.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.fixture
def wa_settings(db_url: str, tmp_path: Path, graph: FakeGraphApi) -> Settings:
    return Settings(  # type: ignore[call-arg]
        database_url=db_url, data_dir=tmp_path / "data", _env_file=None,
        whatsapp_access_token=TOKEN, whatsapp_phone_number_id=PHONE_NUMBER_ID,
        whatsapp_app_secret=APP_SECRET, whatsapp_verify_token=VERIFY_TOKEN,
        whatsapp_api_base_url=graph.url, whatsapp_api_version=VERSION,
    )


@pytest.fixture
async def wa(wa_settings: Settings, graph: FakeGraphApi) -> AsyncIterator[WaService]:
    clock = FakeClock(NOW)
    container = build_container(wa_settings, clock=clock)
    seed_directory(wa_settings, container.directories, clock)
    app, channel = create_app(container), container.whatsapp
    assert channel is not None
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://aduan.test") as http:
        yield WaService(container, channel, http, graph, clock)
    await container.inbox.stop()
    await channel.stop()
    container.engine.dispose()


WA = "6281200000001"


class FakeChats:
    """The two questions the sender asks the database, answered from memory."""

    def __init__(self) -> None:
        self.states: dict[str, ChatState] = {WA: ChatState(NOW - timedelta(hours=1), "id")}
        self.progress: dict[int, dict[str, Any]] = {}

    def chat_state(self, chat_id: str) -> ChatState | None:
        return self.states.get(chat_id)

    def save_progress(self, outbox_id: int, values: dict[str, Any]) -> None:
        self.progress.setdefault(outbox_id, {}).update(values)


@pytest.fixture
def chats() -> FakeChats:
    return FakeChats()


@pytest.fixture
async def client(graph: FakeGraphApi) -> AsyncIterator[WhatsAppClient]:
    made = WhatsAppClient(graph.url, VERSION, PHONE_NUMBER_ID, TOKEN)
    yield made
    await made.aclose()
