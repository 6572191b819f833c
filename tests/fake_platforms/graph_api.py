"""A fake WhatsApp Cloud API (Graph API) on 127.0.0.1, for the real `WhatsAppClient` to talk to.

It records every send, takes media uploads (`/{phone_number_id}/media`, multipart) and serves
media like Meta does (metadata first, then a URL that needs the bearer token), and can be told
to answer with Meta's error codes.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

TOKEN = "test-access-token"
VERSION = "v25.0"
PHONE_NUMBER_ID = "1098765432"
# A real 16×16 JPEG (CPython's test image, 543 bytes).
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDREN"
    "Dg8QEBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ"
    "EBAQEBAQEBAQEBAQEBD/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwQF/8QAJBAAAQQBBAICAwAA"
    "AAAAAAAAAQIDBAYFBwgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAABv/EACMRAAECBQMFAAAAAAAAAAAAAAECEQME"
    "BQYhABIxFRZhgeH/2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPkJWW+ulrsaUVAseUgslSlH9LKuPryIKuWPZdskzXm"
    "m3fX5m2nF4GlVxx/HOpx4ks51+MiU/Iaad7UcUo4tILoS4kqcWkezS0hO/HvuRp0rO6hWnWO1UisZVuFi4GFeyEpmGepa5S5"
    "SWVPuciFKRFLgSrwetnyPIB+Vb4N9mKhQMzo5po9XLdDs9d6ZVix2VEhiL9kuNPxw2gEKcDQ/rs8AuA8VAe0vdl7VOYn+27f"
    "lGAUgmITjbhSmCg3BYlyeWDkMolvw4KOp1KM6iCNvngZHwetf//Z"
)
TITLES = {130429: "Rate limit hit", 131026: "Message undeliverable",
          131047: "Re-engagement message", 131056: "Pair rate limit hit",
          190: "Error validating access token", 132001: "Template name does not exist",
          131000: "Something went wrong", 131053: "Media upload error"}
UPLOAD_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "audio/ogg", "video/mp4",
                          "application/pdf", "text/plain"})
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


@dataclass(frozen=True)
class Upload:
    """One file posted to the media endpoint."""

    id: str
    type: str
    filename: str | None
    data: bytes


@dataclass(frozen=True)
class Sent:
    """One message the fake accepted."""

    id: str
    to: str
    type: str
    body: dict[str, Any]

    @property
    def text(self) -> str:
        """What the citizen reads first: the text, the interactive body, or the template name."""
        if self.type == "text":
            return str(self.body["text"]["body"])
        if self.type == "interactive":
            return str(self.body["interactive"]["body"]["text"])
        return str(self.body[self.type].get("name", ""))

    @property
    def media_id(self) -> str | None:
        """The uploaded media an image (or other media) message shows."""
        content = self.body.get(self.type)
        return content.get("id") if isinstance(content, dict) else None

    @property
    def interactive_type(self) -> str | None:
        return self.body["interactive"]["type"] if self.type == "interactive" else None

    @property
    def option_ids(self) -> list[str]:
        action = self.body.get("interactive", {}).get("action", {})
        if "buttons" in action:
            return [b["reply"]["id"] for b in action["buttons"]]
        return [row["id"] for section in action.get("sections", ()) for row in section["rows"]]

    @property
    def template_parameters(self) -> list[str]:
        components = self.body.get("template", {}).get("components", [])
        return [p["text"] for c in components for p in c.get("parameters", ())]


def _error(code: int, status: int = 400) -> JSONResponse:
    title = TITLES.get(code, "Error")
    return JSONResponse({"error": {
        "message": f"({'#' if code >= 1000 else ''}{code}) {title}", "type": "OAuthException",
        "code": code, "error_data": {"messaging_product": "whatsapp", "details": title},
        "fbtrace_id": "AbCdEf",
    }}, status_code=status)


def _acceptable(kind: str, content_type: str | None, data: bytes) -> bool:
    """Meta checks the declared type against the file (here: images by their first bytes)."""
    if kind not in UPLOAD_TYPES or kind != content_type or not data:
        return False
    magic = {"image/jpeg": IMAGE_MAGIC[0], "image/png": IMAGE_MAGIC[1]}.get(kind)
    return magic is None or data.startswith(magic)


class FakeGraphApi:
    """Scriptable: `fail_next(130429, 5)`, `recipient_errors[wa_id] = 131047`, `token_valid`."""

    def __init__(self, token: str = TOKEN, version: str = VERSION,
                 phone_number_id: str = PHONE_NUMBER_ID) -> None:
        self.token, self.version, self.phone_number_id = token, version, phone_number_id
        self.sent: list[Sent] = []
        self.refused: list[tuple[int, dict[str, Any]]] = []  # (code, request body)
        self.recipient_errors: dict[str, int] = {}  # 131047 spares templates; others hit all
        self.token_valid = True
        self.media: dict[str, tuple[bytes, str]] = {}
        self.uploads: list[Upload] = []
        self.downloads = 0
        self.download_delay = 0.0  # seconds before a media download answers
        self.url = ""
        self._failures: list[tuple[int, Callable[[dict[str, Any]], bool] | None]] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.app = self._build()

    # Scripting ------------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget sends and scripts (one server can then serve a whole test session)."""
        with self._lock:
            self.sent.clear()
            self.refused.clear()
            self.uploads.clear()
            self._failures.clear()
        self.recipient_errors.clear()
        self.media.clear()
        self.token_valid, self.downloads, self.download_delay = True, 0, 0.0

    def fail_next(self, code: int, count: int = 1,
                  when: Callable[[dict[str, Any]], bool] | None = None) -> None:
        """Refuse the next `count` sends (those matching `when`, if given) with `code`."""
        with self._lock:
            self._failures.extend([(code, when)] * count)

    def add_media(self, media_id: str, data: bytes = JPEG, mime_type: str = "image/jpeg") -> None:
        self.media[media_id] = (data, mime_type)

    def to(self, wa_id: str) -> list[Sent]:
        with self._lock:
            return [s for s in self.sent if s.to == wa_id]

    def images_to(self, wa_id: str) -> list[bytes]:
        """The bytes of every image message `wa_id` received, in order."""
        with self._lock:
            by_id = {u.id: u.data for u in self.uploads}
            return [by_id[s.media_id] for s in self.sent
                    if s.to == wa_id and s.type == "image" and s.media_id in by_id]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; sent so far: {[s.text[:60] for s in self.sent]}")
            time.sleep(0.02)

    def wait_sent(self, wa_id: str, count: int, timeout: float = 10.0) -> list[Sent]:
        """Wait until `wa_id` has received at least `count` messages; returns them all."""
        self.wait_for(lambda: len(self.to(wa_id)) >= count, timeout)
        return self.to(wa_id)

    # The HTTP side ----------------------------------------------------------------------------
    def _authorised(self, request: Request) -> bool:
        return self.token_valid and request.headers.get("authorization") == f"Bearer {self.token}"

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.get("/media-download/{media_id}")
        async def download(media_id: str, request: Request) -> Response:
            if not self._authorised(request):
                return _error(190, 401)
            if media_id not in self.media:
                return Response(status_code=404)
            await asyncio.sleep(self.download_delay)
            self.downloads += 1
            data, mime_type = self.media[media_id]
            return Response(data, media_type=mime_type)

        @app.post("/{version}/{phone_id}/messages")
        async def messages(version: str, phone_id: str, request: Request) -> Response:
            body = await request.json()
            if not self._authorised(request):
                return _error(190, 401)
            if version != self.version or phone_id != self.phone_number_id:
                return _error(100)
            code = self._failure_for(body)
            if code is None and body.get("type") == "image":
                code = None if body["image"].get("id") in self.media else 131053
            if code is not None:
                with self._lock:
                    self.refused.append((code, body))
                return _error(code)
            with self._lock:
                sent = Sent(f"wamid.FAKE{next(self._ids):06d}", body["to"], body["type"], body)
                self.sent.append(sent)
            return JSONResponse({"messaging_product": "whatsapp",
                                 "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                                 "messages": [{"id": sent.id}]})

        @app.post("/{version}/{phone_id}/media")
        async def upload(version: str, phone_id: str, request: Request) -> Response:
            form = await request.form()
            if not self._authorised(request):
                return _error(190, 401)
            if version != self.version or phone_id != self.phone_number_id:
                return _error(100)
            file, kind = form.get("file"), form.get("type")
            if form.get("messaging_product") != "whatsapp" or isinstance(file, str | None):
                return _error(100)
            data = await file.read()
            summary = {"upload": kind, "messaging_product": "whatsapp"}
            code = self._failure_for(summary)
            if code is None and not _acceptable(str(kind), file.content_type, data):
                code = 131053
            if code is not None:
                with self._lock:
                    self.refused.append((code, summary))
                return _error(code)
            with self._lock:
                uploaded = Upload(f"media-up-{next(self._ids):06d}", str(kind), file.filename, data)
                self.uploads.append(uploaded)
                self.media[uploaded.id] = (data, uploaded.type)
            return JSONResponse({"id": uploaded.id})

        @app.get("/{version}/{media_id}")
        async def media_info(version: str, media_id: str, request: Request) -> Response:
            if not self._authorised(request):
                return _error(190, 401)
            if media_id not in self.media:
                return _error(100)
            data, mime_type = self.media[media_id]
            return JSONResponse({"messaging_product": "whatsapp", "id": media_id,
                                 "url": f"{self.url}/media-download/{media_id}",
                                 "mime_type": mime_type, "file_size": len(data),
                                 "sha256": hashlib.sha256(data).hexdigest()})

        return app

    def _failure_for(self, body: dict[str, Any]) -> int | None:
        with self._lock:
            for index, (code, when) in enumerate(self._failures):
                if when is None or when(body):
                    del self._failures[index]
                    return code
        code = self.recipient_errors.get(body.get("to", ""))
        if code == 131047 and body.get("type") == "template":
            return None  # templates are what may be sent outside the window
        return code


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve_graph_api(fake: FakeGraphApi | None = None) -> Iterator[FakeGraphApi]:
    """Run the fake in a background thread on a free port of 127.0.0.1."""
    fake = fake or FakeGraphApi()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(fake.app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, name="fake-graph-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("fake Graph API did not start")
        time.sleep(0.01)
    fake.url = f"http://127.0.0.1:{port}"
    try:
        yield fake
    finally:
        server.should_exit = True
        thread.join(10)
