"""The WhatsApp Cloud API channel. `SPEC` is its registry line: on when the access token and the
phone number id are set, refused without an app secret; `build_whatsapp` builds it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx
from fastapi import APIRouter
from sqlalchemy import Engine

from bot.channels.base import ChannelConfigError, ChannelPieces, ChannelSpec
from bot.channels.intake import ChannelIntake, OnHandled, writers_for
from bot.channels.whatsapp.client import WhatsAppClient
from bot.channels.whatsapp.media import DEFAULT_MAX_BYTES
from bot.channels.whatsapp.sender import WhatsAppSender
from bot.channels.whatsapp.webhook import (
    PATH,
    WhatsAppWebhook,
    whatsapp_router,
    whatsapp_webhook,
)
from bot.db_calls import DatabaseCalls
from bot.edge.fast_posts import FastPost
from bot.inbox import InboxWorker
from bot.media import MediaStore
from bot.settings import Settings
from core.intake.service import IntakeService
from core.messages import Channel
from core.ports import Clock, UnitOfWorkFactory
from storage.outbox_store import SqlOutboxStore
from storage.whatsapp_store import SqlWhatsAppStore

log = logging.getLogger(__name__)


class WhatsAppConfigError(ChannelConfigError):
    """WhatsApp is enabled but cannot run safely; the message is one line for the CLI."""


def whatsapp_enabled(settings: Settings) -> bool:
    """DESIGN.md: WhatsApp is on when both the access token and the phone number id are set."""
    return bool(settings.whatsapp_access_token and settings.whatsapp_phone_number_id)


def check_whatsapp_settings(settings: Settings) -> bool:
    """Whether WhatsApp is on; refuses to start an enabled WhatsApp channel that could not tell
    Meta from a forger."""
    if not whatsapp_enabled(settings):
        if settings.whatsapp_access_token or settings.whatsapp_phone_number_id:
            log.warning("WhatsApp stays off: set both WHATSAPP_ACCESS_TOKEN and "
                        "WHATSAPP_PHONE_NUMBER_ID to enable it")
        return False
    secret = settings.whatsapp_app_secret
    if secret is None or not secret.get_secret_value():
        raise WhatsAppConfigError(
            "WHATSAPP_APP_SECRET is required when WhatsApp is enabled "
            "(it verifies the X-Hub-Signature-256 of every webhook)")
    return True


@dataclass
class WhatsAppChannel:
    client: WhatsAppClient
    sender: WhatsAppSender
    webhook: WhatsAppWebhook
    router: APIRouter
    fast_posts: Mapping[str, FastPost]
    channel = Channel.WHATSAPP
    deferred_prefix = None

    @property
    def body_limits(self) -> Mapping[str, int]:
        return {}

    async def start(self) -> None:
        """Nothing to open: the HTTP client connects on first use (kept for symmetry)."""

    async def stop(self) -> None:
        await self.client.aclose()


def build_whatsapp(
    settings: Settings, *, engine: Engine, clock: Clock, intake: IntakeService,
    uow: UnitOfWorkFactory, media: MediaStore, outbox: SqlOutboxStore,
    wake: Callable[[], None] | None = None, on_handled: OnHandled | None = None,
    rate: float | None = None, max_media_bytes: int = DEFAULT_MAX_BYTES,
    transport: httpx.AsyncBaseTransport | None = None, inbox: InboxWorker | None = None,
    calls: DatabaseCalls | None = None,
) -> WhatsAppChannel | None:
    """The channel when the settings enable it, None when they do not; raises
    WhatsAppConfigError when it is enabled without an app secret. `calls` as the composition
    root chose them (else derived from the settings here)."""
    check_whatsapp_settings(settings)
    token, phone_number_id = settings.whatsapp_access_token, settings.whatsapp_phone_number_id
    secret = settings.whatsapp_app_secret
    if token is None or not phone_number_id or secret is None:
        return None
    verify_token = settings.whatsapp_verify_token
    if verify_token is None:
        log.warning("WHATSAPP_VERIFY_TOKEN is not set: Meta cannot subscribe the webhook")
    client = WhatsAppClient(settings.whatsapp_api_base_url, settings.whatsapp_api_version,
                            phone_number_id, token.get_secret_value(), transport=transport)
    store = SqlWhatsAppStore(engine)
    sender = WhatsAppSender(client, store, clock, template=settings.whatsapp_status_template,
                            default_language=settings.default_language,
                            rate=rate if rate is not None else settings.whatsapp_messages_per_second,
                            media=media)
    webhook = WhatsAppWebhook(
        intake=ChannelIntake(intake, uow, clock, settings.default_language, on_handled,
                             writers=writers_for(engine.dialect.name),
                             calls=calls or DatabaseCalls.for_dialect(
                                 engine.dialect.name, settings.database_calls)),
        client=client, store=store, outbox=outbox, media=media, clock=clock,
        app_secret=secret.get_secret_value(),
        verify_token=verify_token.get_secret_value() if verify_token else None,
        phone_number_id=phone_number_id, max_media_bytes=max_media_bytes, wake=wake,
        inbox=inbox,
    )
    if inbox is not None:  # stored messages are handled by this webhook, here or after a restart
        inbox.register(Channel.WHATSAPP, webhook.resume)
    answer = whatsapp_webhook(webhook)
    return WhatsAppChannel(client, sender, webhook, whatsapp_router(webhook, answer),
                           {PATH: answer})


def _from_pieces(pieces: ChannelPieces) -> WhatsAppChannel:
    channel = build_whatsapp(
        pieces.settings, engine=pieces.engine, clock=pieces.clock, intake=pieces.intake,
        uow=pieces.uow, media=pieces.media, outbox=pieces.outbox, wake=pieces.wake,
        on_handled=pieces.on_handled, inbox=pieces.inbox, calls=pieces.calls,
    )
    if channel is None:
        raise WhatsAppConfigError("set WHATSAPP_ACCESS_TOKEN and WHATSAPP_PHONE_NUMBER_ID")
    return channel


SPEC = ChannelSpec(Channel.WHATSAPP, check_whatsapp_settings, _from_pieces)
