"""Transport-neutral message model: what adapters translate platform payloads into and out of."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Channel(StrEnum):
    WEB = "web"
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"


@dataclass(frozen=True, slots=True)
class Location:
    latitude: float
    longitude: float
    address: str | None = None

    def is_valid(self) -> bool:
        return -90.0 <= self.latitude <= 90.0 and -180.0 <= self.longitude <= 180.0


@dataclass(frozen=True, slots=True)
class Media:
    """A file the adapter has already stored under DATA_DIR (content-addressed)."""

    storage_key: str
    content_type: str
    size: int
    filename: str | None = None


@dataclass(frozen=True, slots=True)
class Inbound:
    """One message from a person, whatever the channel."""

    channel: Channel
    chat_id: str
    external_id: str  # platform message/update id: the idempotency key
    user_id: str | None = None
    display_name: str | None = None
    text: str | None = None
    option_id: str | None = None  # a pressed button / list row
    location: Location | None = None
    media: tuple[Media, ...] = ()
    reply_to: str | None = None  # platform id of the bot message replied to
    language_hint: str | None = None


@dataclass(frozen=True, slots=True)
class Option:
    """A choice offered as a button; `id` is what comes back in Inbound.option_id."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Outbound:
    """One message to send to a chat."""

    text: str
    options: tuple[Option, ...] = ()
    ask_location: bool = False
    media: tuple[Media, ...] = ()
    context: dict[str, Any] = field(default_factory=dict)  # e.g. {"report": "ADU-2026-000001"}

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "options": [{"id": o.id, "label": o.label} for o in self.options],
            "ask_location": self.ask_location,
            "media": [
                {
                    "storage_key": m.storage_key,
                    "content_type": m.content_type,
                    "size": m.size,
                    "filename": m.filename,
                }
                for m in self.media
            ],
            "context": self.context,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outbound:
        return cls(
            text=str(data["text"]),
            options=tuple(Option(str(o["id"]), str(o["label"])) for o in data.get("options", ())),
            ask_location=bool(data.get("ask_location", False)),
            media=tuple(
                Media(m["storage_key"], m["content_type"], int(m["size"]), m.get("filename"))
                for m in data.get("media", ())
            ),
            context=dict(data.get("context", {})),
        )
