"""Phone numbers are WhatsApp chat ids: logs carry a short hash instead, never the number."""

from __future__ import annotations

import hashlib
import re

_LONG_NUMBER = re.compile(r"\+?\d[\d\s-]{6,}\d")


def chat_ref(chat_id: str) -> str:
    """A stable, non-reversible-at-a-glance tag to follow one chat through the logs."""
    return "wa#" + hashlib.sha256(chat_id.encode()).hexdigest()[:10]


def redact_numbers(text: str) -> str:
    """Platform error texts sometimes quote the recipient's number: mask any long digit run."""
    return _LONG_NUMBER.sub("[number]", text)
