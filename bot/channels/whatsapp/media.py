"""Fetch a photo a citizen sent: media id → short-lived URL → bytes → checked → stored."""

from __future__ import annotations

import asyncio
import logging

from bot.channels.whatsapp.client import GraphError, MediaTooLarge, WhatsAppClient
from bot.channels.whatsapp.errors import Action, classify
from bot.channels.whatsapp.inbound import MediaRef
from bot.media import MediaStore, sniff_image
from core.messages import Media

log = logging.getLogger(__name__)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


class MediaProblem(Exception):
    """The file cannot become a report photo; `key` is the catalog text telling the citizen why."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


async def fetch_photo(client: WhatsAppClient, ref: MediaRef, store: MediaStore,
                      max_bytes: int = DEFAULT_MAX_BYTES) -> Media:
    """Raises MediaProblem for the citizen's side, GraphUnavailable/GraphError for Meta's."""
    declared = ref.mime_type or ""
    if declared and not declared.startswith("image/"):
        raise MediaProblem("whatsapp.file_not_image")  # a PDF or the like: not even downloaded
    try:
        info = await client.get_media(ref.media_id)
        if info.file_size is not None and info.file_size > max_bytes:
            raise MediaProblem("whatsapp.file_too_large")
        data = await client.download(info.url, max_bytes)
    except MediaTooLarge:
        raise MediaProblem("whatsapp.file_too_large") from None
    except GraphError as exc:
        if classify(exc.code, exc.http_status) in (Action.PERMANENT, Action.UNREACHABLE):
            log.warning("media %s could not be fetched: (%s)", ref.media_id[:40], exc.code)
            raise MediaProblem("whatsapp.media_failed") from None
        raise  # throttled, token, Meta down: the webhook answers 503 and Meta redelivers
    kind = sniff_image(data[:16])
    if kind is None:
        raise MediaProblem("whatsapp.file_not_image")
    return await asyncio.to_thread(store.save, data, kind[0], kind[1], ref.filename)
