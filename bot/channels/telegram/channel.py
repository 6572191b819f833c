"""`TelegramChannel`: the sender, the webhook route, start-up calls and polling of one bot."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from pathlib import Path

from fastapi import APIRouter
from sqlalchemy import Engine
from telegram import Bot
from telegram.error import TelegramError

from bot.channels.intake import ChannelIntake
from bot.channels.telegram.polling import Poller, polling_lock
from bot.channels.telegram.sender import TelegramSender
from bot.channels.telegram.setup import (
    ALLOWED_UPDATES,
    Mode,
    WebhookSecret,
    publish_commands,
    register_webhook,
)
from bot.channels.telegram.updates import UpdateHandler
from bot.channels.telegram.webhook import WEBHOOK_PATH, telegram_router, telegram_webhook
from bot.db_calls import THREADS, DatabaseCalls
from bot.edge.fast_posts import FastPost
from bot.inbox import InboxWorker
from bot.media import MediaStore
from bot.pacing import Pacer, Pacing
from core.messages import Channel
from storage.chat_hints import SqlChatHints
from storage.inbox_store import SqlInbox

log = logging.getLogger(__name__)
SETUP_RETRY_MAX_SECONDS = 300.0


class TelegramChannel:
    """Everything Telegram needs in one process: sender, webhook route, start-up and polling."""

    channel = Channel.TELEGRAM
    deferred_prefix = None

    def __init__(self, bot: Bot, engine: Engine, *, mode: Mode, public_base_url: str | None,
                 secret: WebhookSecret, data_dir: Path, pacing: Pacing | None = None,
                 default_language: str = "id", media: MediaStore | None = None,
                 inbox: InboxWorker | None = None, calls: DatabaseCalls = THREADS) -> None:
        self.bot, self.mode, self.public_base_url = bot, mode, public_base_url
        self.secret, self._engine, self._data_dir = secret, engine, data_dir
        self._default_language = default_language
        self.pacer = Pacer(pacing or Pacing())
        self.sender = TelegramSender(bot, self.pacer, SqlChatHints(engine), default_language,
                                     media, calls)
        self._handler: UpdateHandler | None = None
        self._tasks: list[asyncio.Task[None]] = []
        # Webhook updates are stored, acknowledged, then handled (polling commits its offset
        # only after handling, so it needs no inbox). The process's shared inbox is started
        # and stopped by the app; one of its own (a channel built alone) by this channel.
        self._owns_inbox = inbox is None
        self.inbox: InboxWorker | None = None
        if mode == "webhook":
            self.inbox = inbox or InboxWorker(SqlInbox(engine), calls=calls)
            self.inbox.register(Channel.TELEGRAM, lambda payload: self.handler.resume(payload))
        answer = telegram_webhook(lambda: self.handler, secret, lambda: self.inbox)
        self.router: APIRouter = telegram_router(answer)
        self.fast_posts: Mapping[str, FastPost] = {WEBHOOK_PATH: answer}

    def attach(self, intake: ChannelIntake, media: MediaStore) -> None:
        """Connect the inbound side to the use case (built after the dispatcher)."""
        self._handler = UpdateHandler(self.bot, intake, media, self.pacer, self._default_language)

    @property
    def body_limits(self) -> Mapping[str, int]:
        return {}

    @property
    def handler(self) -> UpdateHandler:
        if self._handler is None:
            raise RuntimeError("TelegramChannel.attach() was not called")
        return self._handler

    async def start(self) -> None:
        """Never blocks start-up on Telegram: set-up calls retry in the background."""
        await asyncio.to_thread(self.secret.value)
        if self.inbox is not None and self._owns_inbox:
            await self.inbox.start()  # first takes back what a dead process left
        self._tasks.append(asyncio.create_task(self._set_up(), name="telegram-setup"))
        if self.mode == "polling":
            poller = Poller(self.bot, self.handler,
                            polling_lock(self._engine, self._data_dir), ALLOWED_UPDATES)
            self._tasks.append(asyncio.create_task(poller.run(), name="telegram-polling"))
        elif not self.public_base_url:
            log.warning("TELEGRAM_MODE=webhook without PUBLIC_BASE_URL: register the webhook "
                        "yourself, with TELEGRAM_WEBHOOK_SECRET as its secret_token")

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        if self.inbox is not None and self._owns_inbox:
            await self.inbox.stop()
        if self._handler is not None:
            await self._handler.close()
        with contextlib.suppress(Exception):
            await self.bot.shutdown()

    async def _set_up(self) -> None:
        delay = 1.0
        while True:
            try:
                if self._handler is not None and self._handler.bot_username is None:
                    self._handler.bot_username = (await self.bot.get_me()).username
                await publish_commands(self.bot)
                if self.mode == "webhook" and self.public_base_url:
                    await self._register_webhook(self.public_base_url)
                return
            except TelegramError as exc:
                log.warning("Telegram set-up failed (%s); retrying in %.0f s",
                            type(exc).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, SETUP_RETRY_MAX_SECONDS)

    async def _register_webhook(self, public_base_url: str) -> None:
        if not self.secret.valid_for_telegram():
            log.error("TELEGRAM_WEBHOOK_SECRET may only hold A-Z a-z 0-9 _ - (1-256 chars); "
                      "the webhook was not registered")
            return
        await register_webhook(self.bot, public_base_url, self.secret.value())
        log.info("Telegram webhook registered at %s", public_base_url.rstrip("/"))
