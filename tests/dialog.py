"""Dialog tables: `[(citizen_says, reply_must_match, step_after), ...]` run through `step()`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from core.city import CityContext, IntakeConfig
from core.directory.loader import bundled_directory_path, load_directory_file
from core.intake.context import Context, Event
from core.intake.form import step
from core.intake.state import Conversation, Step
from core.messages import Channel, Inbound, Location, Media

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # Sunday 22 Nov 2026, 10:00 WIB
PHOTO = Media("a" * 64 + ".jpg", "image/jpeg", 120_000, "lubang.jpg")


@cache
def sample_city(daily_limit: int = 5) -> CityContext:
    directory = load_directory_file(bundled_directory_path())
    return CityContext.build(directory, IntakeConfig(daily_report_limit=daily_limit),
                             ZoneInfo("Asia/Jakarta"))


def inbound(says: Any, n: int, chat: str = "chat-1") -> Inbound:
    """A string is typed text; `{"option": id}`, `{"pin": (lat, lon)}`, `{"photo": Media}`."""
    if isinstance(says, str):
        return Inbound(Channel.WEB, chat, f"m{n}", text=says)
    if "option" in says:
        return Inbound(Channel.WEB, chat, f"m{n}", option_id=says["option"])
    if "pin" in says:
        lat, lon = says["pin"]
        return Inbound(Channel.WEB, chat, f"m{n}", location=Location(lat, lon))
    if "photo" in says:
        return Inbound(Channel.WEB, chat, f"m{n}", media=tuple(says["photo"]))
    raise ValueError(says)


class Dialog:
    """Plays a table against the pure step function, keeping the state between turns."""

    def __init__(self, conversation: Conversation | None = None, reports_today: int = 0,
                 city: CityContext | None = None, now: datetime = NOW) -> None:
        self.conversation = conversation or Conversation()
        self.reports_today, self.city, self.now = reports_today, city or sample_city(), now
        self.events: list[Event] = []
        self.turn = 0
        self.last_text = ""
        self.last_options: list[str] = []

    def play(self, table: Sequence[tuple[Any, str, Step | None]]) -> Dialog:
        for says, pattern, expected_step in table:
            self.turn += 1
            result = step(self.conversation, inbound(says, self.turn),
                          Context(self.city, self.now, self.reports_today))
            self.conversation = result.conversation
            self.events.extend(result.events)
            self.last_text = "\n".join(r.text for r in result.replies)
            self.last_options = [o.id for r in result.replies for o in r.options]
            assert re.search(pattern, self.last_text, re.IGNORECASE | re.DOTALL), (
                f"turn {self.turn}: {says!r} → {self.last_text!r} does not match {pattern!r}"
            )
            if expected_step is not None:
                assert self.conversation.step is expected_step, (
                    f"turn {self.turn}: {says!r} left step {self.conversation.step}, "
                    f"expected {expected_step}"
                )
        return self
