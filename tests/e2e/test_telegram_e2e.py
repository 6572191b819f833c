"""Telegram end to end: `aduan serve`, the real python-telegram-bot, a fake Bot API."""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from core.i18n import t
from storage.columns import table_of
from storage.engine import make_engine
from storage.tables import ChannelIdentityRow, InboundIdRow, OutboxRow
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
from tests.fake_platforms.telegram_api import TOKEN, Call, FakeTelegram
from tests.fake_platforms.telegram_updates import TgUser, group_message

REPO = Path(__file__).resolve().parents[2]
SECRET = "e2e-webhook-secret_0123456789"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8
DESCRIPTION = "Lampu jalan di depan masjid mati sejak seminggu, gelap dan rawan."


class TelegramServer(Server):
    """`aduan serve` (tests/e2e/conftest.py) plus posting updates as Telegram would."""

    def post(self, update: Any, secret: str | None = SECRET, **kwargs: Any) -> httpx.Response:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        if isinstance(update, bytes):
            return httpx.post(f"{self.url}/webhook/telegram", content=update, timeout=15,
                              headers={**headers, "content-type": "application/json"})
        return httpx.post(f"{self.url}/webhook/telegram", json=update, headers=headers,
                          timeout=15, **kwargs)


@pytest.fixture
def start_server(db_url: str, tmp_path: Path,
                 fake: FakeTelegram) -> Iterator[Callable[..., TelegramServer]]:
    started: list[TelegramServer] = []

    def start(mode: str = "webhook", **env: str) -> TelegramServer:
        server = TelegramServer(db_url, tmp_path / "data")
        server.env.update({
            "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.url,
            "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_MODE": mode,
            "TELEGRAM_MESSAGES_PER_SECOND": "500", "TELEGRAM_MESSAGES_PER_CHAT_PER_SECOND": "100",
            **({"PUBLIC_BASE_URL": server.url} if mode == "webhook" else {}), **env,
        })
        if mode == "polling":
            server.env.pop("PUBLIC_BASE_URL", None)
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.kill(signal.SIGTERM)


class Citizen:
    """A Telegram user whose updates the test delivers to the webhook, as Telegram would."""

    def __init__(self, server: TelegramServer, fake: FakeTelegram, user_id: int) -> None:
        self.server, self.fake, self.user = server, fake, TgUser(user_id)

    def send(self, update: dict[str, Any], replies: int = 1) -> str:
        before = len(self.fake.sent(self.user.id))
        response = self.server.post(update)
        assert response.status_code == 200, response.text
        calls = self.fake.wait_for_sent(self.user.id, before + replies)
        return str(calls[-1].params["text"])

    def say(self, text: str) -> str:
        return self.send(self.user.text(text))

    def press(self, data: str) -> str:
        last = self.fake.sent(self.user.id)[-1].result
        return self.send(self.user.press(self.fake.message(last["message_id"]), data))

    def reply(self, bot_message_id: int, text: str) -> str:
        """A Telegram reply (swipe, type) to one of the bot's messages in this chat."""
        replied = {k: v for k, v in self.fake.message(bot_message_id).items()
                   if k in ("message_id", "date", "chat", "from", "text")}
        return self.send(self.user.text(text, reply_to_message=replied))

    def step(self, kind: str, value: object) -> str:
        """One of tests/e2e/admin_flow.py's steps."""
        if kind == "option":
            return self.press(str(value))
        if kind == "pin":
            assert isinstance(value, tuple)
            return self.send(self.user.location(*value))
        return self.say(str(value))

    def wait_for(self, fragment: str) -> Call:
        """The first message to this chat containing `fragment` (waiting for it to arrive)."""
        def found() -> list[Call]:
            return [c for c in self.fake.sent(self.user.id) if fragment in c.params["text"]]

        self.fake.wait_until(lambda: bool(found()), what=f"{fragment!r} to {self.user.id}")
        return found()[0]


def enrolled(server: TelegramServer, fake: FakeTelegram, user_id: int, db_url: str, opd: str,
             role: str = "officer") -> Citizen:
    admin = Citizen(server, fake, user_id)
    assert "Terdaftar sebagai" in admin.say(f"/daftar {invite(db_url, opd, role)}")
    return admin


def filed(citizen: Citizen) -> str:
    """The tracking number of the pothole report the citizen files."""
    for kind, value in REPORT_STEPS:
        citizen.step(kind, value)
    return tracking_number(citizen.wait_for("ADU-").params["text"])


def count(db_url: str, table: Any) -> int:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    finally:
        engine.dispose()


