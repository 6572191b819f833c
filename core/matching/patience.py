"""Whether a thread waits for a model another thread is building (the category matcher, its
n-gram fit: a second or more after a server loads its directory).

A citizen's step runs inside a transaction; on SQLite that transaction holds the one write
lock, so a step that waited there for a fit stalled every other chat with it (issue 19). A
step run `impatient()` is told `NotReady` instead: its transaction is rolled back, the other
chats go on, and the step is run again once the model is there (core.intake.service).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_here = threading.local()


class NotReady(Exception):
    """A model this thread needs is being built by another, and this thread does not wait."""


@contextmanager
def impatient() -> Iterator[None]:
    """Within: `holding` a lock another thread holds raises `NotReady` instead of waiting."""
    before = getattr(_here, "impatient", False)
    _here.impatient = True
    try:
        yield
    finally:
        _here.impatient = before


@contextmanager
def holding(lock: threading.Lock) -> Iterator[None]:
    """`with lock`, except that an impatient thread is told `NotReady` when it is taken."""
    if getattr(_here, "impatient", False):
        if not lock.acquire(blocking=False):
            raise NotReady
    else:
        lock.acquire()
    try:
        yield
    finally:
        lock.release()
