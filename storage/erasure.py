"""Removing a citizen's identity from every table, inside the caller's transaction."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import CursorResult, Executable, and_, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from core.messages import Channel, Media
from core.privacy.model import KeptChat, Removed
from core.privacy.policy import Erasure
from storage.columns import table_of
from storage.outbox_store import FORGET, NO_CHAT
from storage.tables import (
    AttachmentRow,
    ChannelIdentityRow,
    CitizenRow,
    ConversationRow,
    InboundIdRow,
    OutboxRow,
    ReportEventRow,
    ReportFollowerRow,
    ReportRow,
)

_citizens = table_of(CitizenRow)
_identities = table_of(ChannelIdentityRow)
_conversations = table_of(ConversationRow)
_outbox = table_of(OutboxRow)
_followers = table_of(ReportFollowerRow)
_inbound = table_of(InboundIdRow)
_reports = table_of(ReportRow)
_events = table_of(ReportEventRow)
_attachments = table_of(AttachmentRow)
FAREWELL = f'%"{FORGET}":true%'  # the meta of a farewell (storage.columns.dumps: no spaces)


def chats_of(session: Session, citizen_id: int) -> tuple[KeptChat, ...]:
    rows = session.execute(
        select(_identities).where(_identities.c.citizen_id == citizen_id)
        .order_by(_identities.c.id)
    ).all()
    return tuple(KeptChat(Channel(r.channel), r.chat_id, r.user_id, r.display_name, r.created_at,
                          r.last_inbound_at) for r in rows)


def remove_identity(session: Session, citizen_id: int, erasure: Erasure,
                    now: datetime) -> Removed:
    """See `core.privacy.ports.PrivacyRepository.remove_identity`."""
    citizen = session.execute(
        select(_citizens.c.display_name).where(_citizens.c.id == citizen_id,
                                               _citizens.c.erased_at.is_(None))
        .with_for_update()
    ).one_or_none()
    if citizen is None:  # unknown, or erased already: nothing left to remove
        return Removed(citizen_id, (), (), (), ())
    chats = chats_of(session, citizen_id)
    reports = session.execute(
        select(_reports.c.id, _reports.c.tracking_no).where(_reports.c.citizen_id == citizen_id)
        .order_by(_reports.c.id).with_for_update()
    ).all()
    report_ids = [r.id for r in reports]
    photos = tuple(
        Media(a.storage_key, a.content_type, a.size, a.filename) for a in session.execute(
            select(_attachments).where(_attachments.c.report_id.in_(report_ids))
            .order_by(_attachments.c.id))
    ) if report_ids else ()
    counts: dict[str, int] = {}

    def run(name: str, statement: Executable) -> None:
        result = session.execute(statement)
        assert isinstance(result, CursorResult)
        counts[name] = counts.get(name, 0) + result.rowcount

    for chat in chats:
        in_chat = dict(channel=chat.channel.value, chat_id=chat.chat_id)
        # Every message for the chat: queued, held (WhatsApp), delivered, failed; but not a
        # farewell (storage.outbox_store), which forgets the chat once delivered.
        run("outbox", delete(_outbox).filter_by(**in_chat).where(~_outbox.c.meta.like(FAREWELL)))
        run("report_followers", delete(_followers).filter_by(**in_chat))
        if chat.channel is Channel.WEB:  # web message ids start with the chat id
            run("inbound_ids", delete(_inbound).where(
                _inbound.c.channel == Channel.WEB.value,
                _inbound.c.external_id.startswith(f"{chat.chat_id}:", autoescape=True)))
    chat_keys = [and_(_conversations.c.channel == c.channel.value,
                      _conversations.c.chat_id == c.chat_id) for c in chats]
    theirs = or_(_conversations.c.citizen_id == citizen_id, *chat_keys)
    drafts = tuple(key for state in session.execute(select(_conversations.c.state).where(theirs))
                   .scalars() for key in _draft_photos(state))
    run("conversations", delete(_conversations).where(theirs))
    run("report_followers", delete(_followers).where(_followers.c.citizen_id == citizen_id))
    run("channel_identities", delete(_identities).where(_identities.c.citizen_id == citizen_id))
    if report_ids:
        run("reports", update(_reports).where(_reports.c.id.in_(report_ids))
            .values(chat_id=NO_CHAT))  # the reporter's chat is gone
        session.execute(insert(_events), [
            dict(report_id=report_id, at=now, actor_kind="system", actor_id=None,
                 kind=erasure.event_kind) for report_id in report_ids])
        run("citizens", update(_citizens).where(_citizens.c.id == citizen_id)
            .values(display_name=None, erased_at=now, erasure=erasure.value))
    else:  # nothing refers to the row any more
        run("citizens", delete(_citizens).where(_citizens.c.id == citizen_id))
    names = {citizen.display_name, *(c.display_name for c in chats)}
    return Removed(citizen_id, tuple(n for n in names if n), chats,
                   tuple(r.tracking_no for r in reports), photos, counts, drafts)


def _draft_photos(state: str) -> list[str]:
    """Storage keys of the photos in a stored conversation's draft."""
    try:
        photos = json.loads(state).get("draft", {}).get("photos", [])
        return [str(p["storage_key"]) for p in photos]
    except (ValueError, AttributeError, KeyError, TypeError):
        return []
