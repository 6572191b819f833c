from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text

from core.messages import Channel
from storage.engine import make_engine, normalize_url
from storage.migrate import upgrade, upgrade_engine
from storage.tables import metadata
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import NOW, make_citizen


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_upgrade_twice_is_a_no_op(db_url: str, engine: Engine) -> None:
    upgrade(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [
            "0001"
        ]
        context = MigrationContext.configure(conn)
        assert compare_metadata(context, metadata) == []


def test_postgres_urls_use_psycopg3() -> None:
    for url in ("postgres://u@h/db", "postgresql://u@h/db", "postgresql+psycopg://u@h/db"):
        assert normalize_url(url).drivername == "postgresql+psycopg"


def test_sqlite_file_gets_its_directory_and_pragmas(tmp_path: Path) -> None:
    db = tmp_path / "nested" / "dir" / "aduan.db"
    engine = make_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert db.exists()
    finally:
        engine.dispose()


def test_in_memory_sqlite_keeps_one_database_across_sessions() -> None:
    engine = make_engine("sqlite:///:memory:")
    try:
        upgrade_engine(engine)
        citizen_id = make_citizen(engine)
        with SqlUnitOfWork(engine) as uow:
            again = uow.citizens.get_or_create(Channel.TELEGRAM, "chat-1", None, None, "en", NOW)
        assert again.id == citizen_id
    finally:
        engine.dispose()
