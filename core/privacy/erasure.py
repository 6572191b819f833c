"""Use case: erase a citizen's identity everywhere; their reports stay, anonymised.

Called by `/hapus_data` (core.privacy.chat) and `aduan citizen erase`. The tables are changed
in the caller's unit of work (`PrivacyRepository.remove_identity`); here the copies of the
identity that other messages carry (admins' notifications name the reporter) are redacted, the
reports' photos lose any metadata they were stored with, and the audit log gets one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from core.i18n import LANGUAGES, t
from core.messages import Outbound
from core.ports import UnitOfWork
from core.privacy.model import AuditEntry, Removed
from core.privacy.policy import Erasure
from core.privacy.ports import PhotoFiles
from core.reports.render import reporter_line

BATCH = 200


@dataclass(frozen=True, slots=True)
class Erased:
    removed: Removed
    redacted: int  # other chats' messages that named the citizen
    stripped: int  # photos stored again without metadata
    discard: tuple[str, ...]  # photo files nothing refers to any more: delete after commit

    @property
    def found(self) -> bool:
        return bool(self.removed.counts)

    def line(self) -> str:
        counts = ", ".join(f"{table} {n}" for table, n in sorted(self.removed.counts.items()))
        return (f"{len(self.removed.reports)} report(s) anonymised; rows: {counts}; "
                f"{self.redacted} message(s) redacted; {self.stripped} photo(s) stripped")


def erase(uow: UnitOfWork, citizen_id: int, now: datetime, by: AuditEntry,
          photos: PhotoFiles | None = None) -> Erased:
    """Remove the citizen's identity (in `uow`; the caller commits, then calls `discard`)."""
    removed = uow.privacy.remove_identity(citizen_id, Erasure.REQUEST, now)
    redacted = _redact_copies(uow, removed)
    stripped, discard = _strip_photos(uow, removed, photos) if photos else (0, [])
    result = Erased(removed, redacted, stripped, tuple(discard))
    if result.found:
        uow.privacy.audit(AuditEntry(by.actor_kind, by.actor, "erase", f"citizen {citizen_id}",
                                     result.line()), now)
    return result


def discard(erased: Erased, photos: PhotoFiles | None) -> None:
    """After the commit: delete the photo files the erasure left unreferenced."""
    if photos is not None:
        for key in erased.discard:
            photos.discard(key)


def redact(message: Outbound, removed: Removed) -> Outbound:
    """The message with the citizen's reporter line, chat ids and user ids replaced; their names
    too when it is about one of their reports (elsewhere a name is just a word)."""
    text = message.text
    names: tuple[str | None, ...] = (*removed.names, None)
    for chat in removed.chats:
        for lang in LANGUAGES:
            gone = t(f"reporter.erased.{Erasure.REQUEST.value}", lang)
            for name in names:
                text = text.replace(reporter_line(name, chat.channel, chat.chat_id, lang), gone)
    mark = t("privacy.redacted", "id")
    for needle in removed.needles:
        if needle in removed.names:
            if message.report in removed.reports:
                text = re.sub(rf"(?<!\w){re.escape(needle)}(?!\w)", mark, text)
        else:
            text = text.replace(needle, mark)
    return message if text == message.text else replace(message, text=text)


def _redact_copies(uow: UnitOfWork, removed: Removed) -> int:
    needles, after, count = removed.needles, 0, 0
    while needles:
        found = uow.privacy.messages_mentioning(needles, after, BATCH)
        for outbox_id, message in found:
            redacted = redact(message, removed)
            if redacted is not message:
                uow.privacy.rewrite_message(outbox_id, redacted)
                count += 1
        if len(found) < BATCH:
            break
        after = found[-1][0]
    return count


def _strip_photos(uow: UnitOfWork, removed: Removed,
                  photos: PhotoFiles) -> tuple[int, list[str]]:
    """Photos stored before metadata was stripped on arrival are stored again without it."""
    stripped, discard = 0, []
    for media in {m.storage_key: m for m in removed.photos}.values():
        clean = photos.scrub(media)
        if clean is not None and clean.storage_key != media.storage_key:
            uow.privacy.replace_photo(media.storage_key, clean)
            stripped += 1
            discard.append(media.storage_key)
    discard += [key for key in dict.fromkeys(removed.drafts) if not uow.privacy.photo_in_use(key)]
    return stripped, discard
