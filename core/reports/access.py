"""Who may see and do what with a report (enforced here, for every channel alike)."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from core.reports.actors import Role
from core.reports.model import Privacy, Status
from core.reports.views import ReportView

OPEN = (Status.BARU, Status.DIDISPOSISIKAN, Status.DIPROSES)
WITH_OPD = (Status.DIDISPOSISIKAN, Status.DIPROSES)


class Action(StrEnum):
    VIEW = "lihat"
    ANSWER = "balas"
    RESOLVE = "selesai"
    DISPOSE = "alihkan"  # coordinator: to an OPD; officer: hand back as not ours
    VERIFY = "verifikasi"
    REJECT = "tolak"
    MERGE = "gabung"
    LAPOR_ID = "lapor_id"
    SNOOZE = "tunda"
    RECATEGORISE = "kategori"


# The statuses from which an action may start, per role (absent: the role may not do it).
ALLOWED_FROM: dict[Action, dict[Role, tuple[Status, ...]]] = {
    Action.VIEW: {Role.OFFICER: tuple(Status), Role.COORDINATOR: tuple(Status)},
    Action.LAPOR_ID: {Role.OFFICER: tuple(Status), Role.COORDINATOR: tuple(Status)},
    Action.ANSWER: {Role.OFFICER: WITH_OPD, Role.COORDINATOR: OPEN},
    Action.RESOLVE: {Role.OFFICER: WITH_OPD, Role.COORDINATOR: WITH_OPD},
    Action.DISPOSE: {Role.OFFICER: WITH_OPD, Role.COORDINATOR: OPEN},
    Action.MERGE: {Role.OFFICER: WITH_OPD, Role.COORDINATOR: OPEN},
    Action.SNOOZE: {Role.OFFICER: (*WITH_OPD, Status.SELESAI), Role.COORDINATOR: OPEN},
    Action.VERIFY: {Role.COORDINATOR: (Status.BARU,)},
    Action.REJECT: {Role.COORDINATOR: (Status.BARU,)},
    Action.RECATEGORISE: {Role.COORDINATOR: OPEN},
}


class Staff(Protocol):
    """Whoever acts as an admin: an enrolled `Admin` or an `Actor` (admin or API token)."""

    @property
    def role(self) -> Role | None: ...

    @property
    def opd(self) -> str | None: ...


class Owned(Protocol):
    """A report as far as visibility goes (a ReportView or a duplicate candidate)."""

    @property
    def opd(self) -> str | None: ...

    @property
    def status(self) -> Status: ...


def can_see(admin: Staff, report: Owned) -> bool:
    """Coordinators see every report; officers their OPD's, once it was disposed to them."""
    if admin.role is Role.COORDINATOR:
        return True
    return (admin.role is Role.OFFICER and report.opd == admin.opd
            and report.status is not Status.BARU)


def refusal(admin: Staff, action: Action, report: ReportView) -> str | None:
    """The catalog key explaining why `admin` may not do `action` now, or None when allowed.

    A report the admin may not see is refused exactly like one that does not exist, so an
    officer cannot probe other OPDs' tracking numbers.
    """
    if not can_see(admin, report):
        return "work.not_found"
    allowed = ALLOWED_FROM[action].get(admin.role) if admin.role is not None else None
    if allowed is None:
        return "work.coordinator_only"
    if report.status not in allowed:
        return "work.bad_status"
    return None


def identity_visible(role: Role | None, privacy: Privacy) -> bool:
    """Publik: every admin; rahasia: coordinators only; anonim: nobody (only the system)."""
    if privacy is Privacy.PUBLIK:
        return role is not None
    if privacy is Privacy.RAHASIA:
        return role is Role.COORDINATOR
    return False
