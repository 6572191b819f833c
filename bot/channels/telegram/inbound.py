"""A Telegram update (its JSON) → what to do with it: hand it to the core, answer with a
notice, or ignore it.

Pure: no I/O. Files are only referenced here; `bot.channels.telegram.media` fetches them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from core.intake.notice import Notice
from core.messages import Channel, Inbound, Location

MAX_FILE_BYTES = 20 * 1024 * 1024  # what the Bot API lets a bot download
PRIVATE = "private"  # the chat type of a one-to-one chat with the bot
HANDLED_UPDATES = ("message", "callback_query")
# Acknowledged and dropped. Edits would rewrite answers the conversation has moved past.
IGNORED_UPDATES = (
    "edited_message", "channel_post", "edited_channel_post", "business_connection",
    "business_message", "edited_business_message", "deleted_business_messages",
    "message_reaction", "message_reaction_count", "inline_query", "chosen_inline_result",
    "shipping_query", "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer",
    "my_chat_member", "chat_member", "chat_join_request", "chat_boost", "removed_chat_boost",
)
# Content the form cannot use: the core still answers, with a hint of what it can take.
# (`animation` comes before documents: a GIF message carries both.)
UNUSABLE_CONTENT = ("animation", "sticker", "voice", "audio", "video", "video_note", "contact",
                    "poll", "dice", "game", "story", "invoice", "paid_media", "checklist")


@dataclass(frozen=True, slots=True)
class FileRef:
    """A photo or document to download before the core sees the message."""

    file_id: str
    size: int | None
    is_photo: bool
    filename: str | None = None


@dataclass(frozen=True, slots=True)
class CallbackRef:
    """A pressed inline button: answered, and its message edited to show the choice."""

    query_id: str
    chat_id: str | None
    message_id: int | None
    text: str | None  # the pressed message's text, when Telegram still shows it to the bot
    label: str | None  # the pressed button's label


@dataclass(frozen=True, slots=True)
class ToCore:
    inbound: Inbound
    file: FileRef | None = None
    callback: CallbackRef | None = None


@dataclass(frozen=True, slots=True)
class Ignore:
    kind: str
    callback_query_id: str | None = None  # still answered, so the button stops spinning


Decision = ToCore | Notice | Ignore


def unhandled(data: Mapping[str, Any]) -> Ignore | None:
    """Kinds we do not handle are dropped before parsing: a parser lagging behind the Bot API
    must not turn an update we would ignore anyway into an error."""
    if any(kind in data for kind in HANDLED_UPDATES):
        return None
    return Ignore(next((kind for kind in IGNORED_UPDATES if kind in data), "unknown"))


def classify(update: Mapping[str, Any], bot_username: str | None = None) -> Decision:
    """The explicit table of handled kinds; everything else is acknowledged and ignored.

    `update` is the Bot API's JSON, its fields' types checked (bot.channels.telegram.shape):
    read as it is, without PTB's objects (issue 19: building them was 7 % of the server's CPU).
    A field missing where Telegram always sends one raises (KeyError, TypeError): the caller
    reports the update as malformed. `bot_username` (from getMe, when known) tells group
    commands for us from other bots'.
    """
    if (message := update.get("message")) is not None:
        return _message(update["update_id"], message, bot_username)
    if (query := update.get("callback_query")) is not None:
        return _callback(update["update_id"], query)
    return Ignore(next((k for k in IGNORED_UPDATES if update.get(k) is not None), "unknown"))


def external_id(update_id: int) -> str:
    return f"tg:{update_id}"


def full_name(user: Mapping[str, Any]) -> str:
    """As Telegram shows it (PTB's `User.full_name`)."""
    first, last = user["first_name"], user.get("last_name")
    return f"{first} {last}" if last else first


def _base(update_id: int, chat_id: int, user: Mapping[str, Any] | None) -> Inbound:
    return Inbound(
        Channel.TELEGRAM, str(chat_id), external_id(update_id),
        user_id=str(user["id"]) if user else None,
        display_name=full_name(user) if user else None,
        language_hint=user.get("language_code") if user else None,
    )


def _message(update_id: int, message: Mapping[str, Any], bot_username: str | None) -> Decision:
    user, chat = message.get("from"), message["chat"]
    if user is not None and user.get("is_bot"):
        return Ignore("message from a bot")
    if chat["type"] != PRIVATE:
        # Reports carry personal data: never in a group. Commands meant for us get one polite
        # pointer; ordinary group chatter and other bots' commands are left alone.
        if _command_for_us(message.get("text") or "", bot_username):
            return Notice(Channel.TELEGRAM, str(chat["id"]), external_id(update_id),
                          "telegram.private_only", user.get("language_code") if user else None)
        return Ignore(f"{chat['type']} chat")
    inbound = _base(update_id, chat["id"], user)
    if (replied := message.get("reply_to_message")) is not None:
        inbound = _with(inbound, reply_to=str(replied["message_id"]))
    if (text := message.get("text")) is not None:
        return ToCore(_with(inbound, text=text))
    if (venue := message.get("venue")) is not None:
        place = ", ".join(p for p in (venue.get("title"), venue.get("address")) if p)
        where = venue["location"]
        pin = Location(float(where["latitude"]), float(where["longitude"]), place or None)
        return ToCore(_with(inbound, location=pin))
    if (where := message.get("location")) is not None:
        pin = Location(float(where["latitude"]), float(where["longitude"]))
        return ToCore(_with(inbound, location=pin))
    if any(message.get(kind) for kind in UNUSABLE_CONTENT):
        return ToCore(inbound)  # empty: the core explains what it accepts
    caption = _with(inbound, text=message["caption"]) if message.get("caption") else inbound
    if photo := message.get("photo"):
        # Sizes come smallest first; take the largest one a bot may download.
        sizes = [p for p in photo if (p.get("file_size") or 0) <= MAX_FILE_BYTES]
        best = (sizes or photo)[-1]
        return ToCore(caption, file=FileRef(best["file_id"], best.get("file_size"), True))
    if (doc := message.get("document")) is not None:
        size = doc.get("file_size")
        if size is not None and size > MAX_FILE_BYTES:
            return Notice.answering(inbound, "telegram.file_too_large",
                                    {"max_mb": MAX_FILE_BYTES // 2**20})
        return ToCore(caption, file=FileRef(doc["file_id"], size, False, doc.get("file_name")))
    return Ignore("service message")


def _command_for_us(text: str, bot_username: str | None) -> bool:
    if not text.startswith("/"):
        return False
    _, at, target = text.split(maxsplit=1)[0].partition("@")
    return not at or (bot_username is not None and target.lower() == bot_username.lower())


def _callback(update_id: int, query: Mapping[str, Any]) -> Decision:
    message, data = query.get("message"), query.get("data")
    chat_type = message["chat"]["type"] if message is not None else PRIVATE
    if data is None or chat_type != PRIVATE:
        return Ignore("callback query without data" if data is None else f"{chat_type} chat",
                      callback_query_id=query["id"])
    # In a private chat the chat id is the user's id, even when the message is too old to see
    # (Telegram then sends only its id, chat and date 0, and no text or buttons).
    chat_id = message["chat"]["id"] if message is not None else query["from"]["id"]
    message_id = message["message_id"] if message is not None else None
    inbound = _with(_base(update_id, chat_id, query["from"]), option_id=data,
                    pressed=str(message_id) if message_id is not None else None)
    callback = CallbackRef(
        query["id"], str(chat_id), message_id,
        message.get("text") if message is not None else None,
        _label_of(message.get("reply_markup") if message is not None else None, data),
    )
    return ToCore(inbound, callback=callback)


def _label_of(markup: Mapping[str, Any] | None, data: str) -> str | None:
    if markup is None:
        return None
    for row in markup.get("inline_keyboard") or ():
        for button in row:
            if button.get("callback_data") == data:
                return str(button["text"])
    return None


def _with(inbound: Inbound, **changes: Any) -> Inbound:
    return replace(inbound, **changes)
