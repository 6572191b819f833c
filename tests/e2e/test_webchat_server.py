"""The web chat against the real server process: a whole report, restarts, and bad input."""

from __future__ import annotations

import asyncio
import re
import signal
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.e2e.admin_flow import (
    PUPR,
    REPORT_STEPS,
    answer,
    invite,
    short_number,
    tracking_number,
)
from tests.e2e.conftest import Server

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8
DESCRIPTION = "Lampu jalan di depan masjid mati sejak seminggu, gelap dan rawan."


class Browser:
    """What the web page does, over HTTP."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.url, timeout=15)
        body = self.http.post("/chat/session", json={"lang": "id"}).raise_for_status().json()
        self.session: str = body["session"]
        self.cursor: int = body["cursor"]
        self.messages: list[dict[str, Any]] = body["messages"]

    def send(self, **payload: Any) -> dict[str, Any]:
        client_id = payload.pop("client_id", uuid.uuid4().hex)
        response = self.http.post("/chat/send", json={
            "session": self.session, "client_id": client_id, "after": self.cursor, **payload})
        response.raise_for_status()
        return self.take(response.json())

    def upload(self, data: bytes, name: str = "foto.jpg") -> httpx.Response:
        return self.http.post("/chat/upload", data={
            "session": self.session, "client_id": uuid.uuid4().hex, "after": str(self.cursor)},
            files={"file": (name, data, "image/jpeg")})

    def take(self, body: dict[str, Any]) -> dict[str, Any]:
        self.cursor = body["cursor"]
        self.messages += body["messages"]
        assert body["messages"], "every message gets an answer"
        last: dict[str, Any] = body["messages"][-1]
        return last

    def step(self, kind: str, value: object) -> dict[str, Any]:
        """One of tests/e2e/admin_flow.py's steps."""
        if kind == "pin":
            assert isinstance(value, tuple)
            return self.send(location={"latitude": value[0], "longitude": value[1]})
        return self.send(**{kind: value})

    def wait_for(self, fragment: str, timeout: float = 10) -> str:
        """Long-poll, as the page does, until a message containing `fragment` arrives."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            body = self.http.get("/chat/messages", params={
                "session": self.session, "after": self.cursor, "wait": min(left, 5)},
                timeout=left + 5).raise_for_status().json()
            self.cursor = body["cursor"]
            self.messages += body["messages"]
            for message in body["messages"]:
                if fragment in message["text"]:
                    return str(message["text"])
        raise AssertionError(f"no message with {fragment!r}: {[m['text'][:60] for m in self.messages]}")


def test_a_citizen_files_a_report_end_to_end_over_http(server: Server) -> None:
    page = server.url
    assert "<html" in httpx.get(page).text.lower()
    assert httpx.get(f"{page}/static/app.js").status_code == 200
    texts = httpx.get(f"{page}/chat/texts", params={"lang": "en"}).json()["texts"]
    assert texts["web.title"] == "Aduan Kota Contoh"

    browser = Browser(server)
    assert "Selamat datang" in browser.messages[0]["text"]
    assert browser.send(option="menu:lapor")["options"][0]["id"] == "type:pengaduan"
    browser.send(text="pengaduan")
    assert 'Maksud Anda kategori "Lampu jalan"' in browser.send(text="lampu jalan mati")["text"]
    browser.send(text="ya")
    browser.send(text=DESCRIPTION)
    assert browser.send(option="date:today")["ask_location"] is True
    assert "Lokasi dicatat" in browser.send(location={"latitude": -0.888, "longitude": 100.364})["text"]
    photo = browser.take(browser.upload(JPEG).raise_for_status().json())
    assert "Foto diterima (1/5)" in photo["text"]
    browser.send(option="photos:done")
    summary = browser.send(option="privacy:rahasia")["text"]
    assert "Kategori: Lampu jalan" in summary and "Foto: 1" in summary
    done = browser.send(option="summary:confirm")["text"]
    number = re.search(r"ADU-\d{4}-\d{6}", done)
    assert number, done
    assert number.group(0) in browser.send(text=f"/status {number.group(0)}")["text"]
    metrics = httpx.get(f"{page}/metrics").text
    assert 'aduan_reports_created_total{channel="web"} 1.0' in metrics
    assert 'aduan_inbound_messages_total{channel="web"} 13.0' in metrics  # session + 12


def test_an_officers_answer_reaches_the_citizens_long_poll(server: Server, db_url: str) -> None:
    coordinator, officer, citizen = Browser(server), Browser(server), Browser(server)
    assert "Terdaftar sebagai" in coordinator.send(
        text=f"/daftar {invite(db_url, 'diskominfo', 'coordinator')}")["text"]
    assert "Terdaftar sebagai" in officer.send(text=f"/daftar {invite(db_url, 'pupr')}")["text"]
    replies = [citizen.step(kind, value) for kind, value in REPORT_STEPS]
    number = tracking_number(replies[-1]["text"])
    coordinator.wait_for(f"📥 Laporan baru {number}")

    assert "diteruskan ke" in coordinator.send(text=f"/verifikasi {number}")["text"]
    officer.wait_for(f"📌 Laporan {number}")
    citizen.wait_for("diverifikasi dan diteruskan")
    words = "Tim akan survei lubangnya besok pagi."
    with ThreadPoolExecutor(1) as pool:
        polled = pool.submit(citizen.wait_for, words)  # waiting before the answer exists
        done = officer.send(text=f"/balas {short_number(number)} {words}")["text"]
        assert f"Jawaban terkirim ke pelapor {number}" in done
        assert answer(PUPR, words) in polled.result(timeout=15)


def test_the_conversation_survives_kill_9_in_the_middle(server_factory: Any) -> None:
    server: Server = server_factory()
    browser = Browser(server)
    browser.send(option="menu:lapor")
    browser.send(option="type:aspirasi")
    server.kill(signal.SIGKILL)
    server.start()
    reply = browser.send(option="cat:fasilitas_umum")
    assert "Ceritakan masalahnya" in reply["text"]
    # A browser that lost the response retries with the same client id: answered, not redone.
    again = browser.http.post("/chat/send", json={
        "session": browser.session, "client_id": "retry-1", "after": 0, "text": DESCRIPTION})
    retried = browser.http.post("/chat/send", json={
        "session": browser.session, "client_id": "retry-1", "after": 0, "text": DESCRIPTION})
    assert again.json()["messages"] == retried.json()["messages"]
    assert "Kapan kejadiannya" in retried.json()["messages"][-1]["text"]


def test_bad_input_gets_a_clear_4xx_and_never_a_500(server: Server) -> None:
    browser = Browser(server)
    http = browser.http
    session = browser.session
    cases = [
        (http.post("/chat/send", content=b"{not json", headers={"content-type": "application/json"}),
         400, "malformed JSON"),
        (http.post("/chat/send", json={"session": session, "client_id": "x"}), 422,
         "exactly one of text, option or location"),
        (http.post("/chat/send", json={"session": session, "client_id": "x",
                                       "location": {"latitude": 95, "longitude": 0}}), 422,
         "latitude"),
        (http.post("/chat/send", json={"session": "s" * 30, "client_id": "x", "text": "hi"}),
         404, "Sesi tidak ditemukan"),
        (http.post("/chat/send", content=b"x" * (1024 * 1024 + 1),
                   headers={"content-type": "application/json"}), 413, "too large"),
        (browser.upload(b"%PDF-1.4 not an image", "surat.pdf"), 415, "hanya foto"),
        (http.get("/chat/messages", params={"session": session, "wait": 999}), 422, "wait"),
        (http.post("/chat/session", json=["not", "an", "object"]), 422, ""),
    ]
    for response, status, detail in cases:
        assert response.status_code == status, (response.request.url, response.text)
        assert detail in response.json()["detail"] or not detail


def test_an_oversized_photo_is_refused_with_413(server_factory: Any) -> None:
    server: Server = server_factory(WEB_MAX_UPLOAD_BYTES="2048")
    browser = Browser(server)
    response = browser.upload(JPEG + b"\0" * 4096)
    assert response.status_code == 413
    assert "Foto terlalu besar" in response.json()["detail"] or "too large" in response.text


def test_a_flood_from_one_session_is_slowed_down(server_factory: Any) -> None:
    server: Server = server_factory(WEB_MESSAGES_PER_MINUTE="4")
    browser = Browser(server)  # the greeting counts as the first
    statuses = [browser.http.post("/chat/send", json={
        "session": browser.session, "client_id": f"f{i}", "text": "halo"}).status_code
        for i in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_a_long_poll_returns_as_soon_as_a_new_message_exists(server: Server) -> None:
    browser = Browser(server)

    async def scenario() -> tuple[float, dict[str, Any]]:
        async with httpx.AsyncClient(base_url=server.url, timeout=20) as client:
            loop = asyncio.get_running_loop()
            started = loop.time()
            poll = asyncio.create_task(client.get("/chat/messages", params={
                "session": browser.session, "after": browser.cursor, "wait": 15}))
            await asyncio.sleep(0.3)
            await client.post("/chat/send", json={
                "session": browser.session, "client_id": "lp", "text": "/bantuan"})
            response = await poll
            return loop.time() - started, response.json()

    elapsed, body = asyncio.run(scenario())
    assert elapsed < 5, f"long poll waited {elapsed:.1f}s for a message that existed"
    assert "Perintah yang tersedia" in body["messages"][0]["text"]


def test_every_session_is_greeted_and_client_ids_do_not_collide(server: Server) -> None:
    first, second = Browser(server), Browser(server)
    assert "Selamat datang" in second.messages[0]["text"]
    assert first.send(text="/lapor", client_id="same")["text"].startswith("Jenis laporan")
    assert second.send(text="/bantuan", client_id="same")["text"].startswith("Perintah")


def test_health_reports_the_database(server: Server) -> None:
    assert httpx.get(f"{server.url}/healthz").json() == {"status": "ok", "database": "ok"}
