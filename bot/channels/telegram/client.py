"""The python-telegram-bot client, pointed at TELEGRAM_API_BASE_URL, and keeping its token out of logs."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

import httpx
from telegram import Bot
from telegram.request import HTTPXRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bot.channels.telegram.transport import LeanRequest

# Bot API URLs carry the token: .../bot123456:AA-bb_cc/sendMessage and .../file/bot123456:AA…/path
_TOKEN_IN_URL = re.compile(r"bot\d+:[A-Za-z0-9_-]+")
# Logger filters do not apply to child loggers' records, so every emitting logger is listed.
_TOKEN_LOGGERS = ("httpx", "telegram", "telegram.Bot", "telegram.request.BaseRequest",
                  "telegram.request.HTTPXRequest", "bot.channels.telegram.transport")

# Long polling holds one connection for up to this long; Telegram's own limit is 50 s.
POLL_TIMEOUT_SECONDS = 25


def redact_token(text: str) -> str:
    return _TOKEN_IN_URL.sub("bot[redacted]", text)


class RedactBotToken(logging.Filter):
    """Masks the bot token in a record's message and arguments (httpx logs URL objects)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and _TOKEN_IN_URL.search(record.msg):
            record.msg = redact_token(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted_arg(a) for a in record.args)
        return True


def _redacted_arg(value: Any) -> Any:
    if isinstance(value, int | float) or value is None:
        return value
    text = str(value)
    return redact_token(text) if _TOKEN_IN_URL.search(text) else value


def protect_logs() -> None:
    """httpx logs every request URL at INFO; with a token in it, that is a leaked secret."""
    for name in _TOKEN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactBotToken) for f in logger.filters):
            logger.addFilter(RedactBotToken())
    httpx_logger = logging.getLogger("httpx")
    if httpx_logger.level == logging.NOTSET:
        # One INFO line per Bot API call (30/s at full pace) is noise even when redacted.
        httpx_logger.setLevel(logging.WARNING)


def make_bot(token: str, api_base_url: str, *, pool_size: int = 32) -> Bot:
    """A Bot for `{base}/bot{token}/{method}` and files at `{base}/file/bot{token}/{path}`.

    JSON calls go through `LeanRequest` (uploads and downloads through httpx). Sends and
    long polling get separate connection pools, so a held getUpdates never makes a
    send wait for a connection. `LeanRequest`'s pool takes a connection without scanning the
    others (httpcore's check of every pooled connection cost a third of the server's CPU at
    64, bench/RESULTS.md), so it is sized for the round trip: 32 sends in flight at ~300 ms
    from Indonesia are ~100 calls/s, room for a burst of edits and callback answers.
    """
    protect_logs()
    base = api_base_url.rstrip("/")
    # One TLS context (httpx's default one) for both httpx clients: each would otherwise load
    # the CA bundle itself, ~20 ms of start-up apiece.
    tls = {"verify": httpx.create_ssl_context()}
    uploads = HTTPXRequest(
        connection_pool_size=4, connect_timeout=5.0, read_timeout=15.0,
        write_timeout=15.0, pool_timeout=5.0, media_write_timeout=30.0, httpx_kwargs=tls,
    )
    request = LeanRequest(uploads, pool_size=pool_size, connect_timeout=5.0, read_timeout=15.0,
                          write_timeout=15.0, pool_timeout=5.0)
    updates_request = HTTPXRequest(
        connection_pool_size=1, connect_timeout=5.0, read_timeout=10.0, write_timeout=10.0,
        pool_timeout=5.0, httpx_kwargs=tls,
    )
    return Bot(token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot",
               request=request, get_updates_request=updates_request)


async def call_api(bot: Bot, method: str, params: Mapping[str, Any]) -> Any:
    """One Bot API method with parameters already in the Bot API's JSON shape (keyboards as
    dicts), answered with its raw `result`. Errors are PTB's own (`RetryAfter`, `Forbidden`,
    `BadRequest`…), raised by its request layer as for `Bot`'s methods; what is skipped is
    building PTB objects both ways, which with `Bot.do_api_request` cost 7 % of the server's
    CPU under load (issue 19). `None` values are left out, as PTB does."""
    data = RequestData([RequestParameter(name, value, None)
                        for name, value in params.items() if value is not None])
    return await bot.request.post(f"{bot.base_url}/{method}", request_data=data)
