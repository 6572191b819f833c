from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from core.messages import Channel
from storage.repositories import SqlInboundLog
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import NOW


def test_replayed_inbound_id_is_detected(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        assert uow.inbound.seen(Channel.TELEGRAM, "1001", NOW) is False
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.inbound.seen(Channel.TELEGRAM, "1001", NOW) is True
        # The same id on another channel is a different message.
        assert uow.inbound.seen(Channel.WHATSAPP, "1001", NOW) is False


def test_replay_check_leaves_the_transaction_usable(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.inbound.seen(Channel.TELEGRAM, "1001", NOW)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.inbound.seen(Channel.TELEGRAM, "1001", NOW) is True
        # On PostgreSQL a failed INSERT would abort the transaction; this must still work.
        citizen = uow.citizens.get_or_create(Channel.TELEGRAM, "9", None, None, "id", NOW)
        uow.commit()
    assert citizen.id > 0


def test_uncommitted_inbound_id_is_not_remembered(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.inbound.seen(Channel.TELEGRAM, "1001", NOW)
    with SqlUnitOfWork(engine) as uow:
        assert uow.inbound.seen(Channel.TELEGRAM, "1001", NOW) is False


def test_prune_forgets_old_ids_only(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.inbound.seen(Channel.TELEGRAM, "old", NOW - timedelta(days=3))
        uow.inbound.seen(Channel.TELEGRAM, "new", NOW)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert SqlInboundLog(uow.session).prune(NOW - timedelta(days=1)) == 1
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.inbound.seen(Channel.TELEGRAM, "old", NOW) is False
        assert uow.inbound.seen(Channel.TELEGRAM, "new", NOW) is True
