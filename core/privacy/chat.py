"""`/data_saya` and `/hapus_data` in any chat, before the work side and the form see a message.

`/hapus_data` asks first: the citizen confirms with the button or by typing YA (YES); any
other message cancels, and a confirmation older than `CONFIRM_TTL` is refused. Once erased,
the turn is marked so the intake service stores nothing more about the chat; its last message,
a farewell, is deleted once delivered.
"""

from __future__ import annotations

from datetime import timedelta

from core.i18n import t
from core.intake.state import Pending
from core.messages import Option, Outbound
from core.privacy.erasure import discard, erase
from core.privacy.model import AuditEntry
from core.privacy.ports import PhotoFiles
from core.privacy.render import kept_text
from core.work.commands import command_name
from core.work.turn import Turn

COMMANDS = {
    "data_saya": "data_saya", "datasaya": "data_saya", "mydata": "data_saya",
    "my_data": "data_saya",
    "hapus_data": "hapus_data", "hapusdata": "hapus_data", "deletedata": "hapus_data",
    "delete_data": "hapus_data", "erase": "hapus_data",
}
PENDING = "hapus_data"
YES, NO = "erase:yes", "erase:no"
YES_WORDS = {"ya", "yes", "y", "hapus", "delete", "1"}  # "1": the number of the first button
CONFIRM_TTL = timedelta(minutes=15)
KEPT_LIMIT = 20


class PrivacyChat:
    """Answers the two privacy commands and the confirmation; None for anything else."""

    def __init__(self, photos: PhotoFiles | None = None) -> None:
        self._photos = photos

    def handle(self, turn: Turn) -> Turn | None:
        option, pending = turn.inbound.option_id, turn.conversation.pending
        if option is not None:
            return self._confirmed(turn, option == YES) if option in (YES, NO) else None
        text = (turn.inbound.text or "").strip()
        parsed = command_name(text)
        if parsed is not None:
            match COMMANDS.get(parsed[0]):
                case "data_saya":
                    kept = turn.uow.privacy.kept(turn.citizen.id, KEPT_LIMIT)
                    retention = turn.ctx.config.retention
                    turn.replies.append(kept_text(kept, retention, turn.language))
                    return turn
                case "hapus_data":
                    return self._ask(turn)
            return None
        if pending is not None and pending.action == PENDING:
            return self._confirmed(turn, text.lower().rstrip(".!") in YES_WORDS)
        return None

    def _ask(self, turn: Turn) -> Turn:
        if turn.admin is not None:
            return turn.say("erase.admin_chat")
        lang = turn.language
        turn.conversation.pending = Pending(PENDING, "-", turn.ctx.now)
        turn.replies.append(Outbound(t("erase.ask", lang), (
            Option(YES, t("erase.btn.yes", lang)), Option(NO, t("erase.btn.no", lang)))))
        return turn

    def _confirmed(self, turn: Turn, yes: bool) -> Turn:
        pending, now = turn.conversation.pending, turn.ctx.now
        asked = pending is not None and pending.action == PENDING
        turn.conversation.pending = None
        if not yes:
            return turn.say("erase.cancelled")
        if not asked or pending is None or pending.since + CONFIRM_TTL <= now:
            return turn.say("erase.expired")
        if turn.admin is not None:
            return turn.say("erase.admin_chat")
        # The farewell is queued first: erasing leaves it alone, and it keeps an outbox id
        # above every message the chat was shown (SQLite reuses the ids of deleted last rows).
        inbound = turn.inbound
        turn.uow.privacy.farewell(inbound.channel, inbound.chat_id,
                                  Outbound(t("erase.done", turn.language)), now)
        citizen = turn.citizen.id
        by = AuditEntry("citizen", f"citizen {citizen}", "erase")
        erased = erase(turn.uow, citizen, now, by, self._photos)
        turn.after_commit.append(lambda: discard(erased, self._photos))
        turn.erased = True
        return turn
