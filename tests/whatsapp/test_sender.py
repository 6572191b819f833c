"""WhatsAppSender through the real client against the fake Graph API: rendering, window, errors."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from typing import Any

import pytest

from bot.channels.whatsapp.client import WhatsAppClient
from bot.channels.whatsapp.render import split_text, unique_titles
from bot.channels.whatsapp.sender import WhatsAppSender
from bot.pacing import Pacer, Pacing
from core.messages import Channel, Option, Outbound
from core.ports import OutgoingMessage, SendOutcome
from storage.whatsapp_store import ChatState
from tests.dialog import NOW
from tests.fake_platforms.graph_api import PHONE_NUMBER_ID, TOKEN, VERSION, FakeGraphApi
from tests.fakes import FakeClock
from tests.whatsapp.conftest import WA, FakeChats


@pytest.fixture
def sender(client: WhatsAppClient, chats: FakeChats) -> WhatsAppSender:
    return WhatsAppSender(client, chats, FakeClock(NOW), template="aduan_status_update",
                          rng=lambda: 0.0)


def item(message: Outbound, id: int = 1, attempts: int = 1, chat_id: str = WA,
         **meta: Any) -> OutgoingMessage:
    return OutgoingMessage(id, Channel.WHATSAPP, chat_id, message, attempts, dict(meta))


def options(count: int, label: str = "Pilihan") -> tuple[Option, ...]:
    return tuple(Option(f"opt:{i}", f"{label} {i}") for i in range(1, count + 1))


async def test_a_plain_text_is_one_text_message_and_returns_its_wamid(
        sender: WhatsAppSender, graph: FakeGraphApi) -> None:
    result = await sender.send(item(Outbound("Halo")))
    assert result.outcome is SendOutcome.SENT
    (sent,) = graph.to(WA)
    assert (sent.type, sent.text, result.platform_message_id) == ("text", "Halo", sent.id)
    assert sent.body["messaging_product"] == "whatsapp"


async def test_a_long_text_is_split_at_4096_characters(
        sender: WhatsAppSender, graph: FakeGraphApi) -> None:
    text = "\n".join(f"Baris {i:04d} " + "x" * 60 for i in range(100))  # ~7,100 characters
    result = await sender.send(item(Outbound(text)))
    parts = graph.to(WA)
    assert len(parts) == 2 and all(len(p.text) <= 4096 for p in parts)
    assert "\n".join(p.text for p in parts) == text
    assert result.platform_message_id == parts[-1].id


async def test_up_to_three_options_are_reply_buttons_with_short_titles(
        sender: WhatsAppSender, graph: FakeGraphApi) -> None:
    choices = (Option("summary:confirm", "Kirim laporan sekarang juga"),
               Option("summary:edit", "Ubah"), Option("summary:cancel", "Batalkan"))
    await sender.send(item(Outbound("Ringkasan", choices)))
    (sent,) = graph.to(WA)
    buttons = sent.body["interactive"]["action"]["buttons"]
    assert sent.interactive_type == "button" and sent.option_ids == [o.id for o in choices]
    assert [b["reply"]["title"] for b in buttons] == ["Kirim laporan…", "Ubah", "Batalkan"]
    assert all(len(b["reply"]["title"]) <= 20 for b in buttons)


async def test_four_to_ten_options_are_a_list_with_the_catalog_button(
        sender: WhatsAppSender, graph: FakeGraphApi) -> None:
    choices = (*options(9), Option("nav:back", "Kembali ke pertanyaan sebelumnya"))
    await sender.send(item(Outbound("Pilih kategori", choices)))
    (sent,) = graph.to(WA)
    action = sent.body["interactive"]["action"]
    rows = action["sections"][0]["rows"]
    assert sent.interactive_type == "list" and action["button"] == "Pilih"
    assert sent.option_ids == [o.id for o in choices]
    assert all(len(r["title"]) <= 24 for r in rows)
    assert rows[-1]["description"] == "Kembali ke pertanyaan sebelumnya"
    assert "description" not in rows[0]


async def test_more_than_ten_options_are_a_numbered_text_menu(
        sender: WhatsAppSender, graph: FakeGraphApi) -> None:
    await sender.send(item(Outbound("Pilih kategori:", options(31))))
    (sent,) = graph.to(WA)
    assert sent.type == "text"
    assert "\n1. Pilihan 1\n2. Pilihan 2\n" in sent.text and "\n31. Pilihan 31\n" in sent.text
    assert sent.text.endswith("Balas dengan nomor pilihan Anda, atau ketik jawabannya.")


async def test_asking_for_a_location_sends_a_location_request_then_the_buttons(
        sender: WhatsAppSender, graph: FakeGraphApi) -> None:
    message = Outbound("Kirim lokasi kejadian", (Option("nav:skip", "Lewati"),
                                                 Option("nav:back", "Kembali")), ask_location=True)
    await sender.send(item(message))
    request, choices = graph.to(WA)
    assert request.interactive_type == "location_request_message"
    assert request.body["interactive"]["action"] == {"name": "send_location"}
    assert request.text == "Kirim lokasi kejadian"
    assert choices.interactive_type == "button" and choices.option_ids == ["nav:skip", "nav:back"]


async def test_an_interactive_body_over_1024_characters_is_preceded_by_text(
        sender: WhatsAppSender, graph: FakeGraphApi) -> None:
    text = "\n\n".join("Paragraf " + "y" * 400 for _ in range(4))
    await sender.send(item(Outbound(text, options(2))))
    *texts, buttons = graph.to(WA)
    assert [t.type for t in texts] == ["text"] and buttons.interactive_type == "button"
    assert len(buttons.text) <= 1024
    assert texts[0].text + "\n\n" + buttons.text == text


async def test_english_speakers_get_english_channel_texts(
        sender: WhatsAppSender, graph: FakeGraphApi, chats: FakeChats) -> None:
    chats.states[WA] = ChatState(NOW, "en")
    await sender.send(item(Outbound("Pick one", options(5))))
    assert graph.to(WA)[0].body["interactive"]["action"]["button"] == "Choose"


async def test_outside_the_window_a_status_update_goes_as_the_template_and_is_held(
        sender: WhatsAppSender, graph: FakeGraphApi, chats: FakeChats) -> None:
    chats.states[WA] = ChatState(NOW - timedelta(hours=25), "id")
    message = Outbound("Laporan ADU-2026-000007 sedang ditindaklanjuti: petugas datang besok.",
                       report="ADU-2026-000007", status="diproses")
    result = await sender.send(item(message))
    (sent,) = graph.to(WA)
    assert sent.type == "template" and sent.body["template"]["name"] == "aduan_status_update"
    assert sent.body["template"]["language"] == {"code": "id"}
    assert sent.template_parameters == ["ADU-2026-000007", "Sedang ditindaklanjuti"]
    assert result.outcome is SendOutcome.HELD and result.platform_message_id == sent.id


async def test_an_answer_without_a_status_names_a_new_reply_in_the_template(
        sender: WhatsAppSender, graph: FakeGraphApi, chats: FakeChats) -> None:
    chats.states[WA] = ChatState(NOW - timedelta(days=3), "id")
    await sender.send(item(Outbound("Jawaban dinas", report="ADU-2026-000008")))
    assert graph.to(WA)[0].template_parameters == ["ADU-2026-000008", "ada tanggapan baru"]


async def test_outside_the_window_a_message_without_a_report_is_held_silently(
        sender: WhatsAppSender, graph: FakeGraphApi, chats: FakeChats) -> None:
    chats.states[WA] = ChatState(NOW - timedelta(hours=24, seconds=1), "id")
    result = await sender.send(item(Outbound("Pengingat")))
    assert result.outcome is SendOutcome.HELD and graph.to(WA) == []


async def test_131047_inside_our_window_still_turns_into_template_and_hold(
        sender: WhatsAppSender, graph: FakeGraphApi) -> None:
    graph.recipient_errors[WA] = 131047
    message = Outbound("Status baru", report="ADU-2026-000009", status="selesai")
    result = await sender.send(item(message))
    assert result.outcome is SendOutcome.HELD
    assert [s.type for s in graph.to(WA)] == ["template"]
    assert graph.refused[0][0] == 131047


async def test_a_window_refused_after_the_last_inbound_counts_as_closed(
        sender: WhatsAppSender, graph: FakeGraphApi) -> None:
    closed = (NOW - timedelta(minutes=10)).isoformat()
    result = await sender.send(item(Outbound("Teks"), wa_window_closed_at=closed))
    assert result.outcome is SendOutcome.HELD and graph.to(WA) == []


async def test_a_refused_template_still_holds_the_text(
        sender: WhatsAppSender, graph: FakeGraphApi, chats: FakeChats,
        caplog: pytest.LogCaptureFixture) -> None:
    chats.states[WA] = ChatState(None, "id")
    graph.fail_next(132001)
    result = await sender.send(item(Outbound("x", report="ADU-2026-000010")))
    assert result.outcome is SendOutcome.HELD and "132001" in (result.error or "")
    assert "status template 'aduan_status_update' refused" in caplog.text


@pytest.mark.parametrize("code", [130429, 131056])
async def test_throttling_is_retried_with_a_growing_delay(
        sender: WhatsAppSender, graph: FakeGraphApi, code: int) -> None:
    graph.fail_next(code, 2)
    first = await sender.send(item(Outbound("a"), attempts=1))
    second = await sender.send(item(Outbound("a"), attempts=3))
    assert first.outcome is second.outcome is SendOutcome.RETRY
    assert first.retry_after == 0.25 and second.retry_after == 1.0
    assert str(code) in (first.error or "")


@pytest.mark.parametrize("code,outcome", [
    (131026, SendOutcome.UNREACHABLE), (131000, SendOutcome.RETRY), (100, SendOutcome.FAILED),
    (131051, SendOutcome.FAILED), (131031, SendOutcome.RETRY),
])
async def test_error_codes_map_to_outcomes(
        sender: WhatsAppSender, graph: FakeGraphApi, code: int, outcome: SendOutcome) -> None:
    graph.fail_next(code)
    result = await sender.send(item(Outbound("a")))
    assert result.outcome is outcome and str(code) in (result.error or "")


async def test_a_bad_token_waits_long_and_is_logged_once_a_minute(
        sender: WhatsAppSender, graph: FakeGraphApi, caplog: pytest.LogCaptureFixture) -> None:
    graph.token_valid = False
    with caplog.at_level(logging.ERROR):
        results = [await sender.send(item(Outbound("a"), id=i)) for i in range(3)]
    assert {r.outcome for r in results} == {SendOutcome.RETRY}
    assert {r.retry_after for r in results} == {300.0}
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "190" in errors[0].getMessage()


async def test_a_network_failure_is_retried(chats: FakeChats) -> None:
    dead = WhatsAppClient("http://127.0.0.1:9", VERSION, PHONE_NUMBER_ID, TOKEN)
    sender = WhatsAppSender(dead, chats, FakeClock(NOW), template=None)
    result = await sender.send(item(Outbound("a")))
    await dead.aclose()
    assert result.outcome is SendOutcome.RETRY and result.retry_after is None


async def test_a_retry_resumes_after_the_parts_already_sent(
        sender: WhatsAppSender, graph: FakeGraphApi, chats: FakeChats) -> None:
    message = Outbound("Kirim lokasi", (Option("nav:back", "Kembali"),), ask_location=True)
    graph.fail_next(130429, when=lambda body: body.get("interactive", {}).get("type") == "button")
    retry = await sender.send(item(message, id=8))
    assert retry.outcome is SendOutcome.RETRY
    assert chats.progress[8]["wa_parts_sent"] == 1
    done = await sender.send(item(message, id=8, attempts=2, **chats.progress[8]))
    assert done.outcome is SendOutcome.SENT
    # The location was asked for once, not again on the retry.
    assert [s.interactive_type for s in graph.to(WA)] == ["location_request_message", "button"]


def test_titles_stay_unique_after_shortening() -> None:
    titles = unique_titles(["Fasilitas umum dan taman kota", "Fasilitas umum dan taman desa"], 20)
    assert len(set(titles)) == 2 and all(len(t) <= 20 for t in titles)


def test_text_is_split_at_line_boundaries_and_never_loses_characters() -> None:
    text = "\n".join(["a" * 50] * 5)
    chunks = split_text(text, 120)
    assert all(len(c) <= 120 for c in chunks) and "\n".join(chunks) == text
    assert split_text("x" * 250, 100) == ["x" * 100, "x" * 100, "x" * 50]


async def test_the_global_budget_paces_sends_and_a_pause_holds_everyone() -> None:
    pacer = Pacer(Pacing(global_rate=50, global_burst=1, max_wait=float("inf")))
    started = time.monotonic()
    await asyncio.gather(*(pacer.acquire(None) for _ in range(6)))
    assert time.monotonic() - started >= 0.09  # 5 waits of 20 ms after the first token
    pacer.pause(0.1)
    paused = time.monotonic()
    await pacer.acquire(None)
    assert time.monotonic() - paused >= 0.09
