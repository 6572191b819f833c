"""What the web chat's routes share: its pieces, and how sessions, messages and images are named."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request

from bot.channels.intake import ChannelIntake
from bot.channels.web.hub import WebChatHub
from bot.media import MediaStore
from bot.ratelimit import SlidingWindowLimiter
from core.city import CityContext
from core.i18n import normalise_language
from core.messages import Channel, Media
from storage.chats import SqlChatLookup
from storage.outbox_store import SqlOutboxStore

FETCH_LIMIT = 200


@dataclass
class WebChat:
    """Everything the web chat routes need, built by the composition root."""

    intake: ChannelIntake
    outbox: SqlOutboxStore
    chats: SqlChatLookup
    hub: WebChatHub
    media: MediaStore
    tz: ZoneInfo
    city: Callable[[], CityContext]
    max_upload_bytes: int
    message_limiter: SlidingWindowLimiter
    session_limiter: SlidingWindowLimiter

def chat_id_for(session: str) -> str:
    """The stored chat id is a hash of the session token, so the database never holds the token."""
    return "w" + hashlib.sha256(session.encode()).hexdigest()[:40]


def web_message_id(chat_id: str, client_id: str) -> str:
    """Client ids are chosen by browsers, so they are only unique within one session."""
    return f"{chat_id}:{client_id}"


def media_url(key: str, session: str, message_id: int) -> str:
    """Where the browser fetches a message's image; the session proves it may see it."""
    return f"/chat/media/{key}?{urlencode({'session': session, 'message': message_id})}"


def find_media(outbox: SqlOutboxStore, chat_id: str, key: str,
               message_id: int | None) -> Media | None:
    """The media with `key` in one of this chat's messages (in `message_id` when given)."""
    after, limit = (message_id - 1, 1) if message_id else (0, FETCH_LIMIT)
    while True:
        rows = outbox.fetch_for_chat(Channel.WEB, chat_id, after, limit)
        for row_id, out, _ in rows:
            if message_id and row_id != message_id:
                return None
            if found := next((m for m in out.media if m.storage_key == key), None):
                return found
        if message_id or len(rows) < limit:
            return None
        after = rows[-1][0]


def language_of(request: Request) -> str:
    header = request.headers.get("accept-language", "")
    return normalise_language(request.query_params.get("lang") or header[:2], "id")


