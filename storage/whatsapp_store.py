"""What the WhatsApp channel asks of the database outside a use case's unit of work."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from core.messages import Channel
from storage.columns import dumps, table_of
from storage.engine import read_only
from storage.tables import (
    ChannelIdentityRow,
    CitizenRow,
    InboundIdRow,
    OutboxRow,
    ReportEventRow,
    ReportRow,
)

_outbox = table_of(OutboxRow)
_identities = table_of(ChannelIdentityRow)
_citizens = table_of(CitizenRow)
_inbound = table_of(InboundIdRow)
_reports = table_of(ReportRow)
WHATSAPP = Channel.WHATSAPP.value
# A delivery report only moves a row forward: a late "delivered" never undoes "read".
_PROGRESS = {"delivered": ("sent",), "read": ("sent", "delivered")}


@dataclass(frozen=True, slots=True)
class ChatState:
    last_inbound_at: datetime | None
    language: str


class StatusEffect(StrEnum):
    UNKNOWN = "unknown"  # not one of our rows (or already settled)
    RECORDED = "recorded"
    RETRY = "retry"
    WINDOW_CLOSED = "window_closed"
    FAILED = "failed"


class SqlWhatsAppStore:
    """Chat window lookups, send progress, and delivery reports of WhatsApp outbox rows."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._reader = read_only(engine)

    def chat_state(self, chat_id: str) -> ChatState | None:
        """When the citizen last wrote (opening the 24-hour window) and their language."""
        query = (
            select(_identities.c.last_inbound_at, _citizens.c.language)
            .join(_citizens, _citizens.c.id == _identities.c.citizen_id)
            .where(_identities.c.channel == WHATSAPP, _identities.c.chat_id == chat_id)
        )
        with Session(self._reader) as session, session.begin():
            row = session.execute(query).first()
        return None if row is None else ChatState(row.last_inbound_at, row.language)

    def already_seen(self, external_id: str) -> bool:
        with Session(self._reader) as session, session.begin():
            found = session.execute(
                select(_inbound.c.external_id)
                .where(_inbound.c.channel == WHATSAPP, _inbound.c.external_id == external_id)
            ).first()
        return found is not None

    def has_held(self, chat_id: str) -> bool:
        with Session(self._reader) as session, session.begin():
            found = session.execute(
                select(_outbox.c.id).where(_outbox.c.channel == WHATSAPP,
                                           _outbox.c.chat_id == chat_id, _outbox.c.status == "held")
                .limit(1)
            ).first()
        return found is not None

    def save_progress(self, outbox_id: int, values: dict[str, Any]) -> None:
        """Merge `values` into the row's meta (parts already sent, window closed at …)."""
        with Session(self._engine) as session, session.begin():
            meta = session.execute(
                select(_outbox.c.meta).where(_outbox.c.id == outbox_id)
            ).scalar_one_or_none()
            if meta is not None:
                session.execute(update(_outbox).where(_outbox.c.id == outbox_id)
                                .values(meta=dumps({**json.loads(meta), **values})))

    def apply_status(self, chat_id: str, message_id: str, status: str, effect: StatusEffect,
                     error: str | None, now: datetime, retry_in: float = 30.0) -> StatusEffect:
        """Apply one delivery report to the row that got `message_id`; returns what changed."""
        with Session(self._engine) as session, session.begin():
            # The chat id narrows the lookup to one chat's rows through ix_outbox_chat.
            row = session.execute(
                select(_outbox.c.id, _outbox.c.status, _outbox.c.payload, _outbox.c.meta)
                .where(_outbox.c.channel == WHATSAPP, _outbox.c.chat_id == chat_id,
                       _outbox.c.platform_message_id == message_id)
                .limit(1)
            ).first()
            if row is None:
                return StatusEffect.UNKNOWN
            where = update(_outbox).where(_outbox.c.id == row.id)
            if effect is StatusEffect.RECORDED:
                if row.status not in _PROGRESS.get(status, ()):
                    return StatusEffect.UNKNOWN
                session.execute(where.values(status=status))
            elif row.status == "held":
                # The template failed; the full text still waits for the citizen's next message.
                session.execute(where.values(last_error=error))
            elif row.status not in ("sent", "delivered"):
                return StatusEffect.UNKNOWN  # already retried or settled
            elif effect is StatusEffect.RETRY:
                session.execute(where.values(status="pending", last_error=error,
                                             next_attempt_at=now + timedelta(seconds=retry_in)))
            elif effect is StatusEffect.WINDOW_CLOSED:
                # Sent again as template + hold; the flag tells the sender the window is shut.
                meta = {**json.loads(row.meta), "wa_window_closed_at": now.isoformat()}
                session.execute(where.values(status="pending", next_attempt_at=now, attempts=0,
                                             last_error=error, meta=dumps(meta)))
            else:
                session.execute(where.values(status="failed", last_error=error))
            if effect is StatusEffect.FAILED:
                report = json.loads(row.payload).get("context", {}).get("report")
                if isinstance(report, str):
                    self._timeline(session, report, error, now)
            return effect

    @staticmethod
    def _timeline(session: Session, tracking_no: str, error: str | None, now: datetime) -> None:
        report_id = session.execute(
            select(_reports.c.id).where(_reports.c.tracking_no == tracking_no)
        ).scalar_one_or_none()
        if report_id is not None:
            session.add(ReportEventRow(report_id=report_id, at=now, actor_kind="system",
                                       kind="delivery_failed", note=f"WhatsApp: {error}"))
