"""Webhook payload → core `Inbound` messages and delivery statuses (pure: no I/O)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from bot.channels.whatsapp.payload import Message
from core.messages import Channel, Inbound, Location

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MediaRef:
    """A photo or document to fetch from the Graph API before the core sees the message."""

    media_id: str
    mime_type: str | None
    filename: str | None


@dataclass(frozen=True, slots=True)
class InboundItem:
    inbound: Inbound
    kind: str
    media: MediaRef | None = None
    sent_at: datetime | None = None
    # The raw message and its sender's name as JSON, what the inbox stores (see `restore`).
    source: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class StatusError:
    code: int
    title: str


@dataclass(frozen=True, slots=True)
class StatusUpdate:
    """One element of `value.statuses[]`: what happened to a message we sent."""

    message_id: str
    recipient: str
    status: str  # sent | delivered | read | failed | deleted …
    errors: tuple[StatusError, ...] = ()


@dataclass(slots=True)
class WebhookBatch:
    messages: list[InboundItem] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    ignored: int = 0


Converter = Callable[[Message, Inbound], InboundItem | None]


def _text(message: Message, base: Inbound) -> InboundItem | None:
    body = message.text.body if message.text else None
    return InboundItem(_with(base, text=body), "text") if body else None


def _interactive(message: Message, base: Inbound) -> InboundItem | None:
    interactive = message.interactive
    reply = (interactive.button_reply or interactive.list_reply) if interactive else None
    if interactive is None or reply is None:
        return _unsupported(message, base)  # flows (nfm_reply) and other interactive kinds
    return InboundItem(_with(base, option_id=reply.id), interactive.type)


def _template_button(message: Message, base: Inbound) -> InboundItem | None:
    text = message.button.text if message.button else None
    return InboundItem(_with(base, text=text), "button") if text else None


def _location(message: Message, base: Inbound) -> InboundItem | None:
    pin = message.location
    if pin is None:
        return None
    address = ", ".join(part for part in (pin.name, pin.address) if part) or None
    return InboundItem(_with(base, location=Location(pin.latitude, pin.longitude, address)),
                       "location")


def _file(message: Message, base: Inbound) -> InboundItem | None:
    file = message.image or message.document
    if file is None:
        return None
    return InboundItem(base, message.type, MediaRef(file.id, file.mime_type, file.filename))


def _welcome(message: Message, base: Inbound) -> InboundItem:
    return InboundItem(_with(base, text="/start"), "request_welcome")


def _unsupported(message: Message, base: Inbound) -> InboundItem | None:
    """An empty Inbound: the core answers it with its "unsupported" hint and the question."""
    if message.type == "reaction" and not (message.reaction and message.reaction.emoji):
        return None  # a removed reaction is not something the citizen said
    return InboundItem(base, message.type)


HANDLED: dict[str, Converter] = {
    "text": _text, "interactive": _interactive, "button": _template_button,
    "location": _location, "image": _file, "document": _file, "request_welcome": _welcome,
}
UNSUPPORTED = frozenset({"audio", "video", "sticker", "reaction", "contacts", "order",
                         "unsupported", "unknown"})
IGNORED = frozenset({"system", "ephemeral", "revoke"})  # number changes, deleted messages


def _with(base: Inbound, **changes: Any) -> Inbound:
    return replace(base, **changes)


def _timestamp(value: str | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), UTC) if value else None
    except (ValueError, OverflowError, OSError):
        return None


def _names(value: dict[str, Any]) -> dict[str, str]:
    names: dict[str, str] = {}
    for contact in _dicts(value.get("contacts")):
        profile, wa_id = contact.get("profile"), contact.get("wa_id")
        if isinstance(profile, dict) and isinstance(wa_id, str) and isinstance(profile.get("name"), str):
            names[wa_id] = profile["name"][:120]
    return names


def convert(raw: dict[str, Any], names: dict[str, str]) -> InboundItem | None:
    """One raw message → an InboundItem, or None when it is to be ignored."""
    try:
        message = Message.model_validate(raw)
    except ValidationError:
        return None
    sender = message.from_
    if not sender:
        return None
    converter = HANDLED.get(message.type)
    if converter is None and message.type in IGNORED:
        return None
    if converter is None and message.type not in UNSUPPORTED:
        log.info("unknown WhatsApp message type %r answered as unsupported", message.type[:40])
    base = Inbound(
        Channel.WHATSAPP, sender, f"wa:{message.id}", user_id=sender,
        display_name=names.get(sender), reply_to=message.context.id if message.context else None,
    )
    item = (converter or _unsupported)(message, base)
    if item is None:
        return None
    source = json.dumps({"message": raw, "name": names.get(sender)})
    return InboundItem(item.inbound, item.kind, item.media, _timestamp(message.timestamp), source)


def restore(source: str) -> InboundItem | None:
    """The message an `InboundItem.source` holds, as `parse_webhook` gave it; None when the
    text is not one."""
    try:
        stored = json.loads(source)
    except ValueError:
        return None
    if not isinstance(stored, dict) or not isinstance(raw := stored.get("message"), dict):
        return None
    name, sender = stored.get("name"), raw.get("from")
    names = {sender: name} if isinstance(sender, str) and isinstance(name, str) else {}
    return convert(raw, names)


def _status(raw: dict[str, Any]) -> StatusUpdate | None:
    message_id, recipient, status = raw.get("id"), raw.get("recipient_id"), raw.get("status")
    if not (isinstance(message_id, str) and isinstance(recipient, str) and isinstance(status, str)):
        return None
    errors = tuple(
        StatusError(error["code"], str(error.get("title") or error.get("message") or "")[:200])
        for error in raw.get("errors") or ()
        if isinstance(error, dict) and _code(error.get("code"))
    )
    return StatusUpdate(message_id, recipient, status, errors)


def _code(value: Any) -> bool:
    """Graph error codes are small positive ints; a bool or a huge int is not one."""
    return type(value) is int and 0 <= value < 2**31


def parse_webhook(payload: Any, phone_number_id: str | None = None) -> WebhookBatch:
    """Every message and status of a webhook body, in order; anything unexpected is skipped."""
    batch = WebhookBatch()
    if not isinstance(payload, dict):
        return batch
    for entry in _dicts(payload.get("entry")):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            if change.get("field") != "messages" or not isinstance(value, dict):
                batch.ignored += 1
                continue
            metadata = value.get("metadata")
            target = metadata.get("phone_number_id") if isinstance(metadata, dict) else None
            if phone_number_id and target is not None and str(target) != phone_number_id:
                batch.ignored += 1  # another number of the same app
                continue
            names = _names(value)
            for raw in _dicts(value.get("messages")):
                item = convert(raw, names)
                if item is None:
                    batch.ignored += 1
                else:
                    batch.messages.append(item)
            for raw in _dicts(value.get("statuses")):
                status = _status(raw)
                if status is None:
                    batch.ignored += 1
                else:
                    batch.statuses.append(status)
    return batch


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
