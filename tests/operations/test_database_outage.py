"""The database goes away under load and comes back: Telegram's webhook answers 503 meanwhile
(so Telegram delivers again), `/healthz` says so, nothing is half stored, and the service
resumes by itself. On a PostgreSQL server of the test's own (tests/private_postgres.py)."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from storage.columns import table_of
from storage.engine import make_engine
from storage.tables import InboundIdRow
from tests.e2e.test_telegram_e2e import SECRET, TelegramServer
from tests.fake_platforms.telegram_api import TOKEN, FakeTelegram
from tests.fake_platforms.telegram_updates import TgUser
from tests.private_postgres import PrivatePostgres

CHATS, UPDATES_PER_CHAT = 8, 12


@pytest.fixture
def database() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    server.start()
    yield server
    server.destroy()


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    fake = FakeTelegram().start()
    yield fake
    fake.stop()


class Telegram:
    """Delivers each chat's updates in order, again and again until one is acknowledged with
    200 (as Telegram does); records every status it got."""

    def __init__(self, server: TelegramServer) -> None:
        self.server = server
        self.statuses: list[int] = []
        self.acknowledged: list[float] = []  # when each 200 came back (monotonic)
        self._lock = threading.Lock()

    def deliver(self, update: dict[str, Any], give_up: float) -> None:
        while time.monotonic() < give_up:
            try:
                status = self.server.post(update).status_code
            except httpx.TransportError:
                status = 0
            with self._lock:
                self.statuses.append(status)
                if status == 200:
                    self.acknowledged.append(time.monotonic())
            if status == 200:
                return
            time.sleep(0.2)
        raise AssertionError(f"update {update['update_id']} never acknowledged")


def test_an_outage_gets_503s_then_everything_resumes_and_nothing_is_half_stored(
        database: PrivatePostgres, fake: FakeTelegram, tmp_path: Path) -> None:
    server = TelegramServer(database.url, tmp_path / "data")
    server.env.update({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.url,
                       "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_MODE": "webhook",
                       "PUBLIC_BASE_URL": server.url, "TELEGRAM_MESSAGES_PER_SECOND": "1000",
                       "TELEGRAM_MESSAGES_PER_CHAT_PER_SECOND": "100", "LOG_LEVEL": "WARNING"})
    server.start()
    telegram = Telegram(server)
    users = [TgUser(80_000 + n) for n in range(CHATS)]
    give_up = time.monotonic() + 180

    def chat(user: TgUser) -> None:
        for _ in range(UPDATES_PER_CHAT):
            telegram.deliver(user.command("/bantuan"), give_up)
            time.sleep(0.15)

    try:
        senders = [threading.Thread(target=chat, args=(u,)) for u in users]
        for sender in senders:
            sender.start()
        time.sleep(1.0)  # under load
        database.stop("immediate")
        down_at = time.monotonic()
        time.sleep(2.0)
        health = httpx.get(f"{server.url}/healthz", timeout=10)
        during = list(telegram.statuses)
        database.start()
        up_at = time.monotonic()
        for sender in senders:
            sender.join(200)
        recovered = time.monotonic()
        fake.wait_until(lambda: all(len(fake.sent(u.id)) >= UPDATES_PER_CHAT for u in users),
                        timeout=60, what="every reply")
        time.sleep(1.0)  # a duplicate would show up now
    finally:
        server.kill(signal.SIGTERM)

    assert health.status_code == 503 and health.json()["status"] == "error"
    assert 503 in during, "the webhook answered while the database was down"
    assert not [s for s in telegram.statuses if s >= 500 and s != 503]
    # Every update taken in once, every chat answered once per update, in order.
    assert all(len(fake.sent(u.id)) == UPDATES_PER_CHAT for u in users)
    engine = make_engine(database.url)
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(table_of(InboundIdRow))).scalar()
    engine.dispose()
    assert stored == CHATS * UPDATES_PER_CHAT
    first_ok = min(t for t in telegram.acknowledged if t > up_at) - up_at
    print(f"\noutage {up_at - down_at:.1f} s; first webhook acknowledged {first_ok:.2f} s and "
          f"every chat done {recovered - up_at:.1f} s after the database came back; "
          f"{telegram.statuses.count(503)} answers were 503")
