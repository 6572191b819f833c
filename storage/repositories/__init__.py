"""SQL implementations of the repositories in `core.ports`."""

from storage.repositories.admins import SqlAdminRepository
from storage.repositories.citizens import SqlCitizenRepository
from storage.repositories.conversations import SqlConversationRepository
from storage.repositories.deadlines import SqlDeadlineRepository
from storage.repositories.messages import SqlInboundLog, SqlOutbox
from storage.repositories.report_work import SqlReportWorkRepository
from storage.repositories.reports import SqlReportRepository

__all__ = [
    "SqlAdminRepository",
    "SqlCitizenRepository",
    "SqlConversationRepository",
    "SqlDeadlineRepository",
    "SqlInboundLog",
    "SqlOutbox",
    "SqlReportRepository",
    "SqlReportWorkRepository",
]
