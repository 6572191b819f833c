"""Opaque keyset cursors: the last row's sort key, checksummed, as URL-safe base64 JSON."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from datetime import UTC, datetime

_CHECK = 6  # bytes of SHA-256 in front of the JSON
_MAX_LENGTH = 200
_ALPHABET = re.compile(r"[A-Za-z0-9_-]+")


class BadCursor(ValueError):
    """A cursor this module did not make: malformed, cut, edited, or from another sort order."""


def encode_cursor(sort: str, at: datetime | None, row_id: int) -> str:
    """The position after the row with sort key (`at`, `row_id`) in the `sort` order."""
    moment = None if at is None else at.astimezone(UTC).isoformat()
    raw = json.dumps([sort, moment, row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(_check(raw) + raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[datetime | None, int]:
    """(at, row_id) of a cursor of the `sort` order; BadCursor for anything else.

    The checksum catches a cursor cut or edited by hand; it is no secret and needs none: a
    cursor is only a position, and the filters and the officer's scope apply on every call.
    """
    if len(cursor) > _MAX_LENGTH or not _ALPHABET.fullmatch(cursor):
        raise BadCursor("malformed cursor")
    try:
        data = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError) as exc:
        raise BadCursor("malformed cursor") from exc
    check, raw = data[:_CHECK], data[_CHECK:]
    if check != _check(raw):
        raise BadCursor("cursor does not match its checksum")
    try:
        cursor_sort, moment, row_id = json.loads(raw)
    except (ValueError, TypeError) as exc:  # bad JSON or UTF-8, or not three items
        raise BadCursor("malformed cursor") from exc
    if cursor_sort != sort:
        raise BadCursor(f"cursor of another sort order ({cursor_sort!r})")
    if type(row_id) is not int or not (moment is None or isinstance(moment, str)):
        raise BadCursor("malformed cursor")
    return _moment(moment), row_id


def _moment(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        at = datetime.fromisoformat(text)
    except ValueError as exc:
        raise BadCursor("malformed cursor") from exc
    if at.tzinfo is None:
        raise BadCursor("malformed cursor")
    return at.astimezone(UTC)


def _check(raw: bytes) -> bytes:
    return hashlib.sha256(raw).digest()[:_CHECK]
