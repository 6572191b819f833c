"""The WhatsApp webhook in-process over the real database, sending through the fake Graph API."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.channels.whatsapp import WhatsAppConfigError, build_whatsapp
from bot.channels.whatsapp.inbound import parse_webhook
from bot.settings import Settings
from core.messages import Channel, Outbound
from storage.columns import table_of
from storage.tables import (
    ChannelIdentityRow,
    CitizenRow,
    InboundIdRow,
    InboxRow,
    OutboxRow,
    ReportEventRow,
)
from storage.uow import SqlUnitOfWork
from tests.dialog import NOW
from tests.storage.helpers import make_citizen, new_report
from tests.whatsapp import payloads as p
from tests.whatsapp.conftest import WaService

WA = "6281300000001"


def queue(wa: WaService, chat_id: str, message: Outbound) -> int:
    with SqlUnitOfWork(wa.container.engine) as uow:
        row_id = uow.outbox.put(Channel.WHATSAPP, chat_id, message, wa.clock.now())
        uow.commit()
    return row_id


def close_window(wa: WaService, chat_id: str, hours: float = 25) -> None:
    with Session(wa.container.engine) as session, session.begin():
        session.execute(update(ChannelIdentityRow)
                        .where(col(ChannelIdentityRow.chat_id) == chat_id)
                        .values(last_inbound_at=wa.clock.now() - timedelta(hours=hours)))


def add_report(wa: WaService) -> str:
    citizen = make_citizen(wa.container.engine, "tg-someone")
    with SqlUnitOfWork(wa.container.engine) as uow:
        number = uow.reports.add(new_report(citizen, created_at=NOW))
        uow.commit()
    return number


async def test_the_subscription_handshake_echoes_the_challenge_as_plain_text(wa: WaService) -> None:
    good = {"hub.mode": "subscribe", "hub.verify_token": p.VERIFY_TOKEN, "hub.challenge": "1158201444"}
    answer = await wa.http.get("/webhook/whatsapp", params=good)
    assert answer.status_code == 200 and answer.text == "1158201444"
    assert answer.headers["content-type"].startswith("text/plain")
    for wrong in ({**good, "hub.verify_token": "guess"}, {**good, "hub.mode": "unsubscribe"},
                  {"hub.challenge": "1"}):
        assert (await wa.http.get("/webhook/whatsapp", params=wrong)).status_code == 403


async def test_forged_or_unsigned_bodies_are_refused_and_nothing_is_stored(wa: WaService) -> None:
    raw, headers = p.signed(p.envelope(p.text(WA, "halo")), secret="not-the-app-secret")
    forged = await wa.http.post("/webhook/whatsapp", content=raw, headers=headers)
    unsigned = await wa.http.post("/webhook/whatsapp", content=raw,
                                  headers={"content-type": "application/json"})
    assert forged.status_code == unsigned.status_code == 401
    assert wa.count(InboundIdRow) == wa.count(OutboxRow) == wa.count(CitizenRow) == 0


async def test_signed_malformed_json_is_400(wa: WaService) -> None:
    raw, headers = p.signed(b'{"object": "whatsapp_business_account", "entry": [')
    assert (await wa.http.post("/webhook/whatsapp", content=raw, headers=headers)).status_code == 400


async def test_unknown_update_kinds_are_acknowledged(wa: WaService) -> None:
    raw, headers = p.signed({"object": "page", "entry": [{"changes": [{"field": "feed"}]}]})
    assert (await wa.http.post("/webhook/whatsapp", content=raw, headers=headers)).status_code == 200


async def test_three_messages_in_one_body_are_answered_in_order(wa: WaService) -> None:
    answer = await wa.post(p.text(WA, "/bantuan"), p.text(WA, "/status"), p.text(WA, "/lapor"))
    assert answer.status_code == 200
    await wa.deliver()
    texts = [s.text for s in wa.graph.to(WA)]
    assert len(texts) == 3
    assert texts[0].startswith("Perintah yang tersedia")
    assert texts[1].startswith("Anda belum mempunyai laporan")
    assert wa.graph.to(WA)[2].option_ids[0] == "type:pengaduan"
    with Session(wa.container.engine) as session:
        name = session.execute(select(CitizenRow.display_name)).scalar_one()
    assert name == "Sari"


async def test_a_redelivered_message_changes_nothing(wa: WaService) -> None:
    message = p.text(WA, "/bantuan")
    assert (await wa.post(message)).status_code == 200
    assert (await wa.post(message)).status_code == 200
    await wa.deliver()
    assert len(wa.graph.to(WA)) == 1 and wa.count(OutboxRow) == 1


async def test_delivery_reports_move_the_outbox_row_forward_only(wa: WaService) -> None:
    await wa.post(p.text(WA, "/bantuan"))
    await wa.deliver()
    (sent,) = wa.graph.to(WA)
    await wa.post(statuses=(p.status(sent.id, WA, "delivered"),))
    assert wa.rows(WA)[0].status == "delivered"
    await wa.post(statuses=(p.status(sent.id, WA, "read"), p.status(sent.id, WA, "delivered")))
    assert wa.rows(WA)[0].status == "read"
    answer = await wa.post(statuses=(p.status("wamid.UNKNOWN", WA, "failed", 131026),))
    assert answer.status_code == 200


async def test_a_permanent_failure_is_marked_and_put_on_the_report_timeline(wa: WaService) -> None:
    await wa.post(p.text(WA, "halo"))
    number = add_report(wa)
    row_id = queue(wa, WA, Outbound(f"Laporan {number} diproses", report=number))
    await wa.deliver()
    wamid = wa.graph.to(WA)[-1].id
    await wa.post(statuses=(p.status(wamid, WA, "failed", 131026),))
    row = next(r for r in wa.rows(WA) if r.id == row_id)
    assert row.status == "failed" and "131026" in (row.last_error or "")
    with Session(wa.container.engine) as session:
        events = session.execute(select(ReportEventRow.kind, ReportEventRow.note)).all()
    assert ("delivery_failed", "WhatsApp: whatsapp 131026: Message undeliverable") in events


async def test_outside_the_window_a_template_goes_out_and_the_text_follows_the_next_message(
        wa: WaService) -> None:
    await wa.post(p.text(WA, "halo"))
    await wa.deliver()
    close_window(wa, WA)
    full = "Laporan ADU-2026-000001: petugas akan memperbaiki lampu besok pagi."
    held_id = queue(wa, WA, Outbound(full, report="ADU-2026-000001",
                                                    status="diproses"))
    await wa.deliver()
    template = wa.graph.to(WA)[-1]
    assert template.type == "template"
    assert template.template_parameters == ["ADU-2026-000001", "Sedang ditindaklanjuti"]
    held = next(r for r in wa.rows(WA) if r.id == held_id)
    assert held.status == "held" and held.platform_message_id == template.id
    assert await wa.container.dispatcher.drain_once() == 0  # held rows are not retried

    wa.clock.advance(minutes=5)
    await wa.post(p.text(WA, "/bantuan", at=wa.clock.now()))
    await wa.deliver()
    after = wa.graph.to(WA)[-2:]
    assert after[0].text == full and after[1].text.startswith("Perintah yang tersedia")
    assert next(r for r in wa.rows(WA) if r.id == held_id).status == "sent"


async def test_an_old_redelivered_message_does_not_release_held_texts(wa: WaService) -> None:
    await wa.post(p.text(WA, "halo"))
    close_window(wa, WA, hours=30)
    queue(wa, WA, Outbound("Teks lengkap"))
    await wa.deliver()
    assert wa.rows(WA)[-1].status == "held"
    await wa.post(p.text(WA, "lama", at=wa.clock.now() - timedelta(hours=26)))
    assert [r.status for r in wa.rows(WA)][1] == "held"


async def test_131047_reported_after_sending_becomes_template_and_hold(wa: WaService) -> None:
    await wa.post(p.text(WA, "halo"))
    await wa.deliver()
    row_id = queue(wa, WA, Outbound("Jawaban dinas", report="ADU-2026-000002"))
    await wa.deliver()
    wamid = wa.graph.to(WA)[-1].id
    await wa.post(statuses=(p.status(wamid, WA, "failed", 131047),))
    await wa.deliver()
    assert wa.graph.to(WA)[-1].type == "template"
    assert next(r for r in wa.rows(WA) if r.id == row_id).status == "held"


async def test_a_throttled_send_is_retried_later_in_order(wa: WaService) -> None:
    await wa.post(p.text(WA, "/bantuan"), p.text(WA, "/status"))
    wa.graph.fail_next(130429, 2)
    await wa.deliver()
    assert wa.graph.to(WA) == [] and len(wa.graph.refused) == 1  # the second waits its turn
    for _ in range(2):
        wa.clock.advance(seconds=5)
        await wa.deliver()
    assert len(wa.graph.refused) == 2
    texts = [s.text for s in wa.graph.to(WA)]
    assert texts[0].startswith("Perintah") and texts[1].startswith("Anda belum")


async def test_a_pdf_is_refused_with_a_hint_and_never_downloaded(wa: WaService) -> None:
    wa.graph.add_media("DOC-1", b"%PDF-1.4", "application/pdf")
    await wa.post(p.document(WA, "DOC-1"))
    await wa.deliver()
    assert wa.graph.to(WA)[0].text.startswith("Maaf, hanya foto")
    assert wa.graph.downloads == 0


@pytest.mark.parametrize("data,mime,hint", [
    (b"\xff\xd8\xff" + bytes(10 * 2**20), "image/jpeg", "terlalu besar (maksimal 10 MB)"),
    (b"GIF89a" + bytes(100), "image/jpeg", "hanya foto"),
])
async def test_too_large_or_fake_images_get_a_hint(wa: WaService, data: bytes, mime: str,
                                                    hint: str) -> None:
    wa.graph.add_media("IMG-1", data, mime)
    await wa.post(p.image(WA, "IMG-1"))
    await wa.deliver()
    assert hint in wa.graph.to(WA)[0].text


async def test_an_unknown_media_id_asks_to_send_again(wa: WaService) -> None:
    await wa.post(p.image(WA, "GONE"))
    await wa.deliver()
    assert "kirim ulang" in wa.graph.to(WA)[0].text


async def test_when_meta_refuses_our_token_the_message_is_kept_and_tried_again(
        wa: WaService, caplog: pytest.LogCaptureFixture) -> None:
    wa.graph.add_media("IMG-2")
    wa.graph.token_valid = False
    message = p.image(WA, "IMG-2")
    # Stored, so acknowledged: Meta's own redelivery is not needed for it.
    assert (await wa.post(message)).status_code == 200
    assert wa.count(InboundIdRow) == 0 and wa.count(InboxRow) == 1
    assert WA not in caplog.text  # the failure is logged without the phone number
    inbox = wa.container.inbox
    wa.clock.advance(seconds=1)
    assert await inbox.sweep() == 0  # not due before its backoff
    wa.graph.token_valid = True
    wa.clock.advance(seconds=2)
    assert await inbox.sweep() == 1
    await wa.deliver()
    assert wa.graph.downloads == 1 and len(wa.graph.to(WA)) == 1
    assert wa.count(InboundIdRow) == 1 and wa.count(InboxRow) == 0
    assert (await wa.post(message)).status_code == 200  # Meta's redelivery changes nothing
    await wa.deliver()
    assert wa.graph.downloads == 1 and len(wa.graph.to(WA)) == 1


async def test_a_message_is_acknowledged_once_stored_and_handled_after(wa: WaService) -> None:
    wa.graph.add_media("IMG-3")
    wa.graph.download_delay = 0.5  # a slow media download does not hold the answer to Meta
    answer = await wa.post(p.text(WA, "/bantuan"), p.image(WA, "IMG-3"), wait=False)
    assert answer.status_code == 200 and wa.graph.downloads == 0 and wa.count(InboxRow) >= 1
    await wa.deliver()
    texts = [s.text for s in wa.graph.to(WA)]
    assert texts[0].startswith("Perintah yang tersedia") and len(texts) == 2
    assert wa.count(InboxRow) == 0


async def test_a_stored_message_left_by_a_dead_process_is_handled_after_a_restart(
        wa: WaService) -> None:
    raw, headers = p.signed(p.envelope(p.text(WA, "/bantuan")))
    item = parse_webhook(json.loads(raw), None).messages[0]
    with wa.container.engine.begin() as conn:  # as a process killed after the 200 left it
        conn.execute(insert(table_of(InboxRow)).values(
            channel=Channel.WHATSAPP.value, external_id=item.inbound.external_id,
            payload=item.source, attempts=0, received_at=NOW, claimed_by="gone-host:1:dead",
            claimed_until=NOW + timedelta(hours=1)))
    wa.clock.advance(hours=2)
    assert await wa.container.inbox.sweep() == 1
    await wa.deliver()
    assert wa.graph.to(WA)[0].text.startswith("Perintah yang tersedia")
    assert wa.count(InboxRow) == 0


async def test_a_sticker_in_the_form_gets_the_unsupported_hint_and_the_question(
        wa: WaService) -> None:
    await wa.post(p.text(WA, "/lapor"), p.message(WA, "sticker", {"id": "S1"}))
    await wa.deliver()
    assert wa.graph.to(WA)[-1].text.startswith("Maaf, pesan jenis ini belum dapat diproses")
    assert wa.graph.to(WA)[-1].option_ids[0] == "type:pengaduan"  # and the question again


def test_whatsapp_refuses_to_start_without_an_app_secret(wa_settings: Settings) -> None:
    no_secret = wa_settings.model_copy(update={"whatsapp_app_secret": None})
    with pytest.raises(WhatsAppConfigError, match="WHATSAPP_APP_SECRET is required"):
        build_whatsapp(no_secret, engine=None, clock=None, intake=None, uow=None,  # type: ignore[arg-type]
                       media=None, outbox=None)  # type: ignore[arg-type]
    disabled = wa_settings.model_copy(update={"whatsapp_access_token": None})
    assert build_whatsapp(disabled, engine=None, clock=None, intake=None, uow=None,  # type: ignore[arg-type]
                          media=None, outbox=None) is None  # type: ignore[arg-type]


async def test_phone_numbers_never_reach_the_logs(wa: WaService,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    wa.graph.recipient_errors[WA] = 131026
    await wa.post(p.text(WA, "halo"), p.message(WA, "hologram", {"x": 1}))
    await wa.deliver()
    close_window(wa, WA)
    queue(wa, WA, Outbound("x"))
    wa.graph.recipient_errors.clear()
    await wa.post(p.text(WA, "lagi"), statuses=(p.status("wamid.NONE", WA, "failed", 131026),))
    await wa.deliver()
    assert caplog.records and WA not in caplog.text
