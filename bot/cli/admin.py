"""`aduan admin …`: invites, API tokens, and the list and revocation of admins and tokens."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot.cli.errors import Refused, UserError
from bot.cli.privacy import record
from bot.settings import Settings
from core.reports.actors import Role
from storage.admin_store import AdminEntry, InviteEntry, SqlAdminStore
from storage.directory_store import SqlDirectoryStore
from storage.tokens import SqlTokenStore

SHOWN_TAIL = 4  # chat ids are phone numbers on WhatsApp: show only enough to tell them apart
MAX_NAME = 30


def run(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    store, now = SqlAdminStore(engine), datetime.now(UTC)
    revoked = args.admin_command == "revoke"
    if args.admin_command == "invite":
        return invite(args, settings, engine, store, now)
    if args.admin_command == "token":
        return token(args, engine, now, settings.tz)
    if args.admin_command == "list" and args.tokens:
        print("\n".join(token_listing(SqlTokenStore(engine), settings.tz, args.all)))
        return 0
    if args.admin_command == "list":
        print("\n".join(listing(store, now, settings.tz, args.opd, args.all)))
        return 0
    if revoked and args.invite is not None:
        cancel_invite(store, args.invite, now, settings.tz)
        record(engine, "revoke", f"invite {args.invite}")
        return 0
    revoke(store, args.admin_id, now, settings.tz)
    record(engine, "revoke", f"admin {args.admin_id}")
    return 0


def invite(args: argparse.Namespace, settings: Settings, engine: Engine, store: SqlAdminStore,
           now: datetime) -> int:
    directory = SqlDirectoryStore(engine).current()
    assert directory is not None
    if directory.opd(args.opd) is None:
        known = ", ".join(o.slug for o in directory.opds)
        raise UserError(f"unknown OPD {args.opd!r}; known: {known}")
    if not 1 <= args.hours <= 24 * 30:
        raise UserError("--hours must be between 1 and 720")
    code, expires = store.create_invite(args.opd, args.role, now, timedelta(hours=args.hours))
    record(engine, "invite", f"invite for {args.opd}",
           f"{args.role} of {args.opd}, valid until {local(expires, settings.tz)}")
    print(code)
    print(f"one-time code for {args.role} of {args.opd}; valid until {local(expires, settings.tz)}. "
          f"In the bot: /daftar {code}", file=sys.stderr)
    return 0


def token(args: argparse.Namespace, engine: Engine, now: datetime, tz: ZoneInfo) -> int:
    """`--name N [--opd SLUG --role R]` prints a new token; `--revoke ID` ends one at once."""
    tokens = SqlTokenStore(engine)
    if args.revoke is not None:
        if not tokens.revoke(args.revoke, now):
            found = tokens.get(args.revoke)
            if found is None:
                raise Refused(f"no token with id {args.revoke} (see: aduan admin list --tokens)")
            raise Refused(f"token {args.revoke} was already revoked on "
                          f"{local(found.revoked_at or now, tz)}")
        record(engine, "revoke", f"token {args.revoke}")
        print(f"revoked token {args.revoke}; it is refused from now on")
        return 0
    name = (args.name or "").strip()
    if not name:
        raise UserError("--name is required (and must not be empty) for a new token")
    role = Role(args.role)
    if args.opd is not None:
        directory = SqlDirectoryStore(engine).current()
        assert directory is not None
        if directory.opd(args.opd) is None:
            known = ", ".join(o.slug for o in directory.opds)
            raise UserError(f"unknown OPD {args.opd!r}; known: {known}")
    elif role is Role.OFFICER:
        raise UserError("an officer token needs --opd SLUG (the OPD whose reports it may see)")
    entry, secret = tokens.create(clean(name), now, role, args.opd)
    record(engine, "token", f"token {entry.id}",
           f"{entry.name!r}, {role.value}" + (f" of {entry.opd}" if entry.opd else ""))
    print(secret)
    scope = f" of {entry.opd}" if entry.opd else ""
    print(f"token id {entry.id} for {entry.name!r} ({role.value}{scope}); store it now: it is "
          "shown only once", file=sys.stderr)
    return 0


def token_listing(tokens: SqlTokenStore, tz: ZoneInfo, include_revoked: bool) -> list[str]:
    """The lines of `aduan admin list --tokens` (never a secret or its hash)."""
    entries = tokens.entries(include_revoked)
    if not entries:
        return ["no tokens; create one with: aduan admin token --name NAME"]
    return table(("ID", "NAME", "ROLE", "OPD", "CREATED", "LAST USED", "STATUS"), [
        [str(e.id), clean(e.name), e.role.value, e.opd or "-", local(e.created_at, tz),
         local(e.last_used_at, tz) if e.last_used_at else "-",
         "active" if e.revoked_at is None else f"revoked {local(e.revoked_at, tz)}"]
        for e in entries])


def listing(store: SqlAdminStore, now: datetime, tz: ZoneInfo, opd: str | None,
            include_revoked: bool) -> list[str]:
    """The lines of `aduan admin list`: admins, then pending invites (never a code)."""
    admins = store.admins(opd, include_revoked=True)
    shown = [a for a in admins if include_revoked or a.revoked_at is None]
    hidden = len(admins) - len(shown)
    lines: list[str] = []
    if shown:
        lines += table(("ID", "NAME", "OPD", "ROLE", "CHANNEL", "CHAT", "ENROLLED", "STATUS"),
                       [_admin_cells(a, tz) for a in shown])
    else:
        where = f" in {opd}" if opd else ""
        lines.append(f"no admins enrolled{where}; create an invite with: "
                     f"aduan admin invite --opd {opd or 'SLUG'}")
    if hidden:
        lines.append(f"({hidden} revoked admin(s) not shown; add --all to see them)")
    invites = store.pending_invites(now, opd)
    if invites:
        lines += ["", "pending invites:"]
        lines += table(("ID", "OPD", "ROLE", "EXPIRES"), [_invite_cells(i, tz) for i in invites])
    return lines


def revoke(store: SqlAdminStore, admin_id: int, now: datetime, tz: ZoneInfo) -> int:
    if not store.revoke_admin(admin_id, now):
        found = store.admin(admin_id)
        if found is None:
            raise Refused(f"no admin with id {admin_id} (see: aduan admin list --all)")
        since = f" on {local(found.revoked_at, tz)}" if found.revoked_at else ""
        raise Refused(f"admin {admin_id} was already revoked{since}")
    done = store.admin(admin_id)
    assert done is not None
    print(f"revoked admin {admin_id} ({clean(done.name)}, {done.role} of {done.opd_slug})")
    return 0


def cancel_invite(store: SqlAdminStore, invite_id: int, now: datetime, tz: ZoneInfo) -> int:
    if not store.cancel_invite(invite_id, now):
        found = store.invite(invite_id)
        if found is None:
            raise Refused(f"no invite with id {invite_id} (see: aduan admin list)")
        if found.used_at is not None:
            raise Refused(f"invite {invite_id} was already used on {local(found.used_at, tz)}; "
                          "revoke the admin instead")
        raise Refused(f"invite {invite_id} already expired on {local(found.expires_at, tz)}")
    print(f"cancelled invite {invite_id}; its code can no longer be used with /daftar")
    return 0


def local(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


def mask(chat_id: str | None) -> str:
    """Only the last characters of a chat id (a phone number on WhatsApp), never all of it."""
    if not chat_id:
        return "-"
    tail = min(SHOWN_TAIL, len(chat_id) // 2)
    hidden = len(chat_id) - tail
    return "•" * min(hidden, 8) + chat_id[len(chat_id) - tail:]


def clean(name: str) -> str:
    """Names come from chat: no control characters (they would break or forge lines)."""
    flat = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in name).strip()
    return flat if len(flat) <= MAX_NAME else flat[:MAX_NAME - 1] + "…"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
    return ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
            for line in (headers, *rows)]


def _admin_cells(admin: AdminEntry, tz: ZoneInfo) -> list[str]:
    status = "active" if admin.revoked_at is None else f"revoked {local(admin.revoked_at, tz)}"
    return [str(admin.id), clean(admin.name) or "-", admin.opd_slug, admin.role,
            admin.channel or "-", mask(admin.chat_id), local(admin.enrolled_at, tz), status]


def _invite_cells(invite: InviteEntry, tz: ZoneInfo) -> list[str]:
    return [str(invite.id), invite.opd_slug, invite.role, local(invite.expires_at, tz)]
