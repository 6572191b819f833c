"""What every channel does with what a citizen sent: run the intake use case or queue a notice
of the channel's own, off the event loop, and count it for /metrics."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from core.intake.notice import Notice, put_notice
from core.intake.service import HandleOutcome, IntakeService
from core.messages import Channel, Inbound
from core.ports import Clock, UnitOfWorkFactory

OnHandled = Callable[[Channel, HandleOutcome], None]


class ChannelIntake:
    """The one door from a channel into the core."""

    def __init__(self, intake: IntakeService, uow: UnitOfWorkFactory, clock: Clock,
                 default_language: str = "id", on_handled: OnHandled | None = None) -> None:
        self._intake, self._uow, self._clock = intake, uow, clock
        self._default_language, self._on_handled = default_language, on_handled

    async def handle(self, inbound: Inbound) -> HandleOutcome:
        """The message through the intake use case (the form, or an admin's work command)."""
        outcome = await asyncio.to_thread(self._intake.handle, inbound)
        self.count(inbound.channel, outcome)
        return outcome

    async def notice(self, notice: Notice) -> bool:
        """A fixed reply instead of the use case; True when the message was a replay."""
        replayed = await asyncio.to_thread(put_notice, self._uow, self._clock.now(), notice,
                                           self._default_language)
        self.count(notice.channel, HandleOutcome(replayed=replayed, replies=0 if replayed else 1))
        return replayed

    def count(self, channel: Channel, outcome: HandleOutcome) -> None:
        if self._on_handled is not None:
            self._on_handled(channel, outcome)
