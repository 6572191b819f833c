"""Several workers on one PostgreSQL: `aduan serve --workers 2`, and two server processes
(two machines) behind a round-robin balancer. Every citizen gets every reply exactly once and
in order, a photo taken in by one process is re-sent by the other (photos in the database, or
in S3), `/metrics` reads the same
from any worker, and only one process polls Telegram.

Nudges and digests over several processes: tests/service/test_sla_processes.py."""

from __future__ import annotations

import itertools
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from storage.columns import table_of
from storage.engine import make_engine
from storage.tables import InboundIdRow, OutboxRow
from tests.e2e.admin_flow import REPORT_STEPS, invite, tracking_number
from tests.e2e.test_telegram_e2e import SECRET, Citizen, TelegramServer
from tests.fake_platforms.telegram_api import TOKEN, FakeTelegram

CITIZENS = 24
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8
_outbox = table_of(OutboxRow)


class Balancer:
    """Round robin over the servers, as a load balancer in front of two machines."""

    def __init__(self, servers: list[TelegramServer]) -> None:
        self.servers, self._next = servers, itertools.cycle(servers)
        self._lock = threading.Lock()

    def post(self, update: Any, **kwargs: Any) -> httpx.Response:
        with self._lock:
            server = next(self._next)
        return server.post(update, **kwargs)


@pytest.fixture
def start(db_url: str, tmp_path: Path,
          fake: FakeTelegram) -> Iterator[Callable[..., TelegramServer]]:
    if not db_url.startswith("postgresql"):
        pytest.skip("several machines share a PostgreSQL database (SQLite is one machine)")
    started: list[TelegramServer] = []

    def run(workers: int = 1, mode: str = "webhook", **env: str) -> TelegramServer:
        # Each process its own DATA_DIR, as on two machines: photos must go through the database.
        server = TelegramServer(db_url, tmp_path / f"data-{len(started)}", workers=workers)
        server.env.update({
            "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.url,
            "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_MODE": mode,
            "TELEGRAM_MESSAGES_PER_SECOND": "1000",
            "TELEGRAM_MESSAGES_PER_CHAT_PER_SECOND": "100", **env})
        if mode == "webhook":
            server.env["PUBLIC_BASE_URL"] = server.url
        server.start()
        started.append(server)
        return server

    yield run
    for server in started:
        server.kill(signal.SIGTERM)


def settled(db_url: str, timeout: float = 30) -> None:
    """Until the outbox has nothing left to send."""
    engine = make_engine(db_url)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                left = conn.execute(select(func.count()).select_from(_outbox).where(
                    _outbox.c.status.in_(("pending", "sending")))).scalar_one()
            if left == 0:
                return
            time.sleep(0.2)
        raise AssertionError(f"{left} message(s) still unsent after {timeout} s")
    finally:
        engine.dispose()


def shape(text: str) -> str:
    """A reply with its tracking number and counts blanked, to compare chats' dialogs."""
    return re.sub(r"\d+", "N", text)


def file_concurrently(front: Any, fake: FakeTelegram) -> dict[int, str]:
    """CITIZENS citizens file the pothole report at once; chat id -> tracking number."""
    def one(user_id: int) -> tuple[int, str]:
        citizen = Citizen(front, fake, user_id)
        for kind, value in REPORT_STEPS:
            citizen.step(kind, value)
        return user_id, tracking_number(citizen.wait_for("ADU-").params["text"])

    with ThreadPoolExecutor(CITIZENS) as pool:
        return dict(pool.map(one, range(70_001, 70_001 + CITIZENS)))


def assert_every_reply_once_in_order(fake: FakeTelegram, numbers: dict[int, str]) -> None:
    dialogs = {chat: [shape(t) for t in fake.texts(chat)] for chat in numbers}
    reference = next(iter(dialogs.values()))
    assert len(reference) >= len(REPORT_STEPS)
    assert all(dialog == reference for dialog in dialogs.values()), \
        "a chat got a reply twice, lost one or saw them out of order"
    assert len(set(numbers.values())) == CITIZENS  # one report each, no number twice


