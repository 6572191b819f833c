"""The bounded JSON parse for untrusted bodies (`bot.edge.json_body`): its nesting limit holds
whether or not the quick bracket count can vouch for a body."""

from __future__ import annotations

import pytest

from bot.edge.json_body import MAX_DEPTH, BadJson, load_json


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"1" + b"]" * depth


def test_nesting_up_to_the_limit_is_read_and_deeper_is_refused() -> None:
    assert load_json(_nested(MAX_DEPTH)) is not None
    with pytest.raises(BadJson, match="nested too deep"):
        load_json(_nested(MAX_DEPTH + 1))
    with pytest.raises(BadJson, match="nested too deep"):
        load_json(b'{"a":' * (MAX_DEPTH + 1) + b"1" + b"}" * (MAX_DEPTH + 1))


def test_many_brackets_that_do_not_nest_are_fine() -> None:
    # More openers than the limit, so the full scan runs: siblings and brackets inside strings
    # do not count as depth.
    siblings = b"[" + b",".join([b"[1]"] * (MAX_DEPTH * 3)) + b"]"
    assert len(load_json(siblings)) == MAX_DEPTH * 3
    text = b'{"text": "' + b"[{" * MAX_DEPTH * 2 + b'"}'
    assert load_json(text) == {"text": "[{" * MAX_DEPTH * 2}


def test_a_typical_webhook_is_read() -> None:
    body = (b'{"update_id": 7, "message": {"message_id": 1, "chat": {"id": 5, "type": "private"},'
            b' "from": {"id": 5, "first_name": "Sari"}, "text": "Jalan rusak [parah]"}}')
    assert load_json(body)["message"]["text"] == "Jalan rusak [parah]"


@pytest.mark.parametrize("escape", ["\\u0000", "\\ud800", "\\uDFFF", "\\uDbff"])
def test_nul_and_lone_surrogates_are_cleaned_however_they_are_escaped(escape: str) -> None:
    body = ('{"text": "a' + escape + 'b", "k' + escape + '": 1}').encode()
    parsed = load_json(body)
    assert "\x00" not in parsed["text"] and not any(0xD800 <= ord(ch) <= 0xDFFF
                                                    for ch in parsed["text"] + "".join(parsed))


def test_a_surrogate_pair_and_ordinary_escapes_are_kept() -> None:
    body = b'{"text": "Banjir \\ud83c\\udf0a \\u00e9 \\n"}'
    assert load_json(body) == {"text": "Banjir \U0001f30a \u00e9 \n"}


def test_raw_nul_or_encoded_surrogate_bytes_are_refused() -> None:
    with pytest.raises(BadJson):
        load_json(b'{"text": "a\x00b"}')
    with pytest.raises(BadJson, match="not UTF-8"):
        load_json(b'{"text": "a\xed\xa0\x80b"}')
