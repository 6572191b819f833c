"""Where photo files live: the media-store port and its three adapters.

`MEDIA_STORE` chooses: `file` (under DATA_DIR: one machine only), `database` (the
`media_files` table; the default when DATABASE_URL is PostgreSQL) or `s3://bucket/prefix`
(any S3-compatible object store; `S3_ENDPOINT_URL` and the usual `AWS_*` variables). Keys are
content-addressed (`bot.media`), so every write is idempotent and files never change.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from sqlalchemy import Engine


class MediaFiles(Protocol):
    """The media-store port: bytes by key."""

    @property
    def name(self) -> str:
        """`file`, `database` or the `s3://…` location, for logs and the CLI."""
        ...

    def get(self, key: str) -> bytes | None:
        """The file's bytes, None when there is no such file."""
        ...

    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def list_keys(self) -> Iterator[str]: ...

    def describe(self, key: str) -> str:
        """Where the file is, for an operator (an export's attachment column)."""
        ...


class LocalMediaFiles:
    """Files under one directory, two levels deep by name; for one machine only."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def name(self) -> str:
        return "file"

    def path_of(self, key: str) -> Path:
        name = Path(key).name  # never let a key walk out of the root
        return self.root / name[:2] / name[2:4] / name

    def get(self, key: str) -> bytes | None:
        try:
            return self.path_of(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def put(self, key: str, data: bytes, content_type: str) -> None:
        target = self.path_of(key)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a crash never leaves half a file under the final name.
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)

    def exists(self, key: str) -> bool:
        return self.path_of(key).is_file()

    def delete(self, key: str) -> None:
        self.path_of(key).unlink(missing_ok=True)

    def list_keys(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("??/??/*")):
            if path.is_file() and not path.name.startswith(".part-"):
                yield path.name

    def describe(self, key: str) -> str:
        return str(self.path_of(key).resolve())


class S3MediaFiles:
    """Objects `{prefix}/{key}` in one bucket of an S3-compatible store (boto3)."""

    def __init__(self, location: str, endpoint_url: str | None = None,
                 client: Any | None = None) -> None:
        parts = urlsplit(location)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValueError(f"not an s3://bucket/prefix location: {location!r}")
        self.bucket, self.prefix = parts.netloc, parts.path.strip("/")
        self._location = location.rstrip("/")
        if client is None:
            import boto3  # only deployments that choose S3 need it (the `s3` extra)

            client = boto3.client("s3", endpoint_url=endpoint_url)
        self._s3 = client  # boto3 clients are safe to share between threads

    @property
    def name(self) -> str:
        return self._location

    def _object(self, key: str) -> str:
        name = Path(key).name
        return f"{self.prefix}/{name}" if self.prefix else name

    def get(self, key: str) -> bytes | None:
        try:
            answer = self._s3.get_object(Bucket=self.bucket, Key=self._object(key))
        except self._s3.exceptions.NoSuchKey:
            return None
        data: bytes = answer["Body"].read()
        return data

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self._s3.put_object(Bucket=self.bucket, Key=self._object(key), Body=data,
                            ContentType=content_type)

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self._s3.head_object(Bucket=self.bucket, Key=self._object(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self._s3.delete_object(Bucket=self.bucket, Key=self._object(key))

    def list_keys(self) -> Iterator[str]:
        pages = self._s3.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=f"{self.prefix}/" if self.prefix else "")
        for page in pages:
            for item in page.get("Contents", ()):
                yield str(item["Key"]).rsplit("/", 1)[-1]

    def describe(self, key: str) -> str:
        return f"s3://{self.bucket}/{self._object(key)}"


def media_files(choice: str | None, engine: Engine, media_dir: Path,
                s3_endpoint_url: str | None = None) -> MediaFiles:
    """The store MEDIA_STORE names (`file`, `database`, `s3://…`); unset: the database on
    PostgreSQL, files under DATA_DIR on SQLite."""
    chosen = (choice or "").strip()
    if not chosen:
        chosen = "database" if engine.dialect.name == "postgresql" else "file"
    if chosen == "file":
        return LocalMediaFiles(media_dir)
    if chosen in ("database", "db", "postgresql"):
        from storage.media_files import SqlMediaFiles

        return SqlMediaFiles(engine)
    if chosen.startswith("s3://"):
        return S3MediaFiles(chosen, s3_endpoint_url)
    raise ValueError(f"MEDIA_STORE must be file, database or s3://bucket/prefix, not {chosen!r}")
