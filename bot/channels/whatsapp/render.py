"""Core `Outbound` → the WhatsApp messages that show it, within the platform's limits (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.i18n import t
from core.messages import Option, Outbound

TEXT_LIMIT = 4096
BODY_LIMIT = 1024  # interactive message bodies
MAX_BUTTONS, BUTTON_TITLE_LIMIT = 3, 20
MAX_ROWS, ROW_TITLE_LIMIT, ROW_DESCRIPTION_LIMIT = 10, 24, 72
BUTTON_ID_LIMIT, ROW_ID_LIMIT = 256, 200


@dataclass(frozen=True, slots=True)
class TextPart:
    body: str


@dataclass(frozen=True, slots=True)
class ButtonsPart:
    body: str
    buttons: tuple[tuple[str, str], ...]  # (id, title)


@dataclass(frozen=True, slots=True)
class ListPart:
    body: str
    button: str
    rows: tuple[tuple[str, str, str | None], ...]  # (id, title, description)


@dataclass(frozen=True, slots=True)
class LocationRequestPart:
    body: str


Part = TextPart | ButtonsPart | ListPart | LocationRequestPart


def render(message: Outbound, language: str) -> list[Part]:
    """The messages to send, in order; each part fits WhatsApp's limits."""
    text = message.text.strip() or "…"
    options = message.options
    if message.ask_location:
        head, body = split_body(text)
        parts: list[Part] = [*map(TextPart, head), LocationRequestPart(body)]
        if options:
            parts += choice_parts(t("whatsapp.location_options", language), options, language)
        return parts
    if options:
        return choice_parts(text, options, language)
    return [TextPart(chunk) for chunk in split_text(text, TEXT_LIMIT)]


def choice_parts(text: str, options: Sequence[Option], language: str) -> list[Part]:
    """≤3 options: reply buttons; ≤10: a list; more: a numbered text menu."""
    if len(options) > MAX_ROWS:
        lines = [f"{number}. {option.label}" for number, option in enumerate(options, 1)]
        menu = "\n".join([text, "", *lines, "", t("whatsapp.numbered_hint", language)])
        return [TextPart(chunk) for chunk in split_text(menu, TEXT_LIMIT)]
    head, body = split_body(text)
    parts: list[Part] = [TextPart(chunk) for chunk in head]
    if len(options) <= MAX_BUTTONS:
        titles = unique_titles([o.label for o in options], BUTTON_TITLE_LIMIT)
        parts.append(ButtonsPart(body, tuple(
            (o.id[:BUTTON_ID_LIMIT], title) for o, title in zip(options, titles, strict=True))))
    else:
        titles = unique_titles([o.label for o in options], ROW_TITLE_LIMIT)
        parts.append(ListPart(body, shorten(t("whatsapp.list_button", language), BUTTON_TITLE_LIMIT),
                              tuple((o.id[:ROW_ID_LIMIT], title, _description(o.label, title))
                                    for o, title in zip(options, titles, strict=True))))
    return parts


def _description(label: str, title: str) -> str | None:
    """A row whose title had to be cut shows its full label underneath."""
    return None if label.strip() == title else shorten(label, ROW_DESCRIPTION_LIMIT)


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word when one is near, marked with "…"."""
    text = " ".join(text.split()) or "-"
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + "…"


def unique_titles(labels: Sequence[str], limit: int) -> list[str]:
    """Shortened titles; WhatsApp refuses a message whose buttons or rows share a title."""
    titles: list[str] = []
    for label in labels:
        title, number = shorten(label, limit), 2
        while title in titles:
            suffix = f" {number}"
            title, number = shorten(label, limit - len(suffix)) + suffix, number + 1
        titles.append(title)
    return titles


def split_body(text: str) -> tuple[list[str], str]:
    """(leading text messages, an interactive body of at most BODY_LIMIT characters)."""
    if len(text) <= BODY_LIMIT:
        return [], text
    body = split_text(text, BODY_LIMIT)[-1]
    return split_text(text[:text.rfind(body)], TEXT_LIMIT), body


def split_text(text: str, limit: int) -> list[str]:
    """Chunks of at most `limit` characters, cut at paragraph, line or word boundaries."""
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), 0)
        for separator in ("\n", " "):
            if cut < limit // 2:
                cut = max(window.rfind(separator), 0)
        if cut < limit // 2:
            cut = limit  # one very long word: cut it
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks or ["…"]
