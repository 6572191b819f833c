"""A per-process append-only file of outbox ids the platform accepted, written the instant the
send returns (one `write` on an O_APPEND file, no database lock to wait for). The database mark
follows on the dispatcher's threads; if the process is killed in between, the next process of
this host reads the dead one's journal and marks those rows sent before taking its leases back,
so they are not sent twice. Truncated whenever every journaled mark has reached the database.
(A power cut loses the page cache, and with it at most those last marks: they go out again.)"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)
SUFFIX = ".sent"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.:-]")


class SentJournal:
    def __init__(self, directory: Path, worker_id: str) -> None:
        self._directory, self._worker_id = directory, worker_id
        self._path = directory / f"{_UNSAFE.sub('_', worker_id)}{SUFFIX}"
        self._fd: int | None = None
        self.unsettled = 0  # journaled ids whose database mark has not committed yet

    def record(self, outbox_id: int, platform_message_id: str | None) -> None:
        if self._fd is None:
            self._directory.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        line = f"{outbox_id}\t{platform_message_id or ''}\n".encode()
        os.write(self._fd, line)
        self.unsettled += 1

    def settled(self) -> None:
        """One journaled mark reached the database; with none left the file is emptied."""
        self.unsettled -= 1
        if self.unsettled == 0 and self._fd is not None:
            os.ftruncate(self._fd, 0)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
            if self.unsettled == 0:
                with contextlib.suppress(FileNotFoundError):
                    self._path.unlink()

    def recover(self, gone: Callable[[str], bool],
                settle: Callable[[list[tuple[int, str | None]]], None]) -> int:
        """Hand the accepted sends of dead processes to `settle`, then drop their journals."""
        if not self._directory.is_dir():
            return 0
        total = 0
        for path in self._directory.glob(f"*{SUFFIX}"):
            owner = path.name[: -len(SUFFIX)]
            if path == self._path or not gone(owner):
                continue
            entries: list[tuple[int, str | None]] = []
            for line in path.read_text("utf-8", errors="replace").splitlines():
                outbox_id, _, platform_id = line.partition("\t")
                if outbox_id.isdigit():
                    entries.append((int(outbox_id), platform_id or None))
            if entries:
                settle(entries)
            path.unlink()
            total += len(entries)
        return total
