"""The report lifecycle as use cases: one function per action, whoever calls it.

A chat command, an `/api/v1` route and a dashboard form are thin entrypoints over these.
Each takes the unit of work, the city, an `Actor` and plain arguments, and answers
`Changed` or `Refused`: authorisation (`core.reports.access`), the timeline event with its
actor, deadline replanning and the citizen, follower and admin messages (outbox, same
transaction) all happen here, once. Nothing is committed here; the caller commits.
Citizens' own actions (confirm, dispute, rate) live in `core.reports.feedback`, submitting
in `core.reports.submit`; both are re-exported here so this is the one place to look.
"""

from __future__ import annotations

from datetime import datetime

from core.city import CityContext
from core.i18n import format_datetime, t
from core.matching.categories import ChoiceMatcher
from core.ports import UnitOfWork
from core.reports.access import Action, can_see, refusal
from core.reports.actors import Actor, Role
from core.reports.changes import event_by, record_change
from core.reports.feedback import close_unconfirmed, comment, confirm, dispute, rate
from core.reports.model import LAPOR_ID_RE, Status
from core.reports.notify import audience, notify_admins, responsible_admins, update_citizens
from core.reports.render import opd_name
from core.reports.results import Changed, RefusalKind, Refused, Result, Snoozed
from core.reports.submit import Submission, submit
from core.reports.views import ReportChange, ReportView
from core.sla.policy import tier_of

__all__ = [
    "Submission", "answer", "close_unconfirmed", "comment", "confirm", "dispose", "dispute",
    "hand_back", "load", "merge", "rate", "recategorise", "reject", "resolve", "set_lapor_id",
    "snooze",
    "submit", "verify", "view",
]

ANSWER_MIN, ANSWER_MAX = 5, 4000
REASON_MIN, REASON_MAX = 5, 1000
REFUSAL_KINDS = {"work.not_found": RefusalKind.NOT_FOUND,
                 "work.coordinator_only": RefusalKind.FORBIDDEN,
                 "work.bad_status": RefusalKind.CONFLICT}


def load(uow: UnitOfWork, actor: Actor, action: Action, ref: str,
         text: tuple[str, int, int] | None = None) -> ReportView | Refused:
    """The report, row-locked, if `actor` may do `action` on it now and the action's `text`
    (text, shortest, longest) is of a fitting length."""
    report = uow.work.get(ref, for_update=True)
    if report is None:
        return Refused("work.not_found", RefusalKind.NOT_FOUND, ref=ref)
    if (key := refusal(actor, action, report)) is not None:
        return Refused(key, REFUSAL_KINDS[key], ref=report.tracking_no, command=action.value,
                       status=report.status)
    if text is not None and (bad := bad_text(*text)) is not None:
        return bad
    return report


def view(uow: UnitOfWork, actor: Actor, ref: str, now: datetime) -> Result:
    """Open a report: every look at one is a timeline (audit) event."""
    report = load(uow, actor, Action.VIEW, ref)
    if isinstance(report, Refused):
        return report
    event = event_by(actor, now, "viewed")
    uow.work.add_event(report.id, event)
    return Changed(report, (event,))


def answer(uow: UnitOfWork, city: CityContext, actor: Actor, ref: str, text: str,
           now: datetime) -> Result:
    """The OPD answers the citizen; the first answer moves `didisposisikan` → `diproses`."""
    report = load(uow, actor, Action.ANSWER, ref, (text, ANSWER_MIN, ANSWER_MAX))
    if isinstance(report, Refused):
        return report
    status = Status.DIPROSES if report.status is Status.DIDISPOSISIKAN else report.status
    changed, event = record_change(uow, report, ReportChange(status=status), now, actor,
                                   "answer", city.sla, text)
    opd = opd_name(actor.opd or report.opd, city, "id")
    update_citizens(uow, changed, status, lambda lang: t("update.answer", lang, opd=opd, text=text),
                    now, announce=status is not report.status)
    return Changed(changed, (event,))


def resolve(uow: UnitOfWork, city: CityContext, actor: Actor, ref: str, text: str,
            now: datetime) -> Result:
    """The OPD's final answer → `selesai`; the reporter is asked to confirm or dispute."""
    report = load(uow, actor, Action.RESOLVE, ref, (text, ANSWER_MIN, ANSWER_MAX))
    if isinstance(report, Refused):
        return report
    changed, event = record_change(uow, report, ReportChange(status=Status.SELESAI), now, actor,
                                   "resolved", city.sla, text)
    opd = opd_name(report.opd or actor.opd, city, "id")
    update_citizens(uow, changed, Status.SELESAI,
                    lambda lang: t("update.resolved", lang, opd=opd, text=text), now,
                    confirm_days=tier_of(report.category, city.directory).confirmation_days)
    return Changed(changed, (event,))


