"""POST /webhook/telegram: secret first, then JSON, then the same handler polling uses."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Callable
from typing import Protocol

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers

from bot.channels.telegram.inbound import Ignore, external_id
from bot.channels.telegram.updates import BadUpdate, UpdateHandler, chat_key
from bot.edge.fast_posts import Answer, FastPost
from bot.edge.json_body import BadJson, load_json
from bot.inbox import InboxWorker
from core.messages import Channel
from storage.inbox_store import Received

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_PATH = "/webhook/telegram"


def secret_matches(given: str | None, expected: str) -> bool:
    """Constant-time, so the secret cannot be guessed byte by byte from response times."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def _status(code: int, detail: str) -> Answer:
    return code, {"detail": detail}


class SecretSource(Protocol):
    cached: str | None

    def value(self) -> str: ...


def telegram_webhook(handler: Callable[[], UpdateHandler], secret: SecretSource,
                     inbox: Callable[[], InboxWorker | None] = lambda: None) -> FastPost:
    """The webhook's answer to one POST (bot.edge.fast_posts serves it ahead of the routes).

    `handler` and `secret` are looked up per request: both are ready only after start-up.
    With an `inbox`, the answer comes once the update is stored; it is handled after that.
    """

    async def answer(headers: Headers, body: bytes) -> Answer:
        expected = secret.cached
        if expected is None:
            expected = await asyncio.to_thread(secret.value)
        if not secret_matches(headers.get(SECRET_HEADER), expected):
            return _status(401, "wrong or missing secret token")
        try:
            data = load_json(body)
        except BadJson as exc:
            log.info("telegram body refused: %s", exc)
            return _status(400, "malformed JSON")
        if not isinstance(data, dict) or type(data.get("update_id")) is not int:
            return _status(400, "not a Telegram update")
        updates, worker = handler(), inbox()
        try:
            decision = updates.decide(data)
            if worker is None or isinstance(decision, Ignore):
                what = await updates.run(decision)
            else:
                stored = await worker.accept(
                    Received(Channel.TELEGRAM, external_id(data["update_id"]),
                             body.decode("utf-8", "replace")),
                    chat_key(decision), lambda: updates.run(decision))
                what = "stored" if stored else "replayed"
        except BadUpdate as exc:
            log.info("telegram update refused as malformed: %s", exc)
            return _status(400, "malformed update")
        except Exception:
            # Telegram delivers the update again later; nothing was acknowledged for it.
            log.exception("telegram update %s failed", data["update_id"])
            return _status(503, "temporarily unavailable")
        return 200, {"ok": True, "result": what}

    return answer


def telegram_router(answer: FastPost) -> APIRouter:
    """The webhook as a route too: what the app serves when the fast path is not in front."""
    router = APIRouter(tags=["telegram"])

    @router.post(WEBHOOK_PATH, include_in_schema=False)
    async def webhook(request: Request) -> JSONResponse:
        status, payload = await answer(request.headers, await request.body())
        return JSONResponse(payload, status_code=status)

    return router
