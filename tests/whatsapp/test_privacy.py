"""Personal data on WhatsApp, through the fake Graph API: /data_saya, /hapus_data (a held text
included), stripped photos, the farewell sent in the window of the message it answers."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from storage.columns import table_of
from storage.tables import AttachmentRow, OutboxRow
from tests.personal_data import holding
from tests.photos import metadata, phone_jpeg
from tests.service.chat import DESCRIPTION
from tests.service.work_helpers import enrol
from tests.whatsapp import payloads as p
from tests.whatsapp.conftest import WaService

PHONE = "6281299887766"
NAME = "Dewi Lestariningsih"


async def post(wa: WaService, *messages: dict[str, Any]) -> None:
    raw, headers = p.signed(p.envelope(*messages, name=NAME))
    assert (await wa.http.post("/webhook/whatsapp", content=raw, headers=headers)).status_code == 200
    await wa.deliver()


async def file_report(wa: WaService) -> str:
    wa.graph.add_media("media-gps", phone_jpeg())
    await post(wa, p.text(PHONE, "/lapor"))
    await post(wa, p.button(PHONE, "type:pengaduan"))
    await post(wa, p.list_reply(PHONE, "cat:jalan_rusak"))
    await post(wa, p.text(PHONE, DESCRIPTION))
    await post(wa, p.button(PHONE, "date:today"))
    await post(wa, p.location(PHONE, -0.9140, 100.3490))
    await post(wa, p.image(PHONE, "media-gps"))
    await post(wa, p.button(PHONE, "photos:done"))
    await post(wa, p.button(PHONE, "privacy:rahasia"))
    await post(wa, p.button(PHONE, "summary:confirm"))
    found = re.search(r"ADU-\d{4}-\d{6}", wa.graph.to(PHONE)[-1].text)
    assert found, wa.graph.to(PHONE)[-1].text
    return found.group(0)


async def test_data_saya_and_hapus_data_on_whatsapp_leave_no_trace_of_the_number(
        wa: WaService) -> None:
    coordinator = enrol(wa.container, "kominfo", "diskominfo", "coordinator")
    number = await file_report(wa)
    assert "🔒 Kami menyimpan" in wa.graph.to(PHONE)[0].text

    await post(wa, p.text(PHONE, "/data_saya"))
    kept = wa.graph.to(PHONE)[-1].text
    assert f"Nama: {NAME}" in kept and f"Kontak: WhatsApp +{PHONE}" in kept
    assert f"{number} · " in kept and "Baru, menunggu verifikasi" in kept
    engine = wa.container.engine
    with engine.connect() as connection:
        key = connection.execute(select(table_of(AttachmentRow).c.storage_key)).scalar_one()
    assert metadata(wa.container.media.read(key))["gps"] == {}

    wa.clock.advance(hours=25)  # the window closes; an update is held, a template goes out
    coordinator.replies()
    coordinator.say(f"/verifikasi {number}")
    await wa.deliver()
    with engine.connect() as connection:
        statuses = connection.execute(select(table_of(OutboxRow).c.status)
                                      .where(table_of(OutboxRow).c.chat_id == PHONE)).scalars()
        assert "held" in set(statuses)

    await post(wa, p.text(PHONE, "/hapus_data"))
    assert wa.graph.to(PHONE)[-1].text.startswith("Hapus data Anda?")
    await post(wa, p.button(PHONE, "erase:yes"))
    assert wa.graph.to(PHONE)[-1].text.startswith("Data Anda telah dihapus")
    assert holding(engine, PHONE, NAME, "Lestariningsih") == []
    [view] = coordinator.say(f"/lihat {number}")
    assert "Pelapor: dihapus atas permintaan" in view.text


async def test_a_farewell_still_goes_out_when_the_confirmation_came_late_in_the_window(
        wa: WaService) -> None:
    await post(wa, p.text(PHONE, "/hapus_data"))
    wa.clock.advance(minutes=10)
    await post(wa, p.text(PHONE, "ya", at=wa.clock.now() - timedelta(seconds=5)))
    assert wa.graph.to(PHONE)[-1].text.startswith("Data Anda telah dihapus")
    assert holding(wa.container.engine, PHONE, NAME) == []
