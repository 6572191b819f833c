"""Session tokens and API keys never reach the access log."""

from __future__ import annotations

import logging

from bot.log_redaction import RedactQuerySecrets


def test_access_log_arguments_lose_their_secrets() -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/chat/messages?session=SeCrEt123&after=4&wait=25", "1.1", 200),
        None,
    )
    assert RedactQuerySecrets().filter(record)
    line = record.getMessage()
    assert "SeCrEt123" not in line
    assert "session=[redacted]&after=4" in line


def test_open311_api_keys_are_masked_too() -> None:
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1,
                               "GET /open311/v2/requests.json?api_key=k3y", None, None)
    RedactQuerySecrets().filter(record)
    assert record.getMessage() == "GET /open311/v2/requests.json?api_key=[redacted]"
