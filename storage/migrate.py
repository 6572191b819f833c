"""Alembic, configured in code so the migrations ship inside the package.

A database already at the newest revision is recognised without Alembic (a second or so to
import, which every `aduan serve` would pay before answering): the revisions are read from the
migration files and compared with the stored one; anything else goes through Alembic.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from storage.engine import make_engine, read_only

if TYPE_CHECKING:
    from alembic.config import Config

# Any constant works; it only has to be the same in every process that migrates.
_MIGRATION_LOCK_KEY = 0x616475616E  # "aduan"
_REVISION = re.compile(r'^revision(?:\s*:\s*str)?\s*=\s*"(\w+)"\s*$', re.MULTILINE)
_DOWN = re.compile(r'^down_revision(?:\s*:[^=]+)?\s*=\s*(?:"(\w+)"|None)\s*$', re.MULTILINE)


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at `storage/migrations` and `url`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("storage") / "migrations"))
    # ConfigParser interpolation would choke on %-escapes in a URL's password.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at `url` to `revision`; a no-op when already there."""
    engine = make_engine(url)
    try:
        upgrade_engine(engine, revision)
    finally:
        engine.dispose()


def upgrade_engine(engine: Engine, revision: str = "head") -> None:
    """Migrate through an existing engine, in one transaction."""
    if revision == "head" and at_head(engine):
        return
    from alembic import command

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several workers may start at once; let one migrate and the others find it done.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": _MIGRATION_LOCK_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@lru_cache(maxsize=1)
def head_revisions() -> frozenset[str] | None:
    """The revisions no migration builds on, from the files; None when a file is not in the
    simple shape this reader knows (then Alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (files("storage") / "migrations" / "versions").iterdir():
        if not script.name.endswith(".py") or script.name.startswith("_"):
            continue
        source = script.read_text(encoding="utf-8")
        found, down = _REVISION.findall(source), _DOWN.findall(source)
        if len(found) != 1 or len(down) != 1:
            return None
        revisions.add(found[0])
        parents.update(p for p in down if p)
    heads = revisions - parents
    return frozenset(heads) if heads else None


def at_head(engine: Engine) -> bool:
    """True when the database's stored revisions are exactly the migration files' heads."""
    heads = head_revisions()
    if heads is None:
        return False
    with read_only(engine).connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        stored = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        return frozenset(stored) == heads
