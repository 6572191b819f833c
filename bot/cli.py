"""The `aduan` command line (DESIGN.md "CLI"): one-line errors on stderr, non-zero exit."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path

from pydantic import ValidationError

from bot.settings import Settings


class UserError(Exception):
    """A mistake by the person at the keyboard: shown as one line, exit status 2."""

    status = 2


class Refused(UserError):
    """A well-formed request that cannot be done (no such id, already revoked): exit status 1."""

    status = 1


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
    token = admin.add_parser("token", help="print a new API/Open311/dashboard token")
    token.add_argument("--name", required=True)
    listing = admin.add_parser("list", help="enrolled admins and pending invites")
    listing.add_argument("--opd", help="only this OPD's admins and invites")
    listing.add_argument("--all", action="store_true", help="also revoked admins")
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


def _per_category(text: str) -> int:
    value = int(text) if text.isdecimal() else 0
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"not a whole number from 1 to 1000: {text!r}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO").upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command not in ("serve", "db"):
        # Migration chatter would bury the one line a person asked for (a code, a token).
        logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        settings = Settings()
        from bot import cli_commands  # heavy imports only after argument errors are ruled out

        return cli_commands.run(args, settings)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())).upper()
        print(f"aduan: configuration error: {where}: {first.get('msg')}", file=sys.stderr)
    except UserError as exc:
        print(f"aduan: {exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # operational failure (database down…): one line, no traceback
        logging.getLogger(__name__).debug("command failed", exc_info=True)
        print(f"aduan: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
              file=sys.stderr)
        return 1
    return 2


def start_of_day(day: date, settings: Settings) -> datetime:
    return datetime.combine(day, time(0), tzinfo=settings.tz).astimezone(UTC)


if __name__ == "__main__":
    # Under `python -m bot.cli` this file runs as __main__, while cli_commands raises
    # bot.cli.UserError, a distinct class: run the importable module's main so it is caught.
    from bot.cli import main as module_main

    sys.exit(module_main())
