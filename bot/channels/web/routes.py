"""The web chat's routes under /chat: a pull channel over JSON, with long polling for later
messages."""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import time
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Path, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field, field_validator, model_validator
from starlette.datastructures import Headers

from bot.channels.web.chat import (
    FETCH_LIMIT,
    WebChat,
    chat_id_for,
    find_media,
    language_of,
    media_url,
    web_message_id,
)
from bot.edge.fast_posts import Answer, FastPostOrPass
from bot.edge.text import storable
from bot.media import CONTENT_TYPES, Refusal, media_response, take_image
from core.i18n import normalise_language, t
from core.messages import Channel, Inbound, Location, Outbound

MAX_WAIT_SECONDS = 30
MAX_ID = 2**31 - 1  # outbox ids are 32-bit on PostgreSQL: a larger cursor is refused, not a 500
# Media keys are SHA-256 hex plus the sniffed extension (bot/media.py); nothing else is served.
MEDIA_KEY = re.compile(rf"[0-9a-f]{{64}}\.({'|'.join(CONTENT_TYPES)})")
# An upload that is refused is answered at once, as an HTTP status with a text the page shows.
REFUSALS = {Refusal.TOO_LARGE: (413, "web.upload_too_large"),
            Refusal.NOT_IMAGE: (415, "web.bad_upload"), Refusal.UNAVAILABLE: (415, "web.bad_upload")}


class LocationIn(BaseModel):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class SendIn(BaseModel):
    session: str = Field(min_length=16, max_length=128)
    client_id: str = Field(min_length=1, max_length=64)
    after: int = Field(default=0, ge=0, le=MAX_ID)
    text: str | None = Field(default=None, max_length=8000)
    option: str | None = Field(default=None, max_length=64)
    location: LocationIn | None = None

    @field_validator("session", "client_id", "text", "option")
    @classmethod
    def _storable(cls, value: str | None) -> str | None:
        return None if value is None else storable(value)

    @model_validator(mode="after")
    def _one_kind(self) -> SendIn:
        given = [x for x in (self.text, self.option, self.location) if x not in (None, "")]
        if len(given) != 1:
            raise ValueError("send exactly one of text, option or location")
        return self


class SessionIn(BaseModel):
    lang: str = Field(default="id", max_length=8)


class ChatCalls:
    """What the routes do with a session's messages; `send` is also /chat/send's fast path."""

    def __init__(self, chat: WebChat) -> None:
        self.chat = chat

    def render(self, rows: list[tuple[int, Outbound, datetime]],
               session: str) -> list[dict[str, Any]]:
        return [
            {"id": mid, "text": out.text, "ask_location": out.ask_location,
             "options": [{"id": o.id, "label": o.label} for o in out.options],
             "media": [{"url": media_url(m.storage_key, session, mid),
                        "content_type": m.content_type, "filename": m.filename}
                       for m in out.media],
             "at": at.astimezone(self.chat.tz).isoformat()}
            for mid, out, at in rows
        ]

    async def messages_after(self, session: str, after: int) -> dict[str, Any]:
        rows = await self.chat.intake.calls(self.chat.outbox.fetch_for_chat, Channel.WEB,
                                            chat_id_for(session), after, FETCH_LIMIT)
        return {"cursor": rows[-1][0] if rows else after, "messages": self.render(rows, session)}

    async def known(self, language: str, session: str) -> str:
        chat_id = chat_id_for(session)
        if not await self.chat.intake.calls(self.chat.chats.exists, Channel.WEB, chat_id):
            raise HTTPException(404, t("web.unknown_session", language))
        return chat_id

    async def handle(self, language: str, inbound: Inbound) -> None:
        if not self.chat.message_limiter.allow(inbound.chat_id):
            raise HTTPException(429, t("web.too_many_requests", language))
        await self.chat.intake.handle(inbound)
        self.chat.hub.notify(inbound.chat_id)

    async def send(self, language: str, body: SendIn) -> dict[str, Any]:
        chat_id = await self.known(language, body.session)
        location = Location(body.location.latitude, body.location.longitude) if body.location else None
        await self.handle(language, Inbound(
            Channel.WEB, chat_id, web_message_id(chat_id, body.client_id), user_id=chat_id,
            text=body.text, option_id=body.option, location=location,
        ))
        return await self.messages_after(body.session, body.after)


def fast_send(chat: WebChat) -> FastPostOrPass:
    """POST /chat/send ahead of the app's routing (bot/edge/fast_posts.py): every message a
    citizen types or taps in the web chat. FastAPI's routing, dependency solving and exception
    layers were a fifth of its server time at one citizen (issue 19). A JSON body the model
    takes is answered here, by the route's own `send`; anything else (not JSON, refused by the
    model) is passed on to the route, which answers it exactly as before."""
    calls = ChatCalls(chat)

    async def answer(headers: Headers, body: bytes) -> Answer | None:
        if not headers.get("content-type", "").lower().startswith("application/json"):
            return None
        try:
            sent = SendIn.model_validate(json.loads(body))  # as FastAPI reads a JSON body
        except Exception:  # not JSON, or refused by the model: the route's 400 or 422
            return None
        language = normalise_language(headers.get("accept-language", "")[:2], "id")
        try:
            return 200, await calls.send(language, sent)
        except HTTPException as refused:  # as FastAPI answers it
            return refused.status_code, {"detail": refused.detail}
    return answer


