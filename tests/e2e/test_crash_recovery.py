"""kill -9 and SIGTERM under load (issue 20): ≥ 50 citizens write at once to a real `aduan serve`
whose Bot API answers slowly (so sends are on the wire); the server is killed, restarted, and
the updates it never acknowledged are delivered again, as Telegram does. Every chat that was
owed a message (an unsent outbox row, or an acknowledged update still in the inbox) gets it
within 5 s of the restart, and at most the sends literally in flight at
the kill arrive twice (≤ 5). SIGTERM: the process exits within 10 s, leaving nothing claimed."""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from storage.columns import table_of
from storage.engine import make_engine
from storage.tables import InboxRow, OutboxRow
from tests.e2e.conftest import Server
from tests.fake_platforms.telegram_api import TOKEN, FakeTelegram
from tests.fake_platforms.telegram_updates import TgUser

SECRET = "crash-webhook-secret_0123456789"
CITIZENS = 50
SAYINGS = ("/start", "/lapor", "Jalan rusak berlubang besar di depan pasar", "/bantuan", "/batal")
KILL_AFTER_ACKS = 80  # as in the measurement of issue 20
BOT_API_LATENCY = 0.05  # seconds per Bot API call (DESIGN.md's figure): sends are in flight
# The 5 s bound is for a host where `aduan serve` starts in NOMINAL_START seconds (1.7–3 s in
# issue 20); on a slower or loaded host it is scaled by the measured restart time, and the
# factor is printed. The duplicate bound is never scaled.
OWED_WITHIN = 5.0
NOMINAL_START = 3.0
REDELIVERY_CONNECTIONS = 20  # Telegram delivers to a webhook over up to 40 connections
_outbox = table_of(OutboxRow)
_inbox = table_of(InboxRow)


class Crowd:
    """Citizens writing at once; an update not answered 200 stays owed and is re-delivered."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.users = [TgUser(880_000 + i) for i in range(CITIZENS)]
        self.acks = 0
        self.owed: dict[int, dict[str, Any]] = {}  # user id → the update to deliver again
        self._lock = threading.Lock()
        self.down = threading.Event()

    def post(self, update: dict[str, Any]) -> bool:
        try:
            response = httpx.post(f"{self.server.url}/webhook/telegram", json=update, timeout=15,
                                  headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        except httpx.TransportError:
            return False
        return response.status_code == 200

    def talk(self, user: TgUser) -> None:
        for saying in SAYINGS:
            if self.down.is_set():
                return
            update = user.command(saying) if saying.startswith("/") else user.text(saying)
            if not self.post(update):
                with self._lock:
                    self.owed[user.id] = update
                return
            with self._lock:
                self.acks += 1

    def run_until_killed(self, kill: Callable[[], None]) -> None:
        with ThreadPoolExecutor(CITIZENS) as pool:
            futures = [pool.submit(self.talk, user) for user in self.users]
            while self.acks < KILL_AFTER_ACKS and not all(f.done() for f in futures):
                time.sleep(0.005)
            kill()
            self.down.set()

    def redeliver(self) -> None:
        """Telegram retries what was not acknowledged until it is, over several connections."""
        def again(update: dict[str, Any]) -> None:
            deadline = time.monotonic() + 30
            while not self.post(update):
                assert time.monotonic() < deadline, "a re-delivered update was never accepted"
                time.sleep(0.05)

        with ThreadPoolExecutor(REDELIVERY_CONNECTIONS) as pool:
            list(pool.map(again, list(self.owed.values())))


def outbox_rows(db_url: str) -> list[Any]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(select(_outbox.c.id, _outbox.c.chat_id, _outbox.c.status)
                                     .where(_outbox.c.channel == "telegram")))
    finally:
        engine.dispose()


def inbox_ids(db_url: str) -> set[int]:
    """Updates acknowledged (stored) and not yet handled."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return set(conn.execute(select(_inbox.c.id)).scalars())
    finally:
        engine.dispose()


def inbox_held(db_url: str) -> list[str]:
    """Owners of inbox rows (a clean stop leaves none owned)."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return [o for o in conn.execute(select(_inbox.c.claimed_by)).scalars() if o]
    finally:
        engine.dispose()


def unsent(db_url: str) -> set[int]:
    """Ids of the messages not sent yet."""
    return {r.id for r in outbox_rows(db_url) if r.status in ("pending", "sending")}


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    made = FakeTelegram().start()
    made.script.latency = BOT_API_LATENCY
    yield made
    made.stop()


@pytest.fixture
def make_server(db_url: str, tmp_path: Path, fake: FakeTelegram) -> Iterator[Callable[[], Server]]:
    started: list[Server] = []

    def make() -> Server:
        server = Server(db_url, tmp_path / "data")
        server.env.update({
            "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.url,
            "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_MODE": "webhook",
        })  # Telegram's own pacing (30/s, about 1/s per chat), as in production
        started.append(server)
        return server

    yield make
    for server in started:
        server.kill(signal.SIGTERM)


def deliveries_per_chat(fake: FakeTelegram) -> Counter[str]:
    """The bot's words per chat: new messages, and questions edited into a pressed message."""
    return Counter(str(c.params.get("chat_id")) for c in fake.sent())


