"""The citizen's side of a finished report: confirm, rate, comment, dispute; and following."""

from __future__ import annotations

from core.i18n import t
from core.intake.state import Pending
from core.messages import Option, Outbound
from core.ports import UnitOfWork
from core.reports.changes import record_change
from core.reports.model import Privacy, Status
from core.reports.notify import notify_admins, responsible_admins, update_citizens
from core.reports.views import Follower, ReportChange, ReportView
from core.work.commands import Request
from core.work.render import opd_name
from core.work.turn import Turn

DISPUTE_MIN, NOTE_MAX = 5, 1000
SKIP_WORDS = {"lewati", "skip", "-"}


def feedback_option(turn: Turn, option: str) -> Turn:
    """`fb:ok|no|skip:REF` and `fb:rate:REF:N`, pressed by the report's own reporter."""
    parts = option.split(":")
    if len(parts) not in (3, 4):
        return turn.say("option.stale")
    action, ref = parts[1], parts[2]
    report = turn.uow.work.get(ref, for_update=True)
    if report is None or report.reporter.citizen_id != turn.citizen.id:
        return turn.say("follow.not_found", ref=ref[:20])
    if action == "skip":
        return turn.say("fb.thanks")
    if action == "ok" and report.status is Status.SELESAI:
        return _confirm(turn, report)
    if action == "no" and report.status is Status.SELESAI:
        turn.conversation.pending = Pending("dispute", ref, turn.ctx.now)
        return turn.say("fb.ask_dispute", ref=ref)
    if (action == "rate" and len(parts) == 4 and parts[3] in "12345" and len(parts[3]) == 1
            and report.status is Status.DITUTUP and report.rating is None):
        rating = int(parts[3])
        _record(turn.uow, report, ReportChange(rating=rating), "rated", str(rating), turn)
        turn.conversation.pending = Pending("comment", ref, turn.ctx.now)
        lang = turn.language
        turn.replies.append(Outbound(t("fb.ask_comment", lang),
                                     (Option(f"fb:skip:{ref}", t("btn.skip", lang)),)))
        return turn
    return turn.say("fb.expired", ref=ref, status=t(f"status.{report.status.value}",
                                                    turn.language))


def finish_feedback(turn: Turn, pending: Pending, text: str) -> Turn:
    """The typed dispute reason or comment that a button asked for."""
    report = turn.uow.work.get(pending.tracking_no, for_update=True)
    if report is None or report.reporter.citizen_id != turn.citizen.id:
        return turn.say("follow.not_found", ref=pending.tracking_no)
    if pending.action == "comment":
        if text.lower() not in SKIP_WORDS:
            _record(turn.uow, report, ReportChange(), "comment", text[:NOTE_MAX], turn)
        return turn.say("fb.thanks")
    if report.status is not Status.SELESAI:
        return turn.say("fb.expired", ref=report.tracking_no,
                        status=t(f"status.{report.status.value}", turn.language))
    if len(text) < DISPUTE_MIN:
        turn.conversation.pending = pending
        return turn.say("work.text_too_short", min=DISPUTE_MIN)
    changed = _record(turn.uow, report, ReportChange(status=Status.DIPROSES), "disputed",
                      text[:NOTE_MAX], turn)
    city = turn.ctx.city
    notify_admins(turn.uow, responsible_admins(turn.uow, changed.status, changed.opd), changed,
                  lambda lang: t("notify.disputed", lang, ref=report.tracking_no,
                                 reason=text[:300]), city, turn.ctx.now)
    # Followers hear what the reporter did; the reporter already has the bot's answer.
    update_citizens(turn.uow, changed, Status.DIPROSES, lambda lang: t("update.disputed", lang),
                    turn.ctx.now, reporter=False)
    return turn.say("fb.disputed", ref=report.tracking_no,
                    opd=opd_name(report.opd, city, turn.language))


def _confirm(turn: Turn, report: ReportView) -> Turn:
    changed = _record(turn.uow, report, ReportChange(status=Status.DITUTUP), "confirmed", None,
                      turn)
    update_citizens(turn.uow, changed, Status.DITUTUP, lambda lang: t("update.confirmed", lang),
                    turn.ctx.now, reporter=False)
    ref, lang = report.tracking_no, turn.language
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


def _record(uow: UnitOfWork, report: ReportView, change: ReportChange, kind: str,
            note: str | None, turn: Turn) -> ReportView:
    return record_change(uow, report, change, turn.ctx.now, "citizen", turn.citizen.id, kind,
                         turn.ctx.city.sla, note)