def test_a_citizen_files_a_report_with_buttons_text_a_location_and_a_photo(
        start_server: Callable[..., TelegramServer], fake: FakeTelegram) -> None:
    server = start_server(LOG_LEVEL="INFO")  # nothing secret or personal at INFO either
    fake.wait_until(lambda: fake.webhook is not None, what="setWebhook")
    assert fake.webhook == {"url": f"{server.url}/webhook/telegram", "secret_token": SECRET,
                            "allowed_updates": ["message", "callback_query"],
                            "max_connections": 40}
    fake.wait_until(lambda: len(fake.calls_of("setMyCommands")) == 2, what="setMyCommands")
    menus = {c.params.get("language_code"): [x["command"] for x in c.params["commands"]]
             for c in fake.calls_of("setMyCommands")}
    assert menus == {None: ["lapor", "status", "batal", "bahasa", "bantuan", "data_saya",
                            "hapus_data"],
                     "en": ["report", "status", "cancel", "language", "help", "mydata",
                            "deletedata"]}
    assert server.post(group_message("/lapor@AduanKotaBot")).status_code == 200
    assert "pesan pribadi" in str(fake.wait_for_sent(-100123, 1)[0].params["text"])

    fake.add_file("ph-1", JPEG)
    siti = Citizen(server, fake, 9001)
    assert "Selamat datang" in siti.say("/start")
    assert siti.press("menu:lapor").startswith("Jenis laporan")
    # The pressed menu became the next question (one editMessageText, no new message).
    assert fake.calls_of("editMessageText")[0].params["text"].startswith("Jenis laporan")
    # The spinner is stopped by a follow-up task after the press is stored; it may land
    # just after the edit the citizen sees.
    fake.wait_until(lambda: len(fake.calls_of("answerCallbackQuery")) == 1,
                    what="answerCallbackQuery")
    siti.say("pengaduan")
    assert 'Maksud Anda kategori "Lampu jalan"' in siti.say("lampu jalan mati")
    siti.say("ya")
    siti.say(DESCRIPTION)
    siti.press("date:today")
    asking = fake.sent(siti.user.id)[-1].params["reply_markup"]
    assert asking["keyboard"][0][0]["request_location"] is True
    assert "Lokasi dicatat" in siti.send(siti.user.location(-0.888, 100.364))
    assert fake.sent(siti.user.id)[-1].params["reply_markup"] == {"remove_keyboard": True}
    assert "Foto diterima (1/5)" in siti.send(siti.user.photo("ph-1", size=len(JPEG)))
    siti.press("photos:done")
    summary = siti.press("privacy:rahasia")
    assert "Kategori: Lampu jalan" in summary and "Foto: 1" in summary
    number = re.search(r"ADU-\d{4}-\d{6}", siti.press("summary:confirm"))
    assert number, fake.texts(siti.user.id)[-1]
    assert f"{number.group(0)}\nJudul:" in siti.say(f"/status {number.group(0)}")
    metrics = httpx.get(f"{server.url}/metrics").text
    assert 'aduan_reports_created_total{channel="telegram"} 1.0' in metrics
    log = server.log.read_text()
    assert "webhook registered" in log
    assert TOKEN not in log and "9001" not in log and DESCRIPTION not in log


def test_a_coordinators_reply_to_the_new_report_notice_answers_the_citizen(
        start_server: Callable[..., TelegramServer], fake: FakeTelegram, db_url: str) -> None:
    server = start_server()
    coordinator = enrolled(server, fake, 9501, db_url, "diskominfo", "coordinator")
    siti = Citizen(server, fake, 9502)
    number = filed(siti)
    notice = coordinator.wait_for(f"📥 Laporan baru {number}")
    buttons = notice.params["reply_markup"]["inline_keyboard"]
    assert f"adm:verifikasi:{number}" in [b["callback_data"] for row in buttons for b in row]

    words = "Terima kasih, laporan sedang kami teruskan ke Dinas PUPR."
    done = coordinator.reply(notice.result["message_id"], words)
    assert f"Jawaban terkirim ke pelapor {number}" in done
    assert answer(COORDINATOR_OPD, words) in siti.wait_for(words).params["text"]


def test_an_officer_answers_with_balas_after_the_coordinator_verifies(
        start_server: Callable[..., TelegramServer], fake: FakeTelegram, db_url: str) -> None:
    server = start_server()
    coordinator = enrolled(server, fake, 9511, db_url, "diskominfo", "coordinator")
    officer = enrolled(server, fake, 9512, db_url, "pupr")
    siti = Citizen(server, fake, 9513)
    number = filed(siti)
    coordinator.wait_for(f"📥 Laporan baru {number}")
    assert "diteruskan ke" in coordinator.say(f"/verifikasi {number}")
    officer.wait_for(f"📌 Laporan {number}")

    words = "Tim akan menambal lubangnya besok pagi."
    done = officer.say(f"/balas {short_number(number)} {words}")
    assert f"Jawaban terkirim ke pelapor {number}" in done
    assert answer(PUPR, words) in siti.wait_for(words).params["text"]


