"""`SqlMediaFiles`: the media-store port (`bot.media_backends.MediaFiles`) over the
`media_files` table, for every worker on every machine of one database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, exists, insert, select
from sqlalchemy.exc import IntegrityError

from storage.columns import table_of
from storage.engine import read_only
from storage.tables import MediaFileRow

_files = table_of(MediaFileRow)
PAGE = 500


class SqlMediaFiles:
    """Files as rows; a key is content-addressed, so a second write of it changes nothing."""

    def __init__(self, engine: Engine) -> None:
        self._engine, self._reader = engine, read_only(engine)

    @property
    def name(self) -> str:
        return "database"

    def get(self, key: str) -> bytes | None:
        with self._reader.connect() as conn:
            data = conn.execute(select(_files.c.data).where(_files.c.key == key)).scalar()
        return None if data is None else bytes(data)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        if self.exists(key):
            return
        try:
            with self._engine.begin() as conn:
                conn.execute(insert(_files).values(key=key, content_type=content_type,
                                                   size=len(data), data=data,
                                                   created_at=datetime.now(UTC)))
        except IntegrityError:  # another worker stored the same bytes meanwhile
            return

    def exists(self, key: str) -> bool:
        with self._reader.connect() as conn:
            return bool(conn.execute(select(exists().where(_files.c.key == key))).scalar())

    def delete(self, key: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(_files).where(_files.c.key == key))

    def list_keys(self) -> Iterator[str]:
        """Every key, in pages (a keyset walk: memory stays flat however many files)."""
        after = ""
        while True:
            with self._reader.connect() as conn:
                page = list(conn.execute(select(_files.c.key).where(_files.c.key > after)
                                         .order_by(_files.c.key).limit(PAGE)).scalars())
            yield from page
            if len(page) < PAGE:
                return
            after = page[-1]

    def describe(self, key: str) -> str:
        return f"database:media_files/{key}"
