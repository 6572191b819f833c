"""Telegram updates as the Bot API sends them, for a scripted citizen."""

from __future__ import annotations

import itertools
import time
from typing import Any

_update_ids = itertools.count(10_000)
_message_ids = itertools.count(1)


class TgUser:
    """A person writing to the bot in a private chat (chat id = user id)."""

    def __init__(self, user_id: int, first_name: str = "Siti", language_code: str = "id",
                 last_name: str | None = "Rahma") -> None:
        self.id = user_id
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name,
                                     "language_code": language_code}
        if last_name:
            self.user["last_name"] = last_name
        self.chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}

    def message(self, update_id: int | None = None, **content: Any) -> dict[str, Any]:
        return {"update_id": next(_update_ids) if update_id is None else update_id,
                "message": {"message_id": next(_message_ids), "date": int(time.time()),
                            "chat": self.chat, "from": self.user, **content}}

    def text(self, text: str, **extra: Any) -> dict[str, Any]:
        return self.message(text=text, **extra)

    def command(self, text: str) -> dict[str, Any]:
        name = text.split(" ", 1)[0]
        return self.message(text=text, entities=[{"type": "bot_command", "offset": 0,
                                                  "length": len(name)}])

    def location(self, latitude: float, longitude: float) -> dict[str, Any]:
        return self.message(location={"latitude": latitude, "longitude": longitude})

    def photo(self, file_id: str, size: int = 4096, caption: str | None = None) -> dict[str, Any]:
        sizes = [{"file_id": f"{file_id}-small", "file_unique_id": f"{file_id}-s", "width": 90,
                  "height": 90, "file_size": 900},
                 {"file_id": file_id, "file_unique_id": f"{file_id}-u", "width": 800,
                  "height": 600, "file_size": size}]
        return self.message(photo=sizes, **({"caption": caption} if caption else {}))

    def document(self, file_id: str, name: str, mime: str, size: int) -> dict[str, Any]:
        return self.message(document={"file_id": file_id, "file_unique_id": f"{file_id}-u",
                                      "file_name": name, "mime_type": mime, "file_size": size})

    def press(self, bot_message: dict[str, Any], data: str) -> dict[str, Any]:
        """A tap on an inline button of `bot_message` (as the fake stored it)."""
        message = {k: v for k, v in bot_message.items()
                   if k in ("message_id", "date", "chat", "from", "text", "reply_markup")}
        return {"update_id": next(_update_ids),
                "callback_query": {"id": f"cq{next(_update_ids)}", "from": self.user,
                                   "chat_instance": f"ci{self.id}", "message": message,
                                   "data": data}}


def group_message(text: str, chat_id: int = -100123, user_id: int = 77) -> dict[str, Any]:
    return {"update_id": next(_update_ids),
            "message": {"message_id": next(_message_ids), "date": int(time.time()),
                        "chat": {"id": chat_id, "type": "supergroup", "title": "Warga RT 5"},
                        "from": {"id": user_id, "is_bot": False, "first_name": "Budi",
                                 "language_code": "id"},
                        "text": text}}


def next_update_id() -> int:
    return next(_update_ids)
