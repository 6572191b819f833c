"""SQLModel tables. Timestamps are aware UTC (`UtcDateTime`); JSON lives in text columns.

One module per area; every row class is re-exported here, so `from storage.tables import
ReportRow` is the way to name one.
"""

from storage.tables.base import metadata

# isort: split
from storage.tables.admins import AdminRow, ApiTokenRow, InviteRow
from storage.tables.audit import AuditRow
from storage.tables.dashboard import DashboardLinkRow, DashboardSessionRow
from storage.tables.deadlines import ReportDeadlineRow, SlaDigestRow, SlaNudgeRow
from storage.tables.delivery import AppSettingRow, InboundIdRow, InboxRow, OutboxRow
from storage.tables.directory import CategoryRow, DirectoryVersionRow, OpdRow
from storage.tables.media import MediaFileRow
from storage.tables.reports import (
    AttachmentRow,
    ChannelIdentityRow,
    CitizenRow,
    ConversationRow,
    ReportEventRow,
    ReportFollowerRow,
    ReportRow,
    TrackingCounterRow,
)

__all__ = [
    "AdminRow",
    "ApiTokenRow",
    "AppSettingRow",
    "AttachmentRow",
    "AuditRow",
    "CategoryRow",
    "ChannelIdentityRow",
    "CitizenRow",
    "ConversationRow",
    "DashboardLinkRow",
    "DashboardSessionRow",
    "DirectoryVersionRow",
    "InboundIdRow",
    "InboxRow",
    "InviteRow",
    "MediaFileRow",
    "OpdRow",
    "OutboxRow",
    "ReportDeadlineRow",
    "ReportEventRow",
    "ReportFollowerRow",
    "ReportRow",
    "SlaDigestRow",
    "SlaNudgeRow",
    "TrackingCounterRow",
    "metadata",
]
