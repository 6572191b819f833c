"""Personal data inside a unit of work: what is kept, erasure, farewells and the audit log."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, insert, or_, select, update
from sqlalchemy.orm import Session

from core.messages import Channel, Media, Outbound
from core.privacy.model import AuditEntry, KeptData, Removed
from core.privacy.policy import Erasure
from core.reports.model import ReportSummary, Status
from storage.columns import dumps, table_of
from storage.erasure import chats_of, remove_identity
from storage.outbox_store import farewell_meta
from storage.repositories.messages import SqlOutbox
from storage.tables import (
    AttachmentRow,
    AuditRow,
    ChannelIdentityRow,
    CitizenRow,
    OutboxRow,
    ReportFollowerRow,
    ReportRow,
)

_citizens = table_of(CitizenRow)
_identities = table_of(ChannelIdentityRow)
_reports = table_of(ReportRow)
_followers = table_of(ReportFollowerRow)
_outbox = table_of(OutboxRow)
_attachments = table_of(AttachmentRow)
_audit = table_of(AuditRow)


class SqlPrivacyRepository:
    """`core.privacy.ports.PrivacyRepository` over the unit of work's session."""

    def __init__(self, session: Session, outbox: SqlOutbox) -> None:
        self._session, self._outbox = session, outbox

    def kept(self, citizen_id: int, limit: int) -> KeptData | None:
        citizen = self._session.execute(
            select(_citizens).where(_citizens.c.id == citizen_id, _citizens.c.erased_at.is_(None))
        ).one_or_none()
        if citizen is None:
            return None
        chats = chats_of(self._session, citizen_id)
        own = select(_reports).where(_reports.c.citizen_id == citizen_id)
        followed = select(_reports).join(_followers, _followers.c.report_id == _reports.c.id) \
            .where(_followers.c.citizen_id == citizen_id)
        messages = 0
        if chats:
            messages = self._session.execute(
                select(func.count()).select_from(_outbox).where(or_(*(
                    (_outbox.c.channel == c.channel.value) & (_outbox.c.chat_id == c.chat_id)
                    for c in chats)))
            ).scalar_one()
        return KeptData(citizen_id, citizen.display_name, citizen.language, citizen.created_at,
                        chats, self._summaries(own, limit), self._summaries(followed, limit),
                        int(messages))

    def find_citizen(self, channel: Channel, chat_id: str) -> int | None:
        return self._session.execute(
            select(_identities.c.citizen_id)
            .where(_identities.c.channel == channel.value, _identities.c.chat_id == chat_id)
        ).scalar_one_or_none()

    def mark_noticed(self, citizen_id: int, now: datetime) -> None:
        self._session.execute(
            update(_citizens).where(_citizens.c.id == citizen_id).values(notice_at=now))

    def remove_identity(self, citizen_id: int, erasure: Erasure, now: datetime) -> Removed:
        return remove_identity(self._session, citizen_id, erasure, now)

    def messages_mentioning(self, needles: Sequence[str], after_id: int,
                            limit: int) -> Sequence[tuple[int, Outbound]]:
        if not needles:
            return []
        rows = self._session.execute(
            select(_outbox.c.id, _outbox.c.payload)
            .where(_outbox.c.id > after_id,
                   or_(*(_outbox.c.payload.contains(n, autoescape=True) for n in needles)))
            .order_by(_outbox.c.id).limit(limit)
        ).all()
        return [(r.id, Outbound.from_dict(json.loads(r.payload))) for r in rows]

    def rewrite_message(self, outbox_id: int, message: Outbound) -> None:
        self._session.execute(update(_outbox).where(_outbox.c.id == outbox_id)
                              .values(payload=dumps(message.to_dict())))

    def replace_photo(self, old_key: str, new: Media) -> int:
        result = self._session.execute(
            update(_attachments).where(_attachments.c.storage_key == old_key)
            .values(storage_key=new.storage_key, content_type=new.content_type, size=new.size)
        )
        return int(getattr(result, "rowcount", 0))

    def photo_in_use(self, storage_key: str) -> bool:
        return self._session.execute(
            select(_attachments.c.id).where(_attachments.c.storage_key == storage_key).limit(1)
        ).first() is not None

    def farewell(self, channel: Channel, chat_id: str, message: Outbound, now: datetime) -> None:
        self._outbox.put(channel, chat_id, message, now, meta=farewell_meta(now))

    def audit(self, entry: AuditEntry, now: datetime) -> None:
        self._session.execute(insert(_audit).values(
            at=now, actor_kind=entry.actor_kind, actor=entry.actor, action=entry.action,
            subject=entry.subject, detail=entry.detail))

    def _summaries(self, query: Select[Any], limit: int) -> tuple[ReportSummary, ...]:
        rows = self._session.execute(
            query.order_by(_reports.c.created_at.desc(), _reports.c.id.desc()).limit(limit)
        ).all()
        return tuple(ReportSummary(r.tracking_no, r.title, r.category, Status(r.status),
                                   r.created_at, r.updated_at, r.opd) for r in rows)
