"""`/webhook/whatsapp`: the subscription handshake, and signed message and status deliveries.

With the process's inbox (`bot.inbox`), a message is answered 200 once it is stored and handled
after that, in order per chat, as Telegram's updates are; a failure (Meta refusing our token for
a photo, say) is retried by the inbox, not left to Meta's redelivery. Delivery reports are
recorded before the answer (one UPDATE each)."""

from __future__ import annotations

import functools
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.datastructures import Headers

from bot.channels.intake import ChannelIntake
from bot.channels.whatsapp.client import WhatsAppClient
from bot.channels.whatsapp.errors import Action, classify
from bot.channels.whatsapp.inbound import (
    InboundItem,
    StatusUpdate,
    WebhookBatch,
    parse_webhook,
    restore,
)
from bot.channels.whatsapp.media import DEFAULT_MAX_BYTES, fetch_photo, refusal_text
from bot.channels.whatsapp.privacy import chat_ref, redact_numbers
from bot.channels.whatsapp.signature import HEADER, verify
from bot.edge.fast_posts import Answer, FastPost
from bot.edge.json_body import BadJson, load_json
from bot.inbox import InboxWorker, Job
from bot.media import MediaStore, Refusal
from core.intake.notice import Notice
from core.intake.service import HandleOutcome
from core.messages import Channel
from core.ports import Clock
from storage.inbox_store import Received
from storage.outbox_store import SqlOutboxStore
from storage.whatsapp_store import SqlWhatsAppStore, StatusEffect

log = logging.getLogger(__name__)
PATH = "/webhook/whatsapp"
WINDOW = timedelta(hours=24)
_EFFECTS = {Action.WINDOW: StatusEffect.WINDOW_CLOSED, Action.THROTTLED: StatusEffect.RETRY,
            Action.TRANSIENT: StatusEffect.RETRY}


@dataclass
class WhatsAppWebhook:
    """Everything the webhook needs, built by `build_whatsapp`."""

    intake: ChannelIntake
    client: WhatsAppClient
    store: SqlWhatsAppStore
    outbox: SqlOutboxStore
    media: MediaStore
    clock: Clock
    app_secret: str
    verify_token: str | None
    phone_number_id: str
    max_media_bytes: int = DEFAULT_MAX_BYTES
    wake: Callable[[], None] | None = None  # the dispatcher, after rows became due
    inbox: InboxWorker | None = None  # without one, a message is handled before the answer

    async def process(self, batch: WebhookBatch) -> None:
        """Messages strictly in order (stored, or handled), then delivery reports; raises when
        Meta should redeliver."""
        for item in batch.messages:
            if self.inbox is None:
                await self._message(item)
            else:
                await self.inbox.accept(
                    Received(Channel.WHATSAPP, item.inbound.external_id, item.source),
                    chat_key(item), functools.partial(self._stored, item))
        for update in batch.statuses:
            await self.intake.calls(self._status, update)

    def resume(self, payload: str) -> tuple[str, Job] | None:
        """A stored message (inbox) → its chat and the job that handles it."""
        item = restore(payload)
        if item is None:
            log.warning("a stored WhatsApp message could not be read; dropped")
            return None
        return chat_key(item), functools.partial(self._stored, item)

    async def _stored(self, item: InboundItem) -> None:
        try:
            await self._message(item)
        except Exception as exc:
            # The inbox logs the failure and retries; database errors quote their parameters
            # (phone numbers), so only a redacted summary goes with it.
            log.debug("WhatsApp message failure", exc_info=True)
            raise HandlingFailed(redact_numbers(f"{type(exc).__name__}: {exc}")[:200]) from None

    async def _message(self, item: InboundItem) -> None:
        inbound = item.inbound
        if await self.intake.calls(self.store.already_seen, inbound.external_id):
            self.intake.count(Channel.WHATSAPP, HandleOutcome(replayed=True))
            return
        now = self.clock.now()
        fresh = item.sent_at is None or now - item.sent_at < WINDOW
        # Held texts are queued before this message's replies, so they keep their place.
        if fresh and await self.intake.calls(self.store.has_held, inbound.chat_id):
            released = await self.intake.calls(self.outbox.release_held, Channel.WHATSAPP,
                                               inbound.chat_id, now)
            log.info("released %s held messages for %s", released, chat_ref(inbound.chat_id))
            if self.wake is not None:
                self.wake()
        if item.media is not None:
            photo = await fetch_photo(self.client, item.media, self.media, self.max_media_bytes)
            if isinstance(photo, Refusal):
                # Recording the author keeps the 24-hour window open for this very answer.
                key, values = refusal_text(photo, self.max_media_bytes)
                await self.intake.notice(Notice.answering(inbound, key, values,
                                                          record_author=True))
                return
            inbound = replace(inbound, media=(photo,))
        await self.intake.handle(inbound)

    def _status(self, update: StatusUpdate) -> None:
        if update.status in ("delivered", "read"):
            effect, error = StatusEffect.RECORDED, None
        elif update.status == "failed":
            first = update.errors[0] if update.errors else None
            code = first.code if first else None
            effect = _EFFECTS.get(classify(code), StatusEffect.FAILED)
            error = redact_numbers(f"whatsapp {code}: {first.title if first else 'failed'}")
        else:
            return  # "sent" is what the send call already told us; others carry nothing for us
        result = self.store.apply_status(update.recipient, update.message_id, update.status,
                                         effect, error, self.clock.now())
        if result is StatusEffect.FAILED:
            log.warning("message to %s failed after sending: %s", chat_ref(update.recipient), error)
        elif result in (StatusEffect.RETRY, StatusEffect.WINDOW_CLOSED) and self.wake is not None:
            self.wake()


