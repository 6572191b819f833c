"""Photos and documents: getFile, download within the 20 MB limit, sniff, store content-addressed."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot
from telegram.error import BadRequest

from bot.channels.telegram.inbound import MAX_FILE_BYTES, FileRef
from bot.media import MediaStore, sniff_image
from core.messages import Media

DOWNLOAD_TIMEOUT = 60.0


@dataclass(frozen=True, slots=True)
class Refused:
    """Why a file was not taken, as a catalog key for the citizen."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)


def too_large() -> Refused:
    return Refused("telegram.file_too_large", {"max_mb": MAX_FILE_BYTES // 2**20})


async def fetch(bot: Bot, ref: FileRef, store: MediaStore,
                limit: int = MAX_FILE_BYTES) -> Media | Refused:
    """Download and store an image; a refusal for files that are too big or not images.

    Network errors propagate: the update is then answered with an error status, so Telegram
    delivers it again later (webhook) or the poller retries it.
    """
    if ref.size is not None and ref.size > limit:
        return too_large()
    try:
        remote = await bot.get_file(ref.file_id)
    except BadRequest as exc:
        # "file is too big" for files over the bot limit; gone or invalid ids otherwise.
        return too_large() if "too big" in exc.message.lower() else Refused(
            "telegram.file_unavailable")
    if remote.file_size is not None and remote.file_size > limit:
        return too_large()
    data = bytes(await remote.download_as_bytearray(read_timeout=DOWNLOAD_TIMEOUT))
    if len(data) > limit:
        return too_large()
    kind = sniff_image(data[:16])
    if kind is None:  # the content decides, never the name or the declared type
        return Refused("telegram.file_type")
    content_type, extension = kind
    return await asyncio.to_thread(store.save, data, content_type, extension, ref.filename)