def scrape_counter(url: str, name: str) -> float:
    text = httpx.get(f"{url}/metrics", headers={"Connection": "close"}, timeout=10).text
    found = re.search(rf'^{name}{{channel="telegram"}} ([0-9.e+]+)$', text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def test_two_workers_answer_every_citizen_once_in_order_and_count_as_one(
        start: Callable[..., TelegramServer], fake: FakeTelegram, db_url: str) -> None:
    server = start(workers=2)
    numbers = file_concurrently(server, fake)
    settled(db_url)
    assert_every_reply_once_in_order(fake, numbers)
    # Any worker answers a scrape (new connection each time) with every worker's counts.
    reads = {scrape_counter(server.url, "aduan_reports_created_total") for _ in range(8)}
    assert reads == {float(CITIZENS)}


def test_two_machines_answer_every_citizen_once_in_order_and_share_photos(
        start: Callable[..., TelegramServer], fake: FakeTelegram, db_url: str) -> None:
    first, second = start(), start(SLA_SWEEPER="false")
    front = Balancer([first, second])
    numbers = file_concurrently(front, fake)
    settled(db_url)
    assert_every_reply_once_in_order(fake, numbers)

    # A photo taken in by the first machine is re-sent to an admin by whichever sends it
    # (MEDIA_STORE unset: the database, on PostgreSQL).
    photo_reaches_admin_through_the_other_machine(first, second, fake, db_url, "ph-77")


def test_two_machines_share_photos_through_s3(start: Callable[..., TelegramServer],
                                               fake: FakeTelegram, db_url: str,
                                               s3_endpoint: str) -> None:
    bucket = {"MEDIA_STORE": f"s3://aduan/e2e-{time.monotonic_ns()}",
              "S3_ENDPOINT_URL": s3_endpoint}
    first, second = start(**bucket), start(SLA_SWEEPER="false", **bucket)
    photo_reaches_admin_through_the_other_machine(first, second, fake, db_url, "ph-78")


def photo_reaches_admin_through_the_other_machine(first: TelegramServer, second: TelegramServer,
                                                  fake: FakeTelegram, db_url: str,
                                                  file_id: str) -> None:
    fake.add_file(file_id, JPEG)
    siti = Citizen(first, fake, 70_900)
    for kind, value in REPORT_STEPS:
        if value == "photos:done":
            assert "Foto diterima (1/5)" in siti.send(siti.user.photo(file_id, size=len(JPEG)))
        siti.step(kind, value)
    number = tracking_number(siti.wait_for("ADU-").params["text"])
    admin = Citizen(second, fake, 70_901)
    assert "Terdaftar sebagai" in admin.say(f"/daftar {invite(db_url, 'diskominfo', 'coordinator')}")
    admin.say(f"/lihat {number}")
    fake.wait_until(lambda: fake.photos(admin.user.id) == [JPEG], what="the photo re-sent")


def test_only_one_process_polls_telegram(start: Callable[..., TelegramServer],
                                         fake: FakeTelegram, db_url: str) -> None:
    servers = [start(workers=2, mode="polling"), start(mode="polling")]
    fake.wait_until(lambda: len(fake.calls_of("getUpdates")) >= 3, what="getUpdates")
    user = Citizen(servers[0], fake, 70_950).user
    for _ in range(6):
        fake.push_update(user.text("/bantuan"))
    fake.wait_for_sent(user.id, 6, timeout=20)
    time.sleep(3)  # long enough for a second poller to show up, if there were one
    assert fake.most_polls_at_once == 1
    assert len(fake.sent(user.id)) == 6  # each update handled once
    engine = make_engine(db_url)
    with engine.connect() as conn:
        seen = conn.execute(select(func.count()).select_from(table_of(InboundIdRow))).scalar_one()
    engine.dispose()
    assert seen == 6
