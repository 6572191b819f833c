"""The media-store port: the same behaviour from files, the database and an S3 bucket."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.media import MediaStore
from bot.media_backends import LocalMediaFiles, MediaFiles, S3MediaFiles, media_files
from storage.media_files import SqlMediaFiles

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4


@pytest.fixture(params=["file", "database", "s3"])
def files(request: pytest.FixtureRequest, engine: Engine, tmp_path: Path) -> Iterator[MediaFiles]:
    if request.param == "file":
        yield LocalMediaFiles(tmp_path / "media")
    elif request.param == "database":
        yield SqlMediaFiles(engine)
    else:
        endpoint = request.getfixturevalue("s3_endpoint")
        yield S3MediaFiles(f"s3://aduan/test-{uuid.uuid4().hex[:8]}", endpoint)


def test_a_stored_file_reads_back_byte_for_byte(files: MediaFiles) -> None:
    store = MediaStore(files)
    media = store.save(JPEG, "image/jpeg", "jpg", "foto.jpg")
    assert media.storage_key == f"{hashlib.sha256(JPEG).hexdigest()}.jpg"
    assert store.read(media.storage_key) == JPEG
    assert files.exists(media.storage_key)
    assert list(files.list_keys()) == [media.storage_key]


def test_saving_the_same_bytes_twice_keeps_one_file(files: MediaFiles) -> None:
    store = MediaStore(files)
    first, second = (store.save(JPEG, "image/jpeg", "jpg") for _ in range(2))
    assert first.storage_key == second.storage_key
    assert list(files.list_keys()) == [first.storage_key]


def test_a_missing_or_discarded_file_reads_as_none(files: MediaFiles) -> None:
    store = MediaStore(files)
    media = store.save(JPEG, "image/jpeg", "jpg")
    store.discard(media.storage_key)
    assert store.read(media.storage_key) is None
    assert not files.exists(media.storage_key)
    assert store.read("0" * 64 + ".jpg") is None
    store.discard(media.storage_key)  # twice: nothing to do


def test_keys_cannot_walk_out_of_the_store(files: MediaFiles) -> None:
    store = MediaStore(files)
    media = store.save(JPEG, "image/jpeg", "jpg")
    assert store.read(f"../../{media.storage_key}") == JPEG
    assert store.read("../../etc/passwd") is None


def test_every_key_is_listed_across_pages(files: MediaFiles) -> None:
    store = MediaStore(files)
    keys = {store.save(JPEG + bytes([i]), "image/jpeg", "jpg").storage_key for i in range(7)}
    assert set(files.list_keys()) == keys


def test_media_store_defaults_to_the_database_on_postgresql_and_files_on_sqlite(
        engine: Engine, tmp_path: Path) -> None:
    chosen = media_files(None, engine, tmp_path)
    expected = "database" if engine.dialect.name == "postgresql" else "file"
    assert chosen.name == expected
    assert media_files("file", engine, tmp_path).name == "file"
    assert media_files("database", engine, tmp_path).name == "database"
    assert media_files("s3://bucket/some/prefix/", engine, tmp_path).name == \
        "s3://bucket/some/prefix"
    with pytest.raises(ValueError, match="MEDIA_STORE"):
        media_files("ftp://nowhere", engine, tmp_path)
