"""The web chat: the zero-config channel (always on), its page at `/` and a pull API under
`/chat`. `SPEC` is its registry line; it has no sender, as browsers fetch their messages."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from functools import cached_property

from fastapi import APIRouter

from bot.channels.base import ChannelPieces, ChannelSpec
from bot.channels.web.chat import WebChat
from bot.channels.web.hub import WebChatHub
from bot.channels.web.routes import fast_send, web_router
from bot.edge.fast_posts import FastPostOrPass
from bot.ratelimit import SlidingWindowLimiter
from bot.settings import Settings
from core.messages import Channel
from storage.chats import SqlChatLookup

__all__ = ["SPEC", "WebChat", "WebChatChannel"]
MULTIPART_OVERHEAD = 64 * 1024


class WebChatChannel:
    """The web chat as a channel: its routes, and the hub that wakes long-polling browsers."""

    channel = Channel.WEB
    sender = None  # a pull channel: browsers fetch their messages from the outbox
    # Built on the first `/chat` request: its routes (and FastAPI's check of their models,
    # which loads pydantic.v1) cost ~50 ms of start-up before the first webhook (issue 20).
    deferred_prefix = "/chat"

    def __init__(self, chat: WebChat) -> None:
        self.chat = chat

    @cached_property
    def router(self) -> APIRouter:
        return web_router(self.chat)

    @property
    def body_limits(self) -> Mapping[str, int]:
        return {"/chat/upload": self.chat.max_upload_bytes + MULTIPART_OVERHEAD}

    @property
    def fast_posts(self) -> Mapping[str, FastPostOrPass]:
        """A message sent: bot.channels.web.routes.fast_send; the rest are the routes'."""
        return {"/chat/send": self._fast_send}

    @cached_property
    def _fast_send(self) -> FastPostOrPass:
        return fast_send(self.chat)

    async def start(self) -> None:
        self.chat.hub.bind(asyncio.get_running_loop())

    async def stop(self) -> None:
        """Nothing runs in the background: waiting browsers time out on their own."""


def _always(settings: Settings) -> bool:
    return True


def _from_pieces(pieces: ChannelPieces) -> WebChatChannel:
    settings = pieces.settings
    return WebChatChannel(WebChat(
        intake=pieces.channel_intake(), outbox=pieces.outbox, chats=SqlChatLookup(pieces.engine),
        hub=WebChatHub(), media=pieces.media, tz=settings.tz, city=pieces.city,
        max_upload_bytes=settings.web_max_upload_bytes,
        message_limiter=SlidingWindowLimiter(settings.web_messages_per_minute, 60.0),
        session_limiter=SlidingWindowLimiter(settings.web_sessions_per_hour_per_ip, 3600.0),
    ))


SPEC = ChannelSpec(Channel.WEB, _always, _from_pieces)
