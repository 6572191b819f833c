"""Keeps secrets out of the access log: web chat session tokens travel in query strings."""

from __future__ import annotations

import logging
import re

_SECRET_PARAMS = re.compile(r"((?:session|token|api_key|hub\.verify_token)=)[^&\s\"]+")


def redact(text: str) -> str:
    return _SECRET_PARAMS.sub(r"\1[redacted]", text)


class RedactQuerySecrets(logging.Filter):
    """Rewrites uvicorn access-log arguments (the request line) with secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactQuerySecrets) for f in access.filters):
        access.addFilter(RedactQuerySecrets())
