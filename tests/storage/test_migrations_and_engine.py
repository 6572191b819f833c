from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, Integer, column, inspect, make_url, select, table, text

from core.messages import Channel
from storage.columns import UtcDateTime
from storage.engine import make_engine, normalize_url
from storage.migrate import alembic_config, upgrade, upgrade_engine
from storage.tables import metadata
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import NOW, make_citizen


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_upgrade_twice_is_a_no_op(db_url: str, engine: Engine) -> None:
    upgrade(db_url)
    head = ScriptDirectory.from_config(alembic_config(db_url)).get_current_head()
    assert head == "0016"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [
            head
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


@pytest.fixture
def unmigrated_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A database without any migration yet, on the same backend as `db_url`."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    schema = f"aduan_old_{uuid.uuid4().hex[:12]}"
    admin = make_engine(db_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        fresh = url.update_query_dict({"options": f"-csearch_path={schema}"})
        yield fresh.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# The 0001 shape of the rows the test writes before upgrading.
_citizens = table("citizens", column("id", Integer), column("language"),
                  column("created_at", UtcDateTime))
_reports = table(
    "reports", *(column(name) for name in (
        "id", "tracking_no", "citizen_id", "channel", "chat_id", "type", "category", "status",
        "title", "description", "event_date", "privacy")),
    column("created_at", UtcDateTime), column("updated_at", UtcDateTime),
    column("status_changed_at", UtcDateTime), column("duplicate_of_id", Integer),
)
_attachments = table("attachments", *(column(name) for name in (
    "id", "report_id", "storage_key", "content_type", "size")), column("created_at", UtcDateTime))


def _old_report(report_id: int, updated_at: object) -> dict[str, object]:
    return dict(
        id=report_id, tracking_no=f"ADU-2026-{report_id:06d}", citizen_id=1,
        channel="telegram", chat_id="chat-1", type="pengaduan", category="jalan",
        status="diproses", title="Jalan berlubang", description="Lubang besar di depan pasar.",
        event_date=date(2026, 3, 1), privacy="rahasia", created_at=NOW, updated_at=updated_at,
    )


def test_0002_keeps_reports_with_attachments_and_backfills_status_age(
    unmigrated_url: str,
) -> None:
    upgrade(unmigrated_url, "0001")
    engine = make_engine(unmigrated_url)
    later = NOW + timedelta(days=3)
    try:
        with engine.begin() as conn:
            conn.execute(_citizens.insert().values(id=1, language="id", created_at=NOW))
            conn.execute(_reports.insert(), [_old_report(1, later), _old_report(2, NOW)])
            conn.execute(_attachments.insert().values(
                id=1, report_id=1, storage_key="sha256/a", content_type="image/jpeg", size=10,
                created_at=NOW))
        upgrade_engine(engine)
        with engine.connect() as conn:
            rows = conn.execute(
                select(_reports.c.id, _reports.c.status_changed_at, _reports.c.duplicate_of_id)
                .order_by(_reports.c.id)
            ).all()
            assert [tuple(r) for r in rows] == [(1, later, None), (2, NOW, None)]
            assert conn.execute(select(_attachments.c.report_id)).scalars().all() == [1]
            if conn.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
        with engine.begin() as conn:
            conn.execute(_reports.update().where(_reports.c.id == 2).values(duplicate_of_id=1))

        # Down again: the work columns go, the reports and their photos stay.
        engine.dispose()
        command.downgrade(alembic_config(unmigrated_url), "0001")
        with engine.connect() as conn:
            names = {c["name"] for c in inspect(conn).get_columns("reports")}
            assert {"status_changed_at", "duplicate_of_id", "rating"}.isdisjoint(names)
            assert conn.execute(select(_reports.c.id)).scalars().all() == [1, 2]
            assert conn.execute(select(_attachments.c.report_id)).scalars().all() == [1]
            assert not inspect(conn).has_table("report_followers")
    finally:
        engine.dispose()


def _spelled(where: object) -> str | None:
    """A partial index's WHERE, as reflected or as declared, in one spelling."""
    if where is None:
        return None
    bare = re.sub(r"::\w+|[()]", " ", str(where))  # PostgreSQL adds casts and parentheses
    return " ".join(bare.split()).lower()


def test_partial_indexes_keep_the_models_predicates(engine: Engine) -> None:
    # compare_metadata does not look at an index's WHERE, so a migration could lose it silently.
    dialect = engine.dialect.name
    with engine.connect() as conn:
        inspector = inspect(conn)
        for table_ in metadata.sorted_tables:
            reflected = {ix["name"]: _spelled(ix["dialect_options"].get(f"{dialect}_where"))
                         for ix in inspector.get_indexes(table_.name)}
            for index in table_.indexes:
                declared = _spelled(index.dialect_options[dialect]["where"])
                assert reflected[index.name] == declared, index.name


# The 0002 shape of the tables the 0003 test writes to.
_deadlines = table("report_deadlines", *(column(name) for name in (
    "id", "report_id", "step", "stage")), *(column(name, UtcDateTime) for name in (
        "starts_at", "due_at", "next_at")))


def test_0003_adds_the_deadline_tables_and_drops_them_again(unmigrated_url: str) -> None:
    upgrade(unmigrated_url, "0002")
    engine = make_engine(unmigrated_url)
    try:
        with engine.begin() as conn:
            conn.execute(_citizens.insert().values(id=1, language="id", created_at=NOW))
            conn.execute(_reports.insert(), [_old_report(1, NOW) | {"status_changed_at": NOW}])
        upgrade_engine(engine)
        with engine.begin() as conn:
            conn.execute(_deadlines.insert().values(
                id=1, report_id=1, step="jawaban", stage=0, starts_at=NOW, due_at=NOW,
                next_at=NOW))
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
        engine.dispose()
        command.downgrade(alembic_config(unmigrated_url), "0002")
        with engine.connect() as conn:
            for name in ("report_deadlines", "sla_nudges", "sla_digests"):
                assert not inspect(conn).has_table(name)
            assert conn.execute(select(_reports.c.id)).scalars().all() == [1]
    finally:
        engine.dispose()


def test_0004_swaps_the_report_indexes_for_the_read_models_and_back(unmigrated_url: str) -> None:
    new = {"ix_reports_created", "ix_reports_status_created", "ix_reports_opd_status_created",
           "ix_reports_duplicate_of"}
    old = {"ix_reports_status", "ix_reports_opd_status"}
    upgrade(unmigrated_url, "0003")
    engine = make_engine(unmigrated_url)
    try:
        with engine.begin() as conn:
            conn.execute(_citizens.insert().values(id=1, language="id", created_at=NOW))
            conn.execute(_reports.insert(), [_old_report(1, NOW) | {"status_changed_at": NOW}])
        upgrade_engine(engine)
        with engine.connect() as conn:
            names = {ix["name"] for ix in inspect(conn).get_indexes("reports")}
            assert new <= names and not old & names
            deadline_indexes = {ix["name"] for ix in inspect(conn).get_indexes("report_deadlines")}
            assert "ix_report_deadlines_report_step_starts" in deadline_indexes
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
        engine.dispose()
        command.downgrade(alembic_config(unmigrated_url), "0003")
        with engine.connect() as conn:
            names = {ix["name"] for ix in inspect(conn).get_indexes("reports")}
            assert old <= names and not new & names
            assert conn.execute(select(_reports.c.id)).scalars().all() == [1]
    finally:
        engine.dispose()


def test_0005_keeps_earlier_tokens_as_coordinator_tokens_and_back(unmigrated_url: str) -> None:
    upgrade(unmigrated_url, "0004")
    engine = make_engine(unmigrated_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO api_tokens (name, token_hash, created_at) "
                              "VALUES ('lama', 'h', :at)"), {"at": NOW})
        upgrade_engine(engine)
        with engine.connect() as conn:
            row = conn.execute(text("SELECT name, role, opd_slug FROM api_tokens")).one()
            assert tuple(row) == ("lama", "coordinator", None)
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
        engine.dispose()
        command.downgrade(alembic_config(unmigrated_url), "0004")
        with engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("api_tokens")}
            assert "role" not in columns and "name" in columns
    finally:
        engine.dispose()


