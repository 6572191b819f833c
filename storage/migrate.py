"""Alembic, configured in code so the migrations ship inside the package."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

from storage.engine import make_engine

# Any constant works; it only has to be the same in every process that migrates.
_MIGRATION_LOCK_KEY = 0x616475616E  # "aduan"


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at `storage/migrations` and `url`."""
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
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several workers may start at once; let one migrate and the others find it done.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": _MIGRATION_LOCK_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
