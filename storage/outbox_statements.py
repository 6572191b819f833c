"""The dispatcher's statements on the outbox, built once with values bound at execution
(storage.columns.dialect_of says why)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, exists, func, or_, select, update

from storage.columns import one_of_literals, table_of
from storage.prepared import Prepared
from storage.tables import OutboxRow

_outbox = table_of(OutboxRow)
UNSENT = ("pending", "sending")


def unsent(table: Any) -> Any:
    """Spelled as the partial index `ix_outbox_unsent` is, with literal values: a planner uses
    it only for a condition it can see implies its own. Without it SQLite walked every row the
    channel was ever sent (by `ix_outbox_platform_message`) on every claim."""
    return one_of_literals(table.c.status, UNSENT)


def is_head_of_chat() -> Any:
    """No older unsent row in the same chat: a chat's messages go out strictly in order."""
    older = _outbox.alias("older")
    return ~exists().where(
        older.c.channel == _outbox.c.channel,
        older.c.chat_id == _outbox.c.chat_id,
        older.c.id < _outbox.c.id,
        unsent(older),
    )


def _pick_due() -> Any:
    """Up to `p_limit` due rows of `p_channels` at `p_now`, at most one per chat, oldest first."""
    now = bindparam("p_now", type_=_outbox.c.next_attempt_at.type)
    due = or_(
        and_(_outbox.c.status == "pending", _outbox.c.next_attempt_at <= now),
        # A worker that died mid-send leaves its lease behind; take the row over.
        and_(_outbox.c.status == "sending", _outbox.c.claimed_until < now),
    )
    return (
        select(_outbox.c.id)
        .where(_outbox.c.channel.in_(bindparam("p_channels", expanding=True)), unsent(_outbox),
               due, is_head_of_chat())
        .order_by(_outbox.c.id)
        .limit(bindparam("p_limit"))
        # PostgreSQL: concurrent claimers skip each other's rows instead of waiting or
        # double-claiming. SQLite renders nothing; BEGIN IMMEDIATE serialises claimers.
        .with_for_update(skip_locked=True, of=_outbox)
    )


PICK = _pick_due()
LEASE = (
    update(_outbox)
    .where(_outbox.c.id.in_(bindparam("p_ids", expanding=True)))
    .values(status="sending", claimed_until=bindparam("p_until", type_=_outbox.c.claimed_until.type),
            claimed_by=bindparam("p_owner"), attempts=_outbox.c.attempts + 1)
    .returning(_outbox.c.id, _outbox.c.channel, _outbox.c.chat_id, _outbox.c.payload,
               _outbox.c.attempts, _outbox.c.meta)
)


def _next_due() -> Any:
    """The earliest due head of a chat and the earliest lease to lapse, in one statement."""
    in_channels = _outbox.c.channel.in_(bindparam("p_channels", expanding=True))
    # Only heads of chats count: a later row that is due but queued behind an in-flight one
    # must not make the dispatcher spin.
    pending = (select(func.min(_outbox.c.next_attempt_at))
               .where(in_channels, unsent(_outbox), _outbox.c.status == "pending",
                      is_head_of_chat())
               .scalar_subquery())
    leases = (select(func.min(_outbox.c.claimed_until))
              .where(in_channels, unsent(_outbox), _outbox.c.status == "sending")
              .scalar_subquery())
    return select(pending.label("pending"), leases.label("lease"))


NEXT_DUE = _next_due()
SENT = Prepared(
    update(_outbox)
    .where(_outbox.c.id == bindparam("p_id"))
    .values(claimed_until=None, claimed_by=None, status="sent",
            sent_at=bindparam("p_now", type_=_outbox.c.sent_at.type), last_error=None,
            platform_message_id=bindparam("p_platform_id"))
    .returning(_outbox.c.meta)
)

# A pull channel's (the web chat's) messages after a cursor, and each fetched unsent one marked
# delivered: every request of the web chat runs them (SqlOutboxStore.fetch_for_chat), and
# through `Session.execute` they were a quarter of its server time (issue 19).
FOR_CHAT = Prepared(
    select(_outbox.c.id, _outbox.c.payload, _outbox.c.status, _outbox.c.created_at,
           _outbox.c.meta)
    .where(_outbox.c.channel == bindparam("p_channel"), _outbox.c.chat_id == bindparam("p_chat"),
           _outbox.c.id > bindparam("p_after"), _outbox.c.status != "failed")
    .order_by(_outbox.c.id)
    .limit(bindparam("p_limit"))
)
DELIVERED = Prepared(
    update(_outbox)
    .where(_outbox.c.id == bindparam("p_id"), unsent(_outbox))
    .values(status="delivered", sent_at=bindparam("p_now", type_=_outbox.c.sent_at.type),
            claimed_until=None)
)
