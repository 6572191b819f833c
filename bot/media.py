"""Media files: content-addressed in the media store (`bot.media_backends`), taken in through
one pipeline for every channel (size, then the real type by its bytes — never the client's
word — then its metadata stripped: no GPS position or device is kept, `bot.image_metadata` —
then stored), read back for sending."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable, Collection
from enum import StrEnum
from pathlib import Path
from urllib.parse import quote

from fastapi import Response

from bot.image_metadata import strip_metadata
from bot.media_backends import LocalMediaFiles, MediaFiles
from core.messages import Media

log = logging.getLogger(__name__)
_SIGNATURES: tuple[tuple[bytes, int, str, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", "png"),
    (b"WEBP", 8, "image/webp", "webp"),
)
CONTENT_TYPES = {extension: content_type for _, _, content_type, extension in _SIGNATURES}


def sniff_image(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the first bytes, or None when it is not a known image."""
    for magic, offset, content_type, extension in _SIGNATURES:
        if head[offset:offset + len(magic)] == magic:
            if content_type == "image/webp" and not head.startswith(b"RIFF"):
                continue
            return content_type, extension
    return None


class Refusal(StrEnum):
    """Why a file a citizen sent was not taken; each channel words it in its own catalog text."""

    TOO_LARGE = "too_large"
    NOT_IMAGE = "not_image"
    UNAVAILABLE = "unavailable"  # the platform no longer has it, or will not hand it over


class MediaRefused(Exception):
    """Raised by a channel's download when the platform already tells why the file is not taken."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


# A channel's "how to get the bytes": given the size limit, the file's bytes; it may stop (or
# raise MediaRefused(TOO_LARGE)) once past the limit. Network errors propagate to the channel.
Download = Callable[[int], Awaitable[bytes]]


def refuse_if_larger(size: int | None, limit: int) -> None:
    """For downloads that learn a declared size on the way (getFile, Graph media info)."""
    if size is not None and size > limit:
        raise MediaRefused(Refusal.TOO_LARGE)


class MediaStore:
    """Stores each file once, named by its SHA-256, in the configured `MediaFiles` (a
    directory, the database or an S3 bucket: `bot.media_backends`)."""

    def __init__(self, files: MediaFiles | Path) -> None:
        self.files: MediaFiles = LocalMediaFiles(files) if isinstance(files, Path) else files

    @property
    def root(self) -> Path:
        """The directory of a local store (tests, one-machine tools)."""
        assert isinstance(self.files, LocalMediaFiles), "media are not stored in files here"
        return self.files.root

    def path_of(self, storage_key: str) -> Path:
        assert isinstance(self.files, LocalMediaFiles), "media are not stored in files here"
        return self.files.path_of(storage_key)

    def read(self, storage_key: str) -> bytes | None:
        """The stored file's bytes, None when it is missing (blocking: call from a thread)."""
        return self.files.get(Path(storage_key).name)

    def describe(self, storage_key: str) -> str:
        return self.files.describe(storage_key)

    def save(self, data: bytes, content_type: str, extension: str,
             filename: str | None = None) -> Media:
        key = f"{hashlib.sha256(data).hexdigest()}.{extension}"
        self.files.put(key, data, content_type)
        safe_name = Path(filename).name[:120] if filename else None
        return Media(key, content_type, len(data), safe_name)

    def save_image(self, data: bytes, content_type: str, extension: str,
                   filename: str | None = None) -> Media:
        """Store an image without its metadata (EXIF, XMP…); the pixels stay byte for byte."""
        return self.save(strip_metadata(data, content_type), content_type, extension, filename)

    def scrub(self, media: Media) -> Media | None:
        """A copy of a stored photo without metadata (`core.privacy.ports.PhotoFiles`), for
        photos stored before it was stripped on arrival; None when there was none to strip or
        the file is missing."""
        data = self.read(media.storage_key)
        if data is None:
            return None
        clean = strip_metadata(data, media.content_type)
        if clean == data:
            return None
        extension = Path(media.storage_key).suffix.lstrip(".") or "bin"
        return self.save(clean, media.content_type, extension, media.filename)

    def discard(self, storage_key: str) -> None:
        """Delete a stored file (nothing refers to it any more)."""
        self.files.delete(Path(storage_key).name)


async def take_image(store: MediaStore, download: Download, *, limit: int,
                     declared_size: int | None = None, declared_type: str | None = None,
                     filename: str | None = None) -> Media | Refusal:
    """One incoming image: the declared size and type first (nothing is downloaded for a file
    they already rule out), then the real size and the sniffed type, then stored by content."""
    if declared_type and not declared_type.startswith("image/"):
        return Refusal.NOT_IMAGE
    try:
        refuse_if_larger(declared_size, limit)
        data = await download(limit)
    except MediaRefused as refused:
        return refused.reason
    if len(data) > limit:
        return Refusal.TOO_LARGE
    kind = sniff_image(data[:16])
    if kind is None:  # the content decides, never the name or the declared type
        return Refusal.NOT_IMAGE
    content_type, extension = kind
    return await asyncio.to_thread(store.save_image, data, content_type, extension, filename)


async def read_for_sending(store: MediaStore, media: Media, types: Collection[str], limit: int,
                           platform: str) -> bytes | None:
    """The file's bytes, or None (with a warning) when `platform` cannot take it: a type it
    refuses, a file over its size limit, or one missing from the store."""
    if media.content_type not in types:
        log.warning("media %s not sent to %s: it does not take %s", media.storage_key, platform,
                    media.content_type)
        return None
    try:
        data = await asyncio.to_thread(store.read, media.storage_key)
    except Exception as exc:  # a store that is down: the message goes without the photo
        log.warning("media %s not sent to %s: cannot read it (%s)", media.storage_key, platform,
                    type(exc).__name__)
        return None
    if data is None:
        log.warning("media %s not sent to %s: it is missing from the %s store",
                    media.storage_key, platform, store.files.name)
        return None
    if len(data) > limit:
        log.warning("media %s not sent to %s: %d bytes is over its limit of %d",
                    media.storage_key, platform, len(data), limit)
        return None
    return data


def media_response(data: bytes, content_type: str, headers: dict[str, str],
                   filename: str | None = None) -> Response:
    """A stored file as an HTTP answer, shown inline (under its filename when it has one)."""
    if filename:
        quoted = quote(filename)
        headers = {**headers, "Content-Disposition": f'inline; filename="{filename}"'
                   if quoted == filename else f"inline; filename*=utf-8''{quoted}"}
    return Response(data, media_type=content_type, headers=headers)
