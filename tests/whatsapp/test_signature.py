"""X-Hub-Signature-256 verification: only Meta, holding the app secret, can sign a body."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from bot.channels.whatsapp.signature import sign, verify

SECRET = "app-secret"
BODY = b'{"object":"whatsapp_business_account","entry":[]}'


def test_a_body_signed_with_the_app_secret_is_accepted() -> None:
    header = sign(BODY, SECRET)
    assert header == "sha256=" + hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    assert verify(BODY, header, SECRET)


def test_upper_case_hex_and_surrounding_spaces_are_accepted() -> None:
    algorithm, digest = sign(BODY, SECRET).split("=")
    assert verify(BODY, f" {algorithm.upper()}={digest.upper()} ", SECRET)


def test_a_signature_made_with_another_secret_is_refused() -> None:
    assert not verify(BODY, sign(BODY, "guessed-secret"), SECRET)


@pytest.mark.parametrize("header", [None, "", "sha256=", "sha256", "=abc"])
def test_a_missing_or_empty_signature_is_refused(header: str | None) -> None:
    assert not verify(BODY, header, SECRET)


def test_another_algorithm_is_refused_even_with_a_correct_mac() -> None:
    sha1 = hmac.new(SECRET.encode(), BODY, hashlib.sha1).hexdigest()
    assert not verify(BODY, f"sha1={sha1}", SECRET)
    digest = sign(BODY, SECRET).split("=")[1]
    assert not verify(BODY, f"md5={digest}", SECRET)


def test_a_tampered_body_is_refused() -> None:
    header = sign(BODY, SECRET)
    assert not verify(BODY.replace(b"[]", b"[{}]"), header, SECRET)
    assert not verify(BODY + b" ", header, SECRET)


@pytest.mark.parametrize("digest", ["z" * 64, "a" * 63, "a" * 65, "é" * 64])
def test_malformed_digests_are_refused_without_an_error(digest: str) -> None:
    assert not verify(BODY, f"sha256={digest}", SECRET)


def test_without_an_app_secret_nothing_verifies() -> None:
    assert not verify(BODY, sign(BODY, ""), "")
