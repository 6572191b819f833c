"""Transport-neutral message model: what adapters translate platform payloads into and out of."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Channel(StrEnum):
    WEB = "web"
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"
    API = "api"  # filed through the API / Open311: no chat to push to; callers poll

    @property
    def pushes(self) -> bool:
        """Whether updates about a report can reach this channel's reporters in a chat."""
        return self is not Channel.API


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
    pressed: str | None = None  # platform id of the bot message whose button was pressed
    language_hint: str | None = None


@dataclass(frozen=True, slots=True)
class Option:
    """A choice offered as a button; `id` is what comes back in Inbound.option_id."""

    id: str
    label: str


class Audience(StrEnum):
    """Whom a message about a report is for: its citizens (reporter, followers) or admins."""

    CITIZEN = "citizen"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Outbound:
    """One message to send to a chat, with what the senders and stores need to know about it."""

    text: str
    options: tuple[Option, ...] = ()
    ask_location: bool = False
    media: tuple[Media, ...] = ()
    report: str | None = None  # the tracking number the message is about
    audience: Audience | None = None
    # The report's new status (`Status` value) when the message announces one; WhatsApp's
    # template outside the 24-hour window carries it. None: an answer without a new status.
    status: str | None = None
    admin_menu: str | None = None  # a `Role` value: switch this chat's command menu (Telegram)
    # The pressed question this answer may take the place of (a channel that can edit a
    # message edits it rather than sending a new one, when it is still the chat's last).
    replaces: str | None = None

    def context(self) -> dict[str, str]:
        """The typed fields as stored in the payload's `context` object (what SQL reads)."""
        pairs = {"report": self.report, "audience": self.audience, "status": self.status,
                 "admin_menu": self.admin_menu}
        return {key: str(value) for key, value in pairs.items() if value is not None}

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
            "context": self.context(),
            **({"replaces": self.replaces} if self.replaces is not None else {}),
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
            replaces=replaces if isinstance(replaces := data.get("replaces"), str) else None,
            **_context_fields(data.get("context")),
        )


def _context_fields(context: object) -> dict[str, Any]:
    """The typed fields back from a stored payload; unknown or mistyped entries are dropped."""
    if not isinstance(context, dict):
        return {}
    found: dict[str, Any] = {key: value for key in ("report", "status", "admin_menu")
                             if isinstance(value := context.get(key), str)}
    audience = context.get("audience")
    if audience in {a.value for a in Audience}:
        found["audience"] = Audience(audience)
    return found
