"""Database fixtures: every database test runs on SQLite (a temp file) and PostgreSQL (a throwaway
schema). TEST_BACKEND=sqlite|postgresql narrows it to one (tests/run_suites.py runs each)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from storage.engine import make_engine, normalize_url
from storage.migrate import upgrade
from storage.tables import metadata
from tests.fake_platforms.graph_api import FakeGraphApi, serve_graph_api
from tests.fake_platforms.telegram_api import FakeTelegram

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A URL whose connections see only this session's fresh, migrated schema."""
    base = normalize_url(os.environ.get("TEST_POSTGRES_URL", DEFAULT_PG_URL))
    schema = f"aduan_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        admin.dispose()
        reason = f"PostgreSQL unreachable at {base.render_as_string()}: {exc.orig}"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    url_text = url.render_as_string(hide_password=False)
    try:
        upgrade(url_text)
        yield url_text
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _backends() -> list[object]:
    chosen = os.environ.get("TEST_BACKEND", "")
    backends: list[object] = []
    if chosen in ("", "sqlite"):
        backends.append("sqlite")
    if chosen in ("", "postgresql"):
        backends.append(pytest.param("postgresql", marks=pytest.mark.postgres))
    return backends


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Anything that touches a database is marked `db`, so the PostgreSQL pass runs it."""
    for item in items:
        if {"db_url", "pg_url"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


@pytest.fixture(params=_backends())
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database of each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'aduan.db'}"
        upgrade(url)
        return url
    url = str(request.getfixturevalue("pg_url"))
    _empty_all_tables(url)
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    """For behaviour only PostgreSQL has (row locks)."""
    _empty_all_tables(pg_url)
    eng = make_engine(pg_url)
    yield eng
    eng.dispose()


def _empty_all_tables(url: str) -> None:
    eng = make_engine(url)
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with eng.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    eng.dispose()


@pytest.fixture(scope="session")
def graph_server() -> Iterator[FakeGraphApi]:
    """One fake Graph API on 127.0.0.1 for every WhatsApp test (reset before each)."""
    with serve_graph_api() as fake:
        yield fake


@pytest.fixture
def graph(graph_server: FakeGraphApi) -> FakeGraphApi:
    graph_server.reset()
    return graph_server


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A local S3-compatible server (moto's, in a thread on 127.0.0.1) with an `aduan` bucket;
    the AWS_* variables boto3 reads point at it (server processes inherit them)."""
    from moto.server import ThreadedMotoServer

    from tests.e2e.conftest import free_port

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    saved = {k: os.environ.get(k) for k in _S3_ENV}
    os.environ.update(_S3_ENV)
    try:
        import boto3

        boto3.client("s3", endpoint_url=url).create_bucket(Bucket="aduan")
        yield url
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        server.stop()


_S3_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def fake_api() -> Iterator[FakeTelegram]:
    """The fake Bot API on 127.0.0.1, one per test module (servers under test point at it)."""
    fake = FakeTelegram().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake(fake_api: FakeTelegram) -> FakeTelegram:
    """The module's fake Bot API with no calls recorded yet."""
    fake_api.reset()
    return fake_api
