"""A fake Bot API server for the whole session, reset per test; a real PTB Bot pointed at it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from telegram import Bot

from bot.bootstrap import Container, SystemClock, build_container, seed_directory
from bot.channels.telegram import Pacing, TelegramChannel, build_telegram
from bot.channels.telegram.client import make_bot
from bot.settings import Settings
from tests.fake_platforms.telegram_api import TOKEN, FakeTelegram


async def until(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Wait without blocking the loop the dispatcher runs on."""
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


FAST = Pacing(global_rate=1000.0, global_burst=100.0, chat_rate=1000.0, chat_burst=100.0)


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeTelegram]:
    fake = FakeTelegram().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_tg(fake_server: FakeTelegram) -> FakeTelegram:
    fake_server.reset()
    return fake_server


@pytest.fixture
async def bot(fake_tg: FakeTelegram) -> AsyncIterator[Bot]:
    made = make_bot(TOKEN, fake_tg.url)
    yield made
    await made.shutdown()


class Wired:
    """The service as the composition root will wire it, with Telegram attached."""

    def __init__(self, container: Container, channel: TelegramChannel) -> None:
        self.container, self.channel = container, channel

    async def drain(self, rounds: int = 5) -> None:
        """Send everything due now (several rounds: one row per chat per round)."""
        for _ in range(rounds):
            if await self.container.dispatcher.drain_once() == 0:
                return


@pytest.fixture
async def wired(db_url: str, tmp_path: Path, fake_tg: FakeTelegram) -> AsyncIterator[Wired]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=db_url, data_dir=tmp_path / "data",
        telegram_bot_token=TOKEN, telegram_api_base_url=fake_tg.url,
        telegram_webhook_secret="s3cret-token", telegram_mode="webhook",
    )
    clock = SystemClock()
    container = build_container(settings, clock=clock)
    seed_directory(settings, container.directories, clock)
    channel = build_telegram(
        settings, engine=container.engine, clock=clock, intake=container.intake,
        uow=container.uow, media=container.media,
        on_handled=container.metrics.handled, pacing=FAST,
    )
    assert channel is not None
    container.dispatcher.add_sender(channel.sender)
    yield Wired(container, channel)
    await channel.stop()
    container.engine.dispose()