def test_a_429_storm_loses_nothing_and_keeps_each_chats_order(
        start_server: Callable[..., TelegramServer], fake: FakeTelegram) -> None:
    server = start_server()
    fake.script.flood_sends, fake.script.retry_after = 5, 1
    commands = ["/bantuan", "/lapor", "/batal", "/status"]
    expected = [t("help.general", "id")[:20], t("type.prompt", "id"), t("cancelled", "id"),
                t("status.none", "id")]
    users = [TgUser(9100 + n) for n in range(3)]
    for command in commands:
        for user in users:
            assert server.post(user.text(command)).status_code == 200
    for user in users:
        fake.wait_for_sent(user.id, len(commands), timeout=20)
    floods = [c for c in fake.calls_of("sendMessage", ok_only=False) if c.status == 429]
    assert len(floods) == 5
    for user in users:
        texts = fake.texts(user.id)
        assert len(texts) == len(commands), texts
        assert all(want in got for want, got in zip(expected, texts, strict=True)), texts


def test_a_blocked_chat_stops_being_tried_and_does_not_stall_others(
        start_server: Callable[..., TelegramServer], fake: FakeTelegram, db_url: str) -> None:
    server = start_server()
    fake.script.blocked.add("9201")
    blocked, other = TgUser(9201), TgUser(9202)
    for command in ("/bantuan", "/lapor", "/batal"):
        assert server.post(blocked.text(command)).status_code == 200
        assert server.post(other.text(command)).status_code == 200
    fake.wait_for_sent(other.id, 3)
    time.sleep(0.5)
    # Each reply is tried once (a 403 is not retried); rows queued behind it are dropped too.
    attempts = fake.calls_of("sendMessage", "9201", ok_only=False)
    assert 1 <= len(attempts) <= 3 and {c.status for c in attempts} == {403}
    outbox, identities = table_of(OutboxRow), table_of(ChannelIdentityRow)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(select(outbox.c.status, outbox.c.attempts)
                            .where(outbox.c.chat_id == "9201")).all()
        marked = conn.execute(select(identities.c.unreachable_at)
                              .where(identities.c.chat_id == "9201")).scalar_one()
    engine.dispose()
    assert len(rows) == 3 and all(status == "failed" and tries <= 1 for status, tries in rows)
    assert marked is not None


def test_bad_webhook_requests_are_refused_and_nothing_is_stored(
        start_server: Callable[..., TelegramServer], fake: FakeTelegram, db_url: str) -> None:
    server = start_server()
    siti = TgUser(9301)
    inbound = table_of(InboundIdRow)
    before = count(db_url, inbound)
    assert server.post(siti.text("/start"), secret="wrong").status_code == 401
    assert server.post(siti.text("/start"), secret=None).status_code == 401
    assert server.post(siti.text("/start"), secret=SECRET[:-1]).status_code == 401
    assert count(db_url, inbound) == before
    assert server.post(b"{not json").status_code == 400
    assert server.post(b"[1, 2]").status_code == 400
    assert server.post({"update_id": "7"}).status_code == 400
    assert server.post({"update_id": 7, "message": {"text": "no chat"}}).status_code == 400
    # Fields Telegram always sends, missing: refused, not a failure of ours (no 5xx).
    for content in ({"location": {"latitude": 1.0}}, {"venue": {"title": "Pasar"}},
                    {"photo": [{"file_size": 10}]}, {"document": {"file_name": "a.pdf"}}):
        assert server.post(siti.message(**content)).status_code == 400, content
    nameless = siti.text("halo")
    nameless["message"]["from"] = {"id": siti.id, "is_bot": False}  # no first_name
    assert server.post(nameless).status_code == 400
    oversized = b'{"update_id": 8, "message": {"text": "' + b"x" * (1024 * 1024) + b'"}}'
    assert server.post(oversized).status_code == 413
    assert server.post({"update_id": 9, "poll": {"id": "p"}}).status_code == 200
    assert count(db_url, inbound) == before
    assert fake.sent() == []
    update = siti.text("/bantuan")
    assert [server.post(update).status_code for _ in range(3)] == [200, 200, 200]
    fake.wait_for_sent(siti.id, 1)
    time.sleep(0.3)
    assert len(fake.sent(siti.id)) == 1, "a repeated update_id gets one reply"


def test_long_polling_serves_a_laptop_without_a_public_url(
        start_server: Callable[..., TelegramServer], fake: FakeTelegram) -> None:
    server = start_server(mode="polling")
    fake.wait_until(lambda: fake.calls_of("getUpdates"), what="getUpdates")
    assert fake.calls_of("deleteWebhook") and fake.webhook is None
    siti = TgUser(9401)
    fake.push_update(siti.text("/start"))
    fake.wait_for_sent(siti.id, 1)
    menu = fake.sent(siti.id)[-1].result
    fake.push_update(siti.press(fake.message(menu["message_id"]), "menu:lapor"))
    fake.wait_for_sent(siti.id, 2)
    assert fake.texts(siti.id)[-1].startswith("Jenis laporan")
    assert server.post(siti.text("/start"), secret=None).status_code == 401
