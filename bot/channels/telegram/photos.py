"""Outgoing photos for Telegram: read from the media store, sent alone or as albums of ten."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from telegram import Bot, InputMediaPhoto

from bot.media import MediaStore, read_for_sending
from core.messages import Media

log = logging.getLogger(__name__)
ALBUM_LIMIT = 10  # sendMediaGroup takes 2-10 items
PHOTO_LIMIT = 10 * 1024 * 1024  # sendPhoto refuses larger uploads
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
UPLOAD_TIMEOUT = 60.0


@dataclass(frozen=True, slots=True)
class Photo:
    data: bytes
    filename: str


async def load_photos(media: Sequence[Media], store: MediaStore | None) -> list[Photo]:
    """The photos that can be sent, in order; one that is missing or unusable is logged and
    skipped, so a lost file never holds back the rest of the message."""
    if store is None:
        log.warning("%d photo(s) not sent: the Telegram sender has no media store", len(media))
        return []
    photos: list[Photo] = []
    for item in media:
        data = await read_for_sending(store, item, PHOTO_TYPES, PHOTO_LIMIT, "Telegram")
        if data is None:
            continue
        photos.append(Photo(data, item.filename or item.storage_key))
    return photos


def batches(photos: Sequence[Photo]) -> list[list[Photo]]:
    """Albums of at most ten, in order (a single photo is sent on its own)."""
    return [list(photos[i:i + ALBUM_LIMIT]) for i in range(0, len(photos), ALBUM_LIMIT)]


def photo_call(bot: Bot, chat_id: str, batch: Sequence[Photo]) -> Callable[[], Awaitable[str]]:
    """One Bot API call for a batch: sendPhoto for one, sendMediaGroup for two to ten."""

    async def single() -> str:
        photo = batch[0]
        message = await bot.send_photo(chat_id, photo.data, filename=photo.filename,
                                       write_timeout=UPLOAD_TIMEOUT)
        return str(message.message_id)

    async def album() -> str:
        items = [InputMediaPhoto(p.data, filename=p.filename) for p in batch]
        messages = await bot.send_media_group(chat_id, items, write_timeout=UPLOAD_TIMEOUT)
        return str(messages[-1].message_id)

    return single if len(batch) == 1 else album
