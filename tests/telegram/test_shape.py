"""The update's shape check, compiled once (bot/channels/telegram/shape.py), tells the same
error as walking the shape does: every field of two real-looking updates is broken in turn
(wrong type, null, a list for a record, oversized text, a huge id) and both must agree."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from bot.channels.telegram.shape import MAX_TEXT, UPDATE, shape_error


def walk(value: Any, shape: Any, where: str) -> str | None:
    """The reference: the shape read field by field, as the check was first written."""
    if callable(shape):
        return None if shape(value) else where
    if isinstance(shape, list):
        if not isinstance(value, list):
            return where
        return next((e for item in value if (e := walk(item, shape[0], where)) is not None),
                    None)
    if not isinstance(value, dict):
        return where
    for key, inner in shape.items():
        if key in value and value[key] is not None:
            error = walk(value[key], inner, f"{where}.{key}")
            if error is not None:
                return error
        elif key in value:
            return f"{where}.{key}"
    return None


USER = {"id": 42, "is_bot": False, "first_name": "Sari", "username": "sari", "language_code": "id"}
CHAT = {"id": 42, "type": "private", "first_name": "Sari"}
MESSAGE = {
    "message_id": 7, "date": 1_790_000_000, "chat": CHAT, "from": USER, "text": "/start",
    "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
    "photo": [{"file_id": "f1", "file_unique_id": "u1", "file_size": 10, "width": 90,
               "height": 90}],
    "location": {"latitude": -0.95, "longitude": 100.35},
    "venue": {"location": {"latitude": -0.9, "longitude": 100.3}, "title": "Pasar",
              "address": "Jl. Pasar"},
    "reply_markup": {"inline_keyboard": [[{"text": "Ya", "callback_data": "ok:1"}]]},
    "reply_to_message": {"message_id": 6, "date": 1_789_999_999, "chat": CHAT, "text": "hi"},
}
MESSAGE_UPDATE = {"update_id": 1, "message": MESSAGE}
CALLBACK_UPDATE = {"update_id": 2, "callback_query": {
    "id": "cb1", "from": USER, "data": "type:pengaduan", "chat_instance": "ci", "message": MESSAGE}}
BAD_VALUES: list[Any] = [None, "text", 12, 1.5, True, [], {}, [1], "x" * (MAX_TEXT + 1), 2**70,
                         float("nan")]


def paths(value: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield at
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from paths(inner, (*at, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from paths(inner, (*at, index))


def broken(update: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for path in paths(update):
        if not path or path == ("update_id",):
            continue
        for bad in BAD_VALUES:
            changed = copy.deepcopy(update)
            parent = changed
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = bad
            yield changed


@pytest.mark.parametrize("update", [MESSAGE_UPDATE, CALLBACK_UPDATE])
def test_well_formed_updates_pass(update: dict[str, Any]) -> None:
    assert shape_error(update) is None
    assert walk(update, UPDATE, "update") is None


@pytest.mark.parametrize("update", [MESSAGE_UPDATE, CALLBACK_UPDATE])
def test_every_broken_field_is_told_as_walking_tells_it(update: dict[str, Any]) -> None:
    told = 0
    for changed in broken(update):
        error = shape_error(changed)
        if error is not None and "lacks one of" in error:
            continue  # the required-fields check runs first, before the shape
        assert error == walk(changed, UPDATE, "update"), changed
        told += error is not None
    assert told > 100  # most breaks are errors: the comparison is not of two Nones


def test_errors_name_the_field() -> None:
    update = copy.deepcopy(MESSAGE_UPDATE)
    update["message"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] = 5
    assert shape_error(update) == "update.message.reply_markup.inline_keyboard.callback_data"
    update = copy.deepcopy(CALLBACK_UPDATE)
    update["callback_query"]["message"]["chat"]["id"] = None
    assert shape_error(update) == "update.callback_query.message.chat.id"
    update = copy.deepcopy(MESSAGE_UPDATE)
    update["message"]["reply_to_message"]["from"] = ["not", "a", "user"]
    assert shape_error(update) == "update.message.reply_to_message.from"
