"""Platform webhooks answered ahead of the app's routing (issue 19).

A webhook POST is the hot path: Telegram and WhatsApp post every citizen message to one path
each. Going through FastAPI's exception layers, router, request wrapper and dependency
solving cost about 5 % of the server's CPU per update (bench/RESULTS.md); this pure ASGI
middleware hands such a POST straight to the channel's handler. It sits inside the body size
limit and the Server-Timing header (bot/app.py), so both still apply; any other method on
those paths, or a POST with a query string, goes on to the app's routes (405 for a GET, as
before). A handler may also pass a POST on (the web chat's /chat/send passes on every body its
model refuses, so that the route answers it exactly as before): the app then gets the same body.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A webhook's answer: the status and the JSON object of the response body.
Answer = tuple[int, dict[str, Any]]
# What a channel gives: the request headers and whole body in, the answer out.
FastPost = Callable[[Headers, bytes], Awaitable[Answer]]
# The same, or None: this request is the app's route's to answer.
FastPostOrPass = Callable[[Headers, bytes], Awaitable[Answer | None]]


class FastPosts:
    """Pure ASGI middleware: POSTs to the paths of `handlers` go to their handler directly."""

    def __init__(self, app: ASGIApp, handlers: Mapping[str, FastPostOrPass]) -> None:
        self.app, self.handlers = app, dict(handlers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = self.handlers.get(scope["path"]) if scope["type"] == "http" else None
        if handler is None or scope["method"] != "POST" or scope.get("query_string"):
            await self.app(scope, receive, send)
            return
        body = await _body(receive)
        if body is None:  # the client went away before sending it all
            return
        answered = await handler(Headers(scope=scope), body)
        if answered is None:
            await self.app(scope, _replay(body, receive), send)
            return
        status, answer = answered
        await send_json(send, status, answer)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The request as read already, then the client's later messages (a disconnect)."""
    first = True

    async def replayed() -> Message:
        nonlocal first
        if first:
            first = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()
    return replayed


async def _body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


async def send_json(send: Send, status: int, answer: dict[str, Any]) -> None:
    content = json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(content)).encode())]})
    await send({"type": "http.response.body", "body": content})
