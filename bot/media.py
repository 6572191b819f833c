"""Content-addressed media files under DATA_DIR, with type sniffing (never trust the client)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import tempfile
from collections.abc import Collection
from pathlib import Path

from core.messages import Media

log = logging.getLogger(__name__)
_SIGNATURES: tuple[tuple[bytes, int, str, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", "png"),
    (b"WEBP", 8, "image/webp", "webp"),
)


def sniff_image(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the first bytes, or None when it is not a known image."""
    for magic, offset, content_type, extension in _SIGNATURES:
        if head[offset:offset + len(magic)] == magic:
            if content_type == "image/webp" and not head.startswith(b"RIFF"):
                continue
            return content_type, extension
    return None


class MediaStore:
    """Stores each file once, named by its SHA-256, two directory levels deep."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, storage_key: str) -> Path:
        name = Path(storage_key).name  # never let a key walk out of the root
        return self.root / name[:2] / name[2:4] / name

    def save(self, data: bytes, content_type: str, extension: str,
             filename: str | None = None) -> Media:
        key = f"{hashlib.sha256(data).hexdigest()}.{extension}"
        target = self.path_of(key)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename, so a crash never leaves half a file under the final name.
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        safe_name = Path(filename).name[:120] if filename else None
        return Media(key, content_type, len(data), safe_name)


async def read_for_sending(store: MediaStore, media: Media, types: Collection[str], limit: int,
                           platform: str) -> bytes | None:
    """The file's bytes, or None (with a warning) when `platform` cannot take it: a type it
    refuses, a file over its size limit, or one missing from disk."""
    if media.content_type not in types:
        log.warning("media %s not sent to %s: it does not take %s", media.storage_key, platform,
                    media.content_type)
        return None
    try:
        data = await asyncio.to_thread(store.path_of(media.storage_key).read_bytes)
    except OSError as exc:
        log.warning("media %s not sent to %s: cannot read it (%s)", media.storage_key, platform,
                    type(exc).__name__)
        return None
    if len(data) > limit:
        log.warning("media %s not sent to %s: %d bytes is over its limit of %d",
                    media.storage_key, platform, len(data), limit)
        return None
    return data
