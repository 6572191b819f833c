"""`aduan purge`, `aduan citizen erase`, `aduan audit`, and the audit line every operator
action from the command line writes (DESIGN.md "Personal data")."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import UTC, datetime

from sqlalchemy import Engine

from bot.bootstrap import open_media
from bot.cli.errors import Refused, start_of_day
from bot.settings import Settings
from core.messages import Channel
from core.privacy.erasure import discard, erase
from core.privacy.model import AuditEntry
from core.privacy.retention import purge
from storage.admin_store import SqlAdminStore
from storage.audit import SqlAuditLog
from storage.retention import SqlRetentionStore
from storage.uow import SqlUnitOfWork


def operator() -> str:
    """Who is at the keyboard: the login (the one behind sudo, when run through it)."""
    try:
        return os.environ.get("SUDO_USER") or getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def record(engine: Engine, action: str, subject: str | None = None,
           detail: str | None = None) -> None:
    """One audit line for an operator action (invite, revoke, token, export, purge, erase)."""
    SqlAuditLog(engine).record(AuditEntry("operator", operator(), action, subject, detail),
                               datetime.now(UTC))


def run_purge(settings: Settings, engine: Engine) -> int:
    """Safe beside running servers: short batches that skip rows in use; idempotent."""
    result = purge(SqlRetentionStore(engine), settings.retention, datetime.now(UTC))
    record(engine, "purge", None, result.line())
    print(result.line())
    return 0


def erase_citizen(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    channel, chat_id = Channel(args.chat[0]), args.chat[1]
    if any(a.channel == channel.value and a.chat_id == chat_id and a.revoked_at is None
           for a in SqlAdminStore(engine).admins()):
        raise Refused("that chat is enrolled as an admin: revoke it first (aduan admin revoke ID)")
    photos, now = open_media(settings, engine), datetime.now(UTC)
    with SqlUnitOfWork(engine, tz=settings.tz) as uow:
        citizen_id = uow.privacy.find_citizen(channel, chat_id)
        if citizen_id is None:
            raise Refused(f"no citizen is known on that {channel.value} chat (erased already, "
                          "or never wrote)")
        erased = erase(uow, citizen_id, now, AuditEntry("operator", operator(), "erase"), photos)
        uow.commit()
    discard(erased, photos)
    # The chat id is not repeated: the terminal's scrollback is no place for it either.
    print(f"erased citizen {citizen_id} ({channel.value} chat): {erased.line()}")
    print("the citizen was not messaged; tell them it is done", file=sys.stderr)
    return 0


def audit_listing(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    since = start_of_day(args.since, settings) if args.since else None
    lines = SqlAuditLog(engine).lines(since)
    for line in lines:
        at = line.at.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M:%S %Z")
        cells = [at, f"{line.actor_kind}:{line.actor}", line.action, line.subject or "-",
                 line.detail or ""]
        print("  ".join(_one_line(c) for c in cells).rstrip())
    if not lines:
        print("no audit entries" + (f" since {args.since}" if args.since else ""),
              file=sys.stderr)
    return 0


def _one_line(text: str) -> str:
    """No control characters: names come from chats and must not forge lines."""
    return "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in text)
