"""Photos and documents a citizen sends: getFile and its download, through the shared pipeline
(`bot.media.take_image`); a refusal becomes this channel's catalog text."""

from __future__ import annotations

from typing import Any

from telegram import Bot
from telegram.error import BadRequest

from bot.channels.telegram.inbound import MAX_FILE_BYTES, FileRef
from bot.media import Download, MediaRefused, MediaStore, Refusal, refuse_if_larger, take_image
from core.messages import Media

DOWNLOAD_TIMEOUT = 60.0
REFUSAL_KEYS = {Refusal.TOO_LARGE: "telegram.file_too_large", Refusal.NOT_IMAGE: "telegram.file_type",
                Refusal.UNAVAILABLE: "telegram.file_unavailable"}


def refusal_text(refusal: Refusal, limit: int = MAX_FILE_BYTES) -> tuple[str, dict[str, Any]]:
    """The catalog key and values telling the citizen why their file was not taken."""
    values = {"max_mb": limit // 2**20} if refusal is Refusal.TOO_LARGE else {}
    return REFUSAL_KEYS[refusal], values


def download_from(bot: Bot, file_id: str) -> Download:
    """getFile, then the file itself; Telegram's own size answers are checked on the way."""

    async def download(limit: int) -> bytes:
        try:
            remote = await bot.get_file(file_id)
        except BadRequest as exc:
            # "file is too big" for files over the bot limit; gone or invalid ids otherwise.
            too_big = "too big" in exc.message.lower()
            raise MediaRefused(Refusal.TOO_LARGE if too_big else Refusal.UNAVAILABLE) from None
        refuse_if_larger(remote.file_size, limit)
        return bytes(await remote.download_as_bytearray(read_timeout=DOWNLOAD_TIMEOUT))

    return download


async def fetch(bot: Bot, ref: FileRef, store: MediaStore,
                limit: int = MAX_FILE_BYTES) -> Media | Refusal:
    """Download and store an image, or say why not (too big, not an image, gone).

    Network errors propagate: the update is then answered with an error status, so Telegram
    delivers it again later (webhook) or the poller retries it.
    """
    return await take_image(store, download_from(bot, ref.file_id), limit=limit,
                            declared_size=ref.size, filename=ref.filename)
