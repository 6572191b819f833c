"""A small fake Bot API server on 127.0.0.1, so the real python-telegram-bot client runs in tests.

It records every call (method, parameters, arrival time), hands out message ids, accepts photo
uploads (sendPhoto, sendMediaGroup as multipart, the way PTB sends them), serves files for
getFile and queued updates for getUpdates, and can be scripted: 429 floods, blocked chats,
unknown chats, added latency.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

TOKEN = "123:ABC"
BOT_USER = {"id": 123, "is_bot": True, "first_name": "Aduan", "username": "AduanKotaBot",
            "can_join_groups": False, "can_read_all_group_messages": False,
            "supports_inline_queries": False}
JSON_FIELDS = {"reply_markup", "allowed_updates", "commands", "scope", "link_preview_options",
               "reply_parameters", "entities", "media"}
INT_FIELDS = {"message_id", "offset", "limit", "timeout", "max_connections"}
BOOL_FIELDS = {"drop_pending_updates", "disable_notification", "show_alert"}
MAX_DOWNLOAD = 20 * 1024 * 1024
MAX_PHOTO_UPLOAD = 10 * 1024 * 1024
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF")
SEND_METHODS = ("sendMessage", "sendPhoto", "sendMediaGroup")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float  # time.perf_counter() on arrival
    status: int = 200
    result: Any = None  # what the fake answered (e.g. the sent Message)


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class StoredFile:
    data: bytes
    path: str
    size: int  # what getFile reports (may differ from the data, to fake huge files)


@dataclass
class Script:
    """What the fake should do wrong, and how slowly."""

    flood_sends: int = 0  # the next N sends (text or photo) get 429
    flood_photos: int = 0  # the next N sendPhoto / sendMediaGroup calls get 429
    retry_after: int = 1
    blocked: set[str] = field(default_factory=set)  # chat ids that blocked the bot (403)
    missing: set[str] = field(default_factory=set)  # chat ids that do not exist (400)
    latency: float = 0.0
    refuse_markup_edits_after_remove: bool = False  # a stricter Telegram, for the fallback


class FakeTelegram:
    """Run with `start()`; the base URL for TELEGRAM_API_BASE_URL is `.url`."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.script = Script()
        self.calls: list[Call] = []
        self.messages: dict[int, dict[str, Any]] = {}
        self.files: dict[str, StoredFile] = {}
        self.updates: deque[dict[str, Any]] = deque()
        self.webhook: dict[str, Any] | None = None
        # The bot's words (sendMessage, editMessageText), as they arrive; runs in the fake's thread.
        self.on_send: Callable[[Call], None] | None = None
        # Telegram allows one getUpdates at a time per bot; the most seen at once (tests assert 1).
        self.polls_in_flight = self.most_polls_at_once = 0
        self.sends_in_flight = self.most_sends_at_once = 0  # SEND_METHODS under way at once
        self._next_message_id = 1000
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.app = Starlette(routes=[
            Route("/bot{token}/{method}", self._api, methods=["GET", "POST"]),
            Route("/file/bot{token}/{path:path}", self._download, methods=["GET"]),
        ])

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeTelegram:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="fake-telegram", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake Telegram did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)

    def reset(self) -> None:
        """Forget calls, messages, files, updates and scripting (between tests)."""
        with self._lock:
            self.script = Script()
            self.calls.clear()
            self.messages.clear()
            self.files.clear()
            self.updates.clear()
            self.webhook = None
            self.most_polls_at_once = self.most_sends_at_once = 0

    # ------------------------------------------------------------------ scripting and queries

    def add_file(self, file_id: str, data: bytes, size: int | None = None,
                 path: str | None = None) -> None:
        with self._lock:
            self.files[file_id] = StoredFile(data, path or f"photos/{file_id}.jpg",
                                             len(data) if size is None else size)

    def push_update(self, update: dict[str, Any]) -> None:
        with self._lock:
            self.updates.append(update)

    def calls_of(self, method: str, chat_id: str | int | None = None,
                 ok_only: bool = True) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method
                    and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
                    and (c.status == 200 or not ok_only)]

    def sent(self, chat_id: str | int | None = None) -> list[Call]:
        """What the chat shows as the bot's new words, in arrival order: successful sendMessage
        calls, and editMessageText calls (an answered button becomes the next question)."""
        with self._lock:
            return [c for c in self.calls if c.method in ("sendMessage", "editMessageText")
                    and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
                    and c.status == 200]

    def deliveries(self, chat_id: str | int) -> list[Call]:
        """Successful sends of any kind (text, photo, album), in arrival order."""
        with self._lock:
            return [c for c in self.calls if c.method in SEND_METHODS and c.status == 200
                    and str(c.params.get("chat_id")) == str(chat_id)]

    def photos(self, chat_id: str | int) -> list[bytes]:
        """The bytes of every photo the chat received, in order (albums unpacked)."""
        found: list[bytes] = []
        for call in self.deliveries(chat_id):
            if call.method == "sendPhoto":
                found.append(call.params["photo"].data)
            elif call.method == "sendMediaGroup":
                found += [item["upload"].data for item in call.params["media"]]
        return found

    def texts(self, chat_id: str | int) -> list[str]:
        return [str(c.params["text"]) for c in self.sent(chat_id)]

    def wait_until(self, condition: Callable[[], bool], timeout: float = 10.0,
                   what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.01)

    def wait_for_sent(self, chat_id: str | int, count: int, timeout: float = 10.0) -> list[Call]:
        self.wait_until(lambda: len(self.sent(chat_id)) >= count, timeout,
                        f"{count} messages to chat {chat_id} (have {len(self.sent(chat_id))})")
        return self.sent(chat_id)

    def message(self, message_id: int) -> dict[str, Any]:
        with self._lock:
            return dict(self.messages[message_id])

    # ------------------------------------------------------------------ HTTP

    async def _api(self, request: Request) -> Response:
        arrived = time.perf_counter()
        if request.path_params["token"] != self.token:
            return _respond(*_error(401, "Unauthorized"))
        method = request.path_params["method"]
        params = await _params(request)
        sending = method in SEND_METHODS
        if sending:
            with self._lock:
                self.sends_in_flight += 1
                self.most_sends_at_once = max(self.most_sends_at_once, self.sends_in_flight)
        try:
            if self.script.latency:
                await asyncio.sleep(self.script.latency)
        finally:
            if sending:
                with self._lock:
                    self.sends_in_flight -= 1
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            status, body = _error(404, "Not Found")
        elif method == "getUpdates":
            status, body = await self._m_getUpdates(params)
        else:
            with self._lock:
                status, body = handler(params)
        call = Call(method, params, arrived, status, body.get("result"))
        with self._lock:
            self.calls.append(call)
        if (method in ("sendMessage", "editMessageText") and status == 200
                and self.on_send is not None):
            self.on_send(call)
        return JSONResponse(body, status_code=status)

    async def _download(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return _respond(*_error(401, "Unauthorized"))
        path = request.path_params["path"]
        with self._lock:
            self.calls.append(Call("download", {"path": path}, time.perf_counter()))
            found = next((f for f in self.files.values() if f.path == path), None)
        if found is None:
            return _respond(*_error(404, "Not Found"))
        return Response(found.data, media_type="application/octet-stream")

    # ------------------------------------------------------------------ Bot API methods
    # Each returns (HTTP status, body) and runs under the lock.

    def _m_getMe(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return _ok(BOT_USER)

    def _refuse_send(self, chat_id: str, photo: bool = False) -> tuple[int, dict[str, Any]] | None:
        """Floods, blocked and unknown chats: what every send method checks first."""
        if self.script.flood_sends > 0 or (photo and self.script.flood_photos > 0):
            if self.script.flood_sends > 0:
                self.script.flood_sends -= 1
            else:
                self.script.flood_photos -= 1
            retry = self.script.retry_after
            return 429, {"ok": False, "error_code": 429,
                         "description": f"Too Many Requests: retry after {retry}",
                         "parameters": {"retry_after": retry}}
        if chat_id in self.script.blocked:
            return _error(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.script.missing or not chat_id.lstrip("-").isdigit():
            return _error(400, "Bad Request: chat not found")
        return None

    def _new_message(self, chat_id: str, **content: Any) -> dict[str, Any]:
        self._next_message_id += 1
        message = {"message_id": self._next_message_id, "date": int(time.time()),
                   "chat": {"id": int(chat_id), "type": "private"}, "from": BOT_USER, **content}
        self.messages[self._next_message_id] = {
            **message, "sent_markup": None, "edited_markup": False}
        return message

    def _m_sendPhoto(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id = str(params.get("chat_id"))
        if refused := self._refuse_send(chat_id, photo=True):
            return refused
        photo = params.get("photo")
        if not isinstance(photo, Upload):  # file ids and URLs are not used by our sender
            return _error(400, "Bad Request: wrong remote file identifier specified")
        if bad := _bad_photo(photo):
            return _error(400, bad)
        return _ok(self._new_message(chat_id, photo=_photo_sizes(photo)))

    def _m_sendMediaGroup(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id = str(params.get("chat_id"))
        if refused := self._refuse_send(chat_id, photo=True):
            return refused
        items = params.get("media")
        if not isinstance(items, list) or not 2 <= len(items) <= 10:
            return _error(400, "Bad Request: media group must contain 2-10 items")
        for item in items:
            name = str(item.get("media", "")).removeprefix("attach://")
            upload = params.get(name)
            if item.get("type") != "photo" or not isinstance(upload, Upload):
                return _error(400, "Bad Request: wrong file identifier/HTTP URL specified")
            if bad := _bad_photo(upload):
                return _error(400, bad)
            item["upload"] = upload  # kept on the recorded call for the tests
        group = f"album-{self._next_message_id + 1}"
        return _ok([self._new_message(chat_id, media_group_id=group,
                                      photo=_photo_sizes(item["upload"])) for item in items])

    def _m_sendMessage(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id, text = str(params.get("chat_id")), str(params.get("text", ""))
        if refused := self._refuse_send(chat_id):
            return refused
        if not text.strip():
            return _error(400, "Bad Request: message text is empty")
        if utf16_len(text) > 4096:
            return _error(400, "Bad Request: message is too long")
        markup = params.get("reply_markup")
        if bad := _bad_markup(markup):
            return _error(400, bad)
        self._next_message_id += 1
        message = {"message_id": self._next_message_id, "date": int(time.time()),
                   "chat": {"id": int(chat_id), "type": "private"}, "from": BOT_USER,
                   "text": text}
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self.messages[self._next_message_id] = {
            **message, "sent_markup": markup, "edited_markup": False}
        return _ok(message)

    def _m_editMessageText(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        stored = self.messages.get(int(params.get("message_id", 0)))
        if stored is None:
            return _error(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup")
        if stored["text"] == params.get("text") and stored.get("reply_markup") == markup:
            return _error(400, "Bad Request: message is not modified: specified new message "
                               "content and reply markup are exactly the same")
        stored["text"] = params.get("text")
        stored["reply_markup"] = markup
        return _ok(_public(stored))

    def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        stored = self.messages.get(int(params.get("message_id", 0)))
        if stored is None:
            return _error(400, "Bad Request: message to edit not found")
        sent_with = stored.get("sent_markup")
        if isinstance(sent_with, dict) and "keyboard" in sent_with:
            return _error(400, "Bad Request: message can't be edited")
        if (self.script.refuse_markup_edits_after_remove and isinstance(sent_with, dict)
                and sent_with.get("remove_keyboard")):
            return _error(400, "Bad Request: message can't be edited")
        markup = params.get("reply_markup")
        if stored.get("reply_markup") == markup:
            return _error(400, "Bad Request: message is not modified")
        stored["reply_markup"] = markup
        stored["edited_markup"] = True
        return _ok(_public(stored))

    def _m_answerCallbackQuery(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return _ok(True)

    def _m_getFile(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        file_id = str(params.get("file_id"))
        found = self.files.get(file_id)
        if found is None:
            return _error(400, "Bad Request: invalid file_id")
        if found.size > MAX_DOWNLOAD:
            return _error(400, "Bad Request: file is too big")
        return _ok({"file_id": file_id, "file_unique_id": f"u-{file_id}",
                    "file_size": found.size, "file_path": found.path})

    def _m_setWebhook(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.webhook = params
        return _ok(True)

    def _m_deleteWebhook(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.webhook = None
        return _ok(True)

    def _m_setMyCommands(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return _ok(True)

    async def _m_getUpdates(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.polls_in_flight += 1
            self.most_polls_at_once = max(self.most_polls_at_once, self.polls_in_flight)
        try:
            return await self._long_poll(params)
        finally:
            with self._lock:
                self.polls_in_flight -= 1

    async def _long_poll(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 2.0)
        while True:
            with self._lock:
                if self.webhook is not None:
                    return _error(409, "Conflict: can't use getUpdates method while webhook "
                                       "is active; use deleteWebhook to delete the webhook first")
                while self.updates and self.updates[0]["update_id"] < offset:
                    self.updates.popleft()  # confirmed by the offset
                batch = list(self.updates)[: int(params.get("limit") or 100)]
            if batch or time.monotonic() >= deadline:
                return _ok(batch)
            await asyncio.sleep(0.02)


async def _params(request: Request) -> dict[str, Any]:
    """PTB posts form fields with JSON-encoded structured values (multipart when it uploads
    files); other clients post JSON."""
    raw: dict[str, Any]
    if request.headers.get("content-type", "").startswith("application/json"):
        raw = dict(json.loads(await request.body() or b"{}"))
        return raw
    form = await request.form()
    raw = {}
    for key, value in form.items():
        if isinstance(value, str):
            raw[key] = value
        else:  # an uploaded file part
            raw[key] = Upload(value.filename, value.content_type, await value.read())
    raw.update(request.query_params)
    for key, value in list(raw.items()):
        if key in JSON_FIELDS:
            raw[key] = json.loads(value)
        elif key in INT_FIELDS:
            raw[key] = int(value)
        elif key in BOOL_FIELDS:
            raw[key] = value in ("true", "True", "1")
    return raw


def _bad_markup(markup: Any) -> str | None:
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return None
    for row in markup["inline_keyboard"]:
        for button in row:
            if len(str(button.get("callback_data", "")).encode()) > 64:
                return "Bad Request: BUTTON_DATA_INVALID"
    return None


def _bad_photo(upload: Upload) -> str | None:
    if len(upload.data) > MAX_PHOTO_UPLOAD:
        return "Bad Request: file is too big"
    if not upload.data.startswith(IMAGE_MAGIC):
        return "Bad Request: IMAGE_PROCESS_FAILED"
    return None


def _photo_sizes(upload: Upload) -> list[dict[str, Any]]:
    digest = hashlib.sha256(upload.data).hexdigest()[:16]
    return [{"file_id": f"photo-{digest}", "file_unique_id": f"u-{digest}", "width": 16,
             "height": 16, "file_size": len(upload.data)}]


def _public(stored: dict[str, Any]) -> dict[str, Any]:
    message = {k: v for k, v in stored.items() if k not in ("sent_markup", "edited_markup")}
    if not message.get("reply_markup"):
        message.pop("reply_markup", None)
    return message


def _ok(result: Any) -> tuple[int, dict[str, Any]]:
    return 200, {"ok": True, "result": result}


def _error(status: int, description: str) -> tuple[int, dict[str, Any]]:
    return status, {"ok": False, "error_code": status, "description": description}


def _respond(status: int, body: dict[str, Any]) -> JSONResponse:
    return JSONResponse(body, status_code=status)
