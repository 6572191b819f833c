"""A Telegram Update → what to do with it: hand it to the core, answer with a notice, or ignore it.

Pure: no I/O. Files are only referenced here; `bot.channels.telegram.media` fetches them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from telegram import Chat, InlineKeyboardMarkup, Message, Update, User

from core.intake.notice import Notice
from core.messages import Channel, Inbound, Location

MAX_FILE_BYTES = 20 * 1024 * 1024  # what the Bot API lets a bot download
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


def classify(update: Update, bot_username: str | None = None) -> Decision:
    """The explicit table of handled kinds; everything else is acknowledged and ignored.

    `bot_username` (from getMe, when known) tells group commands for us from other bots'.
    """
    if update.message is not None:
        return _message(update.update_id, update.message, bot_username)
    if update.callback_query is not None:
        return _callback(update.update_id, update)
    kind = next((k for k in IGNORED_UPDATES if getattr(update, k, None) is not None), "unknown")
    return Ignore(kind)


def external_id(update_id: int) -> str:
    return f"tg:{update_id}"


def _base(update_id: int, chat: Chat, user: User | None) -> Inbound:
    return Inbound(
        Channel.TELEGRAM, str(chat.id), external_id(update_id),
        user_id=str(user.id) if user else None,
        display_name=user.full_name if user else None,
        language_hint=user.language_code if user else None,
    )


def _message(update_id: int, message: Message, bot_username: str | None) -> Decision:
    user, chat = message.from_user, message.chat
    if user is not None and user.is_bot:
        return Ignore("message from a bot")
    if chat.type != Chat.PRIVATE:
        # Reports carry personal data: never in a group. Commands meant for us get one polite
        # pointer; ordinary group chatter and other bots' commands are left alone.
        if _command_for_us(message.text or "", bot_username):
            return Notice(Channel.TELEGRAM, str(chat.id), external_id(update_id),
                          "telegram.private_only", user.language_code if user else None)
        return Ignore(f"{chat.type} chat")
    inbound = _base(update_id, chat, user)
    if message.reply_to_message is not None:
        inbound = _with(inbound, reply_to=str(message.reply_to_message.message_id))
    if message.text is not None:
        return ToCore(_with(inbound, text=message.text))
    if message.venue is not None:
        venue = message.venue
        place = ", ".join(p for p in (venue.title, venue.address) if p)
        pin = Location(venue.location.latitude, venue.location.longitude, place or None)
        return ToCore(_with(inbound, location=pin))
    if message.location is not None:
        pin = Location(message.location.latitude, message.location.longitude)
        return ToCore(_with(inbound, location=pin))
    if any(getattr(message, kind, None) for kind in UNUSABLE_CONTENT):
        return ToCore(inbound)  # empty: the core explains what it accepts
    caption = _with(inbound, text=message.caption) if message.caption else inbound
    if message.photo:
        # Sizes come smallest first; take the largest one a bot may download.
        sizes = [p for p in message.photo if (p.file_size or 0) <= MAX_FILE_BYTES]
        best = (sizes or list(message.photo))[-1]
        return ToCore(caption, file=FileRef(best.file_id, best.file_size, True))
    if message.document is not None:
        doc = message.document
        if doc.file_size is not None and doc.file_size > MAX_FILE_BYTES:
            return Notice.answering(inbound, "telegram.file_too_large",
                                    {"max_mb": MAX_FILE_BYTES // 2**20})
        return ToCore(caption, file=FileRef(doc.file_id, doc.file_size, False, doc.file_name))
    return Ignore("service message")


def _command_for_us(text: str, bot_username: str | None) -> bool:
    if not text.startswith("/"):
        return False
    _, at, target = text.split(maxsplit=1)[0].partition("@")
    return not at or (bot_username is not None and target.lower() == bot_username.lower())


def _callback(update_id: int, update: Update) -> Decision:
    query = update.callback_query
    assert query is not None
    message = query.message
    chat_type = message.chat.type if message is not None else Chat.PRIVATE
    if query.data is None or chat_type != Chat.PRIVATE:
        return Ignore("callback query without data" if query.data is None else f"{chat_type} chat",
                      callback_query_id=query.id)
    # In a private chat the chat id is the user's id, even when the message is too old to see.
    chat = message.chat if message is not None else Chat(query.from_user.id, Chat.PRIVATE)
    visible = message if isinstance(message, Message) else None
    inbound = _with(_base(update_id, chat, query.from_user), option_id=query.data,
                    pressed=str(visible.message_id) if visible is not None else None)
    callback = CallbackRef(
        query.id, str(chat.id), message.message_id if message is not None else None,
        visible.text if visible is not None else None,
        _label_of(visible.reply_markup if visible is not None else None, query.data),
    )
    return ToCore(inbound, callback=callback)


def _label_of(markup: InlineKeyboardMarkup | None, data: str) -> str | None:
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == data:
                return button.text
    return None


def _with(inbound: Inbound, **changes: Any) -> Inbound:
    return replace(inbound, **changes)
