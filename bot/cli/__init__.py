"""The `aduan` command line (DESIGN.md "CLI"): one-line errors on stderr, non-zero exit."""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from bot.cli.errors import Refused, UserError, start_of_day
from bot.cli.parser import build_parser
from bot.settings import Settings

__all__ = ["Refused", "UserError", "build_parser", "main", "start_of_day"]


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve" and args.workers == 1:
        # Start-up makes some 300,000 long-lived objects (modules, models, routes) and almost
        # no garbage; the collector's passes over them cost a tenth of start-up. The app's
        # lifespan freezes them and turns it back on (bot/app.py). With several workers this
        # process only supervises them: it keeps its collector.
        gc.disable()
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO").upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command not in ("serve", "db"):
        # Migration chatter would bury the one line a person asked for (a code, a token).
        logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        settings = Settings()
        from bot.cli import commands  # heavy imports only after argument errors are ruled out

        return commands.run(args, settings)
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
