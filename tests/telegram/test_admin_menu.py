"""An enrolled admin's chat gets the admin command menu (a chat-scoped setMyCommands)."""

from __future__ import annotations

import json

from telegram import Bot

from core.messages import Outbound
from core.ports import SendOutcome
from tests.fake_platforms.telegram_api import FakeTelegram
from tests.telegram.test_sender import Hints, item, sender


def _menus(fake_tg: FakeTelegram) -> list[tuple[dict[str, object], list[str]]]:
    found = []
    for call in fake_tg.calls_of("setMyCommands"):
        scope, commands = call.params["scope"], call.params["commands"]
        scope = json.loads(scope) if isinstance(scope, str) else scope
        commands = json.loads(commands) if isinstance(commands, str) else commands
        found.append((scope, [c["command"] for c in commands]))
    return found


async def test_coordinator_enrolment_sets_the_full_admin_menu_for_that_chat(
        bot: Bot, fake_tg: FakeTelegram) -> None:
    message = Outbound("Terdaftar sebagai koordinator", admin_menu="coordinator")
    result = await sender(bot, hints=Hints("en")).send(item(message, "7001"))
    assert result.outcome is SendOutcome.SENT
    [(scope, commands)] = _menus(fake_tg)
    assert scope == {"type": "chat", "chat_id": 7001}
    assert commands[:3] == ["tugas", "lihat", "balas"] and "verifikasi" in commands
    assert "report" in commands  # the citizen commands follow, in the chat's language


async def test_officer_menu_leaves_out_coordinator_commands(bot: Bot,
                                                            fake_tg: FakeTelegram) -> None:
    await sender(bot).send(item(Outbound("Terdaftar", admin_menu="officer"), "7002"))
    [(_, commands)] = _menus(fake_tg)
    assert "verifikasi" not in commands and "tolak" not in commands and "balas" in commands


async def test_ordinary_messages_do_not_touch_the_menu(bot: Bot, fake_tg: FakeTelegram) -> None:
    await sender(bot).send(item(Outbound("Halo"), "7003"))
    assert _menus(fake_tg) == []
