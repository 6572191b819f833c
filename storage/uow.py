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
from storage.repositories.privacy import SqlPrivacyRepository
from storage.repositories.reports import TRACKING_TZ

log = logging.getLogger(__name__)


class SqlUnitOfWork:
    """Repositories bound to one session; `on_commit` runs after a commit that queued messages."""

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
                 tz: ZoneInfo = TRACKING_TZ) -> None:
        # expire_on_commit=False: objects read before commit stay usable after it.
        self.session = Session(engine, expire_on_commit=False)
        self._on_commit = on_commit
        self._outbox = SqlOutbox(self.session)
        self.citizens = SqlCitizenRepository(self.session)
        self.conversations = SqlConversationRepository(self.session)
        self.reports = SqlReportRepository(self.session, tz)  # tracking numbers' local year
        self.admins = SqlAdminRepository(self.session)
        self.work = SqlReportWorkRepository(self.session)
        self.deadlines = SqlDeadlineRepository(self.session)
        self.inbound = SqlInboundLog(self.session)
        self.outbox = self._outbox
        self.privacy = SqlPrivacyRepository(self.session, self._outbox)
        # Rows queued before a rollback (however it was issued) were never committed.
        event.listen(self.session, "after_rollback", self._forget_queued)

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
        queued, self._outbox.added = self._outbox.added, 0
        if queued and self._on_commit is not None:
            try:
                self._on_commit()
            except Exception:
                # The data is committed; a failed wake-up only delays sending until the
                # dispatcher's next scheduled look, so it must not look like a failed commit.
                log.exception("outbox wake-up failed after commit")

    def rollback(self) -> None:
        self.session.rollback()

    def _forget_queued(self, _session: Session) -> None:
        self._outbox.added = 0


class SqlUnitOfWorkFactory:
    """Builds a fresh `SqlUnitOfWork` per inbound message or sweep."""

    def __init__(self, engine: Engine, on_commit: Callable[[], None] | None = None,
                 tz: ZoneInfo = TRACKING_TZ) -> None:
        self.engine = engine
        self.on_commit = on_commit
        self.tz = tz

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.on_commit, self.tz)
