"""Webhook payloads become core Inbound messages: every kind, in order, nothing crashes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.channels.whatsapp.inbound import MediaRef, StatusError, parse_webhook
from core.messages import Channel, Location
from tests.whatsapp import payloads as p

WA = "6281234567890"


def one(raw: dict[str, Any]) -> Any:
    batch = parse_webhook(p.envelope(raw), p.PHONE_NUMBER_ID)
    assert len(batch.messages) == 1, batch
    return batch.messages[0]


def test_a_text_message_becomes_an_inbound_with_its_ids_and_sender_name() -> None:
    item = one(p.text(WA, "Jalan rusak di depan pasar", id="wamid.A1",
                      at=datetime(2026, 5, 1, 8, 0, tzinfo=UTC)))
    inbound = item.inbound
    assert inbound.channel is Channel.WHATSAPP
    assert (inbound.chat_id, inbound.user_id, inbound.external_id) == (WA, WA, "wa:wamid.A1")
    assert inbound.text == "Jalan rusak di depan pasar" and inbound.display_name == "Sari"
    assert item.sent_at == datetime(2026, 5, 1, 8, 0, tzinfo=UTC) and item.kind == "text"


@pytest.mark.parametrize("builder", [p.button, p.list_reply])
def test_a_pressed_button_or_list_row_becomes_the_option_id(builder: Any) -> None:
    inbound = one(builder(WA, "cat:jalan", "Jalan rusak")).inbound
    assert inbound.option_id == "cat:jalan" and inbound.text is None


def test_a_shared_location_becomes_a_pin_with_its_place_name() -> None:
    inbound = one(p.location(WA, -0.95, 100.35)).inbound
    assert inbound.location == Location(-0.95, 100.35, "Masjid Raya, Jl. Sudirman")


@pytest.mark.parametrize("builder,mime", [(p.image, "image/jpeg"), (p.document, "application/pdf")])
def test_images_and_documents_are_media_to_fetch(builder: Any, mime: str) -> None:
    item = one(builder(WA, "MEDIA-1"))
    assert item.media is not None and item.media.media_id == "MEDIA-1"
    assert item.media.mime_type == mime and item.inbound.media == ()
    assert item.inbound.text is None  # a caption is not an answer to the current question


def test_a_document_keeps_its_file_name() -> None:
    assert one(p.document(WA, "MEDIA-2")).media == MediaRef("MEDIA-2", "application/pdf", "surat.pdf")


def test_a_quoted_reply_carries_the_quoted_message_id() -> None:
    inbound = one(p.text(WA, "/balas ini sudah ditangani", reply_to="wamid.BOT42")).inbound
    assert inbound.reply_to == "wamid.BOT42"


def test_a_template_quick_reply_button_is_its_text() -> None:
    inbound = one(p.message(WA, "button", {"text": "Lihat rincian", "payload": "x"})).inbound
    assert inbound.text == "Lihat rincian"


def test_opening_the_chat_for_the_first_time_starts_the_conversation() -> None:
    assert one(p.message(WA, "request_welcome")).inbound.text == "/start"


@pytest.mark.parametrize("kind,content", [
    ("sticker", {"id": "S1", "mime_type": "image/webp"}),
    ("audio", {"id": "A1", "mime_type": "audio/ogg", "voice": True}),
    ("video", {"id": "V1"}),
    ("reaction", {"message_id": "wamid.BOT1", "emoji": "👍"}),
    ("contacts", None),
    ("unsupported", None),
    ("interactive", {"type": "nfm_reply", "nfm_reply": {"response_json": "{}"}}),
    ("something_new", {"x": 1}),
])
def test_unsupported_kinds_become_an_empty_inbound_the_core_answers(
        kind: str, content: dict[str, Any] | None) -> None:
    item = one(p.message(WA, kind, content))
    inbound = item.inbound
    assert (inbound.text, inbound.option_id, inbound.location, inbound.media) == (None, None, None, ())
    assert item.media is None and inbound.external_id.startswith("wa:")


def test_removed_reactions_and_system_notices_are_ignored() -> None:
    batch = parse_webhook(p.envelope(
        p.message(WA, "reaction", {"message_id": "wamid.BOT1", "emoji": ""}),
        p.message(WA, "system", {"body": "User changed number", "type": "user_changed_number"}),
    ))
    assert batch.messages == [] and batch.ignored == 2


def test_several_messages_in_one_body_keep_their_order() -> None:
    batch = parse_webhook(p.envelope(p.text(WA, "satu"), p.text("628999", "dua"),
                                     p.text(WA, "tiga")))
    assert [m.inbound.text for m in batch.messages] == ["satu", "dua", "tiga"]
    assert [m.inbound.chat_id for m in batch.messages] == [WA, "628999", WA]


def test_statuses_are_parsed_with_their_errors() -> None:
    batch = parse_webhook(p.envelope(statuses=(p.status("wamid.X", WA, "delivered"),
                                               p.status("wamid.Y", WA, "failed", 131026))))
    assert [(s.message_id, s.status) for s in batch.statuses] == [
        ("wamid.X", "delivered"), ("wamid.Y", "failed")]
    assert batch.statuses[1].errors == (StatusError(131026, "Message undeliverable"),)


def test_messages_for_another_business_number_are_ignored() -> None:
    batch = parse_webhook(p.envelope(p.text(WA, "halo"), phone_number_id="999"),
                          p.PHONE_NUMBER_ID)
    assert batch.messages == [] and batch.ignored == 1


@pytest.mark.parametrize("payload", [
    None, [], "text", 42, {}, {"entry": "x"}, {"entry": [{"changes": [{"field": "messages"}]}]},
    {"entry": [{"changes": [{"field": "account_update", "value": {}}]}]},
    {"entry": [{"changes": [{"field": "messages", "value": {"messages": [
        {"id": 1}, {"from": WA, "type": "text"}, {"from": WA, "id": "x", "type": "text", "text": 5},
        {"from": WA, "id": "y", "type": "location", "location": {"latitude": "north"}},
    ], "statuses": [{"id": "z"}]}}]}]},
])
def test_unexpected_shapes_are_skipped_without_an_error(payload: Any) -> None:
    batch = parse_webhook(payload, p.PHONE_NUMBER_ID)
    assert batch.messages == [] and batch.statuses == []
