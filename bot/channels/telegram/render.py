"""Core replies as Telegram message parts: plain-text chunks, inline and reply keyboards (pure).

Keyboards are the Bot API's JSON (`Markup`), sent as they are (client.call_api)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.i18n import t
from core.messages import Option

TEXT_LIMIT = 4096  # characters as Telegram counts them: UTF-16 code units
CALLBACK_DATA_LIMIT = 64  # bytes
SHORT_LABEL = 16  # two buttons this long still fit side by side on a phone
NAV_PREFIX = "nav:"  # back / skip: always the last row, apart from the answers
Markup = dict[str, Any]  # InlineKeyboardMarkup, ReplyKeyboardMarkup or ReplyKeyboardRemove
REMOVE_KEYBOARD: Markup = {"remove_keyboard": True}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Chunks of at most `limit`, cut at a paragraph, line or word boundary when there is one."""
    chunks: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        head = _prefix_within(rest, limit)
        cut = max(head.rfind("\n\n"), head.rfind("\n"), head.rfind(" "))
        if cut <= len(head) // 2:  # no boundary in the second half: cut hard
            cut = len(head)
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not chunks:
        chunks.append(rest)
    return [c for c in chunks if c] or [text]


def _prefix_within(text: str, limit: int) -> str:
    """The longest prefix of `text` that is at most `limit` UTF-16 units long."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text


def oversized_option(options: Sequence[Option]) -> Option | None:
    """The first option whose id does not fit in callback_data, if any."""
    return next((o for o in options if len(o.id.encode()) > CALLBACK_DATA_LIMIT), None)


def button_rows(options: Sequence[Option]) -> list[list[Option]]:
    """Answers two to a row while both labels are short, otherwise one; navigation last."""
    rows: list[list[Option]] = []
    for option in (o for o in options if not o.id.startswith(NAV_PREFIX)):
        last = rows[-1] if rows else None
        if (last is not None and len(last) == 1 and len(last[0].label) <= SHORT_LABEL
                and len(option.label) <= SHORT_LABEL):
            last.append(option)
        else:
            rows.append([option])
    navigation = [o for o in options if o.id.startswith(NAV_PREFIX)]
    if navigation:
        rows.append(navigation)
    return rows


def inline_keyboard(options: Sequence[Option]) -> Markup | None:
    if not options:
        return None
    return {"inline_keyboard": [[{"text": o.label, "callback_data": o.id} for o in row]
                                for row in button_rows(options)]}


def is_inline(markup: Markup | None) -> bool:
    """Buttons under the message (they can be added or replaced by editing it)."""
    return markup is not None and "inline_keyboard" in markup


def location_keyboard(options: Sequence[Option], language: str) -> Markup:
    """The share-location button, then the step's other answers as text buttons.

    Text buttons send their label; the labels offered at the location step ("Lewati",
    "Kembali", "Skip", "Back") are words the core understands at every step.
    """
    share = {"text": t("telegram.share_location", language), "request_location": True}
    rows: list[list[dict[str, Any]]] = [[share]]
    rows += [[{"text": o.label} for o in row] for row in button_rows(options)]
    return {"keyboard": rows, "resize_keyboard": True, "one_time_keyboard": True,
            "input_field_placeholder": t("telegram.location_placeholder", language)[:64]}


def chosen_text(original: str, label: str, language: str) -> str | None:
    """The pressed message's text with the choice appended, or None when it would not fit."""
    text = f"{original}\n\n{t('telegram.chosen', language, label=label)}"
    return text if utf16_len(text) <= TEXT_LIMIT else None
