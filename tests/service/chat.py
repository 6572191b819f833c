"""A chat driving the fully wired service: says things, reads its replies from the outbox."""

from __future__ import annotations

import itertools
import re

from bot.bootstrap import Container
from core.messages import Channel, Inbound, Location, Outbound
from tests.dialog import PHOTO

_MESSAGE_IDS = itertools.count(1)  # platform ids are unique across every Chat of a test
PIN = (-0.9140, 100.3490)
DESCRIPTION = "Jalan di depan SD 12 berlubang besar sejak dua minggu, motor sering jatuh."


class Chat:
    """One citizen's chat: says things through the service, reads replies from the outbox."""

    def __init__(self, container: Container, chat_id: str, channel: Channel = Channel.WEB) -> None:
        self.container, self.chat_id, self.channel = container, chat_id, channel
        self.sent, self.cursor = 0, 0

    def say(self, text: str | None = None, *, option: str | None = None,
            pin: tuple[float, float] | None = None, photo: bool = False,
            external_id: str | None = None, reply_to: str | None = None,
            name: str = "Sari") -> list[Outbound]:
        self.sent += 1
        inbound = Inbound(
            self.channel, self.chat_id, external_id or f"{self.chat_id}:{next(_MESSAGE_IDS)}",
            user_id=self.chat_id, display_name=name, text=text, option_id=option,
            location=Location(*pin) if pin else None, media=(PHOTO,) if photo else (),
            reply_to=reply_to,
        )
        self.container.intake.handle(inbound)
        return self.replies()

    def replies(self) -> list[Outbound]:
        rows = self.container.outbox.fetch_for_chat(self.channel, self.chat_id, self.cursor, 100)
        if rows:
            self.cursor = rows[-1][0]
        return [message for _, message, _ in rows]

    def rows(self) -> list[tuple[int, Outbound]]:
        """Replies with their outbox ids (for marking one as sent with a platform id)."""
        rows = self.container.outbox.fetch_for_chat(self.channel, self.chat_id, self.cursor, 100)
        if rows:
            self.cursor = rows[-1][0]
        return [(row_id, message) for row_id, message, _ in rows]

    def fill_to_summary(self, category: str = "jalan_rusak", privacy: str = "rahasia",
                        name: str = "Sari", pin: tuple[float, float] = PIN) -> None:
        self.say("/lapor", name=name)
        self.say(option="type:pengaduan")
        self.say(option=f"cat:{category}")
        self.say(DESCRIPTION)
        self.say(option="date:today")
        self.say(pin=pin)
        self.say(photo=True)
        self.say(option="photos:done")
        [summary] = self.say(option=f"privacy:{privacy}")
        assert "Periksa laporan" in summary.text

    def file_report(self, category: str = "jalan_rusak", privacy: str = "rahasia",
                    name: str = "Sari") -> str:
        self.fill_to_summary(category, privacy, name)
        [confirmation] = self.say(option="summary:confirm", name=name)
        if "dup:file" in [o.id for o in confirmation.options]:  # similar reports offered
            [confirmation] = self.say(option="dup:file", name=name)
        match = re.search(r"ADU-\d{4}-\d{6}", confirmation.text)
        assert match, confirmation.text
        return match.group(0)
