"""Webhook bodies shaped like Meta's (entry[].changes[].value.messages[] / statuses[]), signed."""

from __future__ import annotations

import itertools
import json
from datetime import datetime
from typing import Any

from bot.channels.whatsapp.signature import HEADER, sign
from tests.fake_platforms.graph_api import PHONE_NUMBER_ID

APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
_ids = itertools.count(1)


def message_id() -> str:
    return f"wamid.IN{next(_ids):08d}"


def message(wa_id: str, kind: str, content: dict[str, Any] | None = None, *,
            id: str | None = None, at: datetime | None = None,
            reply_to: str | None = None) -> dict[str, Any]:
    raw: dict[str, Any] = {"from": wa_id, "id": id or message_id(), "type": kind}
    if at is not None:
        raw["timestamp"] = str(int(at.timestamp()))
    if content is not None:
        raw[kind] = content
    if reply_to:
        raw["context"] = {"from": "15550001111", "id": reply_to}
    return raw


def text(wa_id: str, body: str, **kw: Any) -> dict[str, Any]:
    return message(wa_id, "text", {"body": body}, **kw)


def button(wa_id: str, option_id: str, title: str = "x", **kw: Any) -> dict[str, Any]:
    return message(wa_id, "interactive", {"type": "button_reply",
                                          "button_reply": {"id": option_id, "title": title}}, **kw)


def list_reply(wa_id: str, option_id: str, title: str = "x", **kw: Any) -> dict[str, Any]:
    return message(wa_id, "interactive", {"type": "list_reply", "list_reply": {
        "id": option_id, "title": title, "description": "d"}}, **kw)


def location(wa_id: str, latitude: float, longitude: float, **kw: Any) -> dict[str, Any]:
    return message(wa_id, "location", {"latitude": latitude, "longitude": longitude,
                                       "name": "Masjid Raya", "address": "Jl. Sudirman"}, **kw)


def image(wa_id: str, media_id: str, mime_type: str = "image/jpeg", **kw: Any) -> dict[str, Any]:
    return message(wa_id, "image", {"id": media_id, "mime_type": mime_type,
                                    "sha256": "abc", "caption": "foto"}, **kw)


def document(wa_id: str, media_id: str, mime_type: str = "application/pdf",
             **kw: Any) -> dict[str, Any]:
    return message(wa_id, "document", {"id": media_id, "mime_type": mime_type,
                                       "filename": "surat.pdf", "sha256": "abc"}, **kw)


def status(wamid: str, wa_id: str, state: str, code: int | None = None) -> dict[str, Any]:
    raw: dict[str, Any] = {"id": wamid, "recipient_id": wa_id, "status": state,
                           "timestamp": "1700000000"}
    if code is not None:
        raw["errors"] = [{"code": code, "title": "Message undeliverable",
                          "message": "Message undeliverable",
                          "error_data": {"details": "Message Undeliverable."}}]
    return raw


def envelope(*messages: dict[str, Any], statuses: tuple[dict[str, Any], ...] = (),
             name: str = "Sari", phone_number_id: str = PHONE_NUMBER_ID) -> dict[str, Any]:
    value: dict[str, Any] = {"messaging_product": "whatsapp", "metadata": {
        "display_phone_number": "15550001111", "phone_number_id": phone_number_id}}
    if messages:
        senders = dict.fromkeys(m["from"] for m in messages)
        value["contacts"] = [{"profile": {"name": name}, "wa_id": s} for s in senders]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "WABA-1", "changes": [{"field": "messages", "value": value}]}]}


def signed(body: dict[str, Any] | bytes, secret: str = APP_SECRET) -> tuple[bytes, dict[str, str]]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return raw, {HEADER: sign(raw, secret), "content-type": "application/json"}
