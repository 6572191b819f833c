"""A bounded JSON parse for untrusted bodies: strict UTF-8, nesting at most `max_depth` deep
(checked before parsing, so no RecursionError), no duplicate keys, no NaN/Infinity, numbers of
sane size, and every string surrogate-safe (`bot.edge.text`). Anything else is `BadJson`,
which the routes answer with 400."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.edge.text import clean_tree

MAX_DEPTH = 32  # Telegram's and Meta's bodies nest about 8 deep
MAX_NUMBER_DIGITS = 40
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")
# The only way NUL or a lone surrogate gets into parsed strings: strict UTF-8 refuses encoded
# surrogates and the parser refuses raw control characters, so only a \u escape can carry one.
_UNSTORABLE_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89abcdefABCDEF])")


class BadJson(ValueError):
    """The body is not JSON we are willing to look at; the message says why (no content)."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise BadJson("duplicate key")
    return result


def _refuse_constant(name: str) -> Any:
    raise BadJson(f"{name} is not JSON")


def _number(text: str) -> int | float:
    if len(text) > MAX_NUMBER_DIGITS:
        raise BadJson("number too long")
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS:
        raise BadJson("number too long")
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise BadJson("number out of range")
    return value


def depth_of(raw: bytes) -> int:
    """How deep brackets nest outside strings (an unbalanced body is left to the parser)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub(b"", raw)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def load_json(raw: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """Parse an untrusted body, or raise BadJson."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadJson("not UTF-8") from None
    # Fewer opening brackets than the limit cannot nest deeper than it (a webhook has about
    # ten): two byte counts instead of the full scan, which was 2 % of the server's CPU.
    if raw.count(b"{") + raw.count(b"[") > max_depth and depth_of(raw) > max_depth:
        raise BadJson("nested too deep")
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant,
                           parse_int=_number, parse_float=_float)
    except BadJson:
        raise
    except (ValueError, RecursionError) as exc:
        raise BadJson(type(exc).__name__) from None
    # Cleaning walks the whole tree (1 % of the server's CPU); most bodies cannot need it.
    return clean_tree(value) if _UNSTORABLE_ESCAPE.search(raw) else value
