"""The Open311 routes in-process over ASGI, on each database backend, with a fake clock."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import text

from bot.app import create_app
from bot.bootstrap import Container, build_container, seed_directory
from bot.settings import Settings
from core.reports.actors import Role
from storage.tokens import SqlTokenStore
from tests.dialog import NOW
from tests.fakes import FakeClock

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "/open311/v2"
TEXT = "Sampah menumpuk di depan pasar sejak tiga hari, baunya sampai ke sekolah."
PIN = {"lat": "-0.9140", "long": "100.3490"}  # Ujung Karang in the sample city
# A reporter whose identity must never appear in any Open311 answer.
WHO = {"first_name": "Sulastri", "last_name": "Wiraatmadja", "email": "sulastri.w@contoh.id",
       "phone": "+62 812 5550 1234", "device_id": "perangkat-77"}
STORED = ("reports", "citizens", "channel_identities", "report_events", "report_deadlines",
          "outbox")


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def parse_xml(response: httpx.Response) -> ET.Element:
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def children(element: ET.Element) -> dict[str, str | None]:
    return {child.tag: child.text for child in element}


@dataclass
class Open311:
    container: Container
    http: httpx.AsyncClient
    clock: FakeClock

    def key(self, name: str = "Aplikasi Kota", role: Role = Role.COORDINATOR,
            opd: str | None = None) -> str:
        entry, secret = SqlTokenStore(self.container.engine).create(name, self.clock.now(),
                                                                    role, opd)
        return secret

    async def get(self, path: str, **params: str) -> httpx.Response:
        return await self.http.get(f"{BASE}/{path}", params=params)

    async def post(self, fields: dict[str, str] | list[tuple[str, str]],
                   fmt: str = "json") -> httpx.Response:
        body = urlencode(list(fields.items()) if isinstance(fields, dict) else fields)
        return await self.http.post(f"{BASE}/requests.{fmt}", content=body, headers={
            "content-type": "application/x-www-form-urlencoded; charset=utf-8"})

    async def file(self, key: str, **fields: str) -> str:
        """POST a good report (changed by `fields`); its number."""
        response = await self.post({"api_key": key, "service_code": "sampah",
                                    "description": TEXT, **PIN, **WHO, **fields})
        assert response.status_code == 200, response.text
        number: str = response.json()[0]["service_request_id"]
        return number

    def counts(self) -> dict[str, int]:
        with self.container.engine.connect() as conn:
            return {name: int(conn.execute(text(f"SELECT count(*) FROM {name}")).scalar_one())
                    for name in STORED}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
async def o311(db_url: str, tmp_path: Path, clock: FakeClock) -> AsyncIterator[Open311]:
    settings = Settings(database_url=db_url, data_dir=tmp_path / "data",  # type: ignore[call-arg]
                        _env_file=None, api_requests_per_minute=1000)
    container = build_container(settings, clock=clock)
    seed_directory(settings, container.directories, clock)
    app = create_app(container)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://aduan.test") as http:
        yield Open311(container, http, clock)
    container.engine.dispose()
