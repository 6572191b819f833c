"""Long polling (getUpdates) for machines without a public URL; one poller per bot at a time."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, text
from telegram import Bot
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError
from telegram.warnings import PTBUserWarning

from bot.channels.telegram.client import POLL_TIMEOUT_SECONDS
from bot.channels.telegram.sender import retry_seconds
from bot.channels.telegram.updates import BadUpdate, UpdateHandler

log = logging.getLogger(__name__)
# The (int4, int4) advisory lock space, as the sweeper's (storage.repositories.deadlines): this
# class and the schema's hash, so each city (schema) in one database has its own poller.
LOCK_KEY = 0x7467_706F  # "tgpo"
RETRY_LOCK_SECONDS = 15.0
LOCK_CHECK_SECONDS = 10.0
HANDLE_ATTEMPTS = 3
# getUpdates is fetched as raw JSON (see Poller._fetch); PTB suggests its typed method instead.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.getUpdates'", category=PTBUserWarning)


class PollingLock(Protocol):
    def acquire(self) -> bool: ...

    def alive(self) -> bool: ...

    def release(self) -> None: ...


class AdvisoryLock:
    """PostgreSQL: a session advisory lock on a dedicated connection, held while polling;
    keyed per schema, so every worker and machine of one city competes for the same one."""

    def __init__(self, engine: Engine, key: int = LOCK_KEY) -> None:
        self._engine, self._key = engine, key
        self._conn: Connection | None = None

    def acquire(self) -> bool:
        conn = self._engine.connect()
        got = bool(conn.execute(
            text("SELECT pg_try_advisory_lock(:k, hashtext(current_schema()))"),
            {"k": self._key}).scalar())
        conn.commit()
        if got:
            self._conn = conn
        else:
            conn.close()
        return got

    def alive(self) -> bool:
        """If our connection died, PostgreSQL released the lock: stop and compete again."""
        if self._conn is None:
            return False
        try:
            self._conn.execute(text("SELECT 1"))
            self._conn.commit()
        except Exception:
            return False
        return True

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.execute(text("SELECT pg_advisory_unlock(:k, hashtext(current_schema()))"),
                             {"k": self._key})
                conn.commit()
            conn.close()


class FileLock:
    """SQLite: an flock next to the database file, which every worker on the machine shares."""

    def __init__(self, path: Path) -> None:
        self._path, self._fd = path, -1

    def acquire(self) -> bool:
        fd = os.open(self._path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def alive(self) -> bool:
        return self._fd >= 0

    def release(self) -> None:
        fd, self._fd = self._fd, -1
        if fd >= 0:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def polling_lock(engine: Engine, data_dir: Path) -> PollingLock:
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine)
    database = engine.url.database
    folder = Path(database).parent if database and not database.startswith("file:") else data_dir
    folder.mkdir(parents=True, exist_ok=True)
    return FileLock(folder / "telegram-polling.lock")


class Poller:
    """getUpdates with an offset, each update through the same handler as the webhook."""

    def __init__(self, bot: Bot, handler: UpdateHandler, lock: PollingLock,
                 allowed_updates: Sequence[str], timeout: int = POLL_TIMEOUT_SECONDS) -> None:
        self._bot, self._handler, self._lock = bot, handler, lock
        self._allowed, self._timeout = list(allowed_updates), timeout

    async def run(self) -> None:
        while True:
            if not await asyncio.to_thread(self._lock.acquire):
                log.debug("another process polls Telegram; checking again later")
                await asyncio.sleep(RETRY_LOCK_SECONDS)
                continue
            try:
                log.info("polling Telegram for updates")
                await self._poll_while_locked()
            finally:
                await asyncio.to_thread(self._lock.release)

    async def _poll_while_locked(self) -> None:
        offset: int | None = None
        deleted_webhook = False
        failures = 0
        checked = 0.0
        while True:
            if time.monotonic() - checked > LOCK_CHECK_SECONDS:
                if not await asyncio.to_thread(self._lock.alive):
                    log.warning("lost the polling lock; competing for it again")
                    return
                checked = time.monotonic()
            try:
                if not deleted_webhook:  # getUpdates is refused while a webhook is set
                    await self._bot.delete_webhook(drop_pending_updates=False)
                    deleted_webhook = True
                updates = await self._fetch(offset)
                failures = 0
            except RetryAfter as exc:
                await asyncio.sleep(retry_seconds(exc))
                continue
            except TelegramError as exc:
                failures += 1
                delay = min(60.0, 2.0 ** min(failures, 6))
                level = logging.WARNING if isinstance(exc, Conflict | InvalidToken) else logging.INFO
                log.log(level, "getUpdates failed (%s); again in %.0f s", type(exc).__name__, delay)
                await asyncio.sleep(delay)
                continue
            except Exception:  # never let the poller die; the lock stays ours meanwhile
                log.exception("getUpdates failed unexpectedly")
                await asyncio.sleep(5.0)
                continue
            for update in updates:
                update_id = update.get("update_id")
                if not isinstance(update_id, int):
                    continue
                await self._process(update_id, update)
                offset = update_id + 1

    async def _fetch(self, offset: int | None) -> list[dict[str, Any]]:
        """Raw JSON rather than `get_updates`: PTB parses a batch all or nothing, so one update
        it cannot parse would stall polling (and be logged with its content)."""
        result = await self._bot.do_api_request(
            "getUpdates",
            api_kwargs={"offset": offset, "timeout": self._timeout,
                        "allowed_updates": self._allowed},
            read_timeout=self._timeout + 10,
        )
        return [u for u in result if isinstance(u, dict)] if isinstance(result, list) else []

    async def _process(self, update_id: int, update: dict[str, Any]) -> None:
        """A failing update is retried a few times, then skipped so the rest keep flowing."""
        for attempt in range(HANDLE_ATTEMPTS):
            try:
                await self._handler.handle_raw(update)
                return
            except BadUpdate as exc:
                log.warning("telegram update %s skipped as malformed: %s", update_id, exc)
                return
            except Exception:
                log.exception("telegram update %s failed (attempt %s)", update_id, attempt + 1)
                await asyncio.sleep(0.5 * 2**attempt)
        log.error("telegram update %s dropped after %s attempts", update_id, HANDLE_ATTEMPTS)
