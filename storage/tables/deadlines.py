"""SLA deadlines of reports with their nudge ladder; nudges and digests sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import UtcDateTime
from storage.tables.base import partial_where


class ReportDeadlineRow(SQLModel, table=True):
    """A deadline of one step of a report and how far up the nudge ladder it has gone."""

    __tablename__ = "report_deadlines"
    __table_args__ = (
        # Closed rows (history) soon outnumber active ones many times over, so the indexes
        # that serve the sweeper and the views hold active rows only.
        # The sweeper's claim: only rows with a rung still to come.
        Index("ix_report_deadlines_next_at", "next_at", **partial_where("next_at IS NOT NULL")),
        # A report's own deadlines (its view, replanning, reports not yet planned); a step
        # has one open deadline at most, which a report's view relies on.
        Index("ix_report_deadlines_open_report_step", "report_id", "step", unique=True,
              **partial_where("closed_at IS NULL")),
        # Workload: one OPD's open deadlines, and the whole city's (Ombudsman rows are not
        # admin work) in due order.
        # (The step makes it cover the SLA figures' overdue-now count.)
        Index("ix_report_deadlines_open_opd_due", "opd", "due_at", "step",
              **partial_where("closed_at IS NULL")),
        Index("ix_report_deadlines_open_due", "due_at", "step",
              **partial_where("closed_at IS NULL AND step <> 'ombudsman'")),
        # The weekly summary and the SLA figures: received (started) and answered or verified
        # (closed) within a period, each read from its index alone (covering: migration 0014).
        Index("ix_report_deadlines_step_starts", "step", "starts_at", "opd"),
        Index("ix_report_deadlines_step_closed", "step", "closed_at", "closed_status", "opd",
              "due_at", "starts_at", "report_id"),
        # A report's deadlines over time: the SLA statistics find the answer deadline that a
        # disposition opened, to credit the verification to that OPD (in (starts_at, id)
        # order, its OPD from the index).
        Index("ix_report_deadlines_report_step_starts", "report_id", "step", "starts_at", "id",
              "opd"),
    )

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id")
    step: str  # core.sla.Step
    opd: str | None = None
    starts_at: datetime = Field(sa_type=UtcDateTime)
    due_at: datetime = Field(sa_type=UtcDateTime)
    remind_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    next_at: datetime | None = Field(default=None, sa_type=UtcDateTime)  # None: nothing left
    stage: int = 0  # rungs done: 0 none, 1 reminder sent, 2 final rung done
    snoozed_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_status: str | None = None  # the report's status when the row was closed


class SlaNudgeRow(SQLModel, table=True):
    """A rung of a deadline's ladder that was sent; the unique key keeps it to once."""

    __tablename__ = "sla_nudges"
    __table_args__ = (
        UniqueConstraint("deadline_id", "rung", name="uq_sla_nudges_deadline_id_rung"),
    )

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="report_deadlines.id")
    rung: str  # core.sla.Rung
    sent_at: datetime = Field(sa_type=UtcDateTime)


class SlaDigestRow(SQLModel, table=True):
    """A daily digest or weekly summary that was sent, keyed by its period and recipient."""

    __tablename__ = "sla_digests"
    __table_args__ = (
        UniqueConstraint("kind", "period", "target", name="uq_sla_digests_kind_period_target"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    period: str
    target: str
    sent_at: datetime = Field(sa_type=UtcDateTime)
