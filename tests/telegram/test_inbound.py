"""Update → decision, for every handled kind and every ignored one (pure: no server, no database)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.channels.telegram.inbound import (
    IGNORED_UPDATES,
    MAX_FILE_BYTES,
    Ignore,
    Notice,
    ToCore,
    classify,
    unhandled,
)
from core.messages import Channel, Location
from tests.fake_platforms.telegram_updates import TgUser, group_message

SITI = TgUser(5501, language_code="id")


def decide(data: dict[str, Any]) -> ToCore | Notice | Ignore:
    return classify(data)


def to_core(data: dict[str, Any]) -> ToCore:
    decision = decide(data)
    assert isinstance(decision, ToCore), decision
    return decision


def test_text_carries_identity_language_and_the_update_id_as_idempotency_key() -> None:
    data = SITI.text("Jalan berlubang di depan pasar")
    inbound = to_core(data).inbound
    assert inbound.channel is Channel.TELEGRAM
    assert inbound.external_id == f"tg:{data['update_id']}"
    assert (inbound.chat_id, inbound.user_id) == ("5501", "5501")
    assert inbound.display_name == "Siti Rahma" and inbound.language_hint == "id"
    assert inbound.text == "Jalan berlubang di depan pasar"
    assert inbound.option_id is None and inbound.media == () and inbound.reply_to is None


@pytest.mark.parametrize("text", [
    "/status@AduanKotaBot ADU-2026-000123",  # the core strips @BotName
    "/start status_ADU-2026-000123",  # a t.me/bot?start=status_ADU-… deep link
    "<script>alert(1)</script> *_[",
])
def test_commands_deep_links_and_odd_text_reach_the_core_verbatim(text: str) -> None:
    assert to_core(SITI.command(text)).inbound.text == text


def test_a_reply_to_a_bot_message_names_that_message() -> None:
    data = SITI.text("Terima kasih", reply_to_message={
        "message_id": 4242, "date": 0, "chat": SITI.chat, "text": "Laporan Anda diproses"})
    assert to_core(data).inbound.reply_to == "4242"


def test_a_shared_location_and_a_venue_become_pins() -> None:
    pin = to_core(SITI.location(-0.88, 100.35)).inbound.location
    assert pin == Location(-0.88, 100.35)
    venue = SITI.message(venue={"location": {"latitude": -0.9, "longitude": 100.3},
                                "title": "Pasar Raya", "address": "Jl. M. Yamin"})
    assert to_core(venue).inbound.location == Location(-0.9, 100.3, "Pasar Raya, Jl. M. Yamin")


def test_a_photo_is_fetched_at_its_largest_size_and_its_caption_is_text() -> None:
    decision = to_core(SITI.photo("ph-1", size=50_000, caption="lubangnya dalam"))
    assert decision.file is not None
    assert (decision.file.file_id, decision.file.is_photo) == ("ph-1", True)
    assert decision.inbound.text == "lubangnya dalam"


def test_an_image_document_is_fetched_with_its_name() -> None:
    decision = to_core(SITI.document("doc-1", "jalan.png", "image/png", 10_000))
    assert decision.file is not None and not decision.file.is_photo
    assert decision.file.filename == "jalan.png"


def test_a_document_over_20_mb_is_refused_without_downloading() -> None:
    decision = decide(SITI.document("big", "video.jpg", "image/jpeg", MAX_FILE_BYTES + 1))
    assert isinstance(decision, Notice)
    assert decision.key == "telegram.file_too_large" and decision.values == {"max_mb": 20}


@pytest.mark.parametrize("content", [
    {"sticker": {"file_id": "st", "file_unique_id": "stu", "width": 512, "height": 512,
                 "is_animated": False, "is_video": False, "type": "regular"}},
    {"voice": {"file_id": "vo", "file_unique_id": "vou", "duration": 3}},
    {"contact": {"phone_number": "+628123456789", "first_name": "Siti"}},
    {"animation": {"file_id": "an", "file_unique_id": "anu", "width": 1, "height": 1,
                   "duration": 1},
     "document": {"file_id": "an", "file_unique_id": "anu"}},
])
def test_content_the_form_cannot_use_still_gets_the_cores_hint(content: dict[str, Any]) -> None:
    decision = to_core(SITI.message(**content))
    assert decision.file is None
    inbound = decision.inbound
    assert (inbound.text, inbound.option_id, inbound.location, inbound.media) == (None, None, None, ())


def test_a_pressed_button_is_its_option_id_with_what_is_needed_to_show_the_choice() -> None:
    bot_message = {"message_id": 77, "date": 0, "chat": SITI.chat,
                   "from": {"id": 123, "is_bot": True, "first_name": "Aduan"},
                   "text": "Jenis laporan?",
                   "reply_markup": {"inline_keyboard": [[
                       {"text": "Pengaduan", "callback_data": "type:pengaduan"},
                       {"text": "Aspirasi / saran", "callback_data": "type:aspirasi"}]]}}
    decision = to_core(SITI.press(bot_message, "type:aspirasi"))
    assert decision.inbound.option_id == "type:aspirasi" and decision.inbound.chat_id == "5501"
    callback = decision.callback
    assert callback is not None
    assert (callback.chat_id, callback.message_id) == ("5501", 77)
    assert (callback.text, callback.label) == ("Jenis laporan?", "Aspirasi / saran")


def test_a_button_on_a_message_too_old_to_see_still_counts_in_the_private_chat() -> None:
    data = SITI.press({"message_id": 5, "date": 0, "chat": SITI.chat}, "menu:status")
    decision = to_core(data)
    assert decision.inbound.chat_id == "5501" and decision.inbound.option_id == "menu:status"
    assert decision.callback is not None and decision.callback.text is None


def test_a_callback_without_data_or_from_a_group_is_answered_and_ignored() -> None:
    no_data = SITI.press({"message_id": 5, "date": 0, "chat": SITI.chat}, "x")
    del no_data["callback_query"]["data"]
    no_data["callback_query"]["game_short_name"] = "tetris"
    group = SITI.press({"message_id": 5, "date": 0,
                        "chat": {"id": -100, "type": "group", "title": "RT"}}, "menu:lapor")
    for data in (no_data, group):
        decision = decide(data)
        assert isinstance(decision, Ignore)
        assert decision.callback_query_id == data["callback_query"]["id"]


def test_a_command_in_a_group_gets_a_polite_pointer_and_chatter_is_left_alone() -> None:
    for text in ("/lapor@AduanKotaBot", "/lapor@aduankotabot sekarang", "/lapor"):
        notice = classify(group_message(text), "AduanKotaBot")
        assert isinstance(notice, Notice) and notice.key == "telegram.private_only", text
        assert notice.chat_id == "-100123"
    for text in ("selamat pagi semua", "/start@OtherBot"):
        decision = classify(group_message(text), "AduanKotaBot")
        assert isinstance(decision, Ignore), text


def test_messages_from_bots_and_service_messages_are_ignored() -> None:
    from_bot = SITI.text("hi")
    from_bot["message"]["from"] = {"id": 9, "is_bot": True, "first_name": "Other"}
    assert decide(from_bot) == Ignore("message from a bot")
    pinned = SITI.message(new_chat_title="x")
    assert decide(pinned) == Ignore("service message")


IGNORED_SAMPLES: dict[str, dict[str, Any]] = {
    "edited_message": {"message_id": 1, "date": 0, "edit_date": 1, "chat": SITI.chat,
                       "from": SITI.user, "text": "ubah"},
    "channel_post": {"message_id": 1, "date": 0, "text": "pengumuman",
                     "chat": {"id": -1001, "type": "channel", "title": "Info Kota"}},
    "my_chat_member": {"chat": SITI.chat, "from": SITI.user, "date": 0,
                       "old_chat_member": {"status": "member", "user": SITI.user},
                       "new_chat_member": {"status": "kicked", "user": SITI.user,
                                           "until_date": 0}},
    "inline_query": {"id": "iq", "from": SITI.user, "query": "lampu", "offset": ""},
}


@pytest.mark.parametrize("kind", sorted(IGNORED_SAMPLES))
def test_other_update_kinds_are_acknowledged_and_ignored(kind: str) -> None:
    assert kind in IGNORED_UPDATES
    data = {"update_id": 1, kind: IGNORED_SAMPLES[kind]}
    assert unhandled(data) == Ignore(kind)
    assert decide(data) == Ignore(kind)  # the same answer once parsed


def test_ignored_kinds_are_dropped_before_parsing_so_a_lagging_parser_cannot_fail_them() -> None:
    # PTB 22.8 refuses this poll (it wants a newer field), but it is never parsed.
    poll = {"update_id": 1, "poll": {"id": "p", "question": "?", "options": []}}
    assert unhandled(poll) == Ignore("poll")
    assert unhandled({"update_id": 1, "future_kind": {"x": 1}}) == Ignore("unknown")
    assert unhandled(SITI.text("halo")) is None
