from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from core.messages import Channel, Outbound
from storage.tables import CitizenRow, OutboxRow
from storage.uow import SqlUnitOfWork, SqlUnitOfWorkFactory
from tests.storage.helpers import NOW


def _count(engine: Engine, model: type[CitizenRow] | type[OutboxRow]) -> int:
    with SqlUnitOfWork(engine) as uow:
        return int(uow.session.execute(select(func.count()).select_from(model)).scalar_one())


def test_unit_of_work_rolls_back_without_commit(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.citizens.get_or_create(Channel.WEB, "w1", None, None, "id", NOW)
        uow.outbox.put(Channel.WEB, "w1", Outbound(text="halo"), NOW)
    assert _count(engine, CitizenRow) == 0
    assert _count(engine, OutboxRow) == 0


def test_unit_of_work_rolls_back_on_exception(engine: Engine) -> None:
    with pytest.raises(RuntimeError), SqlUnitOfWork(engine) as uow:
        uow.citizens.get_or_create(Channel.WEB, "w1", None, None, "id", NOW)
        raise RuntimeError("boom")
    assert _count(engine, CitizenRow) == 0


def test_work_after_the_last_commit_is_discarded(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.citizens.get_or_create(Channel.WEB, "w1", None, None, "id", NOW)
        uow.commit()
        uow.citizens.get_or_create(Channel.WEB, "w2", None, None, "id", NOW)
    assert _count(engine, CitizenRow) == 1


def test_on_commit_fires_after_commit_that_queued_messages(engine: Engine) -> None:
    seen_rows: list[int] = []

    def wake() -> None:
        # Called after COMMIT: another connection can already see the row.
        seen_rows.append(_count(engine, OutboxRow))

    factory = SqlUnitOfWorkFactory(engine, on_commit=wake)
    with factory() as uow:
        uow.outbox.put(Channel.TELEGRAM, "t1", Outbound(text="halo"), NOW)
        assert seen_rows == []
        uow.commit()
    assert seen_rows == [1]


def test_on_commit_not_fired_without_messages_or_without_commit(engine: Engine) -> None:
    calls: list[str] = []
    factory = SqlUnitOfWorkFactory(engine, on_commit=lambda: calls.append("wake"))
    with factory() as uow:
        uow.citizens.get_or_create(Channel.WEB, "w1", None, None, "id", NOW)
        uow.commit()
    with factory() as uow:
        uow.outbox.put(Channel.TELEGRAM, "t1", Outbound(text="halo"), NOW)
    with factory() as uow:
        uow.outbox.put(Channel.TELEGRAM, "t1", Outbound(text="halo"), NOW)
        uow.session.rollback()  # an explicit rollback forgets the queued rows too
        uow.commit()
    assert calls == []


def test_failing_wake_up_does_not_undo_the_commit(engine: Engine) -> None:
    def broken() -> None:
        raise OSError("pipe closed")

    with SqlUnitOfWork(engine, on_commit=broken) as uow:
        uow.outbox.put(Channel.TELEGRAM, "t1", Outbound(text="halo"), NOW)
        uow.commit()
    assert _count(engine, OutboxRow) == 1


def test_a_rollback_however_issued_forgets_the_rows_it_undid(engine: Engine) -> None:
    woken: list[int] = []
    with SqlUnitOfWork(engine, on_commit=lambda: woken.append(1)) as uow:
        uow.outbox.put(Channel.WEB, "w1", Outbound(text="undone"), NOW)
        uow.session.rollback()  # straight on the session, not through the unit of work
        uow.commit()
    assert woken == [] and _count(engine, OutboxRow) == 0
    with SqlUnitOfWork(engine, on_commit=lambda: woken.append(1)) as uow:
        uow.outbox.put(Channel.WEB, "w1", Outbound(text="kept"), NOW)
        uow.commit()
    assert woken == [1] and _count(engine, OutboxRow) == 1
