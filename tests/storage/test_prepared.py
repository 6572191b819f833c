"""Prepared statements (`storage.prepared`) give what `Session.execute` gives: the same rows and
types, the same errors, the same transaction, and cursor events that still see them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, bindparam, event, func, insert, select, update
from sqlalchemy.exc import IntegrityError, NoResultFound, StatementError
from sqlalchemy.orm import Session

from storage.columns import table_of
from storage.prepared import Prepared
from storage.tables import InboundIdRow, OutboxRow

_outbox = table_of(OutboxRow)
_inbound = table_of(InboundIdRow)
NOW = datetime(2026, 12, 5, 8, 30, tzinfo=UTC)

_PUT = Prepared(insert(_outbox).returning(_outbox.c.id, _outbox.c.created_at))
_ROW = Prepared(select(_outbox.c.id, _outbox.c.status, _outbox.c.next_attempt_at,
                       (_outbox.c.attempts + 1).label("tries"))
                .where(_outbox.c.chat_id == bindparam("p_chat")).order_by(_outbox.c.id))
_SENT = Prepared(update(_outbox).where(_outbox.c.chat_id == bindparam("p_chat"))
                 .values(status="sent", sent_at=bindparam("p_now", type_=_outbox.c.sent_at.type))
                 .returning(_outbox.c.id))
_MANY = Prepared(select(_outbox.c.id).where(_outbox.c.id.in_(bindparam("p_ids", expanding=True))))


def _values(chat: str, **extra: Any) -> dict[str, Any]:
    return {"channel": "telegram", "chat_id": chat, "payload": "{}", "meta": "{}",
            "status": "pending", "attempts": 0, "next_attempt_at": NOW, "created_at": NOW,
            **extra}


def test_rows_and_types_match_sqlalchemys_own_execution(engine: Engine) -> None:
    with Session(engine) as session:
        first = _PUT.run(session, _values("c1")).one()
        _PUT.run(session, _values("c1", attempts=2))
        assert isinstance(first.id, int) and first.created_at == NOW
        prepared = _ROW.run(session, {"p_chat": "c1"}).all()
        plain = session.execute(_ROW.statement, {"p_chat": "c1"}).all()
        assert [tuple(r) for r in prepared] == [tuple(r) for r in plain]
        assert [r.tries for r in prepared] == [1, 3]
        # Aware UTC back, as `UtcDateTime` promises on both databases.
        assert prepared[0].next_attempt_at == NOW and prepared[0].next_attempt_at.tzinfo
        changed = _SENT.run(session, {"p_chat": "c1", "p_now": NOW + timedelta(minutes=1)})
        assert sorted(changed.scalars()) == [r.id for r in prepared]
        session.commit()
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(_outbox)
                              .where(_outbox.c.status == "sent")) == 2


def test_statements_run_in_the_callers_transaction(engine: Engine) -> None:
    with Session(engine) as session:
        _PUT.run(session, _values("gone"))
        session.rollback()
        assert _ROW.run(session, {"p_chat": "gone"}).all() == []
    with engine.connect() as conn:  # a Connection not yet begun begins, as `execute` would
        _PUT.run(conn, _values("kept"))
        assert conn.in_transaction()
        conn.commit()
    with Session(engine) as session:
        assert len(_ROW.run(session, {"p_chat": "kept"}).all()) == 1


def test_result_helpers_say_what_is_wrong(engine: Engine) -> None:
    with Session(engine) as session:
        with pytest.raises(NoResultFound):
            _ROW.run(session, {"p_chat": "nobody"}).one()
        assert _ROW.run(session, {"p_chat": "nobody"}).scalar_one_or_none() is None
        with pytest.raises(AttributeError):
            _ = _PUT.run(session, _values("c2")).one().no_such_column


def test_errors_are_sqlalchemys_and_the_transaction_is_still_usable(engine: Engine) -> None:
    record = Prepared(insert(_inbound).returning(_inbound.c.external_id))
    with Session(engine) as session:
        with pytest.raises(StatementError, match="naive datetime"):
            _PUT.run(session, _values("c3", created_at=datetime(2026, 12, 5)))
        record.run(session, {"channel": "telegram", "external_id": "1", "received_at": NOW})
        session.commit()
    with Session(engine) as session, pytest.raises(IntegrityError):
        record.run(session, {"channel": "telegram", "external_id": "1", "received_at": NOW})


def test_what_the_shortcut_cannot_do_goes_through_execute(engine: Engine) -> None:
    with Session(engine) as session:
        # `meta` left out: its Python-side default ("{}") is applied, as the ORM would.
        values = _values("c4")
        del values["meta"]
        row_id = _PUT.run(session, values).scalar_one()
        assert session.scalar(select(_outbox.c.meta).where(_outbox.c.id == row_id)) == "{}"
        # An expanding IN list.
        other = _PUT.run(session, _values("c4")).scalar_one()
        assert sorted(_MANY.run(session, {"p_ids": [row_id, other, 10**9]}).scalars()) == \
            sorted([row_id, other])
        # A value the statement does not take: ignored, as `Session.execute` ignores it.
        extra = {"p_chat": "c4", "p_unknown": 1}
        assert [tuple(r) for r in _ROW.run(session, extra)] == \
            [tuple(r) for r in session.execute(_ROW.statement, extra)]


def test_cursor_events_see_prepared_statements(engine: Engine) -> None:
    seen: list[tuple[str, Any]] = []

    def before(_conn: Any, _cursor: Any, sql: str, params: Any, *_: Any) -> None:
        seen.append((sql, params))

    event.listen(engine, "before_cursor_execute", before)
    try:
        with Session(engine) as session:
            _ROW.run(session, {"p_chat": "c5"})
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert any("FROM outbox" in sql and "c5" in str(params) for sql, params in seen), seen
