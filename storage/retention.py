"""Retention in batches (`core.privacy.ports.RetentionStore`): each call is one short transaction
over at most `limit` rows, and on PostgreSQL skips rows other transactions hold (SKIP LOCKED),
so running it beside live servers never makes them wait long."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CursorResult,
    Delete,
    Engine,
    Update,
    and_,
    delete,
    exists,
    func,
    insert,
    select,
    tuple_,
    update,
)
from sqlalchemy.orm import Session

from core.privacy.policy import Erasure
from core.reports.model import Status
from storage.columns import table_of
from storage.erasure import FAREWELL, remove_identity
from storage.outbox_store import NO_CHAT, forget_chat
from storage.tables import (
    AdminRow,
    ChannelIdentityRow,
    CitizenRow,
    InboundIdRow,
    OutboxRow,
    ReportEventRow,
    ReportFollowerRow,
    ReportRow,
)

_outbox = table_of(OutboxRow)
_inbound = table_of(InboundIdRow)
_reports = table_of(ReportRow)
_citizens = table_of(CitizenRow)
_events = table_of(ReportEventRow)
_followers = table_of(ReportFollowerRow)
_identities = table_of(ChannelIdentityRow)
_admins = table_of(AdminRow)
DONE = ("sent", "delivered", "read", "failed")  # nothing more will happen to these rows
CLOSED = tuple(s.value for s in Status if not s.is_open)
OPEN = tuple(s.value for s in Status if s.is_open)


class SqlRetentionStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def delete_delivered(self, before: datetime, limit: int) -> int:
        """Delivered or failed messages, by when they were delivered (queued, if never). The
        newest row always stays: SQLite would hand its id out again, and a web chat that had
        read up to it would then never see the message that got it."""
        newest = select(func.max(_outbox.c.id)).scalar_subquery()
        pick = (select(_outbox.c.id)
                .where(_outbox.c.status.in_(DONE), _outbox.c.id < newest,
                       func.coalesce(_outbox.c.sent_at, _outbox.c.created_at) < before)
                .order_by(_outbox.c.id).limit(limit).with_for_update(skip_locked=True))
        return self._run(delete(_outbox).where(_outbox.c.id.in_(pick.scalar_subquery())))

    def delete_inbound_ids(self, before: datetime, limit: int) -> int:
        pick = (select(_inbound.c.channel, _inbound.c.external_id)
                .where(_inbound.c.received_at < before)
                .limit(limit).with_for_update(skip_locked=True))
        return self._run(delete(_inbound).where(
            tuple_(_inbound.c.channel, _inbound.c.external_id).in_(pick)))

    def forget_farewells(self, limit: int) -> int:
        """Farewells finished with (or held for a window that will not open) that still name
        their chat, at any age: their chat is forgotten."""
        pick = (select(_outbox.c.id)
                .where(_outbox.c.status.in_((*DONE, "held")), _outbox.c.meta.like(FAREWELL),
                       _outbox.c.chat_id != NO_CHAT)
                .order_by(_outbox.c.id).limit(limit).with_for_update(skip_locked=True))
        return self._run(forget_chat(_outbox.c.id.in_(pick.scalar_subquery())))

    def detach_reporters(self, closed_before: datetime, limit: int, now: datetime) -> int:
        """See `core.privacy.ports.RetentionStore.detach_reporters`."""
        with Session(self._engine) as session, session.begin():
            rows = session.execute(
                select(_reports.c.id, _reports.c.citizen_id, _citizens.c.language)
                .join(_citizens, _citizens.c.id == _reports.c.citizen_id)
                .where(_reports.c.status.in_(CLOSED), _reports.c.status_changed_at < closed_before,
                       _citizens.c.erased_at.is_(None))
                .order_by(_reports.c.id).limit(limit)
                .with_for_update(of=_reports, skip_locked=True)
            ).all()
            for r in rows:
                # A blank reporter of its own: the report keeps a reporter, nothing leads from
                # it to the citizen (who may still be reporting other things).
                blank = session.execute(insert(_citizens).values(
                    language=r.language, created_at=now, erased_at=now,
                    erasure=Erasure.RETENTION.value).returning(_citizens.c.id)).scalar_one()
                session.execute(update(_reports).where(_reports.c.id == r.id)
                                .values(citizen_id=blank, chat_id=NO_CHAT))
                session.execute(update(_events).where(
                    _events.c.report_id == r.id, _events.c.actor_kind == "citizen",
                    _events.c.actor_id == r.citizen_id).values(actor_id=blank))
                session.execute(delete(_followers).where(_followers.c.report_id == r.id))
                session.execute(insert(_events).values(
                    report_id=r.id, at=now, actor_kind="system", actor_id=None,
                    kind=Erasure.RETENTION.event_kind))
        return len(rows)

    def erase_inactive(self, before: datetime, limit: int, now: datetime) -> int:
        """Citizens not yet erased, created and last heard from before `before`, with no report
        (closed ones were detached), following no open report, not an enrolled admin: erased
        whole, as `/hapus_data` would (`Erasure.RETENTION`)."""
        mine = _identities.c.citizen_id == _citizens.c.id
        recent = func.coalesce(_identities.c.last_inbound_at, _identities.c.created_at) >= before
        admin = and_(_admins.c.channel == _identities.c.channel,
                     _admins.c.chat_id == _identities.c.chat_id, _admins.c.revoked_at.is_(None))
        following_open = (select(_followers.c.id)
                          .join(_reports, _reports.c.id == _followers.c.report_id)
                          .where(_followers.c.citizen_id == _citizens.c.id,
                                 _reports.c.status.in_(OPEN)))
        with Session(self._engine) as session, session.begin():
            ids = session.execute(
                select(_citizens.c.id)
                .where(_citizens.c.erased_at.is_(None), _citizens.c.created_at < before,
                       ~exists().where(_reports.c.citizen_id == _citizens.c.id),
                       ~exists().where(mine, recent),
                       ~exists().where(mine, admin),
                       ~exists(following_open))
                .order_by(_citizens.c.id).limit(limit)
                .with_for_update(of=_citizens, skip_locked=True)
            ).scalars().all()
            for citizen_id in ids:
                remove_identity(session, citizen_id, Erasure.RETENTION, now)
        return len(ids)

    def _run(self, statement: Delete | Update) -> int:
        with Session(self._engine) as session, session.begin():
            result = session.execute(statement)
        assert isinstance(result, CursorResult)
        return result.rowcount
