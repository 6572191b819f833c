"""Use case: a fixed catalog reply from a channel itself, for a message the form never sees
(a refused file, a command in a group chat), queued once per platform message id."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from core.i18n import normalise_language, t
from core.messages import Channel, Inbound, Outbound
from core.ports import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class Author:
    """Who wrote the message a notice answers, for channels that record them as a citizen
    (WhatsApp: a message opens the 24-hour window the notice is then sent in)."""

    user_id: str | None
    display_name: str | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    """The catalog text `key` (with `values`) for one chat, answering message `external_id`."""

    channel: Channel
    chat_id: str
    external_id: str
    key: str
    language_hint: str | None = None
    values: Mapping[str, object] = field(default_factory=dict)
    author: Author | None = None

    @classmethod
    def answering(cls, inbound: Inbound, key: str, values: Mapping[str, object] | None = None,
                  *, record_author: bool = False) -> Notice:
        """The notice that answers `inbound` in its chat, once per its message id."""
        author = Author(inbound.user_id, inbound.display_name) if record_author else None
        return cls(inbound.channel, inbound.chat_id, inbound.external_id, key,
                   inbound.language_hint, dict(values or {}), author)


def put_notice(uow_factory: UnitOfWorkFactory, now: datetime, notice: Notice,
               default_language: str = "id") -> bool:
    """Queue the notice in the outbox; True when its message id was seen before (a replay, so
    nothing is queued), like the intake use case."""
    with uow_factory() as uow:
        if uow.inbound.seen(notice.channel, notice.external_id, now):
            return True
        text = t(notice.key, _language(uow, notice, now, default_language), **notice.values)
        uow.outbox.put(notice.channel, notice.chat_id, Outbound(text), now)
        uow.commit()
    return False


def _language(uow: UnitOfWork, notice: Notice, now: datetime, default_language: str) -> str:
    """The author's citizen language when the channel records them; otherwise the language of the
    chat's conversation, else the platform's hint."""
    hinted = normalise_language(notice.language_hint, default_language)
    if notice.author is not None:
        return uow.citizens.get_or_create(
            notice.channel, notice.chat_id, notice.author.user_id, notice.author.display_name,
            hinted, now,
        ).language
    conversation = uow.conversations.load_for_update(notice.channel, notice.chat_id)
    return conversation.language if conversation is not None else hinted
