"""WhatsApp against the real `aduan serve` process and a fake Graph API on 127.0.0.1, over HTTP."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from core.messages import Channel, Outbound
from storage.engine import make_engine
from storage.tables import AttachmentRow, ChannelIdentityRow, InboundIdRow, OutboxRow, ReportRow
from storage.uow import SqlUnitOfWork
from tests.e2e.admin_flow import (
    COORDINATOR_OPD,
    PUPR,
    REPORT_STEPS,
    answer,
    invite,
    short_number,
    tracking_number,
)
from tests.e2e.conftest import Server
from tests.fake_platforms.graph_api import (
    JPEG,
    PHONE_NUMBER_ID,
    TOKEN,
    VERSION,
    FakeGraphApi,
    Sent,
)
from tests.whatsapp import payloads as p

ROOT = Path(__file__).resolve().parents[2]
DESCRIPTION = "Lampu jalan di depan masjid raya mati sejak seminggu, gelap dan rawan."


@pytest.fixture
def server(db_url: str, tmp_path: Path, graph: FakeGraphApi) -> Iterator[Server]:
    made = Server(
        db_url, tmp_path / "data", WHATSAPP_ACCESS_TOKEN=TOKEN,
        WHATSAPP_PHONE_NUMBER_ID=PHONE_NUMBER_ID, WHATSAPP_APP_SECRET=p.APP_SECRET,
        WHATSAPP_VERIFY_TOKEN=p.VERIFY_TOKEN, WHATSAPP_API_BASE_URL=graph.url,
        WHATSAPP_API_VERSION=VERSION,
    )
    made.start()
    yield made
    made.kill(signal.SIGTERM)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    made = make_engine(db_url)
    yield made
    made.dispose()


class Citizen:
    """A phone on WhatsApp: its messages reach the server as Meta-signed webhook bodies."""

    def __init__(self, server: Server, graph: FakeGraphApi, wa_id: str) -> None:
        self.http = httpx.Client(base_url=server.url, timeout=15)
        self.graph, self.wa_id = graph, wa_id

    def post(self, *messages: dict[str, Any]) -> httpx.Response:
        raw, headers = p.signed(p.envelope(*messages))
        return self.http.post("/webhook/whatsapp", content=raw, headers=headers)

    def says(self, message: dict[str, Any], replies: int = 1) -> list[Sent]:
        """Send one message; wait for the server's `replies` WhatsApp messages and return them."""
        before = len(self.graph.to(self.wa_id))
        assert self.post(message).status_code == 200
        return self.graph.wait_sent(self.wa_id, before + replies)[before:]

    def step(self, kind: str, value: object) -> None:
        """One of tests/e2e/admin_flow.py's steps (some get two messages: waits for one)."""
        if kind == "option":
            self.says(p.button(self.wa_id, str(value)))
        elif kind == "pin":
            assert isinstance(value, tuple)
            self.says(p.location(self.wa_id, *value))
        else:
            self.says(p.text(self.wa_id, str(value)))

    def wait_for(self, fragment: str) -> Sent:
        """The first message to this number containing `fragment` (waiting for it)."""
        def found() -> list[Sent]:
            return [s for s in self.graph.to(self.wa_id) if fragment in s.text]

        self.graph.wait_for(lambda: bool(found()))
        return found()[0]


def enrolled(server: Server, graph: FakeGraphApi, wa_id: str, db_url: str, opd: str,
             role: str = "officer") -> Citizen:
    admin = Citizen(server, graph, wa_id)
    (welcome,) = admin.says(p.text(wa_id, f"/daftar {invite(db_url, opd, role)}"))
    assert "Terdaftar sebagai" in welcome.text
    return admin


def filed(citizen: Citizen) -> str:
    """The tracking number of the pothole report the citizen files."""
    for kind, value in REPORT_STEPS:
        citizen.step(kind, value)
    return tracking_number(citizen.wait_for("ADU-").text)


