"""The work side of a chat message: enrolment, admin commands, follow and citizen feedback.

Everything that is not the intake form goes through `WorkService.handle`, inside the same
unit of work as the intake would; it returns None when the message is the form's to answer.
"""

from __future__ import annotations

import math
from datetime import timedelta

from core.i18n import t
from core.intake.state import Pending, Step
from core.messages import Outbound
from core.reports.actors import invite_code_hash
from core.reports.render import opd_name
from core.work.actions import AdminActions
from core.work.commands import (
    ADMIN_COMMANDS,
    DASHBOARD_COMMANDS,
    ENROL_COMMANDS,
    FOLLOW_COMMANDS,
    Request,
    Usage,
    command_name,
    parse,
    parse_option,
)
from core.work.dashboard import login_link
from core.work.feedback import feedback_option, finish_feedback, follow
from core.work.turn import Turn

PENDING_TTL = timedelta(hours=1)
ENROL_WINDOW, ENROL_MAX_FAILURES = timedelta(hours=1), 5
CANCEL_WORDS = {"batal", "cancel"}
HELP_WORDS = {"bantuan", "help"}


DEFAULT_DASHBOARD_BASE = "http://127.0.0.1:8000"


class WorkService:
    """Routes a message to enrolment, an admin command, follow or feedback, when it is one.

    `dashboard_base` is where the service is reachable (`PUBLIC_BASE_URL`): `/dasbor` links
    point there."""

    def __init__(self, dashboard_base: str = DEFAULT_DASHBOARD_BASE) -> None:
        self.dashboard_base = dashboard_base

    def handle(self, turn: Turn) -> Turn | None:
        """The answered turn, or None to let the intake form answer (which drops a pending)."""
        inbound, conv = turn.inbound, turn.conversation
        text = (inbound.text or "").strip()
        if inbound.option_id is not None:
            return self._option(turn, inbound.option_id)
        parsed = command_name(text)
        if parsed is not None:
            return self._command(turn, *parsed)
        if conv.pending is not None and conv.pending.since + PENDING_TTL > turn.ctx.now:
            if text:
                return self._complete(turn, conv.pending, text)
            if inbound.media or inbound.location:
                return turn.say("work.text_too_short", min=1)
        if inbound.reply_to and text and turn.admin is not None:
            ref = turn.uow.work.report_for_message(inbound.channel, inbound.chat_id,
                                                   inbound.reply_to)
            if ref is not None:
                return AdminActions(turn).run(Request("balas", ref, text))
        return None

    def _command(self, turn: Turn, name: str, rest: str) -> Turn | None:
        conv = turn.conversation
        if name in ENROL_COMMANDS:
            conv.pending = None
            return self._enrol(turn, rest)
        if name in ADMIN_COMMANDS:
            conv.pending = None
            canonical = ADMIN_COMMANDS[name]
            if turn.admin is None:
                return turn.say("work.not_admin", command=name[:32])
            request = parse(canonical, rest, turn.ctx.today.year)
            if isinstance(request, Usage):
                return turn.say(f"work.usage.{request.name}")
            return AdminActions(turn).run(request)
        if name in DASHBOARD_COMMANDS:
            conv.pending = None
            return login_link(turn, self.dashboard_base)
        if name in FOLLOW_COMMANDS:
            conv.pending = None
            canonical = FOLLOW_COMMANDS[name]
            request = parse(canonical, rest, turn.ctx.today.year)
            if isinstance(request, Usage):
                return turn.say(f"work.usage.{request.name}")
            return follow(turn, request)
        if name in CANCEL_WORDS and conv.pending is not None:
            conv.pending = None
            return turn.say("work.pending_cancelled")
        if name in HELP_WORDS and conv.step is Step.IDLE and turn.admin is not None:
            lang = turn.language
            turn.replies.append(Outbound(f"{t('help.general', lang)}\n\n{t('work.help', lang)}"))
            return turn
        return None

    def _option(self, turn: Turn, option: str) -> Turn | None:
        if option.startswith("fb:"):
            turn.conversation.pending = None
            return feedback_option(turn, option)
        request = parse_option(option)
        if request is None:
            return None
        turn.conversation.pending = None
        if request.name == "ikuti":
            return follow(turn, request)
        if turn.admin is None:
            return turn.say("work.not_admin", command=request.name)
        return AdminActions(turn).run(request)

    def _complete(self, turn: Turn, pending: Pending, text: str) -> Turn:
        turn.conversation.pending = None
        if pending.action in ("dispute", "comment"):
            return finish_feedback(turn, pending, text)
        if turn.admin is None:  # revoked since the button was pressed
            return turn.say("work.not_admin", command=pending.action)
        return AdminActions(turn).run(Request(pending.action, pending.tracking_no, text))

    def _enrol(self, turn: Turn, rest: str) -> Turn:
        conv, now, uow = turn.conversation, turn.ctx.now, turn.uow
        recent = [at for at in conv.enrol_failures if at + ENROL_WINDOW > now]
        conv.enrol_failures = recent
        if len(recent) >= ENROL_MAX_FAILURES:
            wait = (recent[0] + ENROL_WINDOW - now).total_seconds()
            return turn.say("enrol.too_many", minutes=max(1, math.ceil(wait / 60)))
        if not rest.strip():
            return turn.say("enrol.usage")
        invite = uow.admins.find_invite(invite_code_hash(rest))
        problem = None
        if invite is None:
            problem = "enrol.bad_code"
        elif invite.used_at is not None:
            problem = "enrol.used"
        elif invite.expires_at <= now:
            problem = "enrol.expired"
        elif turn.ctx.directory.opd(invite.opd) is None:
            problem = "enrol.unknown_opd"
        if problem is not None or invite is None:
            conv.enrol_failures.append(now)
            return turn.say(problem or "enrol.bad_code")
        inbound = turn.inbound
        name = (inbound.display_name or "Admin")[:100]
        admin = uow.admins.enrol(invite, inbound.channel, inbound.chat_id, name, now)
        conv.enrol_failures = []
        text = t("enrol.ok", turn.language, role=t(f"role.{admin.role.value}", turn.language),
                 opd=opd_name(admin.opd, turn.ctx.city, turn.language))
        # Channels with a command menu (Telegram) switch this chat's menu to the admin one.
        turn.replies.append(Outbound(text, admin_menu=admin.role.value))
        return turn
