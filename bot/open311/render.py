"""The two formats GeoReport v2 speaks: JSON, and XML mapped from it by the spec's Spark
convention (a list named `services` holds `<service>` elements, and so on)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from json.encoder import encode_basestring as _text  # json.dumps's, with ensure_ascii=False
from typing import TYPE_CHECKING, Any

from fastapi.responses import Response

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET


class Fmt(StrEnum):
    JSON = "json"
    XML = "xml"

    @property
    def media_type(self) -> str:
        kind = "application/json" if self is Fmt.JSON else "text/xml"
        return f"{kind}; charset=utf-8"  # the spec's headers


# The element of each item in a list, by the list's name (the spec's examples).
ITEM_OF = {"services": "service", "service_requests": "request", "errors": "error",
           "attributes": "attribute", "values": "value", "endpoints": "endpoint",
           "formats": "format"}
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
# Characters XML 1.0 cannot carry at all (a citizen's text may hold any of them).
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def parse_format(text: str) -> Fmt | None:
    try:
        return Fmt(text)
    except ValueError:
        return None


def document(fmt: Fmt, root: str, body: Mapping[str, Any] | list[Any], status: int = 200,
             headers: Mapping[str, str] | None = None) -> Response:
    """`body` as JSON, or as XML under `root` (a list's items named by `ITEM_OF[root]`)."""
    content = to_json(body) if fmt is Fmt.JSON else to_xml(root, body)
    return Response(content, status_code=status, headers=dict(headers or {}),
                    media_type=fmt.media_type)


def to_json(body: Mapping[str, Any] | list[Any]) -> bytes:
    # A lone surrogate cannot be UTF-8: it becomes "?" rather than a broken answer.
    return json.dumps(body, ensure_ascii=False).encode("utf-8", "replace")


def json_records(keys: Sequence[str], records: Iterable[Sequence[Any]]) -> bytes:
    """`to_json` of a list of objects, each of `keys` (in order) with one record's values: the
    same bytes, written a record at a time without building a dict for each (a page holds up
    to 1000 requests; bench/RESULTS.md, "Open311 without dicts")."""
    # The C encoder's own escaping; keys and None, text and finite floats written here, any
    # other value (int, bool, NaN, a list) by json.dumps as a whole body would write it.
    template = "{" + ", ".join(_text(k).replace("%", "%%") + ": %s" for k in keys) + "}"
    items = [template % tuple([_text(v) if v.__class__ is str else "null" if v is None
                               else _number(v) for v in values]) for values in records]
    return ("[" + ", ".join(items) + "]").encode("utf-8", "replace")


def _number(value: Any) -> str:
    if value.__class__ is float and value - value == 0.0:  # finite: not inf, not nan
        return float.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def to_xml(root: str, body: Mapping[str, Any] | list[Any]) -> bytes:
    import xml.etree.ElementTree as ET  # only XML answers need it, not start-up

    element = ET.Element(root)
    _fill(element, body)
    tree: bytes = ET.tostring(element, encoding="utf-8", xml_declaration=False)
    return XML_DECLARATION + tree


def _fill(element: ET.Element, value: Any) -> None:
    import xml.etree.ElementTree as ET

    if isinstance(value, Mapping):
        for name, item in value.items():
            _fill(ET.SubElement(element, name), item)
    elif isinstance(value, list):
        for item in value:
            _fill(ET.SubElement(element, ITEM_OF[element.tag]), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:  # None: an empty element, as in the spec's examples
        element.text = _NOT_XML.sub("", str(value))
