"""The `aduan` argument parser (DESIGN.md "CLI"); `bot.cli.main` runs what it parses."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aduan", description="Aduan complaint intake service")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="migrate the database and start the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)

    db = commands.add_parser("db", help="database maintenance").add_subparsers(
        dest="db_command", required=True, metavar="ACTION")
    db.add_parser("upgrade", help="apply migrations and store the directory")

    admin = commands.add_parser("admin", help="admins and tokens").add_subparsers(
        dest="admin_command", required=True, metavar="ACTION")
    invite = admin.add_parser("invite", help="print a one-time enrolment code for /daftar")
    invite.add_argument("--opd", required=True, help="OPD slug (see `aduan opd list`)")
    invite.add_argument("--role", choices=("officer", "coordinator"), default="officer")
    invite.add_argument("--hours", type=int, default=72, help="validity in hours (default 72)")
    token = admin.add_parser("token", help="print a new API/Open311/dashboard token, or revoke one")
    token.add_argument("--name", help="who uses it (recorded as the actor on reports' timelines)")
    token.add_argument("--opd", help="OPD slug; required for --role officer")
    token.add_argument("--role", choices=("officer", "coordinator"), default="coordinator")
    token.add_argument("--revoke", type=int, metavar="ID", help="revoke token ID (admin list --tokens)")
    listing = admin.add_parser("list", help="enrolled admins and pending invites, or --tokens")
    listing.add_argument("--opd", help="only this OPD's admins and invites")
    listing.add_argument("--all", action="store_true", help="also revoked admins (or tokens)")
    listing.add_argument("--tokens", action="store_true", help="API tokens instead of admins")
    revoke = admin.add_parser("revoke", help="revoke an admin, or cancel an unused invite")
    target = revoke.add_mutually_exclusive_group(required=True)
    target.add_argument("admin_id", nargs="?", type=int, metavar="ID", help="admin id (admin list)")
    target.add_argument("--invite", type=int, metavar="ID", help="cancel this invite instead")

    opd = commands.add_parser("opd", help="the city directory").add_subparsers(
        dest="opd_command", required=True, metavar="ACTION")
    opd.add_parser("list", help="list OPDs and their categories")
    imp = opd.add_parser("import", help="validate and store a directory YAML file")
    imp.add_argument("file", type=Path)

    commands.add_parser("sweep", help="run one SLA sweep now (nudges, auto-close, digests)")

    commands.add_parser("purge", help="apply RETENTION_MESSAGES_DAYS and RETENTION_IDENTITY_DAYS "
                                      "now (the sweeper does it daily)")
    citizen = commands.add_parser("citizen", help="a citizen's personal data").add_subparsers(
        dest="citizen_command", required=True, metavar="ACTION")
    erase = citizen.add_parser("erase", help="erase a citizen's identity, as /hapus_data does")
    erase.add_argument("--chat", required=True, type=_chat, metavar="CHANNEL:ID",
                       help="telegram:CHAT_ID, whatsapp:PHONE or web:CHAT_ID")
    audit = commands.add_parser("audit", help="print the audit log (operator actions, erasures, "
                                              "reads of reporters' identities)")
    audit.add_argument("--since", type=_date, help="only entries on/after (YYYY-MM-DD)")

    media = commands.add_parser("media", help="photo files").add_subparsers(
        dest="media_command", required=True)
    move = media.add_parser("migrate", help="copy photos into MEDIA_STORE from another store")
    move.add_argument("--from", dest="source", default="file",
                      help="file (DATA_DIR/media, the default), database or s3://bucket/prefix")
    move.add_argument("--to", dest="target", help="default: MEDIA_STORE (or its default)")
    move.add_argument("--delete", action="store_true",
                      help="delete each file from the source once the target has it")
    backup = commands.add_parser("backup", help="archive the SQLite database and the photos "
                                 "(PostgreSQL: prints the pg_dump command)")
    backup.add_argument("file", type=Path, help="the archive to write (.tar, .tar.gz)")
    backup.add_argument("--no-media", action="store_true", help="leave the photos out")
    export = commands.add_parser("export", help="write reports to stdout (or --output)")
    export.add_argument("--format", choices=("csv", "json", "lapor", "examples"), default="csv",
                        help="examples: the directory's `examples:` section from verified reports")
    export.add_argument("--since", type=_date, help="only reports created on/after (YYYY-MM-DD)")
    export.add_argument("--output", type=Path, help="file to write instead of stdout")
    export.add_argument("--per-category", type=_per_category, metavar="N",
                        help="--format examples: at most N texts per category, the most recent "
                             "(1-1000, default 200)")
    return parser


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _chat(text: str) -> tuple[str, str]:
    channel, _, chat_id = text.partition(":")
    channel, chat_id = channel.strip().lower(), chat_id.strip()
    if channel not in ("telegram", "whatsapp", "web") or not chat_id:
        raise argparse.ArgumentTypeError(
            f"not CHANNEL:ID with CHANNEL telegram, whatsapp or web: {text!r}")
    if channel == "whatsapp":  # as people write numbers: +62 812-3456-7890
        chat_id = "".join(c for c in chat_id if c.isdigit())
    return channel, chat_id


def _per_category(text: str) -> int:
    value = int(text) if text.isdecimal() else 0
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"not a whole number from 1 to 1000: {text!r}")
    return value