def count(engine: Engine, table: type[Any]) -> int:
    with Session(engine) as session:
        return int(session.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_citizen_files_a_report_with_buttons_a_list_a_pin_and_a_photo(
        server: Server, graph: FakeGraphApi, engine: Engine) -> None:
    sari = Citizen(server, graph, "6281211110001")
    graph.add_media("MEDIA-PHOTO-1", JPEG)
    first = p.text(sari.wa_id, "Halo")
    (menu,) = sari.says(first)
    assert menu.interactive_type == "list" and menu.option_ids[0] == "menu:lapor"
    (types,) = sari.says(p.list_reply(sari.wa_id, "menu:lapor", "Buat laporan"))
    assert types.interactive_type == "button" and types.option_ids[0] == "type:pengaduan"
    (categories,) = sari.says(p.button(sari.wa_id, "type:pengaduan", "Pengaduan"))
    assert categories.type == "text" and "\n3. Lampu jalan\n" in categories.text
    (description,) = sari.says(p.text(sari.wa_id, "3"))  # the number picks from the menu
    assert description.option_ids == ["nav:back"]  # the description question, with "back"
    (dates,) = sari.says(p.text(sari.wa_id, DESCRIPTION))
    assert dates.option_ids[0] == "date:today"
    ask_pin, choices = sari.says(p.button(sari.wa_id, "date:today", "Hari ini"), replies=2)
    assert ask_pin.interactive_type == "location_request_message"
    assert choices.interactive_type == "button"
    (photos,) = sari.says(p.location(sari.wa_id, -0.9471, 100.4172))
    assert "Lokasi dicatat" in photos.text and photos.option_ids[0] == "photos:done"
    (received,) = sari.says(p.image(sari.wa_id, "MEDIA-PHOTO-1"))
    assert "Foto diterima (1/5)" in received.text and graph.downloads == 1
    (privacy,) = sari.says(p.button(sari.wa_id, "photos:done", "Selesai"))
    assert privacy.interactive_type == "list"
    (summary,) = sari.says(p.list_reply(sari.wa_id, "privacy:rahasia", "Rahasia"))
    assert "Kategori: Lampu jalan" in summary.text and "Foto: 1" in summary.text
    assert summary.option_ids == ["summary:confirm", "summary:edit", "summary:cancel"]
    (done,) = sari.says(p.button(sari.wa_id, "summary:confirm", "Kirim"))
    number = re.search(r"ADU-\d{4}-\d{6}", done.text)
    assert number, done.text

    with Session(engine) as session:
        report = session.execute(select(ReportRow)).scalar_one()
        photo = session.execute(select(AttachmentRow)).scalar_one()
    assert (report.tracking_no, report.channel, report.category) == (number.group(0), "whatsapp",
                                                                 "lampu_jalan")
    assert (report.latitude, report.longitude) == (-0.9471, 100.4172)
    assert photo.size == len(JPEG) and photo.content_type == "image/jpeg"

    # Meta redelivers the first message: nothing new happens.
    sent_before = len(graph.to(sari.wa_id))
    assert sari.post(first).status_code == 200
    time.sleep(0.5)
    assert len(graph.to(sari.wa_id)) == sent_before


def test_a_coordinators_quoted_reply_to_the_new_report_notice_answers_the_citizen(
        server: Server, graph: FakeGraphApi, db_url: str) -> None:
    coordinator = enrolled(server, graph, "6281299990001", db_url, "diskominfo", "coordinator")
    sari = Citizen(server, graph, "6281299990002")
    number = filed(sari)
    notice = coordinator.wait_for(f"📥 Laporan baru {number}")
    assert f"adm:verifikasi:{number}" in notice.option_ids
    # Meta has the notice a moment before the server has recorded it as sent; a person's reply
    # comes seconds later, a test's within milliseconds.
    engine = make_engine(db_url)
    try:
        recorded = (select(func.count()).select_from(OutboxRow)
                    .where(col(OutboxRow.platform_message_id) == notice.id))
        graph.wait_for(lambda: _scalar(engine, recorded) == 1)
    finally:
        engine.dispose()

    words = "Terima kasih, laporan sedang kami teruskan ke Dinas PUPR."
    (done,) = coordinator.says(p.text(coordinator.wa_id, words, reply_to=notice.id))
    assert f"Jawaban terkirim ke pelapor {number}" in done.text
    assert answer(COORDINATOR_OPD, words) in sari.wait_for(words).text


def test_an_officer_answers_with_balas_after_the_coordinator_verifies(
        server: Server, graph: FakeGraphApi, db_url: str) -> None:
    coordinator = enrolled(server, graph, "6281299990011", db_url, "diskominfo", "coordinator")
    officer = enrolled(server, graph, "6281299990012", db_url, "pupr")
    sari = Citizen(server, graph, "6281299990013")
    number = filed(sari)
    coordinator.wait_for(f"📥 Laporan baru {number}")
    (verified,) = coordinator.says(p.text(coordinator.wa_id, f"/verifikasi {number}"))
    assert "diteruskan ke" in verified.text
    officer.wait_for(f"📌 Laporan {number}")

    words = "Tim akan menambal lubangnya besok pagi."
    (done,) = officer.says(p.text(officer.wa_id, f"/balas {short_number(number)} {words}"))
    assert f"Jawaban terkirim ke pelapor {number}" in done.text
    assert answer(PUPR, words) in sari.wait_for(words).text


def test_the_webhook_edges_handshake_signature_json_and_size(
        server: Server, graph: FakeGraphApi, engine: Engine) -> None:
    url = f"{server.url}/webhook/whatsapp"
    good = {"hub.mode": "subscribe", "hub.verify_token": p.VERIFY_TOKEN, "hub.challenge": "987654"}
    answer = httpx.get(url, params=good)
    assert answer.status_code == 200 and answer.text == "987654"
    assert answer.headers["content-type"].startswith("text/plain")
    assert httpx.get(url, params={**good, "hub.verify_token": "wrong"}).status_code == 403

    body = json.dumps(p.envelope(p.text("6281211110002", "halo"))).encode()
    before = count(engine, InboundIdRow)
    forged = p.signed(body, secret="stolen-guess")[1]
    assert httpx.post(url, content=body, headers=forged).status_code == 401
    assert httpx.post(url, content=body, headers={"content-type": "application/json"}).status_code == 401
    tampered = p.signed(body)[1]
    assert httpx.post(url, content=body.replace(b"halo", b"HALO"), headers=tampered).status_code == 401
    assert count(engine, InboundIdRow) == before and graph.sent == []

    raw, headers = p.signed(b"{not json")
    assert httpx.post(url, content=raw, headers=headers).status_code == 400
    raw, headers = p.signed(b'{"pad": "' + b"x" * (1024 * 1024) + b'"}')
    assert httpx.post(url, content=raw, headers=headers).status_code == 413


def test_outside_the_window_the_template_goes_out_and_the_held_text_follows(
        server: Server, graph: FakeGraphApi, engine: Engine) -> None:
    budi = Citizen(server, graph, "6281211110003")
    budi.says(p.text(budi.wa_id, "halo"))
    with Session(engine) as session, session.begin():
        session.execute(update(ChannelIdentityRow)
                        .where(col(ChannelIdentityRow.chat_id) == budi.wa_id)
                        .values(last_inbound_at=datetime.now(UTC) - timedelta(hours=25)))
    full = "Laporan ADU-2026-000042 kini diproses: petugas PLN kota akan datang besok pagi."
    with SqlUnitOfWork(engine) as uow:  # what a status change writes to the outbox
        uow.outbox.put(Channel.WHATSAPP, budi.wa_id, Outbound(
            full, report="ADU-2026-000042", status="diproses"), datetime.now(UTC))
        uow.commit()
    (template,) = graph.wait_sent(budi.wa_id, 2)[1:]
    assert template.type == "template" and template.body["template"]["name"] == "aduan_status_update"
    assert template.template_parameters == ["ADU-2026-000042", "Sedang ditindaklanjuti"]
    # The fake has the template once it is sent; the row is settled just after: wait for it.
    deadline, last = time.monotonic() + 10, None
    while last != "held" and time.monotonic() < deadline:
        with Session(engine) as session:
            last = session.execute(select(OutboxRow.status)
                                   .order_by(col(OutboxRow.id).desc()).limit(1)).scalar_one()
        time.sleep(0.05)
    assert last == "held"

    held, answer = budi.says(p.text(budi.wa_id, "/bantuan"), replies=2)
    assert held.text == full
    assert answer.text.startswith("Perintah yang tersedia")


def test_a_130429_burst_loses_nothing_and_bodies_of_three_keep_their_order(
        server: Server, graph: FakeGraphApi) -> None:
    citizens = [Citizen(server, graph, f"62812111100{n}") for n in (4, 5)]
    graph.fail_next(130429, 5)
    for citizen in citizens:
        wa = citizen.wa_id
        body = (p.text(wa, "/bantuan"), p.text(wa, "/status"), p.text(wa, "/bahasa"))
        assert citizen.post(*body).status_code == 200
    for citizen in citizens:
        replies = graph.wait_sent(citizen.wa_id, 3, timeout=30)
        assert len(replies) == 3
        assert replies[0].text.startswith("Perintah yang tersedia")
        assert replies[1].text.startswith("Anda belum mempunyai laporan")
        assert replies[2].option_ids == ["lang:id", "lang:en"]
    assert len(graph.refused) == 5


def test_whatsapp_refuses_to_start_without_an_app_secret(tmp_path: Path) -> None:
    module = ["bot.cli", "serve"]
    env = {key: value for key, value in os.environ.items() if not key.startswith("WHATSAPP_")}
    env.update(WHATSAPP_ACCESS_TOKEN=TOKEN, WHATSAPP_PHONE_NUMBER_ID=PHONE_NUMBER_ID,
               DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT), LOG_LEVEL="WARNING")
    done = subprocess.run([sys.executable, "-m", *module, "--port", "1"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "WHATSAPP_APP_SECRET is required" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "data").exists()  # refused before touching anything


def _scalar(engine: Engine, query: Any) -> int:
    with Session(engine) as session:
        return int(session.execute(query).scalar_one())
