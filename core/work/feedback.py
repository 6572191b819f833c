"""The citizen's feedback buttons and typed replies in a chat (→ `core.reports.feedback`),
and `/ikuti` / `/berhenti`."""

from __future__ import annotations

from core.i18n import t
from core.intake.state import Pending
from core.messages import Option, Outbound
from core.reports import lifecycle
from core.reports.actors import Actor
from core.reports.feedback import own_report
from core.reports.model import Privacy, Status
from core.reports.render import opd_name
from core.reports.results import Changed, Refused
from core.reports.views import Follower
from core.work.actions import say_refused
from core.work.commands import Request
from core.work.turn import Turn

SKIP_WORDS = {"lewati", "skip", "-"}


def feedback_option(turn: Turn, option: str) -> Turn:
    """`fb:ok|no|skip:REF` and `fb:rate:REF:N`, pressed by the report's own reporter."""
    parts = option.split(":")
    if len(parts) not in (3, 4):
        return turn.say("option.stale")
    action, ref = parts[1], parts[2]
    uow, city, now = turn.uow, turn.ctx.city, turn.ctx.now
    actor = Actor.of_citizen(turn.citizen.id)
    report = own_report(uow, actor, ref)
    if isinstance(report, Refused):
        return say_refused(turn, report)
    if action == "skip":
        return turn.say("fb.thanks")
    if action == "ok":
        done = lifecycle.confirm(uow, city, actor, ref, now)
        return _ask_rating(turn, ref) if isinstance(done, Changed) else say_refused(turn, done)
    if action == "no" and report.status is Status.SELESAI:
        turn.conversation.pending = Pending("dispute", ref, now)
        return turn.say("fb.ask_dispute", ref=ref)
    if action == "rate" and len(parts) == 4 and parts[3] in ("1", "2", "3", "4", "5"):
        rated = lifecycle.rate(uow, city, actor, ref, int(parts[3]), now)
        if isinstance(rated, Changed):
            turn.conversation.pending = Pending("comment", ref, now)
            lang = turn.language
            turn.replies.append(Outbound(t("fb.ask_comment", lang),
                                         (Option(f"fb:skip:{ref}", t("btn.skip", lang)),)))
            return turn
    return turn.say("fb.expired", ref=ref, status=t(f"status.{report.status.value}",
                                                    turn.language))


def finish_feedback(turn: Turn, pending: Pending, text: str) -> Turn:
    """The typed dispute reason or comment that a button asked for."""
    uow, city, now = turn.uow, turn.ctx.city, turn.ctx.now
    actor = Actor.of_citizen(turn.citizen.id)
    if pending.action == "comment":
        if text.lower() in SKIP_WORDS:
            report = own_report(uow, actor, pending.tracking_no)
            return say_refused(turn, report) if isinstance(report, Refused) else turn.say(
                "fb.thanks")
        done = lifecycle.comment(uow, actor, pending.tracking_no, text, now)
        return say_refused(turn, done) if isinstance(done, Refused) else turn.say("fb.thanks")
    disputed = lifecycle.dispute(uow, city, actor, pending.tracking_no, text, now)
    if isinstance(disputed, Refused):
        if disputed.reason == "work.text_too_short":
            turn.conversation.pending = pending  # let them type it again
        return say_refused(turn, disputed)
    report = disputed.report
    return turn.say("fb.disputed", ref=report.tracking_no,
                    opd=opd_name(report.opd, city, turn.language))


def _ask_rating(turn: Turn, ref: str) -> Turn:
    lang = turn.language
    stars = tuple(Option(f"fb:rate:{ref}:{n}", "⭐" * n) for n in range(1, 6))
    turn.replies.append(Outbound(t("fb.rate", lang, ref=ref),
                                 (*stars, Option(f"fb:skip:{ref}", t("btn.skip", lang)))))
    return turn


def follow(turn: Turn, request: Request) -> Turn:
    """`/ikuti` and `/berhenti`: only public reports can be followed by other citizens."""
    ref = request.tracking_no or ""
    uow, citizen = turn.uow, turn.citizen
    if request.name == "berhenti":
        report = uow.work.get(ref)
        if report is not None and uow.work.unfollow(report.id, citizen.id):
            return turn.say("unfollow.ok", ref=ref)
        return turn.say("unfollow.not_following", ref=ref)
    report = uow.work.get(ref)
    if report is not None and report.reporter.citizen_id == citizen.id:
        return turn.say("follow.own", ref=ref)
    if (report is None or report.privacy is not Privacy.PUBLIK
            or report.status in (Status.DITUTUP, Status.DITOLAK)):
        return turn.say("follow.not_found", ref=ref)
    chat = Follower(citizen.id, turn.inbound.channel, turn.inbound.chat_id, citizen.language)
    if uow.work.follow(report.id, chat, turn.ctx.now):
        return turn.say("follow.ok", ref=ref)
    return turn.say("follow.already", ref=ref)