def verify(uow: UnitOfWork, city: CityContext, actor: Actor, ref: str, opd: str | None,
           now: datetime) -> Result:
    """The coordinator verifies a new report and disposes it (to its category's OPD unless
    `opd` — a slug, name or alias — says otherwise)."""
    report = load(uow, actor, Action.VERIFY, ref)
    if isinstance(report, Refused):
        return report
    return _dispose(uow, city, actor, report, opd or "", now)


def dispose(uow: UnitOfWork, city: CityContext, actor: Actor, ref: str, opd: str,
            now: datetime) -> Result:
    """The coordinator disposes an open report to an OPD (from `baru` this verifies it)."""
    report = load(uow, actor, Action.DISPOSE, ref)
    if isinstance(report, Refused):
        return report
    if actor.role is not Role.COORDINATOR:
        return Refused("work.coordinator_only", RefusalKind.FORBIDDEN, command="alihkan")
    return _dispose(uow, city, actor, report, opd, now)


def _dispose(uow: UnitOfWork, city: CityContext, actor: Actor, report: ReportView,
             wanted: str, now: datetime) -> Result:
    target = match_opd(city, wanted) if wanted.strip() else report.opd
    if wanted.strip() and target is None:
        examples = ", ".join(o.slug for o in city.directory.opds[:3])
        return Refused("work.opd_unknown", RefusalKind.INVALID, text=wanted[:60],
                       examples=examples)
    if target is None:
        return Refused("work.no_opd", RefusalKind.INVALID, ref=report.tracking_no)
    name = opd_name(target, city, "id")
    if target == report.opd and report.status is not Status.BARU:
        return Refused("work.opd_same", RefusalKind.CONFLICT, ref=report.tracking_no, opd=name)
    verified = report.status is Status.BARU
    # Verified to its category's own OPD, the category is confirmed: the text is learned from.
    category = city.directory.category(report.category)
    confirmed = verified and category is not None and category.opd == target
    changed, event = record_change(
        uow, report, ReportChange(status=Status.DIDISPOSISIKAN, opd=target,
                                  category_verified=confirmed), now, actor,
        "verified" if verified else "disposed", city.sla, name)
    notify_admins(uow, responsible_admins(uow, changed.status, changed.opd), changed,
                  lambda lang: t("notify.assigned", lang, ref=report.tracking_no, opd=name),
                  city, now, skip=actor)
    key = "update.verified" if verified else "update.disposed"
    update_citizens(uow, changed, Status.DIDISPOSISIKAN, lambda lang: t(key, lang, opd=name), now)
    return Changed(changed, (event,))


def recategorise(uow: UnitOfWork, city: CityContext, actor: Actor, ref: str, wanted: str,
                 now: datetime) -> Result:
    """The coordinator files an open report under another category (a code or a name, fuzzy):
    the category is then confirmed and its text learned from. A report not yet verified moves
    to the new category's OPD with it; a disposed one stays where it is (`dispose` moves it)."""
    report = load(uow, actor, Action.RECATEGORISE, ref)
    if isinstance(report, Refused):
        return report
    code = match_category(city, wanted)
    category = city.directory.category(code or "")
    if category is None:
        examples = ", ".join(c.code for c in city.directory.categories[:3])
        return Refused("work.category_unknown", RefusalKind.INVALID, text=wanted[:60],
                       examples=examples)
    if category.code == report.category:
        return Refused("work.category_same", RefusalKind.CONFLICT, ref=report.tracking_no,
                       category=category.name_id)
    opd = category.opd if report.status is Status.BARU else None
    old = city.directory.category(report.category)
    note = f"{old.name_id if old else report.category} → {category.name_id}"
    changed, event = record_change(
        uow, report, ReportChange(category=category.code, opd=opd, category_verified=True), now,
        actor, "recategorised", city.sla, note)
    return Changed(changed, (event,))


def match_category(city: CityContext, text: str) -> str | None:
    """A category by code, or by its name in either language (fuzzy)."""
    wanted = text.strip().lower()
    if city.directory.category(wanted) is not None:
        return wanted
    names = ChoiceMatcher((c.code, name) for c in city.directory.categories
                          for name in (c.code.replace("_", " "), c.name_id, c.name_en))
    return names.pick(text)


def hand_back(uow: UnitOfWork, city: CityContext, actor: Actor, ref: str, reason: str,
              now: datetime) -> Result:
    """An officer returns a report as not their OPD's: back to the coordinator as `baru`."""
    report = load(uow, actor, Action.DISPOSE, ref)
    if isinstance(report, Refused):
        return report
    if actor.role is not Role.OFFICER:
        return Refused("work.officer_only", RefusalKind.FORBIDDEN)
    if (bad := bad_text(reason, REASON_MIN, REASON_MAX)) is not None:
        return bad
    changed, event = record_change(uow, report, ReportChange(status=Status.BARU, clear_opd=True),
                                   now, actor, "handed_back", city.sla, reason)
    opd = opd_name(actor.opd, city, "id")
    notify_admins(uow, responsible_admins(uow, changed.status, changed.opd), changed,
                  lambda lang: t("notify.handed_back", lang, opd=opd, ref=report.tracking_no,
                                 reason=reason[:300]), city, now)
    update_citizens(uow, changed, Status.BARU, lambda lang: t("update.handed_back", lang), now)
    return Changed(changed, (event,))


