"""The types of the fields we read from a Telegram update, checked before parsing (PTB's
`de_json` checks none: a number where text belongs surfaced later as an AttributeError deep in
the use case). A field we read that is present with the wrong type makes the update malformed;
fields we do not read are left to the parser."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

INT64 = 2**63  # Telegram ids fit in 52 bits; anything past a signed 64-bit column is hostile
MAX_TEXT = 65536  # the Bot API caps text at 4096 and captions at 1024 (UTF-16 units)

Shape = dict[str, Any]


def _int(value: Any) -> bool:
    return type(value) is int and -INT64 < value < INT64


def _text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT


def _number(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value) and abs(value) <= 1000


def _bool(value: Any) -> bool:
    return isinstance(value, bool)


USER: Shape = {"id": _int, "is_bot": _bool, "first_name": _text, "last_name": _text,
               "username": _text, "language_code": _text}
CHAT: Shape = {"id": _int, "type": _text, "title": _text, "username": _text,
               "first_name": _text, "last_name": _text}
LOCATION: Shape = {"latitude": _number, "longitude": _number}
FILE: Shape = {"file_id": _text, "file_unique_id": _text, "file_size": _int, "file_name": _text,
               "mime_type": _text, "width": _int, "height": _int}
BUTTON: Shape = {"text": _text, "callback_data": _text}
MARKUP: Shape = {"inline_keyboard": [[BUTTON]]}
ENTITY: Shape = {"type": _text, "offset": _int, "length": _int}
MESSAGE: Shape = {
    "message_id": _int, "date": _int, "chat": CHAT, "from": USER, "text": _text,
    "caption": _text, "entities": [ENTITY], "caption_entities": [ENTITY], "photo": [FILE],
    "document": FILE, "location": LOCATION,
    "venue": {"location": LOCATION, "title": _text, "address": _text},
    "reply_markup": MARKUP,
}
MESSAGE["reply_to_message"] = {k: v for k, v in MESSAGE.items()}  # one level, as Telegram sends
UPDATE: Shape = {
    "update_id": _int, "message": MESSAGE,
    "callback_query": {"id": _text, "from": USER, "data": _text, "message": MESSAGE,
                       "chat_instance": _text},
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "message": ("message_id", "date", "chat"), "callback_query": ("id", "from"),
}


Check = Callable[[Any], "str | None"]  # None: the value fits; else where it does not


def compile_shape(shape: Any, where: str) -> Check:
    """A checker for `shape` whose error paths are built once, here, not at every update
    (walking the shape with an f-string per field was 2 % of the server's time, issue 19).
    A dict shape checks its fields in the shape's order: the first error it meets is the
    one told."""
    if callable(shape):
        def leaf(value: Any) -> str | None:
            return None if shape(value) else where
        return leaf
    if isinstance(shape, list):
        inner = compile_shape(shape[0], where)

        def each(value: Any) -> str | None:
            if not isinstance(value, list):
                return where
            for item in value:
                if (error := inner(item)) is not None:
                    return error
            return None
        return each
    # (key, its path, the predicate of a plain field or the checker of a nested one)
    fields = [(key, f"{where}.{key}", inner if callable(inner) else None,
               None if callable(inner) else compile_shape(inner, f"{where}.{key}"))
              for key, inner in shape.items()]

    def record(value: Any) -> str | None:
        if not isinstance(value, dict):
            return where
        for key, path, fits, check in fields:
            if key in value:
                item = value[key]
                if item is None:
                    return path  # null where Telegram omits the field
                if fits is not None:
                    if not fits(item):
                        return path
                elif check is not None and (error := check(item)) is not None:
                    return error
        return None
    return record


_CHECK_UPDATE = compile_shape(UPDATE, "update")


def shape_error(update: dict[str, Any]) -> str | None:
    """Where the update breaks the shape of the fields we read (None: it does not)."""
    for kind, needed in REQUIRED.items():
        body = update.get(kind)
        if isinstance(body, dict) and any(field not in body for field in needed):
            return f"{kind} lacks one of {', '.join(needed)}"
    return _CHECK_UPDATE(update)
