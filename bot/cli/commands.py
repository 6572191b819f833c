"""What each `aduan` command does; `bot.cli` parses arguments and reports errors."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine

from bot.bootstrap import SystemClock, open_media, seed_directory
from bot.cli.errors import UserError, start_of_day
from bot.settings import Settings
from core.directory.loader import parse_directory
from core.directory.model import DirectoryError
from storage.directory_store import SqlDirectoryStore
from storage.engine import make_engine
from storage.export import SqlReportExport
from storage.migrate import upgrade_engine

log = logging.getLogger(__name__)


def run(args: argparse.Namespace, settings: Settings) -> int:
    handler = {
        "serve": serve, "db": db_upgrade, "admin": admin, "opd": opd, "export": export,
        "sweep": sweep, "purge": privacy, "citizen": privacy, "audit": privacy,
        "media": operations, "backup": operations,
    }[args.command]
    return handler(args, settings)


def prepared_engine(settings: Settings) -> Engine:
    """Migrate and make sure a directory is stored: every command can then rely on both."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url)
    upgrade_engine(engine)
    try:
        seed_directory(settings, SqlDirectoryStore(engine), SystemClock())
    except FileNotFoundError as exc:
        raise UserError(f"DIRECTORY_FILE not found: {exc.filename}") from None
    except DirectoryError as exc:
        raise UserError(f"DIRECTORY_FILE is invalid: {exc}") from None
    return engine


def db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    prepared_engine(settings)
    print("database is up to date")
    return 0


GRACEFUL_SECONDS = 2


def serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from bot.channels.base import ChannelConfigError
    from bot.channels.registry import CHANNELS

    if args.workers < 1:
        raise UserError("--workers must be at least 1")
    try:
        for spec in CHANNELS:  # before migrating: a refused channel must not half-start
            spec.check(settings)
    except ChannelConfigError as exc:
        raise UserError(str(exc)) from None
    if args.workers > 1 and settings.resolved_database_url.startswith("sqlite"):
        log.warning("several workers on SQLite serialise every write; use PostgreSQL to scale out")
    prepared_engine(settings).dispose()
    log.info("serving on http://%s:%s (web chat at /)", args.host, args.port)
    # SIGTERM: open requests (web chat long polls wait up to 30 s) get GRACEFUL_SECONDS, then the
    # lifespan lets claimed sends finish and releases the rest: out within 10 s.
    with metrics_directory(args.workers):
        # ws="none": the app has no WebSocket routes, and loading the protocol took ~10 ms
        # of start-up (issue 20).
        uvicorn.run("bot.app:create_app_from_env", factory=True, host=args.host, port=args.port,
                    workers=args.workers, log_level=settings.log_level.lower(), ws="none",
                    access_log=settings.access_log,
                    proxy_headers=True, timeout_graceful_shutdown=GRACEFUL_SECONDS)
    return 0


@contextlib.contextmanager
def metrics_directory(workers: int) -> Iterator[None]:
    """Several workers count into files of one directory (prometheus_client's multiprocess
    mode) that any worker's /metrics sums: PROMETHEUS_MULTIPROC_DIR if set, else a fresh
    temporary one. It is emptied first: counts of an earlier run must not add up."""
    from bot.observability import MULTIPROC_ENV

    given = os.environ.get(MULTIPROC_ENV)
    if workers < 2 and not given:
        yield
        return
    folder = Path(given) if given else Path(tempfile.mkdtemp(prefix="aduan-metrics-"))
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROC_ENV] = str(folder)  # the workers it spawns inherit it
    try:
        yield
    finally:
        if not given:
            shutil.rmtree(folder, ignore_errors=True)


