"""Fakes of the outside world that are not platforms: the clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.dialog import NOW


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime = NOW) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)