def web_router(chat: WebChat) -> APIRouter:
    router = APIRouter(prefix="/chat", tags=["web chat"])
    calls = ChatCalls(chat)
    messages_after = calls.messages_after

    async def known(request: Request, session: str) -> str:
        return await calls.known(language_of(request), session)

    async def handle(request: Request, inbound: Inbound) -> None:
        await calls.handle(language_of(request), inbound)

    @router.get("/texts")
    async def texts(lang: str = "id") -> dict[str, Any]:
        language = normalise_language(lang)
        keys = ("title", "subtitle", "placeholder", "send", "share_location",
                "location_unsupported", "location_denied", "attach_photo", "uploading",
                "upload_too_large", "error_network", "new_chat", "language", "privacy_notice")
        city = chat.city()
        retention = city.config.retention
        values = {"city": city.directory.city, "max_mb": chat.max_upload_bytes // 2**20,
                  "messages_days": retention.messages_days,
                  "identity_days": retention.identity_days}
        return {"lang": language,
                "texts": {f"web.{k}": t(f"web.{k}", language, **values) for k in keys}}

    @router.post("/session")
    async def new_session(request: Request, body: SessionIn | None = None) -> dict[str, Any]:
        client = request.client.host if request.client else "unknown"
        if not chat.session_limiter.allow(client):
            raise HTTPException(429, t("web.too_many_requests", language_of(request)))
        session = secrets.token_urlsafe(32)
        chat_id = chat_id_for(session)
        lang = normalise_language((body or SessionIn()).lang)
        await handle(request, Inbound(Channel.WEB, chat_id, web_message_id(chat_id, "start"),
                                      user_id=chat_id,
                                      text="/start", language_hint=lang))
        return {"session": session, **await messages_after(session, 0)}

    @router.post("/send")
    async def send(request: Request, body: SendIn) -> dict[str, Any]:
        return await calls.send(language_of(request), body)

    @router.post("/upload")
    async def upload(
        request: Request,
        session: Annotated[str, Form(min_length=16, max_length=128)],
        client_id: Annotated[str, Form(min_length=1, max_length=64)],
        file: Annotated[UploadFile, File()],
        after: Annotated[int, Form(ge=0, le=MAX_ID)] = 0,
    ) -> dict[str, Any]:
        try:
            storable(client_id)
        except ValueError as exc:
            raise HTTPException(422, f"client_id: {exc}") from None
        chat_id = await known(request, session)
        media = await take_image(chat.media, lambda limit: file.read(limit + 1),
                                 limit=chat.max_upload_bytes, filename=file.filename)
        if isinstance(media, Refusal):
            status, key = REFUSALS[media]
            raise HTTPException(status, t(key, language_of(request),
                                          max_mb=chat.max_upload_bytes // 2**20))
        await handle(request, Inbound(Channel.WEB, chat_id, web_message_id(chat_id, client_id),
                                      user_id=chat_id,
                                      media=(media,)))
        return await messages_after(session, after)

    @router.get("/messages")
    async def poll(
        request: Request,
        session: Annotated[str, Query(min_length=16, max_length=128)],
        after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
        wait: Annotated[float, Query(ge=0, le=MAX_WAIT_SECONDS)] = 0,
    ) -> dict[str, Any]:
        chat_id = await known(request, session)
        deadline = time.monotonic() + wait
        while True:
            result = await messages_after(session, after)
            remaining = deadline - time.monotonic()
            if result["messages"] or remaining <= 0 or await request.is_disconnected():
                return result
            # Woken at once by this process; rows written by other workers show within 1 s.
            await chat.hub.wait(chat_id, min(1.0, remaining))

    @router.get("/media/{key}")
    async def media(
        request: Request,
        key: Annotated[str, Path(max_length=80)],
        session: Annotated[str, Query(min_length=16, max_length=128)],
        message: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    ) -> Response:
        """An image of one of this session's messages; any other key is simply not found."""
        if not MEDIA_KEY.fullmatch(key):
            raise HTTPException(404)
        chat_id = await known(request, session)
        found = await asyncio.to_thread(find_media, chat.outbox, chat_id, key, message)
        data = None if found is None else await asyncio.to_thread(chat.media.read, key)
        if data is None:
            raise HTTPException(404)
        return media_response(data, CONTENT_TYPES[key.rsplit(".", 1)[1]], {
            "Cache-Control": "private, max-age=86400", "X-Content-Type-Options": "nosniff"})

    return router
