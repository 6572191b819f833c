"""The Telegram channel: python-telegram-bot as client and update parser, our outbox for sends.

`SPEC` is its registry line: on when TELEGRAM_BOT_TOKEN is set. `build_telegram` builds it from
the settings and the shared pieces (tests pass their own pacing and media store).
"""

from __future__ import annotations

from sqlalchemy import Engine

from bot.channels.base import ChannelConfigError, ChannelPieces, ChannelSpec
from bot.channels.intake import ChannelIntake, OnHandled, writers_for
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.client import make_bot
from bot.channels.telegram.sender import TelegramSender
from bot.channels.telegram.setup import WebhookSecret, resolve_mode
from bot.db_calls import DatabaseCalls
from bot.inbox import InboxWorker
from bot.media import MediaStore
from bot.pacing import Pacing
from bot.settings import Settings
from core.intake.service import IntakeService
from core.messages import Channel
from core.ports import Clock, UnitOfWorkFactory
from storage.app_settings import SqlAppSettings

__all__ = ["SPEC", "Pacing", "TelegramChannel", "TelegramSender", "build_telegram"]


def telegram_token(settings: Settings) -> str | None:
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    return token.strip() or None


def telegram_enabled(settings: Settings) -> bool:
    """DESIGN.md: Telegram is on when TELEGRAM_BOT_TOKEN is set."""
    return telegram_token(settings) is not None


def build_telegram(settings: Settings, *, engine: Engine, clock: Clock, intake: IntakeService,
                   uow: UnitOfWorkFactory, media: MediaStore, on_handled: OnHandled | None = None,
                   pacing: Pacing | None = None, inbox: InboxWorker | None = None,
                   calls: DatabaseCalls | None = None) -> TelegramChannel | None:
    """The Telegram channel when TELEGRAM_BOT_TOKEN is set, else None; `calls` as the
    composition root chose them (else derived from the settings here)."""
    token = telegram_token(settings)
    if token is None:
        return None
    bot = make_bot(token, settings.telegram_api_base_url)
    if calls is None:
        calls = DatabaseCalls.for_dialect(engine.dialect.name, settings.database_calls)
    configured = settings.telegram_webhook_secret
    secret = WebhookSecret(configured.get_secret_value() if configured else None,
                           SqlAppSettings(engine))
    channel = TelegramChannel(
        bot, engine, mode=resolve_mode(settings.telegram_mode, settings.public_base_url),
        public_base_url=settings.public_base_url, secret=secret, data_dir=settings.data_dir,
        pacing=pacing, default_language=settings.default_language, media=media, inbox=inbox,
        calls=calls,
    )
    channel.attach(ChannelIntake(intake, uow, clock, settings.default_language, on_handled,
                                 writers=writers_for(engine.dialect.name), calls=calls), media)
    return channel


def _from_pieces(pieces: ChannelPieces) -> TelegramChannel:
    settings = pieces.settings
    channel = build_telegram(
        settings, engine=pieces.engine, clock=pieces.clock, intake=pieces.intake, uow=pieces.uow,
        media=pieces.media, on_handled=pieces.on_handled, inbox=pieces.inbox, calls=pieces.calls,
        pacing=Pacing.from_rates(settings.telegram_messages_per_second,
                                 settings.telegram_messages_per_chat_per_second),
    )
    if channel is None:
        raise ChannelConfigError("TELEGRAM_BOT_TOKEN is not set")
    return channel


SPEC = ChannelSpec(Channel.TELEGRAM, telegram_enabled, _from_pieces)
