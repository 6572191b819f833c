"""Photos lose their metadata (GPS, device) on the way in; the pixels stay byte for byte."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bot.image_metadata import strip_metadata
from bot.media import MediaStore, take_image
from core.messages import Media
from tests.photos import (
    GPS,
    ORIENTATION,
    metadata,
    phone_jpeg,
    phone_png,
    phone_webp,
    pixels,
)


async def test_a_phone_photo_is_stored_without_its_gps_position_and_device(tmp_path: Path) -> None:
    photo = phone_jpeg()
    assert metadata(photo)["gps"] == GPS  # the test photo does carry a position

    async def download(limit: int) -> bytes:
        return photo

    store = MediaStore(tmp_path)
    got = await take_image(store, download, limit=1 << 20, filename="IMG_2041.jpg")
    assert isinstance(got, Media)
    stored = store.path_of(got.storage_key).read_bytes()
    assert metadata(stored) == {"exif": {ORIENTATION: 6}, "gps": {}, "info": ["exif"]}
    assert pixels(stored) == pixels(photo)  # not re-encoded
    assert got.storage_key == f"{hashlib.sha256(stored).hexdigest()}.jpg"
    assert got.size == len(stored) < len(photo)
    assert b"Galaxy" not in stored and b"Melati" not in stored


@pytest.mark.parametrize("progressive", [False, True])
def test_jpeg_keeps_every_other_segment_and_the_compressed_data_as_it_was(
        progressive: bool) -> None:
    photo = phone_jpeg(progressive=progressive)
    clean = strip_metadata(photo, "image/jpeg")
    assert pixels(clean) == pixels(photo)
    start = photo.index(b"\xff\xdb")  # the first quantisation table: what follows is kept whole
    assert clean.endswith(photo[start:])


def test_an_upright_jpeg_keeps_no_exif_at_all() -> None:
    clean = strip_metadata(phone_jpeg(orientation=1), "image/jpeg")
    assert metadata(clean) == {"exif": {}, "gps": {}, "info": []}


def test_data_after_the_end_of_a_jpeg_goes_too() -> None:
    photo = phone_jpeg() + b"MPF second image with its own EXIF and GPS"
    assert strip_metadata(photo, "image/jpeg").endswith(b"\xff\xd9")


@pytest.mark.parametrize(("make", "content_type"), [(phone_png, "image/png"),
                                                     (phone_webp, "image/webp")])
def test_png_and_webp_lose_their_exif_text_and_xmp(make: object, content_type: str) -> None:
    assert callable(make)
    photo = make()
    assert metadata(photo)["gps"] == GPS
    clean = strip_metadata(photo, content_type)
    assert metadata(clean) == {"exif": {}, "gps": {}, "info": []}
    assert pixels(clean) == pixels(photo)
    if content_type == "image/webp":
        assert clean[20] & 0x0C == 0  # VP8X no longer announces EXIF or XMP
        assert int.from_bytes(clean[4:8], "little") == len(clean) - 8


@pytest.mark.parametrize("data", [
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)),  # no metadata, not even valid
    b"\x89PNG\r\n\x1a\n" + bytes(range(200)),
    b"RIFF\x10\x00\x00\x00WEBPVP8 " + bytes(32),
])
def test_a_file_without_metadata_is_kept_byte_for_byte(data: bytes) -> None:
    content_type = {b"\xff": "image/jpeg", b"\x89": "image/png", b"R": "image/webp"}
    kind = next(v for k, v in content_type.items() if data.startswith(k))
    assert strip_metadata(data, kind) == data


def test_a_photo_stored_before_stripping_is_stored_again_without_metadata(tmp_path: Path) -> None:
    store = MediaStore(tmp_path)
    legacy = store.save(phone_jpeg(), "image/jpeg", "jpg", "lama.jpg")
    clean = store.scrub(legacy)
    assert clean is not None and clean.storage_key != legacy.storage_key
    assert metadata(store.path_of(clean.storage_key).read_bytes())["gps"] == {}
    assert clean.filename == "lama.jpg"
    assert store.scrub(clean) is None  # nothing left to strip
    store.discard(legacy.storage_key)
    assert not store.path_of(legacy.storage_key).exists()
    assert store.scrub(legacy) is None  # missing