def sweep(args: argparse.Namespace, settings: Settings) -> int:
    """One sweep from the command line (cron, or a check after downtime); safe beside running
    workers: the sweeper lock and the nudge records keep every nudge to one send."""
    from bot.bootstrap import CityHolder, intake_config
    from core.sla.sweep import SlaSweeper
    from storage.uow import SqlUnitOfWorkFactory

    engine = prepared_engine(settings)
    try:
        city = CityHolder(SqlDirectoryStore(engine), intake_config(settings), settings)
        city.refresh()
        sweeper = SlaSweeper(SqlUnitOfWorkFactory(engine, tz=settings.tz), city)
        now = SystemClock().now()
        planned = sweeper.plan_missing(now)
        result = sweeper.sweep(now)
    finally:
        engine.dispose()
    if result.locked_out:
        print("another process is sweeping; nothing done")
        return 0
    sent = ", ".join(f"{rung.value} {count}" for rung, count in result.sent.items()) or "none"
    print(f"planned {planned}; due rows {result.claimed}; sent: {sent}; deferred "
          f"{result.deferred}; closed {result.closed}; digests {result.digests}; "
          f"weekly {result.weekly}")
    return 0


def privacy(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli import privacy as cli_privacy

    engine = prepared_engine(settings)
    try:
        if args.command == "purge":
            return cli_privacy.run_purge(settings, engine)
        if args.command == "audit":
            return cli_privacy.audit_listing(args, settings, engine)
        return cli_privacy.erase_citizen(args, settings, engine)
    finally:
        engine.dispose()


def operations(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli import operations as ops

    engine = prepared_engine(settings)
    try:
        return (ops.backup if args.command == "backup" else ops.migrate_media)(args, settings, engine)
    finally:
        engine.dispose()


def admin(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli import admin as cli_admin

    return cli_admin.run(args, settings, prepared_engine(settings))


def opd(args: argparse.Namespace, settings: Settings) -> int:
    engine = prepared_engine(settings)
    store = SqlDirectoryStore(engine)
    if args.opd_command == "import":
        path = args.file
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"cannot read {path}: {exc}") from None
        try:
            directory = parse_directory(content, str(path))
        except DirectoryError as exc:
            for error in exc.errors:
                print(f"{path}: {error}", file=sys.stderr)
            raise UserError(f"{path}: {len(exc.errors)} problem(s); nothing imported") from None
        version = store.save(directory, str(path), content, datetime.now(UTC))
        print(f"imported {path} as directory version {version}: {len(directory.opds)} OPDs, "
              f"{len(directory.categories)} categories, {len(directory.kelurahan)} kelurahan")
        return 0
    stored = store.latest()
    assert stored is not None
    directory = parse_directory(stored[2], stored[1])
    print(f"{directory.city} — directory version {stored[0]} from {stored[1]}")
    for o in directory.opds:
        codes = [c.code for c in directory.categories if c.opd == o.slug]
        print(f"{o.slug:<20} {o.name}")
        if codes:
            print(f"{'':<20} categories: {', '.join(codes)}")
    return 0


def export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.export_format import PER_CATEGORY, write, write_examples

    if args.per_category is not None and args.format != "examples":
        raise UserError("--per-category only applies to --format examples")
    engine = prepared_engine(settings)
    since = start_of_day(args.since, settings) if args.since else None
    rows = SqlReportExport(engine).rows(since, only_not_in_lapor=args.format == "lapor")
    with _output(args) as out:
        if args.format == "examples":
            # Reports of a category the current directory dropped would make it refuse the section.
            current = SqlDirectoryStore(engine).current()
            known = {c.code for c in current.categories} if current else None
            texts, codes = write_examples(rows, out, args.per_category or PER_CATEGORY, known)
        else:
            count = write(rows, args.format, out, settings.tz, open_media(settings, engine))
    from bot.cli.privacy import record

    written = texts if args.format == "examples" else count
    record(engine, "export", None, f"--format {args.format}"
           + (f" --since {args.since}" if args.since else "")
           + f", {written} {'text' if args.format == 'examples' else 'report'}(s) to "
           + (str(args.output) if args.output else "stdout"))
    if args.format != "examples":
        print(f"exported {count} report(s)", file=sys.stderr)
    elif texts:
        print(f"exported {texts} example text(s) in {codes} categories", file=sys.stderr)
    else:
        print("exported 0 example text(s): no verified report qualifies, the section is empty",
              file=sys.stderr)
    return 0


@contextlib.contextmanager
def _output(args: argparse.Namespace) -> Iterator[TextIO]:
    if args.output is None:
        yield sys.stdout
        return
    try:
        handle = args.output.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise UserError(f"cannot write {args.output}: {exc.strerror}") from None
    with handle:
        yield handle
