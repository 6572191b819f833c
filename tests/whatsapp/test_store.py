"""Held messages and delivery reports in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.dispatcher import Dispatcher
from core.messages import Channel, Outbound
from core.ports import OutgoingMessage, SendOutcome, SendResult
from storage.outbox_store import SqlOutboxStore
from storage.tables import ChannelIdentityRow, OutboxRow
from storage.uow import SqlUnitOfWork
from storage.whatsapp_store import SqlWhatsAppStore, StatusEffect
from tests.fakes import FakeClock
from tests.storage.helpers import NOW, make_citizen, put_messages

WA = Channel.WHATSAPP
LEASE = 30.0


def statuses(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return list(session.scalars(select(OutboxRow.status).order_by(OutboxRow.id)))  # type: ignore[arg-type]


def test_a_held_message_blocks_nothing_and_is_released_in_its_place(engine: Engine) -> None:
    store = SqlOutboxStore(engine)
    make_citizen(engine, "w", WA)
    held, later = put_messages(engine, (WA, "w"), (WA, "w"))
    store.claim([WA], NOW, 10, LEASE)
    store.mark_held(held, "wamid.TEMPLATE", "outside the window", NOW)
    assert [m.id for m in store.claim([WA], NOW, 10, LEASE)] == [later]
    store.mark_sent(later, "wamid.2", NOW)
    assert store.next_due([WA], NOW) is None  # held rows never make the dispatcher spin

    opened = NOW + timedelta(hours=30)
    assert store.release_held(WA, "w", opened) == 1
    [newest] = put_messages(engine, (WA, "w"), at=opened)  # the reply to the new message
    [first] = store.claim([WA], opened, 10, LEASE)
    assert (first.id, first.attempts) == (held, 1)  # before the reply, attempts counted anew
    assert store.claim([WA], opened, 10, LEASE) == []
    store.mark_sent(held, "wamid.3", opened)
    assert [m.id for m in store.claim([WA], opened, 10, LEASE)] == [newest]
    with Session(engine) as session:
        identity = session.scalars(select(ChannelIdentityRow)).one()
    assert identity.last_inbound_at == opened
    assert store.release_held(WA, "w", opened) == 0


async def test_the_dispatcher_records_a_held_outcome(engine: Engine) -> None:
    class Holding:
        channel = WA

        async def send(self, item: OutgoingMessage) -> SendResult:
            return SendResult(SendOutcome.HELD, platform_message_id="wamid.T", error="window")

    [row_id] = put_messages(engine, (WA, "w"))
    dispatcher = Dispatcher(SqlOutboxStore(engine), {}, FakeClock(NOW))
    dispatcher.add_sender(Holding())
    assert await dispatcher.drain_once() == 1
    with Session(engine) as session:
        row = session.get_one(OutboxRow, row_id)
    assert (row.status, row.platform_message_id, row.last_error) == ("held", "wamid.T", "window")


def test_chat_state_gives_the_last_inbound_time_and_language(engine: Engine) -> None:
    make_citizen(engine, "w", WA)
    store = SqlWhatsAppStore(engine)
    state = store.chat_state("w")
    assert state is not None and (state.last_inbound_at, state.language) == (NOW, "id")
    assert store.chat_state("nobody") is None


def test_progress_is_merged_into_the_meta(engine: Engine) -> None:
    [row_id] = put_messages(engine, (WA, "w"))
    store = SqlWhatsAppStore(engine)
    store.save_progress(row_id, {"wa_parts_sent": 1})
    store.save_progress(row_id, {"wa_last_id": "wamid.1"})
    [claimed] = SqlOutboxStore(engine).claim([WA], NOW, 10, LEASE)
    assert claimed.meta == {"wa_parts_sent": 1, "wa_last_id": "wamid.1"}


def test_delivery_reports_only_touch_the_row_of_that_chat_and_message(engine: Engine) -> None:
    outbox, store = SqlOutboxStore(engine), SqlWhatsAppStore(engine)
    with SqlUnitOfWork(engine) as uow:
        mine = uow.outbox.put(WA, "w", Outbound("x", report="ADU-2026-000001"), NOW)
        other = uow.outbox.put(WA, "v", Outbound("y"), NOW)
        uow.commit()
    outbox.claim([WA], NOW, 10, LEASE)
    outbox.mark_sent(mine, "wamid.1", NOW)
    outbox.mark_sent(other, "wamid.2", NOW)
    assert store.apply_status("v", "wamid.1", "delivered", StatusEffect.RECORDED, None, NOW) \
        is StatusEffect.UNKNOWN
    assert store.apply_status("w", "wamid.1", "read", StatusEffect.RECORDED, None, NOW) \
        is StatusEffect.RECORDED
    assert statuses(engine) == ["read", "sent"]
    assert store.apply_status("w", "wamid.1", "failed", StatusEffect.RETRY, "e", NOW) \
        is StatusEffect.UNKNOWN  # read is final
    assert store.apply_status("v", "wamid.2", "failed", StatusEffect.RETRY, "131000", NOW) \
        is StatusEffect.RETRY
    assert statuses(engine) == ["read", "pending"]
    assert outbox.next_due([WA], NOW) == NOW + timedelta(seconds=30)
