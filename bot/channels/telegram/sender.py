"""`TelegramSender`: one outbox message → Bot API calls (text, then photos), paced, errors mapped."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Protocol

from telegram import Bot
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bot.channels.telegram.client import call_api
from bot.channels.telegram.photos import batches, load_photos, photo_call
from bot.channels.telegram.render import (
    REMOVE_KEYBOARD,
    Markup,
    inline_keyboard,
    is_inline,
    location_keyboard,
    oversized_option,
    split_text,
)
from bot.channels.telegram.setup import publish_admin_menu
from bot.db_calls import THREADS, DatabaseCalls
from bot.media import MediaStore
from bot.pacing import Pacer
from core.i18n import t
from core.messages import Channel, Media
from core.ports import OutgoingMessage, Previous, SendOutcome, SendResult

log = logging.getLogger(__name__)

UNREACHABLE_REASONS = ("chat not found", "user not found", "bot was blocked", "user is deactivated",
                       "bot was kicked", "peer_id_invalid")
NOT_MODIFIED = "message is not modified"
LATER_PART_ATTEMPTS = 3
NO_PREVIEW = {"is_disabled": True}
# `retry_after` turns from int into timedelta in a later PTB; retry_seconds() takes both.
warnings.filterwarnings("ignore", message=r".*`retry_after` will be of type",
                        category=PTBDeprecationWarning)


class ChatHints(Protocol):
    def language(self, channel: Channel, chat_id: str) -> str | None: ...

    def previous_sent(self, channel: Channel, chat_id: str, before_id: int) -> Previous | None: ...


def retry_seconds(exc: RetryAfter) -> float:
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def outcome_of(exc: TelegramError) -> SendResult:
    """The one place where Bot API errors become outbox outcomes."""
    reason = exc.message[:300]
    lowered = reason.lower()
    if isinstance(exc, RetryAfter):
        return SendResult(SendOutcome.RETRY, retry_after=retry_seconds(exc), error="flood control")
    if isinstance(exc, Forbidden):  # blocked by the user, deactivated, kicked
        return SendResult(SendOutcome.UNREACHABLE, error=reason)
    if isinstance(exc, BadRequest):  # a subclass of NetworkError: test it first
        if NOT_MODIFIED in lowered:
            return SendResult(SendOutcome.SENT)
        if any(r in lowered for r in UNREACHABLE_REASONS):
            return SendResult(SendOutcome.UNREACHABLE, error=reason)
        return SendResult(SendOutcome.FAILED, error=reason)
    if isinstance(exc, ChatMigrated):  # a group became a supergroup; we only talk in private
        return SendResult(SendOutcome.FAILED, error="chat migrated")
    if isinstance(exc, NetworkError):  # includes TimedOut
        return SendResult(SendOutcome.RETRY, error=reason)
    # A configuration fault: keep the messages, back off. (A rejected token is answered 404,
    # which PTB's request layer reports as an unknown endpoint.)
    if isinstance(exc, InvalidToken | EndPointNotFound):
        return SendResult(SendOutcome.RETRY, error="token rejected by the Bot API")
    return SendResult(SendOutcome.RETRY, error=f"{type(exc).__name__}: {reason}")


def sent_message_id(result: object) -> str | None:
    """The `message_id` of a sent message as the Bot API returned it; None when it is missing
    (the platform accepted the message: failing here would only send it again)."""
    if isinstance(result, dict) and type(message_id := result.get("message_id")) is int:
        return str(message_id)
    log.warning("the Bot API answered a sendMessage without a message id")
    return None


class TelegramSender:
    """Implements core.ports.MessageSender for Telegram; never raises for platform errors."""

    channel = Channel.TELEGRAM

    def __init__(self, bot: Bot, pacer: Pacer, hints: ChatHints | None = None,
                 default_language: str = "id", media: MediaStore | None = None,
                 calls: DatabaseCalls = THREADS) -> None:
        """`calls`: where the chat hints are read (bot.db_calls)."""
        self.bot, self.pacer, self._hints = bot, pacer, hints
        self._calls = calls
        self._default_language = default_language
        self.media = media

    async def send(self, item: OutgoingMessage) -> SendResult:
        """The text (buttons on its last part), then the message's photos in order."""
        if (role := item.message.admin_menu) is not None:
            await self._publish_admin_menu(item.chat_id, str(role))
        result = await self._send_text_parts(item)
        if result.outcome is not SendOutcome.SENT or not item.message.media:
            return result
        photos = await self._send_photos(item.chat_id, item.message.media)
        return result if photos.outcome is SendOutcome.SENT else photos

    async def _send_text_parts(self, item: OutgoingMessage) -> SendResult:
        out, chat_id = item.message, item.chat_id
        if (bad := oversized_option(out.options)) is not None:
            return SendResult(SendOutcome.FAILED, error=f"option id over 64 bytes: {bad.id[:40]!r}")
        chunks = split_text(out.text)
        first: Markup | None = None
        last: Markup | None
        if out.ask_location:
            last = location_keyboard(out.options, await self._language(chat_id))
        else:
            last = inline_keyboard(out.options)
            previous = await self._previous(item)
            if previous is not None and previous.asked_location:
                first = REMOVE_KEYBOARD
            elif (out.replaces is not None and len(chunks) == 1 and previous is not None
                  and previous.platform_message_id == out.replaces):
                # The pressed question is still the chat's last message: it becomes the
                # answer (one call where a keyboard edit plus a new message took two).
                edited = await self._call(chat_id, False,
                                          self._edit_text(chat_id, out.replaces, chunks[0], last))
                if edited.outcome is not SendOutcome.FAILED:
                    return edited
                log.debug("could not edit the pressed message (%s); sending anew", edited.error)
        if first is not None and len(chunks) == 1:
            return await self._send_removing_keyboard(chat_id, chunks[0], last)
        markups = [first, *[None] * (len(chunks) - 2), last] if len(chunks) > 1 else [last]
        result = SendResult(SendOutcome.SENT)
        for index, (chunk, markup) in enumerate(zip(chunks, markups, strict=True)):
            result = await self._call(chat_id, index > 0, self._send_text(chat_id, chunk, markup))
            if result.outcome is not SendOutcome.SENT:
                return result
        return result

    async def _send_removing_keyboard(self, chat_id: str, text: str,
                                      buttons: Markup | None) -> SendResult:
        """The location keyboard goes with a text; inline buttons cannot share that message,
        so they are attached right after by editing it (or, if refused, sent on their own)."""
        sent = await self._call(chat_id, False, self._send_text(chat_id, text, REMOVE_KEYBOARD))
        if (sent.outcome is not SendOutcome.SENT or not is_inline(buttons)
                or sent.platform_message_id is None):
            return sent
        message_id = int(sent.platform_message_id)

        async def attach() -> str | None:
            await call_api(self.bot, "editMessageReplyMarkup", {
                "chat_id": chat_id, "message_id": message_id, "reply_markup": buttons})
            return str(message_id)

        edited = await self._call(chat_id, True, attach)
        if edited.outcome is SendOutcome.FAILED:
            log.debug("could not attach buttons by editing (%s); sending them apart", edited.error)
            choose = t("telegram.choose", await self._language(chat_id))
            return await self._call(chat_id, True, self._send_text(chat_id, choose, buttons))
        return edited if edited.outcome is not SendOutcome.SENT else sent

    async def _send_photos(self, chat_id: str, media: tuple[Media, ...]) -> SendResult:
        """Photos follow the text, so every call is mid-message; one Telegram refuses is
        logged and skipped rather than failing a message whose text is already out."""
        for batch in batches(await load_photos(media, self.media)):
            sent = await self._call(chat_id, True, photo_call(self.bot, chat_id, batch))
            if sent.outcome is SendOutcome.FAILED:
                log.warning("telegram refused %d photo(s): %s", len(batch), sent.error)
            elif sent.outcome is not SendOutcome.SENT:
                return sent
        return SendResult(SendOutcome.SENT)

    def _send_text(self, chat_id: str, text: str,
                   markup: Markup | None) -> Callable[[], Awaitable[str | None]]:
        async def call() -> str | None:
            # No parse_mode: citizens' text (<script>, *_[) is shown exactly as typed.
            # The raw result: only the new message's id is read (issue 19: parsing each
            # answer into a `Message` cost 4 % of the server's CPU).
            result = await call_api(self.bot, "sendMessage", {
                "chat_id": chat_id, "text": text, "reply_markup": markup,
                "link_preview_options": NO_PREVIEW})
            return sent_message_id(result)

        return call

    def _edit_text(self, chat_id: str, message_id: str, text: str,
                   markup: Markup | None) -> Callable[[], Awaitable[str | None]]:
        async def call() -> str | None:
            await call_api(self.bot, "editMessageText", {
                "chat_id": chat_id, "message_id": int(message_id), "text": text,
                "link_preview_options": NO_PREVIEW,
                "reply_markup": markup if is_inline(markup) else None})
            return message_id

        return call

    async def _call(self, chat_id: str, mid_message: bool,
                    call: Callable[[], Awaitable[str | None]]) -> SendResult:
        """One paced Bot API call. Once part of a message is out, short waits are taken here
        rather than handing the row back, which would send the earlier parts twice."""
        attempts = LATER_PART_ATTEMPTS if mid_message else 1
        result = SendResult(SendOutcome.RETRY)
        for _ in range(attempts):
            wait = await self.pacer.acquire(chat_id)
            if wait is not None:
                return SendResult(SendOutcome.RETRY, retry_after=wait, error="paced")
            try:
                async with self.pacer.calls():  # recorded (dispatcher journal) before the next
                    message_id = await call()
                return SendResult(SendOutcome.SENT, platform_message_id=message_id)
            except TelegramError as exc:
                if isinstance(exc, RetryAfter):
                    self.pacer.pause(retry_seconds(exc))
                result = outcome_of(exc)
                log.debug("telegram call failed: %s", result.error)
            if result.outcome is not SendOutcome.RETRY:
                return result
            if not mid_message:
                break
            if result.retry_after is None:  # a flood wait is already a pause in the pacer
                await asyncio.sleep(1.0)
        return result

    async def _publish_admin_menu(self, chat_id: str, role: str) -> None:
        """A newly enrolled admin's menu; failing to set it must not hold up the message."""
        try:
            await publish_admin_menu(self.bot, chat_id, role, await self._language(chat_id))
        except (TelegramError, ValueError) as exc:
            log.warning("could not set the admin command menu: %s", type(exc).__name__)

    async def _language(self, chat_id: str) -> str:
        if self._hints is None:
            return self._default_language
        found = await self._calls(self._hints.language, Channel.TELEGRAM, chat_id)
        return found or self._default_language

    async def _previous(self, item: OutgoingMessage) -> Previous | None:
        """The message delivered before this one: a location keyboard it left up, its id
        (found by the dispatcher's claim; looked up for a message handed over otherwise)."""
        if item.previous is not None:
            return item.previous
        if self._hints is None:
            return None
        return await self._calls(self._hints.previous_sent, Channel.TELEGRAM, item.chat_id,
                                 item.id)

