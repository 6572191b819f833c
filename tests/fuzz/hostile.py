"""Hostile inputs for the HTTP edges: whole bodies, and one field of a valid body replaced.

Bodies are bytes as they arrive: JSON written with `ensure_ascii`, so a lone surrogate travels
as a `\\udXXX` escape (valid JSON, invalid Unicode), and a marker swapped for invalid UTF-8."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st


def budget(examples: int) -> int:
    """Examples per property; FUZZ_SCALE=10 runs ten times as many (seeded all the same)."""
    return max(1, int(examples * float(os.environ.get("FUZZ_SCALE", "1"))))


BAD_UTF8 = "@@bad-utf8@@"  # replaced by invalid UTF-8 bytes once the body is encoded
DEEP = 1000
Path = tuple[str | int, ...]

TRICKY_TEXT = ["\u200b", "\u200e", "\u200f", "\u202e", "\u2066", "\ufeff", "\x00", "\ud800",
               "\udfff", "\ud83d", "𝔸", "👍🏽", "\u0301" * 50, BAD_UTF8, "", " ", "/start",
               "/lapor\x00", "\r\n"]
EDGE_INTS = [0, -1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**30, -(10**40)]


def texts() -> st.SearchStrategy[str]:
    """Short text over every code point, surrogates included, spiced with tricky pieces."""
    pieces = st.one_of(st.text(st.characters(codec=None), max_size=12), st.sampled_from(TRICKY_TEXT))
    return st.lists(pieces, max_size=4).map("".join)


def oversize() -> st.SearchStrategy[str]:
    return st.sampled_from([5_000, 70_000, 400_000]).map(lambda n: "A\u202e" * (n // 2))


def scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(), st.booleans(), st.sampled_from(EDGE_INTS),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True), texts(),
    )


def values() -> st.SearchStrategy[Any]:
    """Anything JSON can hold, nested a little, or nested absurdly deep."""
    nested = st.recursive(scalars(), lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(texts(), inner, max_size=3)), max_leaves=6)
    deep = st.sampled_from(["list", "dict"]).map(lambda kind: deep_value(kind, DEEP))
    return st.one_of(nested, nested, nested, deep, oversize())


class Deep:
    """A value nested `depth` deep, written straight as text (building it would hit Python's
    own recursion limit in the test before the service saw it)."""

    def __init__(self, kind: str, depth: int) -> None:
        self.kind, self.depth = kind, depth

    def __repr__(self) -> str:
        return f"Deep({self.kind!r}, {self.depth})"

    def text(self) -> str:
        opening, closing = ("[", "]") if self.kind == "list" else ('{"a": ', "}")
        return opening * self.depth + "1" + closing * self.depth


def deep_value(kind: str, depth: int) -> Any:
    return Deep(kind, depth)


def paths(body: Any, prefix: Path = ()) -> Iterator[Path]:
    """Every node of a JSON body (the root excluded), parents before children."""
    items = (body.items() if isinstance(body, dict)
             else enumerate(body) if isinstance(body, list) else ())
    for key, child in items:
        yield (*prefix, key)
        yield from paths(child, (*prefix, key))


def replaced(body: Any, path: Path, value: Any, delete: bool = False) -> Any:
    """A copy of `body` with the node at `path` replaced (or removed)."""
    copy = json.loads(json.dumps(body))
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return copy


def encode(body: Any, duplicate: Path | None = None, dup_value: Any = None) -> bytes:
    """JSON bytes; with `duplicate`, that key is written twice (the hostile value first)."""
    text = _dump(body, (), duplicate, dup_value)
    return text.encode("ascii").replace(BAD_UTF8.encode(), b"\xff\xfe\xc3(")


def _scalar(node: Any) -> str:
    if isinstance(node, Deep):
        return node.text()
    try:
        return json.dumps(node)
    except (RecursionError, ValueError, TypeError):
        return "null"


def _dump(node: Any, at: Path, duplicate: Path | None, dup_value: Any) -> str:
    if isinstance(node, dict):
        parts = []
        for key, child in node.items():
            here = (*at, key)
            if here == duplicate:
                parts.append(f"{json.dumps(key)}: {_dump(dup_value, (), None, None)}")
            parts.append(f"{json.dumps(key)}: {_dump(child, here, duplicate, dup_value)}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(node, list):
        return "[" + ", ".join(_dump(c, (*at, i), duplicate, dup_value)
                               for i, c in enumerate(node)) + "]"
    return _scalar(node)


def raw_bodies() -> st.SearchStrategy[bytes]:
    """Whole bodies that are not a valid anything: bytes, broken and absurd JSON."""
    absurd = st.sampled_from([
        b"[" * 100_000, b'{"a":' * DEEP + b"1" + b"}" * DEEP, b"[" * DEEP + b"]" * DEEP,
        b'{"update_id": 1, "update_id": 2}', b"\xef\xbb\xbf{}", b'"\\ud800"', b"NaN",
        b'{"update_id": 1e400}', b'{"update_id": ' + b"9" * 5000 + b"}", b"", b"null",
        b"\x00" * 64, b'{"x": "\xff"}',
    ])
    return st.one_of(st.binary(max_size=300), absurd,
                     values().map(lambda v: encode(v)))