class HandlingFailed(RuntimeError):
    """A stored message could not be handled yet (the inbox tries again)."""


def chat_key(item: InboundItem) -> str:
    """Messages of one chat are handled in order; of different chats, side by side."""
    return f"whatsapp:{item.inbound.chat_id}"


def whatsapp_router(hook: WhatsAppWebhook, answer: FastPost) -> APIRouter:
    """The verification handshake, and the webhook as a route too (what the app serves when
    the fast path is not in front)."""
    router = APIRouter(tags=["whatsapp"])

    @router.get(PATH, include_in_schema=False)
    async def handshake(request: Request) -> Response:
        query = request.query_params
        token, challenge = query.get("hub.verify_token"), query.get("hub.challenge")
        expected = hook.verify_token
        if (query.get("hub.mode") == "subscribe" and expected and token is not None
                and challenge is not None
                and hmac.compare_digest(token.encode(), expected.encode())):
            return PlainTextResponse(challenge)
        return PlainTextResponse("forbidden", status_code=403)

    @router.post(PATH, include_in_schema=False)
    async def receive(request: Request) -> Response:
        status, payload = await answer(request.headers, await request.body())
        return JSONResponse(payload, status_code=status)

    return router


def whatsapp_webhook(hook: WhatsAppWebhook) -> FastPost:
    """The webhook's answer to one POST (bot.edge.fast_posts serves it ahead of the routes)."""

    async def answer(headers: Headers, body: bytes) -> Answer:
        # Nothing of an unsigned body is parsed, logged or stored.
        if not verify(body, headers.get(HEADER), hook.app_secret):
            return 401, {"detail": "missing or bad signature"}
        try:
            payload = load_json(body)
        except BadJson as exc:
            log.info("WhatsApp body refused: %s", exc)
            return 400, {"detail": "malformed JSON"}
        batch = parse_webhook(payload, hook.phone_number_id)
        try:
            await hook.process(batch)
        except Exception as exc:
            # Everything handled so far is committed and idempotent: Meta redelivers the body.
            # Database errors quote their parameters (phone numbers): the summary is redacted
            # and the full traceback only goes to DEBUG.
            log.warning("WhatsApp webhook not processed (%s); asking Meta to redeliver",
                        redact_numbers(f"{type(exc).__name__}: {exc}")[:200])
            log.debug("WhatsApp webhook failure", exc_info=True)
            return 503, {"detail": "try again"}
        if batch.ignored:
            log.debug("WhatsApp webhook: %s items ignored", batch.ignored)
        return 200, {"ok": True}

    return answer