def reject(uow: UnitOfWork, city: CityContext, actor: Actor, ref: str, reason: str,
           now: datetime) -> Result:
    """The coordinator rejects a new report (`ditolak`); the reason goes to the citizen."""
    report = load(uow, actor, Action.REJECT, ref, (reason, REASON_MIN, REASON_MAX))
    if isinstance(report, Refused):
        return report
    changed, event = record_change(uow, report, ReportChange(status=Status.DITOLAK), now, actor,
                                   "rejected", city.sla, reason)
    update_citizens(uow, changed, Status.DITOLAK,
                    lambda lang: t("update.rejected", lang, reason=reason), now)
    return Changed(changed, (event,))


def merge(uow: UnitOfWork, city: CityContext, actor: Actor, ref: str, target_ref: str,
          now: datetime) -> Result:
    """Close `ref` as a duplicate of `target_ref` (or of the report that one was merged
    into); its reporter and followers follow the original from now on."""
    report = load(uow, actor, Action.MERGE, ref)
    if isinstance(report, Refused):
        return report
    target = uow.work.get(target_ref, for_update=True)
    if target is not None and target.duplicate_of is not None:
        target = uow.work.get(target.duplicate_of, for_update=True)
    if target is not None and target.id == report.id:
        return Refused("work.merge_self", RefusalKind.INVALID)
    if (target is None or not can_see(actor, target)
            or target.status in (Status.DITUTUP, Status.DITOLAK)):
        return Refused("work.merge_target", RefusalKind.INVALID, ref=target_ref)
    changed, event = record_change(
        uow, report, ReportChange(status=Status.DITUTUP, duplicate_of_id=target.id), now, actor,
        "merged", city.sla, target.tracking_no)
    update_citizens(uow, changed, Status.DITUTUP,
                    lambda lang: t("update.merged", lang, target=target.tracking_no), now)
    for chat, _ in audience(uow, report):
        if chat.citizen_id != target.reporter.citizen_id:
            uow.work.follow(target.id, chat, now)
    merged_in = event_by(actor, now, "merged_in", report.tracking_no)
    uow.work.add_event(target.id, merged_in)
    return Changed(changed, (event, merged_in), target=target)


def set_lapor_id(uow: UnitOfWork, city: CityContext, actor: Actor, ref: str, lapor_id: str,
                 now: datetime) -> Result:
    """Record SP4N-LAPOR!'s tracking id (the report then leaves `export --format lapor`)."""
    report = load(uow, actor, Action.LAPOR_ID, ref)
    if isinstance(report, Refused):
        return report
    if not LAPOR_ID_RE.match(lapor_id):
        return Refused("work.bad_lapor_id", RefusalKind.INVALID)
    changed, event = record_change(uow, report, ReportChange(lapor_id=lapor_id), now, actor,
                                   "lapor_id", city.sla, lapor_id)
    return Changed(changed, (event,))


def snooze(uow: UnitOfWork, city: CityContext, actor: Actor, ref: str, now: datetime) -> Result:
    """Hold back this report's reminders for a working day; the deadline stays."""
    report = load(uow, actor, Action.SNOOZE, ref)
    if isinstance(report, Refused):
        return report
    running = [d for d in uow.deadlines.active(report.id) if d.step.nudges_admins]
    if not running:
        return Refused("work.tunda_nothing", RefusalKind.CONFLICT, ref=report.tracking_no)
    until = city.sla.snooze_until(now)
    for deadline in running:
        uow.deadlines.snooze(deadline.id, until)
    event = event_by(actor, now, "snoozed", format_datetime(until, "id", city.tz))
    uow.work.add_event(report.id, event)
    first = running[0]
    return Changed(report, (event,), snoozed=Snoozed(until, first.step, first.due_at))


def bad_text(text: str, low: int, high: int) -> Refused | None:
    if len(text.strip()) < low:
        return Refused("work.text_too_short", RefusalKind.INVALID, min=low)
    if len(text) > high:
        return Refused("work.text_too_long", RefusalKind.INVALID, max=high)
    return None


def match_opd(city: CityContext, text: str) -> str | None:
    """An OPD by slug, or by name or alias (fuzzy)."""
    wanted = text.strip().lower()
    if city.directory.opd(wanted) is not None:
        return wanted
    return city.opd_matcher.pick(text)
