from __future__ import annotations

import threading
from datetime import UTC, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session
from sqlmodel import col

from core.messages import Channel, Option, Outbound
from storage.outbox_store import SqlOutboxStore
from storage.tables import ChannelIdentityRow, OutboxRow
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import NOW, make_citizen, put_messages

TG = Channel.TELEGRAM
WA = Channel.WHATSAPP
LEASE = 30.0


def _statuses(engine: Engine) -> dict[int, str]:
    with Session(engine) as session:
        rows = session.scalars(select(OutboxRow)).all()
        return {row.id: row.status for row in rows if row.id is not None}


def test_claim_returns_payload_and_leases_row(engine: Engine) -> None:
    store = SqlOutboxStore(engine)
    with SqlUnitOfWork(engine) as uow:
        message = Outbound(text="Pilih:", options=(Option("a", "A"),), report="X")
        row_id = uow.outbox.put(TG, "t1", message, NOW)
        uow.commit()
    [claimed] = store.claim([TG], NOW, limit=10, lease_seconds=LEASE)
    assert (claimed.id, claimed.channel, claimed.chat_id) == (row_id, TG, "t1")
    assert claimed.message == message
    assert (claimed.attempts, claimed.meta) == (1, {})
    assert _statuses(engine) == {row_id: "sending"}
    assert store.claim([TG], NOW, limit=10, lease_seconds=LEASE) == []


def test_claim_takes_only_the_oldest_message_of_each_chat(engine: Engine) -> None:
    store = SqlOutboxStore(engine)
    a1, b1, a2, w1, b2 = put_messages(
        engine, (TG, "a"), (TG, "b"), (TG, "a"), (WA, "w"), (TG, "b")
    )
    assert [m.id for m in store.claim([TG], NOW, 10, LEASE)] == [a1, b1]
    # In flight: the next message of each chat waits.
    assert store.claim([TG], NOW, 10, LEASE) == []
    store.mark_sent(a1, "tg-1", NOW)
    assert [m.id for m in store.claim([TG], NOW, 10, LEASE)] == [a2]
    assert [m.id for m in store.claim([WA, TG], NOW, 10, LEASE)] == [w1]
    store.mark_failed(b1, "bad request", NOW)  # a failed message does not block the chat
    assert [m.id for m in store.claim([TG], NOW, 10, LEASE)] == [b2]


def test_message_in_retry_holds_back_the_rest_of_its_chat(engine: Engine) -> None:
    store = SqlOutboxStore(engine)
    first, second = put_messages(engine, (TG, "a"), (TG, "a"))
    store.claim([TG], NOW, 10, LEASE)
    later = NOW + timedelta(seconds=20)
    store.mark_retry(first, later, "429 retry_after=20", NOW)
    assert store.claim([TG], NOW + timedelta(seconds=5), 10, LEASE) == []
    assert store.next_due([TG], NOW) == later
    [again] = store.claim([TG], later, 10, LEASE)
    assert (again.id, again.attempts) == (first, 2)
    store.mark_sent(first, "tg-2", later)
    assert [m.id for m in store.claim([TG], later, 10, LEASE)] == [second]


def test_expired_lease_is_reclaimed(engine: Engine) -> None:
    store = SqlOutboxStore(engine)
    [row_id] = put_messages(engine, (TG, "a"))
    store.claim([TG], NOW, 10, LEASE)
    assert store.claim([TG], NOW + timedelta(seconds=LEASE - 1), 10, LEASE) == []
    assert store.next_due([TG], NOW) == NOW + timedelta(seconds=LEASE)
    [reclaimed] = store.claim([TG], NOW + timedelta(seconds=LEASE + 1), 10, LEASE)
    assert (reclaimed.id, reclaimed.attempts) == (row_id, 2)


def test_next_due_ignores_messages_queued_behind_an_in_flight_one(engine: Engine) -> None:
    store = SqlOutboxStore(engine)
    assert store.next_due([TG], NOW) is None
    put_messages(engine, (TG, "a"), (TG, "a"), at=NOW - timedelta(seconds=5))
    assert store.next_due([TG], NOW) == NOW  # due already: no sleeping
    store.claim([TG], NOW, 10, LEASE)
    # Only the lease is left to wait for, not the blocked second row (no busy loop).
    assert store.next_due([TG], NOW) == NOW + timedelta(seconds=LEASE)
    assert store.next_due([WA], NOW) is None


def test_concurrent_claimers_never_share_a_row(engine: Engine) -> None:
    store = SqlOutboxStore(engine)
    ids = put_messages(engine, *[(TG, f"chat-{i}") for i in range(60)])
    claimed: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(6)

    def worker() -> None:
        barrier.wait()
        while batch := store.claim([TG], NOW, 4, LEASE):
            with lock:
                claimed.extend(m.id for m in batch)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(claimed) == ids


