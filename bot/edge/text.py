"""Text every layer can store and send: no lone surrogates (they cannot be encoded as UTF-8, so
the database driver and the platform clients refuse them) and no NUL (PostgreSQL text cannot
hold it). Cleaning keeps the rest of what a citizen wrote, zero-width and RTL marks included."""

from __future__ import annotations

import re
from typing import Any

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def _swap(match: re.Match[str]) -> str:
    return "" if match.group() == "\x00" else REPLACEMENT


def clean_text(value: str) -> str:
    """`value` with lone surrogates replaced by U+FFFD and NUL removed (itself when clean)."""
    return _UNSTORABLE.sub(_swap, value) if _UNSTORABLE.search(value) else value


def clean_tree(value: Any) -> Any:
    """Every string of parsed JSON (keys included) cleaned; containers rebuilt only as needed."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_tree(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(k): clean_tree(v) for k, v in value.items()}
    return value


def storable(value: str) -> str:
    """`value` itself, or ValueError when it holds NUL or a lone surrogate (a pydantic
    validator for fields that are ids, where cleaning would merge two different values)."""
    if _UNSTORABLE.search(value):
        raise ValueError("must not contain NUL characters or unpaired surrogates")
    return value
