"""What a lifecycle use case answers: the change it made, or why it refused (typed)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from core.reports.model import Status
from core.reports.views import ReportEvent, ReportView
from core.sla.policy import Step


class RefusalKind(StrEnum):
    """Why, in the terms a front-end maps to its own answer (HTTP 404/403/409/422)."""

    NOT_FOUND = "not_found"  # no such report, or one this actor may not see
    FORBIDDEN = "forbidden"  # the actor's role may not do this at all
    CONFLICT = "conflict"  # not from the report's current state
    INVALID = "invalid"  # the input itself is wrong (too short, unknown OPD, …)


@dataclass(frozen=True, slots=True, init=False)
class Refused:
    """Nothing changed. `reason` is a catalog key; `params` fill it (a `Status` is shown in
    words by the front-end, in its reader's language)."""

    reason: str
    kind: RefusalKind
    params: Mapping[str, object]

    def __init__(self, reason: str, kind: RefusalKind, **params: object) -> None:
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "params", params)


@dataclass(frozen=True, slots=True)
class Snoozed:
    """Reminders held back until `until`; the deadline of `step` stays `due_at`."""

    until: datetime
    step: Step
    due_at: datetime


@dataclass(frozen=True, slots=True)
class Changed:
    """The report as it now is and the timeline events recorded, in order."""

    report: ReportView
    events: tuple[ReportEvent, ...]
    target: ReportView | None = None  # merge: the report it was merged into
    snoozed: Snoozed | None = None  # snooze: what was held back


@dataclass(frozen=True, slots=True)
class Submitted:
    """A new report was stored (its first timeline event written with it)."""

    id: int
    tracking_no: str
    status: Status
    opd: str | None
    admins_notified: int = 0
    events: tuple[ReportEvent, ...] = field(default=())


Result = Changed | Refused
