"""`X-Hub-Signature-256`: HMAC-SHA256 of the raw request body, keyed with the app secret."""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Hub-Signature-256"
_ALGORITHM = "sha256"
_HEX_DIGITS = frozenset("0123456789abcdef")


def sign(body: bytes, app_secret: str) -> str:
    """The header value Meta sends for `body`: "sha256=<hex digest>"."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return f"{_ALGORITHM}={digest}"


def verify(body: bytes, header: str | None, app_secret: str) -> bool:
    """True only when `header` is a well-formed sha256 signature of exactly these bytes."""
    if not header or not app_secret:
        return False
    algorithm, separator, given = header.strip().partition("=")
    given = given.lower()
    if separator != "=" or algorithm.lower() != _ALGORITHM:
        return False
    if len(given) != 64 or not set(given) <= _HEX_DIGITS:
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), given.encode())
