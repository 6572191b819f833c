"""The whole app with every channel on (Telegram webhook, WhatsApp, web chat, API, Open311),
called in-process through Starlette's TestClient (its server errors come back as 500s, not
exceptions), on each database backend. The fake Bot API and Graph API answer the platform
calls, so nothing is mocked."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.app import create_app
from bot.bootstrap import Container, build_container, seed_directory
from bot.settings import Settings
from core.reports.actors import Role
from storage.tables import (
    CitizenRow,
    ConversationRow,
    InboundIdRow,
    InboxRow,
    OutboxRow,
    ReportRow,
)
from storage.tokens import SqlTokenStore
from tests.fake_platforms.graph_api import PHONE_NUMBER_ID, VERSION, FakeGraphApi
from tests.fake_platforms.graph_api import TOKEN as WA_TOKEN
from tests.fake_platforms.telegram_api import TOKEN as TG_TOKEN
from tests.fake_platforms.telegram_api import FakeTelegram
from tests.whatsapp.payloads import APP_SECRET, VERIFY_TOKEN

TG_SECRET = "fuzz-webhook-secret_0123"
STORED = (InboundIdRow, OutboxRow, ReportRow, ConversationRow, CitizenRow, InboxRow)
SETTLE_SECONDS = 15.0  # a stored update is handled after its 200; wait for that first


class Edge:
    """The app under fuzzing plus what tells a half-stored body from a clean refusal."""

    def __init__(self, container: Container, http: TestClient, api_token: str) -> None:
        self.container, self.http, self.api_token = container, http, api_token
        self.tried = 0

    def counts(self) -> tuple[int, ...]:
        """Rows per table once the updates acknowledged earlier have been handled (the
        Telegram webhook answers 200 when an update is stored in the inbox, and handles it
        after), so that what a refused body stored is not confused with an earlier one's work."""
        deadline = time.monotonic() + SETTLE_SECONDS
        with Session(self.container.engine) as session:
            # First the inbox, on its own: once it is empty every earlier update's handling
            # has committed (a row is deleted only after), so the counts below are stable.
            while (session.execute(select(func.count()).select_from(InboxRow)).scalar_one()
                   and time.monotonic() < deadline):
                session.rollback()
                time.sleep(0.01)
            session.rollback()
            return tuple(int(session.execute(select(func.count()).select_from(t)).scalar_one())
                         for t in STORED)


@pytest.fixture(scope="session")
def fuzz_telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram().start()
    yield fake
    fake.stop()


@pytest.fixture
def edge(db_url: str, tmp_path: Path, fuzz_telegram: FakeTelegram,
         graph: FakeGraphApi) -> Iterator[Edge]:
    fuzz_telegram.reset()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=db_url, data_dir=tmp_path / "data", sla_sweeper=False,
        telegram_bot_token=TG_TOKEN, telegram_api_base_url=fuzz_telegram.url,
        telegram_mode="webhook", telegram_webhook_secret=TG_SECRET,
        whatsapp_access_token=WA_TOKEN, whatsapp_phone_number_id=PHONE_NUMBER_ID,
        whatsapp_app_secret=APP_SECRET, whatsapp_verify_token=VERIFY_TOKEN,
        whatsapp_api_base_url=graph.url, whatsapp_api_version=VERSION,
        api_requests_per_minute=1_000_000, web_messages_per_minute=1_000_000,
        web_sessions_per_hour_per_ip=1_000_000,
    )
    container = build_container(settings)
    seed_directory(settings, container.directories, container.clock)
    _, token = SqlTokenStore(container.engine).create("fuzz", container.clock.now(),
                                                     Role.COORDINATOR)
    # With its lifespan, as served: one event loop for the Bot API client, the dispatcher on
    # (it changes rows' states, never their number).
    with TestClient(create_app(container), raise_server_exceptions=False,
                    base_url="http://aduan.test") as http:
        yield Edge(container, http, token)
    container.engine.dispose()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.fuzz.tally import TRIED, summary

    if TRIED:
        terminalreporter.section("fuzzed HTTP bodies")
        for line in summary():
            terminalreporter.write_line(line)
