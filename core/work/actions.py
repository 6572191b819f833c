"""Admin commands in a chat: parse → lifecycle use case → the chat's answer.

The use cases (`core.reports.lifecycle`) authorise, change, record and notify; this module
only asks for a missing text, renders `Changed` as the admin's confirmation and `Refused` as
its catalog text, and shows `/tugas` and `/lihat`.
"""

from __future__ import annotations

from core.i18n import format_datetime, t
from core.intake.state import Pending
from core.matching.duplicate_finder import DuplicateFinder
from core.reports import lifecycle
from core.reports.access import Action, can_see
from core.reports.actors import Actor, Role
from core.reports.model import Status
from core.reports.render import opd_name
from core.reports.results import Changed, Refused, Result
from core.work.commands import Request
from core.work.render import detail, queue
from core.work.turn import Turn

QUEUE_FETCH, QUEUE_SHOW = 200, 15
SIMILAR_SHOWN = 5
NEEDS_TEXT = {"balas", "selesai", "alihkan", "tolak", "kategori"}
OFFICER_QUEUE = (Status.DIDISPOSISIKAN, Status.DIPROSES, Status.SELESAI)
COORDINATOR_QUEUE = (Status.BARU, Status.DIDISPOSISIKAN, Status.DIPROSES)


def say_refused(turn: Turn, refused: Refused) -> Turn:
    """A refusal in the reader's language (a `Status` parameter shown in words)."""
    values = {key: t(f"status.{value.value}", turn.language) if isinstance(value, Status)
              else value for key, value in refused.params.items()}
    return turn.say(refused.reason, **values)


class AdminActions:
    """Runs one parsed admin request for the turn's (enrolled) admin."""

    def __init__(self, turn: Turn) -> None:
        assert turn.admin is not None
        self.turn, self.admin, self.uow = turn, turn.admin, turn.uow
        self.actor = Actor.of_admin(turn.admin)
        self.city, self.now, self.lang = turn.ctx.city, turn.ctx.now, turn.language

    def run(self, request: Request) -> Turn:
        if request.name == "tugas":
            return self._queue()
        assert request.tracking_no is not None
        name, ref, arg = request.name, request.tracking_no, request.arg
        if name in NEEDS_TEXT and not arg:
            return self._ask(name, ref)
        uow, city, actor, now = self.uow, self.city, self.actor, self.now
        result: Result
        match name:
            case "lihat":
                return self._view(ref)
            case "balas":
                result = lifecycle.answer(uow, city, actor, ref, arg, now)
            case "selesai":
                result = lifecycle.resolve(uow, city, actor, ref, arg, now)
            case "alihkan" if self.admin.role is Role.COORDINATOR:
                result = lifecycle.dispose(uow, city, actor, ref, arg, now)
            case "alihkan":
                result = lifecycle.hand_back(uow, city, actor, ref, arg, now)
            case "verifikasi":
                result = lifecycle.verify(uow, city, actor, ref, arg or None, now)
            case "tolak":
                result = lifecycle.reject(uow, city, actor, ref, arg, now)
            case "gabung":
                result = lifecycle.merge(uow, city, actor, ref, arg, now)
            case "tunda":
                result = lifecycle.snooze(uow, city, actor, ref, now)
            case "kategori":
                result = lifecycle.recategorise(uow, city, actor, ref, arg, now)
            case _:
                result = lifecycle.set_lapor_id(uow, city, actor, ref, arg, now)
        if isinstance(result, Refused):
            return say_refused(self.turn, result)
        return self._done(name, result)

    def _done(self, name: str, done: Changed) -> Turn:
        ref = done.report.tracking_no
        match name:
            case "alihkan" | "verifikasi" if done.report.status is Status.DIDISPOSISIKAN:
                return self.turn.say("work.done.disposed", ref=ref,
                                     opd=opd_name(done.report.opd, self.city, "id"))
            case "alihkan":
                return self.turn.say("work.done.handed_back", ref=ref)
            case "tolak":
                return self.turn.say("work.done.rejected", ref=ref)
            case "gabung":
                assert done.target is not None
                return self.turn.say("work.done.merged", ref=ref,
                                     target=done.target.tracking_no)
            case "lapor_id":
                return self.turn.say("work.done.lapor_id", ref=ref, lapor_id=done.report.lapor_id)
            case "kategori":
                category = self.city.directory.category(done.report.category)
                return self.turn.say("work.done.kategori", ref=ref,
                                     category=category.name(self.lang) if category else "-",
                                     opd=opd_name(done.report.opd, self.city, self.lang))
            case "tunda":
                assert done.snoozed is not None
                held, tz = done.snoozed, self.city.tz
                return self.turn.say("work.done.tunda", ref=ref,
                                     until=format_datetime(held.until, self.lang, tz),
                                     what=t(f"deadline.{held.step.value}", self.lang),
                                     due=format_datetime(held.due_at, self.lang, tz))
            case _:
                return self.turn.say(f"work.done.{name}", ref=ref)

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

    def _view(self, ref: str) -> Turn:
        seen = lifecycle.view(self.uow, self.actor, ref, self.now)
        if isinstance(seen, Refused):
            return say_refused(self.turn, seen)
        report = seen.report
        timeline = self.uow.work.timeline(report.id, 30)
        found = DuplicateFinder().for_report(self.uow, report, self.city.config,
                                             SIMILAR_SHOWN * 2)
        similar = [d for d in found if can_see(self.admin, d.candidate)][:SIMILAR_SHOWN]
        self.turn.replies.append(detail(report, self.admin.role, timeline, similar, self.city,
                                        self.lang))
        return self.turn

    def _ask(self, name: str, ref: str) -> Turn:
        """The command came without its text: check it is allowed, then ask for the text."""
        action = Action(name)
        allowed = lifecycle.load(self.uow, self.actor, action, ref)
        if isinstance(allowed, Refused):
            return say_refused(self.turn, allowed)
        self.turn.conversation.pending = Pending(name, allowed.tracking_no, self.now)
        key = f"work.ask.{name}"
        if name == "alihkan":
            key += f".{self.admin.role.value}"
        return self.turn.say(key, ref=allowed.tracking_no)
