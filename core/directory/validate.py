"""Typed reading of composed YAML nodes, collecting every problem as "line N: reason"."""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Iterable
from datetime import date
from typing import Final

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from core.directory.model import DirectoryError

_TAG: Final = "tag:yaml.org,2002:"
_KINDS: Final = {
    "str": "text",
    "int": "a number",
    "float": "a number",
    "bool": "true/false",
    "null": "nothing",
    "timestamp": "a date",
    "merge": "a merge key '<<' (not supported: write the keys out)",
}


def line_of(node: Node) -> int:
    """1-based line on which `node` starts."""
    return int(node.start_mark.line) + 1


def kind_of(node: Node) -> str:
    """Human name of what a node holds, for "expected X, got Y" messages."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return _KINDS.get(str(node.tag).removeprefix(_TAG), str(node.tag))


def is_null(node: Node) -> bool:
    """Whether a node is YAML null (an empty value, `~` or `null`)."""
    return isinstance(node, ScalarNode) and node.tag == _TAG + "null"


def peek_text(node: Node, key: str) -> str | None:
    """The raw scalar under `key` of a mapping node, unvalidated (used to label errors)."""
    if isinstance(node, MappingNode):
        for key_node, value in node.value:
            if key_node.value == key and isinstance(value, ScalarNode) and value.value:
                return str(value.value)
    return None


def compose_root(text: str, source: str, accepted: bool = False) -> Node:
    """The YAML node tree of `text`; syntax errors and an empty file raise DirectoryError.
    `accepted`: text this parser accepted before (a stored directory), read with libyaml when
    present (a tenth of the time at every start-up; the same nodes, but for presentation
    styles nothing here reads), else or on any doubt as always."""
    if accepted and getattr(yaml, "__with_libyaml__", False):
        with contextlib.suppress(yaml.YAMLError):
            fast: Node | None = yaml.compose(text, Loader=yaml.CSafeLoader)
            if fast is not None:
                return fast
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        # A mark at the very end of the file would name a line after the last one.
        last = len(text.splitlines()) or 1
        mark = exc.problem_mark or exc.context_mark
        line = min(mark.line + 1, last) if mark is not None else 1
        context = f" ({exc.context})" if exc.context else ""
        if exc.context and exc.context_mark is not None and exc.context_mark.line + 1 < line:
            context = f" ({exc.context} started on line {exc.context_mark.line + 1})"
        reason = f"line {line}: invalid YAML: {exc.problem or 'syntax error'}{context}"
        raise DirectoryError(source, [reason]) from exc
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        reason = f"line {line}: invalid character {char} in the file"
        raise DirectoryError(source, [reason]) from exc
    except yaml.YAMLError as exc:
        raise DirectoryError(source, [f"line 1: invalid YAML: {exc}"]) from exc
    if root is None:
        reason = "line 1: the file is empty; expected a mapping with city, opds and categories"
        raise DirectoryError(source, [reason])
    return root


class NodeReader:
    """Reads typed values out of YAML nodes; problems are collected, never raised."""

    def __init__(self) -> None:
        self._errors: list[tuple[int, str]] = []
        self._constructor = yaml.constructor.SafeConstructor()

    def error(self, node: Node, reason: str) -> None:
        """Record a problem at the line where `node` starts."""
        self._errors.append((line_of(node), reason))

    @property
    def errors(self) -> list[str]:
        """All problems as "line N: reason", in file order."""
        return [f"line {n}: {reason}" for n, reason in sorted(self._errors, key=lambda e: e[0])]

    def mapping(
        self,
        node: Node,
        what: str,
        required: Iterable[str] = (),
        optional: Iterable[str] | None = (),
    ) -> dict[str, Node] | None:
        """Value nodes of a mapping by key; `optional=None` accepts any (text) key."""
        if not isinstance(node, MappingNode):
            self.error(node, f"{what}: expected a mapping, got {kind_of(node)}")
            return None
        required = tuple(required)
        allowed = None if optional is None else (*required, *optional)
        values: dict[str, Node] = {}
        first_line: dict[str, int] = {}
        for key_node, value in node.value:
            key = self._key(key_node, what)
            if key is None:
                continue
            if key in values:
                self.error(key_node, f"{what}: duplicate key '{key}' (first on line {first_line[key]})")
            elif allowed is not None and key not in allowed:
                self.error(key_node, f"{what}: unknown key '{key}'" + suggestion(key, allowed))
            else:
                values[key] = value
                first_line[key] = line_of(key_node)
        missing = [f"'{key}'" for key in required if key not in values]
        if missing:
            keys = "key" if len(missing) == 1 else "keys"
            self.error(node, f"{what}: missing required {keys} {', '.join(missing)}")
        return values

    def _key(self, key_node: Node, what: str) -> str | None:
        if isinstance(key_node, ScalarNode) and key_node.tag == _TAG + "str" and key_node.value:
            return str(key_node.value)
        self.error(key_node, f"{what}: keys must be text, got {kind_of(key_node)}")
        return None

    def sequence(self, node: Node, what: str, non_empty: bool = False) -> list[Node]:
        """Item nodes of a list (empty on error)."""
        if not isinstance(node, SequenceNode):
            self.error(node, f"{what}: expected a list, got {kind_of(node)}")
            return []
        if non_empty and not node.value:
            self.error(node, f"{what}: must not be empty")
        return list(node.value)

    def text(self, node: Node, what: str, pattern: re.Pattern[str] | None = None) -> str | None:
        """A non-empty string (stripped), optionally matching `pattern` in full."""
        if not self._scalar(node, what, ("str",), "text"):
            return None
        value = str(node.value).strip()
        if not value:
            self.error(node, f"{what}: must not be empty")
            return None
        if pattern is not None and not pattern.fullmatch(value):
            self.error(node, f"{what}: '{value}' must match {pattern.pattern}")
            return None
        return value

    def text_list(self, node: Node, what: str, non_empty: bool = False) -> tuple[str, ...]:
        """A list of non-empty strings; repeated entries (ignoring case) are reported."""
        items: list[str] = []
        seen: set[str] = set()
        for item in self.sequence(node, what, non_empty):
            value = self.text(item, f"{what} entry")
            if value is None:
                continue
            if value.casefold() in seen:
                self.error(item, f"{what}: '{value}' is listed twice")
                continue
            seen.add(value.casefold())
            items.append(value)
        return tuple(items)

    def positive_int(self, node: Node, what: str) -> int | None:
        """A whole number greater than zero."""
        if not self._scalar(node, what, ("int",), "a whole number"):
            return None
        value = self._construct(node, what)
        if not isinstance(value, int) or value <= 0:
            self.error(node, f"{what}: must be greater than 0, got {node.value}")
            return None
        return value

    def boolean(self, node: Node, what: str) -> bool | None:
        """true or false."""
        if not self._scalar(node, what, ("bool",), "true or false"):
            return None
        value = self._construct(node, what)
        return value if isinstance(value, bool) else None

    def number(self, node: Node, what: str, low: float, high: float) -> float | None:
        """A number within [low, high]."""
        if not self._scalar(node, what, ("int", "float"), "a number"):
            return None
        value = self._construct(node, what)
        if not isinstance(value, int | float) or not low <= value <= high:
            self.error(node, f"{what}: {node.value} is outside {low:g}..{high:g}")
            return None
        return float(value)

    def iso_date(self, node: Node, what: str) -> date | None:
        """A calendar date written YYYY-MM-DD (quoted or not)."""
        if not self._scalar(node, what, ("timestamp", "str"), "a date (YYYY-MM-DD)"):
            return None
        try:
            value = date.fromisoformat(str(node.value).strip())
        except ValueError:
            value = None
        if value is None or len(str(node.value).strip()) != 10:
            self.error(node, f"{what}: '{node.value}' is not a valid date (YYYY-MM-DD)")
            return None
        return value

    def _scalar(self, node: Node, what: str, tags: tuple[str, ...], expected: str) -> bool:
        if isinstance(node, ScalarNode) and str(node.tag).removeprefix(_TAG) in tags:
            return True
        quotable = isinstance(node, ScalarNode) and not is_null(node)
        hint = " (put it in quotes)" if expected == "text" and quotable else ""
        self.error(node, f"{what}: expected {expected}, got {kind_of(node)}{hint}")
        return False

    def _construct(self, node: Node, what: str) -> object:
        try:
            return self._constructor.construct_object(node)
        except (yaml.YAMLError, ValueError) as exc:
            self.error(node, f"{what}: cannot read '{node.value}' ({exc})")
            return None


def suggestion(key: str, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(allowed), n=1)
    return f" (did you mean '{close[0]}'?)" if close else f" (allowed: {', '.join(allowed)})"
