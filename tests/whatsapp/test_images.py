"""Images in outgoing WhatsApp messages: upload to /media, then an image message, after the text."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest

from bot.channels.whatsapp.client import GraphError, WhatsAppClient
from bot.channels.whatsapp.sender import WhatsAppSender
from bot.media import MediaStore
from core.messages import Channel, Media, Outbound
from core.ports import SendOutcome
from storage.uow import SqlUnitOfWork
from storage.whatsapp_store import ChatState
from tests.dialog import NOW
from tests.fake_platforms.graph_api import JPEG, PHONE_NUMBER_ID, VERSION, FakeGraphApi
from tests.fakes import FakeClock
from tests.whatsapp import payloads as p
from tests.whatsapp.conftest import WA, FakeChats, WaService
from tests.whatsapp.test_sender import item

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(200))
REPORT = {"report": "ADU-2026-000011"}


@pytest.fixture
def store(tmp_path: Path) -> MediaStore:
    return MediaStore(tmp_path / "media")


@pytest.fixture
def sender(client: WhatsAppClient, chats: FakeChats, store: MediaStore) -> WhatsAppSender:
    return WhatsAppSender(client, chats, FakeClock(NOW), template="aduan_status_update",
                          rng=lambda: 0.0, media=store)


def saved(store: MediaStore, data: bytes = JPEG, content_type: str = "image/jpeg") -> Media:
    return store.save(data, content_type, content_type.rsplit("/", 1)[1], "foto.jpg")


async def test_the_text_goes_first_then_each_image_uploaded_and_sent_in_order(
        sender: WhatsAppSender, graph: FakeGraphApi, store: MediaStore) -> None:
    media = (saved(store), saved(store, PNG, "image/png"))
    result = await sender.send(item(Outbound("Laporan ADU-2026-000011", media=media)))
    assert result.outcome is SendOutcome.SENT
    text, *images = graph.to(WA)
    assert (text.type, [i.type for i in images]) == ("text", ["image", "image"])
    assert images[0].body["image"] == {"id": graph.uploads[0].id}
    assert images[0].body["messaging_product"] == "whatsapp"
    assert graph.images_to(WA) == [JPEG, PNG]
    assert [u.type for u in graph.uploads] == ["image/jpeg", "image/png"]
    assert result.platform_message_id == text.id  # a reply to the text names the report


async def test_a_missing_file_and_a_webp_are_skipped_and_the_rest_still_goes(
        sender: WhatsAppSender, graph: FakeGraphApi, store: MediaStore,
        caplog: pytest.LogCaptureFixture) -> None:
    gone = saved(store, JPEG + b"gone")
    store.path_of(gone.storage_key).unlink()
    webp = saved(store, b"RIFF\x10\x00\x00\x00WEBPVP8 " + bytes(32), "image/webp")
    with caplog.at_level(logging.WARNING, logger="bot.channels.whatsapp.sender"):
        result = await sender.send(item(Outbound("Teks", media=(gone, webp, saved(store)))))
    assert result.outcome is SendOutcome.SENT
    assert [s.type for s in graph.to(WA)] == ["text", "image"]
    assert graph.images_to(WA) == [JPEG] and len(graph.uploads) == 1
    assert gone.storage_key in caplog.text and "image/webp" in caplog.text


async def test_an_upload_whatsapp_refuses_is_logged_and_skipped(
        sender: WhatsAppSender, graph: FakeGraphApi, store: MediaStore,
        caplog: pytest.LogCaptureFixture) -> None:
    broken = store.save(b"not a jpeg at all", "image/jpeg", "jpg")
    with caplog.at_level(logging.WARNING, logger="bot.channels.whatsapp.sender"):
        result = await sender.send(item(Outbound("Teks", media=(broken, saved(store)))))
    assert result.outcome is SendOutcome.SENT
    assert graph.refused[0][0] == 131053 and "131053" in caplog.text
    assert graph.images_to(WA) == [JPEG]


async def test_outside_the_window_text_and_images_are_held_together(
        sender: WhatsAppSender, graph: FakeGraphApi, chats: FakeChats,
        store: MediaStore) -> None:
    chats.states[WA] = ChatState(NOW - timedelta(hours=30), "id")
    message = Outbound("Laporan", media=(saved(store),), **REPORT)
    result = await sender.send(item(message))
    assert result.outcome is SendOutcome.HELD
    assert [s.type for s in graph.to(WA)] == ["template"] and graph.uploads == []


async def test_a_throttled_upload_resumes_at_the_image_without_resending_the_text(
        sender: WhatsAppSender, graph: FakeGraphApi, chats: FakeChats,
        store: MediaStore) -> None:
    graph.fail_next(130429, when=lambda body: "upload" in body)
    message = Outbound("Teks", media=(saved(store),))
    retry = await sender.send(item(message, id=21))
    assert retry.outcome is SendOutcome.RETRY and chats.progress[21]["wa_parts_sent"] == 1
    done = await sender.send(item(message, id=21, attempts=2, **chats.progress[21]))
    assert done.outcome is SendOutcome.SENT
    assert [s.type for s in graph.to(WA)] == ["text", "image"]
    assert done.platform_message_id == graph.to(WA)[0].id


async def test_a_window_closing_before_the_image_holds_the_rest_of_the_row(
        sender: WhatsAppSender, graph: FakeGraphApi, chats: FakeChats,
        store: MediaStore) -> None:
    graph.fail_next(131047, when=lambda body: body.get("type") == "image")
    message = Outbound("Teks", media=(saved(store),), **REPORT)
    held = await sender.send(item(message, id=22))
    assert held.outcome is SendOutcome.HELD and chats.progress[22]["wa_parts_sent"] == 1
    # The citizen writes again: the released row sends only what had not gone out.
    released = await sender.send(item(message, id=22, **chats.progress[22]))
    assert released.outcome is SendOutcome.SENT
    assert [s.type for s in graph.to(WA)] == ["text", "template", "image"]


async def test_the_media_endpoint_checks_the_bearer_token(graph: FakeGraphApi) -> None:
    intruder = WhatsAppClient(graph.url, VERSION, PHONE_NUMBER_ID, "wrong-token")
    try:
        with pytest.raises(GraphError) as refused:
            await intruder.upload_media(JPEG, "image/jpeg", "foto.jpg")
    finally:
        await intruder.aclose()
    assert refused.value.code == 190 and graph.uploads == []


async def test_the_wired_channel_sends_queued_images_from_the_data_dir(wa: WaService) -> None:
    assert (await wa.post(p.text(WA, "/bantuan"))).status_code == 200  # opens the window
    await wa.deliver()
    store = wa.container.media
    photo = saved(store)
    with SqlUnitOfWork(wa.container.engine) as uow:
        uow.outbox.put(Channel.WHATSAPP, WA, Outbound("Laporan", media=(photo,)), NOW)
        uow.commit()
    await wa.deliver()
    assert [s.type for s in wa.graph.to(WA)][-2:] == ["text", "image"]
    assert wa.graph.images_to(WA) == [JPEG]

