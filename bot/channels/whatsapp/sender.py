"""`WhatsAppSender`: one outbox row → Cloud API calls (text, then images), within the 24-hour
window and the pace."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.channels.whatsapp.client import GraphError, GraphUnavailable, WhatsAppClient
from bot.channels.whatsapp.errors import Action, classify
from bot.channels.whatsapp.privacy import chat_ref, redact_numbers
from bot.channels.whatsapp.render import (
    ButtonsPart,
    ListPart,
    LocationRequestPart,
    Part,
    TextPart,
    render,
)
from bot.media import MediaStore, read_for_sending
from bot.pacing import Pacer, Pacing
from core.i18n import t
from core.i18n.catalog import CATALOG
from core.messages import Channel, Media
from core.ports import Clock, OutgoingMessage, SendOutcome, SendResult
from storage.outbox_store import INBOUND_AT
from storage.whatsapp_store import ChatState

log = logging.getLogger(__name__)
DEFAULT_RATE = 80.0  # messages per second per business number (Meta's default throughput)
WINDOW = timedelta(hours=24)
TEMPLATE_PARAM_LIMIT = 60
ALARM_INTERVAL = 60.0  # seconds between two ERROR lines about the same broken setup
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})  # what an image message may carry
IMAGE_LIMIT = 5 * 1024 * 1024


class ChatStore(Protocol):
    def chat_state(self, chat_id: str) -> ChatState | None: ...

    def save_progress(self, outbox_id: int, values: dict[str, Any]) -> None: ...


class WhatsAppSender:
    """Renders core messages as WhatsApp messages; never raises for platform errors."""

    channel = Channel.WHATSAPP

    def __init__(self, client: WhatsAppClient, chats: ChatStore, clock: Clock, *,
                 template: str | None, template_language: str = "id",
                 default_language: str = "id", rate: float = DEFAULT_RATE,
                 window_margin: timedelta = timedelta(minutes=1),
                 throttle_backoff: float = 0.25, max_throttle_backoff: float = 60.0,
                 token_retry_after: float = 300.0, account_retry_after: float = 900.0,
                 rng: Callable[[], float] = random.random,
                 media: MediaStore | None = None) -> None:
        self._client, self._chats, self._clock = client, chats, clock
        self._media = media
        self._template, self._template_language = template, template_language
        self._default_language = default_language
        # One budget per business number; WhatsApp sets no per-chat rate, and a send waits for
        # its slot rather than being handed back (max_wait unbounded).
        self._pacer = Pacer(Pacing(global_rate=rate, global_burst=rate, chat_rate=rate,
                                   chat_burst=rate, max_wait=float("inf")))
        self._window = WINDOW - window_margin
        self._throttle = (throttle_backoff, max_throttle_backoff)
        self._long_retry = {Action.TOKEN: token_retry_after, Action.ACCOUNT: account_retry_after}
        self._rng = rng
        self._last_alarm: dict[Action, float] = {}

    async def send(self, item: OutgoingMessage) -> SendResult:
        state = await asyncio.to_thread(self._chats.chat_state, item.chat_id)
        if not self.window_open(state, item.meta):
            return await self._outside_window(item)
        language = state.language if state else self._default_language
        # Images follow the text as parts of their own, so a retry resumes after those sent;
        # the row keeps the text's message id (a reply to it names the report).
        parts: list[Part | Media] = [*render(item.message, language), *item.message.media]
        done = int(item.meta.get("wa_parts_sent", 0))
        last_id: str | None = item.meta.get("wa_last_id")
        for index in range(done, len(parts)):
            part = parts[index]
            await self._pacer.acquire(None)
            try:
                if isinstance(part, Media):
                    await self._send_image(item.chat_id, part)
                else:
                    last_id = await self._send_part(item.chat_id, part)
            except (GraphError, GraphUnavailable) as exc:
                if isinstance(part, Media) and _never_accepted(exc):
                    # The text is already out: one bad image must not fail the whole row.
                    log.warning("image %s refused by WhatsApp, skipped: %s", part.storage_key,
                                redact_numbers(str(exc)))
                    continue
                if index > done:  # resume after the parts that did go out, not from the top
                    await asyncio.to_thread(self._chats.save_progress, item.id,
                                            {"wa_parts_sent": index, "wa_last_id": last_id})
                if isinstance(exc, GraphError) and classify(exc.code) is Action.WINDOW:
                    return await self._outside_window(item)  # our clock and Meta's disagreed
                return self._failure(item, exc)
        return SendResult(SendOutcome.SENT, platform_message_id=last_id)

    def window_open(self, state: ChatState | None, meta: dict[str, Any]) -> bool:
        """Inside the 24 hours after the citizen's last message (and not refused since)."""
        last = state.last_inbound_at if state else None
        answering = meta.get(INBOUND_AT)  # a farewell: the chat's identity is already erased
        if last is None and isinstance(answering, str):
            last = datetime.fromisoformat(answering)
        if last is None:
            return False
        closed_at = meta.get("wa_window_closed_at")
        if isinstance(closed_at, str) and last <= datetime.fromisoformat(closed_at):
            return False
        return self._clock.now() - last < self._window

    async def _send_part(self, to: str, part: Part) -> str:
        match part:
            case TextPart(body):
                return await self._client.send_text(to, body)
            case ButtonsPart(body, buttons):
                return await self._client.send_buttons(to, body, buttons)
            case ListPart(body, button, rows):
                return await self._client.send_list(to, body, button, rows)
            case LocationRequestPart(body):
                return await self._client.send_location_request(to, body)

    async def _send_image(self, to: str, media: Media) -> None:
        """Upload the file, then send it; a file that cannot be sent at all is logged and
        skipped."""
        if self._media is None:
            log.warning("image %s not sent: the WhatsApp sender has no media store",
                        media.storage_key)
            return
        data = await read_for_sending(self._media, media, IMAGE_TYPES, IMAGE_LIMIT, "WhatsApp")
        if data is None:
            return
        media_id = await self._client.upload_media(data, media.content_type,
                                                   media.filename or media.storage_key)
        await self._client.send_image(to, media_id)

    async def _outside_window(self, item: OutgoingMessage) -> SendResult:
        """Announce a report update with the approved template; hold the full text."""
        report = item.message.report
        if report is None or not self._template:
            log.info("outbox id=%s to %s held: outside the 24-hour window", item.id,
                     chat_ref(item.chat_id))
            return SendResult(SendOutcome.HELD, error="outside the 24-hour window")
        parameters = [_param(report), _param(status_text(item.message.status))]
        await self._pacer.acquire(None)
        try:
            template_id = await self._client.send_template(
                item.chat_id, self._template, self._template_language, parameters)
        except GraphUnavailable as exc:
            return self._failure(item, exc)
        except GraphError as exc:
            if classify(exc.code, exc.http_status) in (Action.PERMANENT, Action.WINDOW):
                # Template missing, not approved, wrong parameters: an operator must fix it.
                # The text stays held and still reaches the citizen when they next write.
                self._alarm(Action.PERMANENT, "status template %r refused: %s", self._template,
                            redact_numbers(str(exc)))
                return SendResult(SendOutcome.HELD, error=_error_text(exc))
            return self._failure(item, exc)
        log.info("outbox id=%s to %s held; template %s sent", item.id, chat_ref(item.chat_id),
                 self._template)
        return SendResult(SendOutcome.HELD, platform_message_id=template_id,
                          error="outside the 24-hour window: template sent")

    def _failure(self, item: OutgoingMessage, exc: GraphError | GraphUnavailable) -> SendResult:
        if isinstance(exc, GraphUnavailable):
            return SendResult(SendOutcome.RETRY, error=f"whatsapp unavailable: {exc}")
        error = _error_text(exc)
        action = classify(exc.code, exc.http_status)
        match action:
            case Action.THROTTLED:
                base, ceiling = self._throttle
                delay = min(ceiling, base * 2 ** min(max(item.attempts - 1, 0), 20))
                delay = max(delay * (1 + self._rng() / 4), exc.retry_after or 0.0)
                if exc.code != 131056:  # the pair limit concerns one chat, not the number
                    self._pacer.pause(min(delay, 1.0))
                return SendResult(SendOutcome.RETRY, retry_after=delay, error=error)
            case Action.TOKEN | Action.ACCOUNT:
                self._alarm(action, "WhatsApp refuses our requests (%s): %s; messages wait",
                            action.value, error)
                return SendResult(SendOutcome.RETRY, retry_after=self._long_retry[action],
                                  error=error)
            case Action.UNREACHABLE:
                return SendResult(SendOutcome.UNREACHABLE, error=error)
            case Action.PERMANENT | Action.WINDOW:
                return SendResult(SendOutcome.FAILED, error=error)
            case Action.TRANSIENT:
                return SendResult(SendOutcome.RETRY, retry_after=exc.retry_after, error=error)

    def _alarm(self, action: Action, message: str, *args: object) -> None:
        """Loud, but once a minute: a broken token must not bury the log."""
        now = time.monotonic()
        if now - self._last_alarm.get(action, -ALARM_INTERVAL) >= ALARM_INTERVAL:
            self._last_alarm[action] = now
            log.error(message, *args)


def status_text(status: object) -> str:
    """The template's second parameter: the new status in words, or "there is a new reply"."""
    if isinstance(status, str) and f"status.{status}" in CATALOG:
        return t(f"status.{status}", "id")
    if isinstance(status, str) and status.strip():
        return status
    return t("whatsapp.template_new_reply", "id")


def _param(value: str) -> str:
    # Template parameters may not hold new lines, tabs or runs of spaces.
    return " ".join(value.split())[:TEMPLATE_PARAM_LIMIT] or "-"


def _never_accepted(exc: GraphError | GraphUnavailable) -> bool:
    """A refusal that sending the same request again would not change (bad file, bad type)."""
    return isinstance(exc, GraphError) and classify(exc.code, exc.http_status) is Action.PERMANENT


def _error_text(exc: GraphError) -> str:
    return redact_numbers(f"whatsapp {exc.code}: {exc.message}")[:300]
