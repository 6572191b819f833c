"""A lean HTTP/1.1 keep-alive transport for python-telegram-bot's Bot API calls.

httpx/httpcore spent about a third of the server's CPU on a Bot API call (the connection
pool probes every pooled socket with a `select` before each request, plus per-request
Timeout/URL/header objects; bench/RESULTS.md, issue 19). Plain Bot API methods are JSON
POSTs answered with a Content-Length body, so they go here over asyncio streams as raw JSON;
uploads (multipart) and file downloads (GET) still go through `HTTPXRequest`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
from collections import defaultdict
from typing import NamedTuple
from urllib.parse import urlsplit

from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

log = logging.getLogger(__name__)  # its records pass client.RedactBotToken (URLs carry the token)
MAX_HEADER_BYTES = 64 * 1024


class _Origin(NamedTuple):
    https: bool
    host: str
    port: int


class _Conn(NamedTuple):
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter


class _Closed(Exception):
    """The peer closed a reused connection before answering: safe to send once more."""


class LeanRequest(BaseRequest):
    """JSON POSTs on pooled keep-alive connections; anything else through `fallback`."""

    def __init__(self, fallback: HTTPXRequest, *, pool_size: int = 32,
                 connect_timeout: float = 5.0, read_timeout: float = 15.0,
                 write_timeout: float = 15.0, pool_timeout: float = 5.0) -> None:
        self._fallback = fallback
        self._timeouts = (connect_timeout, read_timeout, write_timeout, pool_timeout)
        self._slots: asyncio.Semaphore | None = None
        self._idle: dict[_Origin, list[_Conn]] = defaultdict(list)
        self._targets: dict[str, tuple[_Origin, bytes]] = {}
        self._ssl: ssl.SSLContext | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pool_size = pool_size

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts[1]

    async def initialize(self) -> None:
        await self._fallback.initialize()

    async def shutdown(self) -> None:
        for conns in self._idle.values():
            for conn in conns:
                conn.writer.close()
        self._idle.clear()
        await self._fallback.shutdown()

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if method != "POST" or (request_data is not None and request_data.contains_files):
            return await self._fallback.do_request(url, method, request_data, read_timeout,
                                                   write_timeout, connect_timeout, pool_timeout)
        # Raw JSON of the plain values (PTB's json_payload would nest JSON strings in JSON).
        body = (json.dumps(request_data.parameters, ensure_ascii=False,
                           separators=(",", ":")).encode() if request_data is not None else b"{}")
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # connections and the semaphore belong to one loop
            self._loop, self._idle = loop, defaultdict(list)
            self._slots = asyncio.Semaphore(self._pool_size) if self._pool_size > 0 else None
        timeouts = (_given(connect_timeout, self._timeouts[0]),
                    _given(read_timeout, self._timeouts[1]),
                    _given(write_timeout, self._timeouts[2]))
        try:
            if self._slots is None:
                return await self._post(url, body, timeouts)
            if self._slots.locked():
                await asyncio.wait_for(self._slots.acquire(),
                                       _given(pool_timeout, self._timeouts[3]))
            else:
                await self._slots.acquire()
        except TimeoutError as exc:
            raise TimedOut("Pool timeout: the request was not sent") from exc
        try:
            return await self._post(url, body, timeouts)
        finally:
            self._slots.release()

    async def _post(self, url: str, body: bytes,
                    timeouts: tuple[float | None, float | None, float | None]) -> tuple[int, bytes]:
        origin, head = self._target(url)
        request = head + b"%d\r\n\r\n" % len(body) + body
        while True:
            conn, reused = self._reuse(origin), True
            if conn is None:
                conn, reused = await self._connect(origin, timeouts[0]), False
            try:
                status, payload, keep = await self._exchange(conn, request, timeouts, reused)
            except _Closed:
                conn.writer.close()
                continue  # a stale keep-alive connection: nothing reached the server
            except TimeoutError as exc:
                conn.writer.close()
                raise TimedOut from exc
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                    ValueError) as exc:
                conn.writer.close()
                raise NetworkError(f"lean transport: {type(exc).__name__}") from exc
            except BaseException:
                conn.writer.close()
                raise
            if log.isEnabledFor(logging.DEBUG):
                log.debug("HTTP Request: POST %s \"%d\"", url, status)
            if keep:
                self._idle[origin].append(conn)
            else:
                conn.writer.close()
            return status, payload

    async def _exchange(self, conn: _Conn, request: bytes,
                        timeouts: tuple[float | None, float | None, float | None],
                        reused: bool) -> tuple[int, bytes, bool]:
        reader, writer = conn
        # One deadline for the whole exchange: a timer per read costs more than the read.
        budget = None if None in timeouts[1:] else (timeouts[1] or 0) + (timeouts[2] or 0)
        async with asyncio.timeout(budget):
            try:
                writer.write(request)
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
            except (ConnectionError, asyncio.IncompleteReadError) as exc:
                if reused and not getattr(exc, "partial", b""):
                    raise _Closed from exc
                raise
            status, headers = _parse_head(head)
            if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
                payload = await _read_chunked(reader)
            elif (length := headers.get(b"content-length")) is not None:
                payload = await reader.readexactly(int(length))
            else:  # no framing: the body runs until the server closes
                return status, await reader.read(), False
        keep = headers.get(b"connection", b"").lower() != b"close"
        return status, payload, keep

    def _reuse(self, origin: _Origin) -> _Conn | None:
        idle = self._idle[origin]
        while idle:
            conn = idle.pop()
            # A server that closed an idle connection has already fed EOF to the reader.
            if not conn.reader.at_eof() and not conn.writer.is_closing():
                return conn
            conn.writer.close()
        return None

    async def _connect(self, origin: _Origin, timeout: float | None) -> _Conn:
        context = None
        if origin.https:
            if self._ssl is None:
                self._ssl = ssl.create_default_context()
            context = self._ssl
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(origin.host, origin.port, ssl=context,
                                        limit=MAX_HEADER_BYTES), timeout)
        except TimeoutError as exc:
            raise TimedOut("connect timed out") from exc
        except OSError as exc:
            raise NetworkError(f"lean transport: connect failed ({type(exc).__name__})") from exc
        return _Conn(reader, writer)

    def _target(self, url: str) -> tuple[_Origin, bytes]:
        found = self._targets.get(url)
        if found is None:
            parts = urlsplit(url)
            https = parts.scheme == "https"
            host = parts.hostname or "localhost"
            origin = _Origin(https, host, parts.port or (443 if https else 80))
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            host_header = parts.netloc.rpartition("@")[2]
            head = (f"POST {path} HTTP/1.1\r\nHost: {host_header}\r\n"
                    f"User-Agent: {self.USER_AGENT}\r\nAccept: application/json\r\n"
                    "Content-Type: application/json\r\nContent-Length: ").encode("latin-1")
            found = self._targets[url] = (origin, head)
        return found


def _given(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def _parse_head(head: bytes) -> tuple[int, dict[bytes, bytes]]:
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
        raise ValueError("not an HTTP/1.x response")
    headers: dict[bytes, bytes] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return int(parts[1]), headers


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    chunks: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0].strip(), 16)
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
                pass
            return b"".join(chunks)
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)
