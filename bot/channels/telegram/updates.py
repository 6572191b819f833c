"""One Telegram update, from webhook or polling alike: classify, fetch files, run the use case."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from typing import Any

from telegram import Bot
from telegram.error import TelegramError

from bot.channels.intake import ChannelIntake
from bot.channels.telegram.client import call_api
from bot.channels.telegram.inbound import CallbackRef, Decision, Ignore, ToCore, classify, unhandled
from bot.channels.telegram.media import fetch, refusal_text
from bot.channels.telegram.render import chosen_text
from bot.channels.telegram.shape import shape_error
from bot.edge.json_body import BadJson, load_json
from bot.media import MediaStore, Refusal
from bot.pacing import Pacer
from core.i18n import normalise_language
from core.intake.notice import Notice

log = logging.getLogger(__name__)


class BadUpdate(ValueError):
    """The update parsed as JSON but is not a shape Telegram sends."""


def chat_key(decision: ToCore | Notice) -> str:
    """Updates of one chat are handled in order; of different chats, side by side."""
    chat_id = decision.inbound.chat_id if isinstance(decision, ToCore) else decision.chat_id
    return f"telegram:{chat_id}"


class UpdateHandler:
    """Feeds updates to the intake use case; button follow-ups run in the background."""

    def __init__(self, bot: Bot, intake: ChannelIntake, media: MediaStore, pacer: Pacer,
                 default_language: str = "id") -> None:
        self.bot, self._intake, self._media, self._pacer = bot, intake, media, pacer
        self._default_language = default_language
        self._follow_ups: set[asyncio.Task[None]] = set()
        self.bot_username: str | None = None  # set from getMe at start-up

    async def handle_raw(self, data: dict[str, Any]) -> str:
        """An update as JSON (webhook body, getUpdates item): parsed only if we handle its kind."""
        return await self.run(self.decide(data))

    def decide(self, data: dict[str, Any]) -> Decision:
        """Check the fields' types and classify (pure, cheap): what the webhook does before
        storing. BadUpdate: not a shape Telegram sends."""
        skipped = unhandled(data)
        if skipped is not None:
            log.debug("telegram update ignored before parsing: %s", skipped.kind)
            return skipped
        wrong = shape_error(data)
        if wrong is not None:
            raise BadUpdate(f"malformed at {wrong}")
        try:
            return classify(data, self.bot_username)
        except (KeyError, TypeError, AttributeError, IndexError, ValueError) as exc:
            # A field Telegram always sends is missing: bad input, not our failure.
            raise BadUpdate(f"{type(exc).__name__}: {exc}"[:200]) from exc

    def resume(self, payload: str) -> tuple[str, Callable[[], Awaitable[object]]] | None:
        """A stored update (inbox) → its chat and the job that handles it."""
        try:
            decision = self.decide(load_json(payload.encode()))
        except (BadUpdate, BadJson, AttributeError, TypeError):
            log.warning("a stored telegram update could not be parsed; dropped")
            return None
        if isinstance(decision, Ignore):
            return None
        return chat_key(decision), lambda: self.run(decision)

    async def run(self, decision: Decision) -> str:
        """Act on a classified update."""
        if isinstance(decision, Ignore):
            log.debug("telegram update ignored: %s", decision.kind)
            if decision.callback_query_id is not None:
                self._later(self._answer(decision.callback_query_id))
            return "ignored"
        if isinstance(decision, Notice):
            return await self._notice(decision)
        inbound = decision.inbound
        if decision.file is not None:
            got = await fetch(self.bot, decision.file, self._media)
            if isinstance(got, Refusal):
                return await self._notice(Notice.answering(inbound, *refusal_text(got)))
            inbound = replace(inbound, media=(got,))
        outcome = await self._intake.handle(inbound)
        if outcome.replayed:
            return "replayed"
        if decision.callback is not None:
            language = normalise_language(inbound.language_hint, self._default_language)
            self._later(self._follow_up(decision.callback, language,
                                        replaced=inbound.pressed is not None))
        return "handled"

    async def close(self) -> None:
        """Let button follow-ups finish briefly, then drop them (they are best effort)."""
        if self._follow_ups:
            _, pending = await asyncio.wait(self._follow_ups, timeout=2.0)
            for task in pending:
                task.cancel()

    async def _notice(self, notice: Notice) -> str:
        replayed = await self._intake.notice(notice)
        return "replayed" if replayed else "notice"

    def _later(self, job: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(job)
        self._follow_ups.add(task)
        task.add_done_callback(self._follow_ups.discard)

    async def _answer(self, query_id: str) -> None:
        try:
            await call_api(self.bot, "answerCallbackQuery", {"callback_query_id": query_id})
        except TelegramError as exc:  # too old, already answered: nothing to do
            log.debug("answerCallbackQuery failed: %s", exc.message)

    async def _follow_up(self, callback: CallbackRef, language: str, replaced: bool) -> None:
        """Stop the button's spinner; unless the answer takes the pressed message's place
        (the outbox edits it), show the choice in place of the pressed keyboard."""
        await self._answer(callback.query_id)
        if replaced or callback.chat_id is None or callback.message_id is None:
            return
        # Edits use spare bot-wide budget only: under load or a flood wait they are skipped
        # (the old buttons then just get the core's "that was an earlier question" hint).
        if not self._pacer.try_acquire():
            return
        try:
            text = (chosen_text(callback.text, callback.label, language)
                    if callback.text and callback.label else None)
            where = {"chat_id": callback.chat_id, "message_id": callback.message_id}
            if text is not None:
                await call_api(self.bot, "editMessageText", {**where, "text": text})
            else:
                await call_api(self.bot, "editMessageReplyMarkup", where)
        except TelegramError as exc:  # not modified, too old, deleted: the reply matters more
            log.debug("editing the pressed keyboard failed: %s", exc.message)
