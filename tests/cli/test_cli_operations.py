"""`aduan media migrate` and `aduan backup`."""

from __future__ import annotations

import json
import sqlite3
import tarfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.media import MediaStore
from bot.media_backends import LocalMediaFiles, S3MediaFiles
from core.reports.model import Privacy
from storage.media_files import SqlMediaFiles
from tests.cli.helpers import Cli, add_report

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 2


def local_photos(tmp_path: Path, count: int = 2) -> tuple[LocalMediaFiles, list[str]]:
    files = LocalMediaFiles(tmp_path / "data" / "media")  # where DATA_DIR keeps them
    store = MediaStore(files)
    return files, [store.save(JPEG + bytes([i]), "image/jpeg", "jpg").storage_key
                   for i in range(count)]


def test_media_migrate_copies_data_dir_photos_into_the_database_once(
        cli: Cli, engine: Engine, tmp_path: Path) -> None:
    cli("db", "upgrade")
    local, keys = local_photos(tmp_path)

    first = cli("media", "migrate", "--to", "database")
    again = cli("media", "migrate", "--to", "database")

    assert first.code == 0 and "2 copied, 0 already there" in first.out
    assert again.code == 0 and "0 copied, 2 already there" in again.out
    database = SqlMediaFiles(engine)
    assert sorted(database.list_keys()) == sorted(keys)
    assert [database.get(k) for k in keys] == [local.get(k) for k in keys]
    assert all(local.exists(k) for k in keys)  # nothing deleted without --delete


def test_media_migrate_with_delete_empties_the_source(cli: Cli, engine: Engine,
                                                      tmp_path: Path) -> None:
    cli("db", "upgrade")
    local, keys = local_photos(tmp_path)
    result = cli("media", "migrate", "--to", "database", "--delete")
    assert result.code == 0 and "source files deleted" in result.out
    assert list(local.list_keys()) == []
    assert sorted(SqlMediaFiles(engine).list_keys()) == sorted(keys)


def test_media_migrate_to_s3(cli: Cli, tmp_path: Path, s3_endpoint: str,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    cli("db", "upgrade")
    _, keys = local_photos(tmp_path, 3)
    location = f"s3://aduan/migrated-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("MEDIA_STORE", location)
    monkeypatch.setenv("S3_ENDPOINT_URL", s3_endpoint)
    result = cli("media", "migrate")
    assert result.code == 0 and f"-> {location}: 3 copied" in result.out
    bucket = S3MediaFiles(location, s3_endpoint)
    assert sorted(bucket.list_keys()) == sorted(keys)
    assert bucket.get(keys[0]) == JPEG + bytes([0])


def test_media_migrate_refuses_the_same_store_and_an_unknown_one(cli: Cli) -> None:
    cli("db", "upgrade")
    same = cli("media", "migrate", "--from", "file", "--to", "file")
    unknown = cli("media", "migrate", "--to", "ftp://x")
    assert same.code != 0 and "same store" in same.err
    assert unknown.code != 0 and "MEDIA_STORE must be" in unknown.err
    assert "Traceback" not in same.err + unknown.err


def test_backup_holds_the_database_and_the_photos(
        cli: Cli, engine: Engine, db_url: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    cli("db", "upgrade")
    monkeypatch.setenv("MEDIA_STORE", "file")
    _, keys = local_photos(tmp_path)
    tracking = add_report(engine, Privacy.RAHASIA, "Jalan berlubang")
    target = tmp_path / "backup.tar.gz"

    result = cli("backup", str(target))

    assert result.code == 0, result.err
    with tarfile.open(target) as archive:
        names = set(archive.getnames())
        manifest = json.loads(archive.extractfile("manifest.json").read())  # type: ignore[union-attr]
        photos = {n: archive.extractfile(n).read() for n in names  # type: ignore[union-attr]
                  if n.startswith("media/")}
        if engine.dialect.name == "sqlite":
            archive.extract("aduan.db", tmp_path / "restored", filter="data")
    assert photos == {f"media/{k[:2]}/{k[2:4]}/{k}": JPEG + bytes([i])
                      for i, k in enumerate(keys)}
    assert manifest["media_files"] == 2 and manifest["media_store"] == "file"
    if engine.dialect.name == "sqlite":
        restored = sqlite3.connect(tmp_path / "restored" / "aduan.db")
        numbers = [row[0] for row in restored.execute("SELECT tracking_no FROM reports")]
        restored.close()
        assert numbers == [tracking]
    else:
        assert "aduan.db" not in names
        assert "pg_dump --format=custom" in result.err and "--schema=aduan_test_" in result.err
    assert not target.with_name("backup.tar.gz.part").exists()


def test_backup_on_postgresql_leaves_photos_kept_in_the_database_to_pg_dump(
        cli: Cli, engine: Engine, tmp_path: Path) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("photos default to the database on PostgreSQL only")
    cli("db", "upgrade")
    MediaStore(SqlMediaFiles(engine)).save(JPEG, "image/jpeg", "jpg")
    target = tmp_path / "backup.tar"
    result = cli("backup", str(target))
    assert result.code == 0
    assert "media inside the database" in result.out
    assert "pg_dump --format=custom" in result.err
    with tarfile.open(target) as archive:
        assert archive.getnames() == ["manifest.json"]
