"""The SQL unit of work: one session, one transaction, rolled back unless committed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import TracebackType
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from core.ports import (
    AdminRepository,
    CitizenRepository,
    ConversationRepository,
    DeadlineRepository,
    InboundLog,
    Outbox,
    ReportRepository,
    ReportWorkRepository,
)
from core.privacy.ports import PrivacyRepository
from storage.repositories import (
    SqlAdminRepository,
    SqlCitizenRepository,
    SqlConversationRepository,
    SqlDeadlineRepository,
    SqlInboundLog,
    SqlOutbox,
    SqlReportRepository,
    SqlReportWorkRepository,
)
from storage.repositories.messages import Handoff
from storage.repositories.privacy import SqlPrivacyRepository
from storage.repositories.reports import TRACKING_TZ

log = logging.getLogger(__name__)
_OUTBOX = "aduan_outbox"  # Session.info key: the unit of work's outbox


class _UnitSession(Session):
    """A unit of work's session; its rollback forgets the rows its outbox queued."""


def _forget_queued(session: Session) -> None:
    # Rows queued before a rollback (however it was issued) were never committed. Listened
    # to once for the class: a listener per session cost 1.3 % of the server's CPU.
    outbox = session.info.get(_OUTBOX)
    if outbox is not None:
        outbox.forget()


event.listen(_UnitSession, "after_rollback", _forget_queued)


class SqlUnitOfWork:
    """Repositories bound to one session; after a commit that queued messages, a `handoff`
    (the dispatcher) gets them, or else `on_commit` wakes whoever sends them."""

    citizens: CitizenRepository
    conversations: ConversationRepository
    reports: ReportRepository
    admins: AdminRepository
    work: ReportWorkRepository
    deadlines: DeadlineRepository
    inbound: InboundLog
    outbox: Outbox
    privacy: PrivacyRepository

    def __init__(self, engine: Engine, on_commit: Callable[[], None] | None = None,
                 tz: ZoneInfo = TRACKING_TZ, handoff: Handoff | None = None) -> None:
        # expire_on_commit=False: objects read before commit stay usable after it.
        self.session = _UnitSession(engine, expire_on_commit=False)
        self._on_commit, self._handoff = on_commit, handoff
        # Rows are handed over only where one transaction runs at a time (SqlOutbox says why);
        # elsewhere the handoff still learns which chats have rows queued.
        self._outbox = SqlOutbox(self.session, handoff if engine.dialect.name == "sqlite" else None)
        self.citizens = SqlCitizenRepository(self.session)
        self.conversations = SqlConversationRepository(self.session)
        self.reports = SqlReportRepository(self.session, tz)  # tracking numbers' local year
        self.admins = SqlAdminRepository(self.session)
        self.work = SqlReportWorkRepository(self.session)
        self.deadlines = SqlDeadlineRepository(self.session)
        self.inbound = SqlInboundLog(self.session)
        self.outbox = self._outbox
        self.privacy = SqlPrivacyRepository(self.session, self._outbox)
        self.session.info[_OUTBOX] = self._outbox

    def __enter__(self) -> SqlUnitOfWork:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Anything not committed (an exception, or work after the last commit) is discarded.
        self.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()
        outbox = self._outbox
        queued, handed, behind = outbox.added, outbox.handed, outbox.behind
        outbox.forget()
        try:
            if self._handoff is not None:
                if handed:
                    self._handoff.take(handed)
                if behind:
                    self._handoff.queued(behind)
            elif queued and self._on_commit is not None:
                self._on_commit()
        except Exception:
            # The data is committed; a failed wake-up only delays sending until the
            # dispatcher's next scheduled look (a handed row: until its lease lapses, or the
            # restart takes it back), so it must not look like a failed commit.
            log.exception("outbox wake-up failed after commit")

    def rollback(self) -> None:
        self.session.rollback()


class SqlUnitOfWorkFactory:
    """Builds a fresh `SqlUnitOfWork` per inbound message or sweep."""

    def __init__(self, engine: Engine, on_commit: Callable[[], None] | None = None,
                 tz: ZoneInfo = TRACKING_TZ, handoff: Handoff | None = None) -> None:
        self.engine = engine
        self.on_commit = on_commit
        self.tz = tz
        self.handoff = handoff

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.on_commit, self.tz, self.handoff)
