"""`aduan media migrate` and `aduan backup`: moving photos between stores, and one archive of
the database (SQLite) and the photos that a restore needs."""

from __future__ import annotations

import argparse
import io
import json
import sqlite3
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, make_url

from bot.cli.errors import UserError
from bot.media import CONTENT_TYPES
from bot.media_backends import MediaFiles, media_files
from bot.settings import Settings


def _store(choice: str | None, settings: Settings, engine: Engine) -> MediaFiles:
    try:
        return media_files(choice or settings.media_store, engine, settings.media_dir,
                           settings.s3_endpoint_url)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def migrate_media(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    """Copy every file of `--from` (default: DATA_DIR's files) that `--to` (default:
    MEDIA_STORE) lacks; idempotent, so it can run beside serving workers and be repeated."""
    source, target = _store(args.source, settings, engine), _store(args.target, settings, engine)
    if source.name == target.name:
        raise UserError(f"--from and --to are the same store ({source.name}); nothing to do")
    copied = present = missing = 0
    for key in source.list_keys():
        if target.exists(key):
            present += 1
        else:
            data = source.get(key)
            if data is None:  # deleted meanwhile
                missing += 1
                continue
            target.put(key, data, _content_type(key))
            copied += 1
        if args.delete and target.get(key) is not None:
            source.delete(key)
    print(f"media {source.name} -> {target.name}: {copied} copied, {present} already there"
          + (f", {missing} vanished meanwhile" if missing else "")
          + (", source files deleted" if args.delete else ""))
    return 0


def _content_type(key: str) -> str:
    return CONTENT_TYPES.get(key.rsplit(".", 1)[-1], "application/octet-stream")


def backup(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    """A tar archive (gzip when FILE ends in .gz or .tgz): `aduan.db` (SQLite, copied with its
    online backup API while the service runs), `media/…` (laid out as DATA_DIR/media) for
    every photo not kept inside the database, and `manifest.json`. On PostgreSQL the database
    itself is dumped with pg_dump: the command is printed."""
    target: Path = args.file
    store = _store(None, settings, engine)
    compressed = target.name.endswith((".gz", ".tgz"))
    partial = target.with_name(target.name + ".part")
    media = 0
    try:
        with tarfile.open(partial, "w:gz" if compressed else "w") as archive:
            database = _add_database(archive, engine)
            if store.name != "database" and not args.no_media:
                for key in store.list_keys():
                    data = store.get(key)
                    if data is not None:
                        # DATA_DIR's own layout: extracted into DATA_DIR, it is a file store.
                        _add_bytes(archive, f"media/{key[:2]}/{key[2:4]}/{key}", data)
                        media += 1
            manifest = {"created_at": datetime.now(UTC).isoformat(), "database": database,
                        "media_store": store.name, "media_files": media,
                        "media_in_database": store.name == "database"}
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None
    where = "inside the database" if store.name == "database" else f"{media} file(s) in the archive"
    print(f"backup written to {target}: database {database}; media {where}")
    if database == "postgresql":
        print("the PostgreSQL database is not in the archive; dump it with:", file=sys.stderr)
        print(pg_dump_command(engine), file=sys.stderr)
    return 0


def _add_database(archive: tarfile.TarFile, engine: Engine) -> str:
    if engine.dialect.name != "sqlite":
        return engine.dialect.name
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        raise UserError("only a SQLite file database can be backed up")
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "aduan.db"
        source, destination = sqlite3.connect(path), sqlite3.connect(copy)
        try:
            # Page by page, letting the service's writers in between (WAL keeps them apart).
            source.backup(destination, pages=1024)
        finally:
            destination.close()
            source.close()
        archive.add(copy, arcname="aduan.db")
    return "sqlite"


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(datetime.now(UTC).timestamp()), 0o600
    archive.addfile(info, io.BytesIO(data))


def pg_dump_command(engine: Engine) -> str:
    """The pg_dump line for this database and schema; the password is never printed (use
    PGPASSWORD or ~/.pgpass)."""
    url = make_url(engine.url.render_as_string(hide_password=False))
    options = str(url.query.get("options", ""))
    schema = options.split("search_path=", 1)[1].split()[0] if "search_path=" in options else None
    plain = url.set(drivername="postgresql", password=None, query={})
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    parts = ["pg_dump", "--format=custom", "--no-owner"]
    if schema:
        parts.append(f"--schema={schema}")
    parts += [f"--file=aduan-{stamp}.pgdump", f"'{plain.render_as_string(hide_password=True)}'"]
    return " ".join(parts)