def test_0006_adds_the_dashboards_links_and_sessions_and_back(unmigrated_url: str) -> None:
    upgrade(unmigrated_url, "0005")
    engine = make_engine(unmigrated_url)
    try:
        upgrade_engine(engine)
        with engine.connect() as conn:
            for name in ("dashboard_links", "dashboard_sessions"):
                assert inspect(conn).has_table(name)
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
        engine.dispose()
        command.downgrade(alembic_config(unmigrated_url), "0005")
        with engine.connect() as conn:
            assert not inspect(conn).has_table("dashboard_links")
            assert not inspect(conn).has_table("dashboard_sessions")
    finally:
        engine.dispose()


def test_0008_adds_the_privacy_columns_and_the_audit_log_and_back(unmigrated_url: str) -> None:
    upgrade(unmigrated_url, "0005")
    engine = make_engine(unmigrated_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO citizens (language, display_name, created_at) "
                              "VALUES ('id', 'Sari', :at)"), {"at": NOW})
        upgrade_engine(engine)
        with engine.connect() as conn:
            row = conn.execute(text("SELECT display_name, notice_at, erased_at, erasure "
                                    "FROM citizens")).one()
            assert tuple(row) == ("Sari", None, None, None)  # told once, on the next message
            assert "audit_log" in inspect(conn).get_table_names()
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
        engine.dispose()
        command.downgrade(alembic_config(unmigrated_url), "0005")
        with engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("citizens")}
            assert "erasure" not in columns and "display_name" in columns
            assert "audit_log" not in inspect(conn).get_table_names()
            assert conn.execute(text("SELECT display_name FROM citizens")).scalar_one() == "Sari"
    finally:
        engine.dispose()


def test_0016_keeps_the_stored_updates_and_never_reuses_their_ids(unmigrated_url: str) -> None:
    upgrade(unmigrated_url, "0015")
    engine = make_engine(unmigrated_url)
    insert = text("INSERT INTO inbox (channel, external_id, payload, attempts, received_at, "
                  "claimed_until) VALUES ('telegram', :id, '{}', 0, :at, :at)")
    try:
        with engine.begin() as conn:
            for n in (1, 2):
                conn.execute(insert, {"id": f"tg:{n}", "at": NOW})
            conn.execute(text("DELETE FROM inbox WHERE external_id = 'tg:2'"))
        upgrade_engine(engine)
        with engine.begin() as conn:
            assert conn.execute(text("SELECT id, external_id FROM inbox")).all() == [(1, "tg:1")]
            conn.execute(insert, {"id": "tg:3", "at": NOW})
            newest = conn.execute(text("SELECT max(id) FROM inbox")).scalar_one()
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
        # Id 2 was deleted before the upgrade: SQLite's AUTOINCREMENT starts after the largest
        # id it copied (1), so 2 may come once; from then on none comes twice.
        assert newest >= 2
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM inbox WHERE id = :id"), {"id": newest})
            conn.execute(insert, {"id": "tg:4", "at": NOW})
            assert conn.execute(text("SELECT max(id) FROM inbox")).scalar_one() > newest
        engine.dispose()
        command.downgrade(alembic_config(unmigrated_url), "0015")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM inbox")).scalar_one() == 2
    finally:
        engine.dispose()
