"""The one pipeline every channel's incoming images go through: size, real type, stored by content."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bot.media import MediaRefused, MediaStore, Refusal, take_image
from core.messages import Media

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256))
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + bytes(32)


class Source:
    """A channel's download: counts its calls, hands out bytes or raises a refusal."""

    def __init__(self, data: bytes = JPEG, refusal: Refusal | None = None) -> None:
        self.data, self.refusal, self.calls = data, refusal, 0

    async def __call__(self, limit: int) -> bytes:
        self.calls += 1
        if self.refusal is not None:
            raise MediaRefused(self.refusal)
        return self.data


async def test_an_image_is_stored_under_its_hash_with_its_sniffed_type(tmp_path: Path) -> None:
    store, source = MediaStore(tmp_path), Source(WEBP)
    got = await take_image(store, source, limit=1024, declared_type="image/jpeg", filename="a.jpg")
    assert isinstance(got, Media)
    assert (got.content_type, got.size, got.filename) == ("image/webp", len(WEBP), "a.jpg")
    assert got.storage_key == f"{hashlib.sha256(WEBP).hexdigest()}.webp"
    assert store.path_of(got.storage_key).read_bytes() == WEBP


@pytest.mark.parametrize("declared_size,declared_type,refusal", [
    (2048, None, Refusal.TOO_LARGE),
    (None, "application/pdf", Refusal.NOT_IMAGE),
])
async def test_what_the_platform_declares_refuses_a_file_without_downloading_it(
        tmp_path: Path, declared_size: int | None, declared_type: str | None,
        refusal: Refusal) -> None:
    source = Source()
    got = await take_image(MediaStore(tmp_path), source, limit=1024, declared_size=declared_size,
                           declared_type=declared_type)
    assert got is refusal and source.calls == 0


@pytest.mark.parametrize("source,refusal", [
    (Source(JPEG + bytes(2048)), Refusal.TOO_LARGE),  # the bytes are bigger than declared
    (Source(b"GIF89a" + bytes(100)), Refusal.NOT_IMAGE),  # the content decides, not the name
    (Source(refusal=Refusal.UNAVAILABLE), Refusal.UNAVAILABLE),  # the platform's own answer
])
async def test_the_bytes_themselves_are_checked(tmp_path: Path, source: Source,
                                                refusal: Refusal) -> None:
    store = MediaStore(tmp_path)
    assert await take_image(store, source, limit=1024, declared_size=10) is refusal
    assert not any(tmp_path.rglob("*.*"))  # nothing was stored
