"""The real app (create_app over a fully wired container) on each database backend, called
through httpx's ASGI transport; tokens made as `aduan admin token` makes them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from bot.app import create_app
from bot.bootstrap import Container, build_container, seed_directory
from bot.settings import Settings
from tests.api.helpers import Api
from tests.fakes import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def per_minute() -> int:
    return 10_000


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock: FakeClock, per_minute: int) -> Iterator[Container]:
    settings = Settings(database_url=db_url, data_dir=tmp_path / "data",  # type: ignore[call-arg]
                        api_requests_per_minute=per_minute, sla_sweeper=False, _env_file=None)
    built = build_container(settings, clock=clock)
    seed_directory(settings, built.directories, clock)
    yield built
    built.engine.dispose()


@pytest.fixture
async def api(container: Container) -> AsyncIterator[Api]:
    transport = httpx.ASGITransport(app=create_app(container))
    async with httpx.AsyncClient(transport=transport, base_url="http://aduan.test") as http:
        yield Api(container, http)
