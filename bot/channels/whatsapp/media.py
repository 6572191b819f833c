"""Photos a citizen sends: media id → short-lived URL → bytes, through the shared pipeline
(`bot.media.take_image`); a refusal becomes this channel's catalog text."""

from __future__ import annotations

import logging
from typing import Any

from bot.channels.whatsapp.client import GraphError, MediaTooLarge, WhatsAppClient
from bot.channels.whatsapp.errors import Action, classify
from bot.channels.whatsapp.inbound import MediaRef
from bot.media import Download, MediaRefused, MediaStore, Refusal, refuse_if_larger, take_image
from core.messages import Media

log = logging.getLogger(__name__)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
REFUSAL_KEYS = {Refusal.TOO_LARGE: "whatsapp.file_too_large",
                Refusal.NOT_IMAGE: "whatsapp.file_not_image",
                Refusal.UNAVAILABLE: "whatsapp.media_failed"}


def refusal_text(refusal: Refusal, limit: int = DEFAULT_MAX_BYTES) -> tuple[str, dict[str, Any]]:
    """The catalog key and values telling the citizen why their file was not taken."""
    return REFUSAL_KEYS[refusal], {"max_mb": limit // 2**20}


def download_from(client: WhatsAppClient, media_id: str) -> Download:
    """The media's URL from the Graph API, then its bytes (never read past the limit).

    Raises GraphUnavailable/GraphError when Meta's side fails: the webhook then answers 503 and
    Meta delivers the message again.
    """

    async def download(limit: int) -> bytes:
        try:
            info = await client.get_media(media_id)
            refuse_if_larger(info.file_size, limit)
            return await client.download(info.url, limit)
        except MediaTooLarge:
            raise MediaRefused(Refusal.TOO_LARGE) from None
        except GraphError as exc:
            if classify(exc.code, exc.http_status) in (Action.PERMANENT, Action.UNREACHABLE):
                log.warning("media %s could not be fetched: (%s)", media_id[:40], exc.code)
                raise MediaRefused(Refusal.UNAVAILABLE) from None
            raise  # throttled, token, Meta down: the webhook answers 503 and Meta redelivers

    return download


async def fetch_photo(client: WhatsAppClient, ref: MediaRef, store: MediaStore,
                      max_bytes: int = DEFAULT_MAX_BYTES) -> Media | Refusal:
    """A PDF or the like (by its declared type) is refused without even being downloaded."""
    return await take_image(store, download_from(client, ref.media_id), limit=max_bytes,
                            declared_type=ref.mime_type, filename=ref.filename)
