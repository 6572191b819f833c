"""Start-up calls: the command menus, the webhook registration and its secret."""

from __future__ import annotations

import logging
import re
import secrets
from typing import Literal

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.channels.telegram.webhook import WEBHOOK_PATH
from core.i18n import t
from storage.app_settings import SqlAppSettings

log = logging.getLogger(__name__)
Mode = Literal["webhook", "polling"]
ALLOWED_UPDATES = ("message", "callback_query")
SECRET_KEY = "telegram.webhook_secret"
_SECRET_CHARS = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what setWebhook accepts
# Menu command names per language and the core command each one runs (core/intake.py COMMANDS).
# /data_saya and /hapus_data are core.privacy.chat's.
COMMAND_MENUS: dict[str, tuple[tuple[str, str], ...]] = {
    "id": (("lapor", "lapor"), ("status", "status"), ("batal", "batal"), ("bahasa", "bahasa"),
           ("bantuan", "bantuan"), ("data_saya", "data_saya"), ("hapus_data", "hapus_data")),
    "en": (("report", "lapor"), ("status", "status"), ("cancel", "batal"), ("language", "bahasa"),
           ("help", "bantuan"), ("mydata", "data_saya"), ("deletedata", "hapus_data")),
}


def resolve_mode(configured: Mode | None, public_base_url: str | None) -> Mode:
    """DESIGN.md: `polling` when there is no PUBLIC_BASE_URL, unless TELEGRAM_MODE says otherwise."""
    if configured is not None:
        return configured
    return "webhook" if public_base_url else "polling"


class WebhookSecret:
    """TELEGRAM_WEBHOOK_SECRET, else one generated once and kept in app_settings."""

    def __init__(self, configured: str | None, store: SqlAppSettings) -> None:
        self._configured, self._store = configured, store
        self.cached: str | None = configured or None

    def value(self) -> str:
        if self.cached is None:
            stored = self._store.get(SECRET_KEY)
            self.cached = stored or self._store.set_if_absent(SECRET_KEY, secrets.token_urlsafe(32))
        return self.cached

    @property
    def generated(self) -> bool:
        return not self._configured

    def valid_for_telegram(self) -> bool:
        return bool(_SECRET_CHARS.match(self.value()))


ADMIN_MENU = ("tugas", "lihat", "balas", "selesai", "alihkan", "verifikasi", "tolak", "gabung",
              "lapor_id", "tunda", "kategori", "dasbor")
OFFICER_ONLY_HIDDEN = ("verifikasi", "tolak", "kategori")  # coordinator commands, not in an officer's menu


def citizen_commands(language: str) -> list[BotCommand]:
    return [BotCommand(name, t(f"telegram.cmd.{core}", language))
            for name, core in COMMAND_MENUS[language]]


def admin_commands(role: str, language: str) -> list[BotCommand]:
    """An enrolled admin's menu: their work commands first, then the citizen ones."""
    names = [n for n in ADMIN_MENU if role == "coordinator" or n not in OFFICER_ONLY_HIDDEN]
    work = [BotCommand(n, t(f"telegram.cmd.{n}", language)[:256]) for n in names]
    return work + citizen_commands(language if language in COMMAND_MENUS else "id")


async def publish_admin_menu(bot: Bot, chat_id: str, role: str, language: str) -> None:
    """Show the admin commands in this chat's menu (a chat scope overrides the default)."""
    await bot.set_my_commands(admin_commands(role, language),
                              scope=BotCommandScopeChat(int(chat_id)))


async def publish_commands(bot: Bot) -> None:
    """Indonesian for everyone by default; English for clients set to English.

    Admins' menus (a chat scope each) are set when they enrol (`publish_admin_menu`).
    """
    scope = BotCommandScopeDefault()
    await bot.set_my_commands(citizen_commands("id"), scope=scope)
    await bot.set_my_commands(citizen_commands("en"), scope=scope, language_code="en")


def webhook_url(public_base_url: str) -> str:
    return f"{public_base_url.rstrip('/')}{WEBHOOK_PATH}"


async def register_webhook(bot: Bot, public_base_url: str, secret: str) -> None:
    await bot.set_webhook(url=webhook_url(public_base_url), secret_token=secret,
                          allowed_updates=list(ALLOWED_UPDATES), max_connections=40)
