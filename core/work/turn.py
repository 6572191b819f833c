"""One inbound chat message inside its unit of work, as the work side answers it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from core.i18n import t
from core.intake.context import Context
from core.intake.state import Conversation
from core.messages import Inbound, Outbound
from core.ports import Citizen, UnitOfWork
from core.reports.actors import Admin


@dataclass(slots=True)
class Turn:
    """One inbound message, inside its unit of work."""

    uow: UnitOfWork
    inbound: Inbound
    citizen: Citizen
    conversation: Conversation
    ctx: Context
    replies: list[Outbound] = field(default_factory=list)
    # The chat's identity was erased (core.privacy): nothing about the chat may be stored
    # again, and the replies go out as farewells.
    erased: bool = False
    after_commit: list[Callable[[], None]] = field(default_factory=list)  # e.g. delete files
    _admin: Admin | None = field(default=None, init=False)
    _admin_known: bool = field(default=False, init=False)

    @property
    def admin(self) -> Admin | None:
        """The chat's enrolled admin, looked up only when a message needs it: most messages
        are citizens filling in the form, and they should not pay a query for it."""
        if not self._admin_known:
            inbound = self.inbound
            self._admin = self.uow.admins.by_chat(inbound.channel, inbound.chat_id)
            self._admin_known = True
        return self._admin

    @property
    def language(self) -> str:
        return self.conversation.language

    def say(self, key: str, **values: object) -> Turn:
        self.replies.append(Outbound(t(key, self.language, **values)))
        return self
