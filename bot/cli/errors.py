"""What every `aduan` command may raise for the person at the keyboard, and a shared date rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from bot.settings import Settings


class UserError(Exception):
    """A mistake by the person at the keyboard: shown as one line, exit status 2."""

    status = 2


class Refused(UserError):
    """A well-formed request that cannot be done (no such id, already revoked): exit status 1."""

    status = 1


def start_of_day(day: date, settings: Settings) -> datetime:
    return datetime.combine(day, time(0), tzinfo=settings.tz).astimezone(UTC)
