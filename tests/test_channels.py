"""The channel registry: every enabled channel is built, wired and routed the same way."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bot.app import create_app
from bot.bootstrap import Container, build_container
from bot.channels.base import ChannelConfigError
from bot.channels.registry import CHANNELS
from bot.settings import Settings
from core.messages import Channel
from core.ports import OutgoingMessage, SendOutcome, SendResult


def settings_for(db_url: str, tmp_path: Path, **values: object) -> Settings:
    return Settings(_env_file=None, database_url=db_url, data_dir=tmp_path / "data",  # type: ignore[call-arg]
                    **values)


ALL_ON = {"telegram_bot_token": "123:abc", "telegram_api_base_url": "http://127.0.0.1:9",
          "whatsapp_access_token": "token", "whatsapp_phone_number_id": "1000",
          "whatsapp_app_secret": "secret", "whatsapp_api_base_url": "http://127.0.0.1:9"}


async def statuses(container: Container) -> dict[str, int]:
    """What each channel's route answers a request without credentials (404: not routed)."""
    transport = httpx.ASGITransport(app=create_app(container))
    async with httpx.AsyncClient(transport=transport, base_url="http://aduan.test") as http:
        return {"web": (await http.get("/chat/messages")).status_code,
                "whatsapp": (await http.get("/webhook/whatsapp")).status_code,
                "telegram": (await http.post("/webhook/telegram", json={})).status_code}


class FakeSender:
    channel = Channel.TELEGRAM

    async def send(self, item: OutgoingMessage) -> SendResult:
        return SendResult(SendOutcome.SENT)


def test_the_registry_lists_each_channel_once() -> None:
    channels = [spec.channel for spec in CHANNELS]
    # Channel.API is no chat: reports filed through the API have no channel folder.
    assert len(channels) == len(set(channels)) and set(channels) == set(Channel) - {Channel.API}


async def test_every_enabled_channel_is_built_routed_and_sends_through_the_dispatcher(
        db_url: str, tmp_path: Path) -> None:
    container = build_container(settings_for(db_url, tmp_path, **ALL_ON))
    try:
        assert list(container.channels) == [Channel.WEB, Channel.WHATSAPP, Channel.TELEGRAM]
        assert container.telegram is not None and container.whatsapp is not None
        assert set(container.dispatcher.channels) == {Channel.WHATSAPP, Channel.TELEGRAM}
        assert container.channels[Channel.WEB].sender is None  # browsers pull their messages
        assert await statuses(container) == {"web": 422, "whatsapp": 403, "telegram": 401}
    finally:
        for channel in container.channels.values():
            await channel.stop()
        container.engine.dispose()


async def test_only_the_web_chat_runs_without_platform_settings(db_url: str,
                                                                 tmp_path: Path) -> None:
    container = build_container(settings_for(db_url, tmp_path))
    try:
        assert list(container.channels) == [Channel.WEB]
        assert container.telegram is None and container.whatsapp is None
        assert container.dispatcher.channels == ()
        assert await statuses(container) == {"web": 422, "whatsapp": 404, "telegram": 404}
    finally:
        container.engine.dispose()


async def test_a_tests_own_sender_replaces_the_channels(db_url: str, tmp_path: Path) -> None:
    fake = FakeSender()
    container = build_container(settings_for(db_url, tmp_path, **ALL_ON),
                                senders={Channel.TELEGRAM: fake})
    try:
        assert container.senders[Channel.TELEGRAM] is fake
        assert container.telegram is not None  # still built: its webhook still takes updates
    finally:
        for channel in container.channels.values():
            await channel.stop()
        container.engine.dispose()


def test_an_enabled_but_unsafe_channel_stops_the_build(db_url: str, tmp_path: Path) -> None:
    unsafe = {**ALL_ON, "whatsapp_app_secret": None}
    with pytest.raises(ChannelConfigError, match="WHATSAPP_APP_SECRET is required"):
        build_container(settings_for(db_url, tmp_path, **unsafe))