@pytest.mark.postgres
def test_claim_skips_rows_locked_by_another_worker(pg_engine: Engine) -> None:
    engine = pg_engine
    store = SqlOutboxStore(engine)
    ids = put_messages(engine, *[(TG, f"chat-{i}") for i in range(4)])
    with Session(engine) as other, other.begin():
        # Another worker is in the middle of claiming the first two rows.
        other.execute(
            select(col(OutboxRow.id)).where(col(OutboxRow.id).in_(ids[:2])).with_for_update()
        ).all()
        got = [m.id for m in store.claim([TG], NOW, 10, LEASE)]
    assert got == ids[2:]


def test_unreachable_chat_fails_its_queue_and_is_marked(engine: Engine) -> None:
    store = SqlOutboxStore(engine)
    make_citizen(engine, "blocked")
    a1, a2, other = put_messages(engine, (TG, "blocked"), (TG, "blocked"), (TG, "fine"))
    store.claim([TG], NOW, 10, LEASE)
    store.mark_chat_unreachable(TG, "blocked", NOW)
    assert _statuses(engine) == {a1: "failed", a2: "failed", other: "sending"}
    with Session(engine) as session:
        identity = session.scalars(
            select(ChannelIdentityRow).where(col(ChannelIdentityRow.chat_id) == "blocked")
        ).one()
        assert identity.unreachable_at == NOW
        errors = session.scalars(
            select(col(OutboxRow.last_error)).where(col(OutboxRow.id).in_([a1, a2]))
        ).all()
        assert errors == ["unreachable", "unreachable"]
    assert store.failures()["telegram"] == 2
    # Writing again proves the chat is reachable.
    make_citizen(engine, "blocked")
    with Session(engine) as session:
        identity = session.scalars(
            select(ChannelIdentityRow).where(col(ChannelIdentityRow.chat_id) == "blocked")
        ).one()
        assert identity.unreachable_at is None


def test_depth_and_failures_are_counted_per_channel(engine: Engine) -> None:
    store = SqlOutboxStore(engine)
    t1, _t2, _w1, _x = put_messages(engine, (TG, "a"), (TG, "b"), (WA, "w"), (Channel.WEB, "x"))
    store.claim([TG], NOW, 1, LEASE)
    store.mark_failed(t1, "400", NOW)
    assert store.depth() == {"telegram": 1, "whatsapp": 1, "web": 1}  # API reports have no chat: no outbox
    assert store.failures() == {"telegram": 1, "whatsapp": 0, "web": 0}


def test_web_chat_pulls_its_messages_once_delivered(engine: Engine) -> None:
    store = SqlOutboxStore(engine)
    w1, _other, w2 = put_messages(engine, (Channel.WEB, "s1"), (Channel.WEB, "s2"),
                                  (Channel.WEB, "s1"))
    fetched = store.fetch_for_chat(Channel.WEB, "s1", after_id=0, limit=10, now=NOW)
    assert [(i, m.text) for i, m, _ in fetched] == [(w1, "m0"), (w2, "m2")]
    assert all(at == NOW and at.tzinfo is UTC for _, _, at in fetched)
    assert _statuses(engine)[w1] == "delivered"
    assert store.depth()["web"] == 1  # only the other chat's message is still waiting
    # A lost response is fetched again; after_id moves the window forward.
    assert [i for i, _, _ in store.fetch_for_chat(Channel.WEB, "s1", 0, 10)] == [w1, w2]
    assert [i for i, _, _ in store.fetch_for_chat(Channel.WEB, "s1", w1, 10)] == [w2]
    assert store.fetch_for_chat(Channel.WEB, "s1", w2, 10) == []
    with Session(engine) as session:
        sent_at = session.scalars(
            select(col(OutboxRow.sent_at)).where(col(OutboxRow.id) == w1)
        ).one()
        assert sent_at == NOW


def test_a_one_channel_claim_reads_only_unsent_rows(engine: Engine) -> None:
    # Issue 19: without the partial index in the plan, SQLite walked every row the channel was
    # ever sent (ix_outbox_platform_message) on every claim: 1.3 ms, growing with the outbox.
    if engine.dialect.name != "sqlite":
        pytest.skip("the plan is SQLite's; PostgreSQL plans by its statistics")
    seen: list[tuple[str, Any]] = []
    event.listen(engine, "before_cursor_execute",
                 lambda _c, _cu, sql, params, _ctx, _many: seen.append((sql, params)))
    SqlOutboxStore(engine).claim([TG], NOW, limit=10, lease_seconds=LEASE)
    sql, params = next((s, p) for s, p in seen if s.startswith("SELECT outbox.id"))
    with engine.connect() as conn:
        plan = [row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
    assert any("ix_outbox_unsent (channel=?)" in step for step in plan), plan
    assert not any("ix_outbox_platform_message" in step for step in plan), plan