def settle(db_url: str, owed: set[int], timeout: float, stored: set[int] | None = None) -> float:
    """Seconds until every `owed` message is sent and every `stored` update handled (fails
    after `timeout`)."""
    began = time.monotonic()
    stored = stored or set()
    while (unsent(db_url) & owed) or (inbox_ids(db_url) & stored):
        assert time.monotonic() - began < timeout, (
            f"{len(unsent(db_url) & owed)} of {len(owed)} messages unsent, "
            f"{len(inbox_ids(db_url) & stored)} of {len(stored)} stored updates unhandled "
            f"after {timeout} s")
        time.sleep(0.05)
    return time.monotonic() - began


def settle_everything(db_url: str, timeout: float) -> None:
    """Until nothing is left in the inbox and every message is sent."""
    deadline = time.monotonic() + timeout
    while True:
        left = inbox_ids(db_url)
        settle(db_url, unsent(db_url), max(deadline - time.monotonic(), 0.01), left)
        if not inbox_ids(db_url) and not unsent(db_url):
            return


def test_after_kill_9_every_owed_chat_gets_its_message_within_5_s_and_few_twice(
        db_url: str, fake: FakeTelegram, make_server: Callable[[], Server]) -> None:
    server = make_server()
    server.start()
    crowd = Crowd(server)
    crowd.run_until_killed(lambda: server.kill(signal.SIGKILL))
    owed = unsent(db_url)
    owed_chats = {r.chat_id for r in outbox_rows(db_url) if r.id in owed}
    stored = inbox_ids(db_url)  # acknowledged, not handled: their answers are owed too
    sent_at_kill = sum(deliveries_per_chat(fake).values())

    restarted_at = time.monotonic()
    server.start()
    healthy = time.monotonic()
    # Telegram re-delivers meanwhile; every chat owed a message at the kill gets it within 5 s
    # of the new process answering, the re-delivered updates' replies follow.
    ready = healthy - restarted_at
    slowness = max(1.0, ready / NOMINAL_START)
    with ThreadPoolExecutor(1) as telegram:
        redelivered = telegram.submit(crowd.redeliver)
        waited = settle(db_url, owed, timeout=OWED_WITHIN * slowness, stored=stored)
        redelivered.result()
    settle_everything(db_url, timeout=30.0)
    everything = time.monotonic() - healthy

    rows = outbox_rows(db_url)
    assert all(r.status == "sent" for r in rows)
    delivered = deliveries_per_chat(fake)
    twice = sum(delivered.values()) - len(rows)
    missing = [r.chat_id for r in rows if delivered[r.chat_id] < 1]
    print(f"\nkill -9: {crowd.acks} updates acknowledged before the kill, {len(crowd.owed)} "
          f"re-delivered, {len(owed_chats)} chats owed {len(owed)} messages and {len(stored)} "
          f"stored updates, {sent_at_kill} sends "
          f"before the "
          f"kill; restart healthy in {ready:.2f} s (host slowness ×{slowness:.1f}); every owed "
          f"message sent {waited:.2f} s after, "
          f"all re-delivered updates answered {everything:.2f} s after; "
          f"{len(rows)} messages, {twice} delivered twice")
    assert not missing
    assert len(owed) + len(stored) > 0, "the kill landed with nothing owed: the test proved nothing"
    assert 0 <= twice <= 5


def test_sigterm_finishes_claimed_sends_releases_the_rest_and_exits_within_10_s(
        db_url: str, fake: FakeTelegram, make_server: Callable[[], Server]) -> None:
    server = make_server()
    server.start()
    crowd = Crowd(server)
    process = server.process
    assert process is not None
    began: list[float] = []

    def terminate() -> None:
        began.append(time.monotonic())
        process.send_signal(signal.SIGTERM)

    crowd.run_until_killed(terminate)
    process.wait(15)
    exited = time.monotonic() - began[0]
    left = [r for r in outbox_rows(db_url) if r.status == "sending"]
    held = inbox_held(db_url)
    server.process = None

    server.start()
    healthy = time.monotonic()
    crowd.redeliver()
    settle_everything(db_url, timeout=30.0)
    waited = time.monotonic() - healthy
    rows = outbox_rows(db_url)
    twice = sum(deliveries_per_chat(fake).values()) - len(rows)
    print(f"\nSIGTERM: exited in {exited:.2f} s, {len(left)} outbox and {len(held)} inbox rows left claimed; "
          f"after restart "
          f"the rest went out in {waited:.2f} s; {len(rows)} messages, {twice} delivered twice")
    assert exited <= 10.0
    assert left == []
    assert held == []
    assert twice == 0
