"""Admin commands on one report: authorise, change state, record, notify (one use case each)."""

from __future__ import annotations

from core.i18n import format_datetime, t
from core.intake.state import Pending
from core.matching.duplicate_finder import DuplicateFinder
from core.reports.access import Action, can_see, refusal
from core.reports.actors import Role
from core.reports.changes import record_change
from core.reports.model import Status
from core.reports.notify import audience, notify_admins, responsible_admins, update_citizens
from core.reports.views import ReportChange, ReportEvent, ReportView
from core.sla.policy import tier_of
from core.work.commands import Request
from core.work.render import detail, opd_name, queue
from core.work.turn import Turn

ANSWER_MIN, ANSWER_MAX = 5, 4000
REASON_MIN, REASON_MAX = 5, 1000
QUEUE_FETCH, QUEUE_SHOW = 200, 15
SIMILAR_SHOWN = 5
NEEDS_TEXT = {"balas", "selesai", "alihkan", "tolak"}
OFFICER_QUEUE = (Status.DIDISPOSISIKAN, Status.DIPROSES, Status.SELESAI)
COORDINATOR_QUEUE = (Status.BARU, Status.DIDISPOSISIKAN, Status.DIPROSES)


class AdminActions:
    """Runs one parsed admin request for the turn's (enrolled) admin."""

    def __init__(self, turn: Turn) -> None:
        assert turn.admin is not None
        self.turn, self.admin, self.uow = turn, turn.admin, turn.uow
        self.city, self.now, self.lang = turn.ctx.city, turn.ctx.now, turn.language

    def run(self, request: Request) -> Turn:
        if request.name == "tugas":
            return self._queue()
        assert request.tracking_no is not None
        report = self.uow.work.get(request.tracking_no, for_update=True)
        name = request.name
        if report is None:
            return self.turn.say("work.not_found", ref=request.tracking_no)
        if (key := refusal(self.admin, Action(name), report)) is not None:
            return self.turn.say(key, ref=report.tracking_no, command=name,
                                 status=t(f"status.{report.status.value}", self.lang))
        if name in NEEDS_TEXT and not request.arg:
            return self._ask(name, report)
        match name:
            case "lihat":
                return self._view(report)
            case "balas":
                return self._answer(report, request.arg)
            case "selesai":
                return self._resolve(report, request.arg)
            case "alihkan" if self.admin.role is Role.COORDINATOR:
                return self._dispose(report, request.arg)
            case "alihkan":
                return self._hand_back(report, request.arg)
            case "verifikasi":
                return self._dispose(report, request.arg)
            case "tolak":
                return self._reject(report, request.arg)
            case "gabung":
                return self._merge(report, request.arg)
            case "tunda":
                return self._snooze(report)
            case _:
                return self._lapor_id(report, request.arg)

    # --- reading -----------------------------------------------------------------------------
    def _queue(self) -> Turn:
        coordinator = self.admin.role is Role.COORDINATOR
        opd = None if coordinator else self.admin.opd
        statuses = COORDINATOR_QUEUE if coordinator else OFFICER_QUEUE
        items, total = self.uow.work.queue(opd, statuses, QUEUE_FETCH)
        scope = t("queue.all", self.lang) if coordinator else opd_name(opd, self.city, self.lang)
        # The page comes oldest first; the renderer shows the most urgent of it.
        self.turn.replies.append(queue(items, total, scope, self.now, self.city, self.lang,
                                       show=QUEUE_SHOW))
        return self.turn

    def _view(self, report: ReportView) -> Turn:
        self._record(report, "viewed")
        timeline = self.uow.work.timeline(report.id, 30)
        found = DuplicateFinder().for_report(self.uow, report, self.city.config,
                                             SIMILAR_SHOWN * 2)
        similar = [d for d in found if can_see(self.admin, d.candidate)][:SIMILAR_SHOWN]
        self.turn.replies.append(detail(report, self.admin.role, timeline, similar, self.city,
                                        self.lang))
        return self.turn

    def _ask(self, name: str, report: ReportView) -> Turn:
        self.turn.conversation.pending = Pending(name, report.tracking_no, self.now)
        key = f"work.ask.{name}"
        if name == "alihkan":
            key += f".{self.admin.role.value}"
        return self.turn.say(key, ref=report.tracking_no)

    # --- changing ----------------------------------------------------------------------------
    def _answer(self, report: ReportView, text: str) -> Turn:
        if (problem := self._bad_text(text, ANSWER_MIN, ANSWER_MAX)) is not None:
            return problem
        status = Status.DIPROSES if report.status is Status.DIDISPOSISIKAN else report.status
        changed = self._change(report, ReportChange(status=status), "answer", text)
        opd = opd_name(self.admin.opd, self.city, "id")
        update_citizens(self.uow, changed, status,
                        lambda lang: t("update.answer", lang, opd=opd, text=text), self.now)
        return self.turn.say("work.done.balas", ref=report.tracking_no)

    def _resolve(self, report: ReportView, text: str) -> Turn:
        if (problem := self._bad_text(text, ANSWER_MIN, ANSWER_MAX)) is not None:
            return problem
        changed = self._change(report, ReportChange(status=Status.SELESAI), "resolved", text)
        opd = opd_name(report.opd or self.admin.opd, self.city, "id")
        update_citizens(self.uow, changed, Status.SELESAI,
                        lambda lang: t("update.resolved", lang, opd=opd, text=text), self.now,
                        confirm_days=tier_of(report.category,
                                             self.city.directory).confirmation_days)
        return self.turn.say("work.done.selesai", ref=report.tracking_no)

    def _dispose(self, report: ReportView, wanted: str) -> Turn:
        target = self._match_opd(wanted) if wanted else report.opd
        if wanted and target is None:
            examples = ", ".join(o.slug for o in self.city.directory.opds[:3])
            return self.turn.say("work.opd_unknown", text=wanted[:60], examples=examples)
        if target is None:
            return self.turn.say("work.no_opd", ref=report.tracking_no)
        name = opd_name(target, self.city, "id")
        if target == report.opd and report.status is not Status.BARU:
            return self.turn.say("work.opd_same", ref=report.tracking_no, opd=name)
        verified = report.status is Status.BARU
        changed = self._change(report, ReportChange(status=Status.DIDISPOSISIKAN, opd=target),
                               "verified" if verified else "disposed", name)
        notify_admins(self.uow, responsible_admins(self.uow, changed.status, changed.opd), changed,
                      lambda lang: t("notify.assigned", lang, ref=report.tracking_no, opd=name),
                      self.city, self.now, skip=self.admin)
        key = "update.verified" if verified else "update.disposed"
        update_citizens(self.uow, changed, Status.DIDISPOSISIKAN,
                        lambda lang: t(key, lang, opd=name), self.now)
        return self.turn.say("work.done.disposed", ref=report.tracking_no, opd=name)

    def _hand_back(self, report: ReportView, reason: str) -> Turn:
        if (problem := self._bad_text(reason, REASON_MIN, REASON_MAX)) is not None:
            return problem
        changed = self._change(report, ReportChange(status=Status.BARU, clear_opd=True),
                               "handed_back", reason)
        opd = opd_name(self.admin.opd, self.city, "id")
        notify_admins(self.uow, responsible_admins(self.uow, changed.status, changed.opd), changed,
                      lambda lang: t("notify.handed_back", lang, opd=opd,
                                     ref=report.tracking_no, reason=reason[:300]),
                      self.city, self.now)
        update_citizens(self.uow, changed, Status.BARU,
                        lambda lang: t("update.handed_back", lang), self.now)
        return self.turn.say("work.done.handed_back", ref=report.tracking_no)

    def _reject(self, report: ReportView, reason: str) -> Turn:
        if (problem := self._bad_text(reason, REASON_MIN, REASON_MAX)) is not None:
            return problem
        changed = self._change(report, ReportChange(status=Status.DITOLAK), "rejected", reason)
        update_citizens(self.uow, changed, Status.DITOLAK,
                        lambda lang: t("update.rejected", lang, reason=reason), self.now)
        return self.turn.say("work.done.rejected", ref=report.tracking_no)

    def _merge(self, report: ReportView, target_no: str) -> Turn:
        target = self.uow.work.get(target_no, for_update=True)
        if target is not None and target.duplicate_of is not None:  # merge into the original
            target = self.uow.work.get(target.duplicate_of, for_update=True)
        if target is not None and target.id == report.id:
            return self.turn.say("work.merge_self")
        if (target is None or not can_see(self.admin, target)
                or target.status in (Status.DITUTUP, Status.DITOLAK)):
            return self.turn.say("work.merge_target", ref=target_no)
        changed = self._change(report, ReportChange(status=Status.DITUTUP,
                                                    duplicate_of_id=target.id),
                               "merged", target.tracking_no)
        # Its reporter and followers hear from the original from now on.
        update_citizens(self.uow, changed, Status.DITUTUP,
                        lambda lang: t("update.merged", lang, target=target.tracking_no),
                        self.now)
        for chat, _ in audience(self.uow, report):
            if chat.citizen_id != target.reporter.citizen_id:
                self.uow.work.follow(target.id, chat, self.now)
        self.uow.work.add_event(target.id, ReportEvent(self.now, "admin", self.admin.id,
                                                       "merged_in", note=report.tracking_no))
        return self.turn.say("work.done.merged", ref=report.tracking_no,
                             target=target.tracking_no)

    def _lapor_id(self, report: ReportView, lapor_id: str) -> Turn:
        self._change(report, ReportChange(lapor_id=lapor_id), "lapor_id", lapor_id)
        return self.turn.say("work.done.lapor_id", ref=report.tracking_no, lapor_id=lapor_id)

    def _snooze(self, report: ReportView) -> Turn:
        """Hold back this report's reminders for a working day; the deadline stays."""
        running = [d for d in self.uow.deadlines.active(report.id) if d.step.nudges_admins]
        if not running:
            return self.turn.say("work.tunda_nothing", ref=report.tracking_no)
        until = self.city.sla.snooze_until(self.now)
        for deadline in running:
            self.uow.deadlines.snooze(deadline.id, until)
        shown = format_datetime(until, "id", self.city.tz)
        self.uow.work.add_event(report.id, ReportEvent(self.now, "admin", self.admin.id,
                                                       "snoozed", note=shown))
        step = running[0]
        return self.turn.say("work.done.tunda", ref=report.tracking_no,
                             until=format_datetime(until, self.lang, self.city.tz),
                             what=t(f"deadline.{step.step.value}", self.lang),
                             due=format_datetime(step.due_at, self.lang, self.city.tz))

    # --- helpers -----------------------------------------------------------------------------
    def _change(self, report: ReportView, change: ReportChange, kind: str,
                note: str | None) -> ReportView:
        return record_change(self.uow, report, change, self.now, "admin", self.admin.id, kind,
                             self.city.sla, note)

    def _record(self, report: ReportView, kind: str) -> None:
        self.uow.work.add_event(report.id, ReportEvent(self.now, "admin", self.admin.id, kind))

    def _bad_text(self, text: str, low: int, high: int) -> Turn | None:
        if len(text.strip()) < low:
            return self.turn.say("work.text_too_short", min=low)
        if len(text) > high:
            return self.turn.say("work.text_too_long", max=high)
        return None

    def _match_opd(self, text: str) -> str | None:
        wanted = text.strip().lower()
        if self.city.directory.opd(wanted) is not None:
            return wanted
        return self.city.opd_matcher.pick(text)
