"""The dashboard over HTTP (the app in-process, httpx's ASGI transport) on each database:
a browser-like client that keeps cookies and reads each form's CSRF token off the page."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from bot.app import create_app
from bot.bootstrap import Container, build_container, seed_directory
from bot.settings import Settings
from core.reports.actors import Role
from storage.tokens import SqlTokenStore
from tests.fakes import FakeClock
from tests.service.chat import Chat

CSRF = re.compile(r'name="csrf" value="([^"]*)"')
LINK = re.compile(r"https?://\S+/dashboard/masuk/([A-Za-z0-9_-]+)")


@dataclass
class Browser:
    """One browser: its own cookie jar against the shared app."""

    http: httpx.AsyncClient

    async def page(self, path: str, status: int = 200) -> str:
        response = await self.http.get(path)
        assert response.status_code == status, (path, response.status_code, response.text[:500])
        return response.text

    async def csrf(self, path: str) -> str:
        found = CSRF.search(await self.page(path))
        assert found, path
        return found.group(1)

    async def post(self, path: str, data: dict[str, str], *, form_page: str | None = None,
                   csrf: bool = True) -> httpx.Response:
        """Submit a form as the page `form_page` (default: `path`'s page) would."""
        fields = dict(data)
        if csrf:
            fields["csrf"] = await self.csrf(form_page or path)
        return await self.http.post(path, data=fields)

    async def login_with_token(self, secret: str) -> httpx.Response:
        return await self.post("/dashboard/masuk", {"token": secret, "next": "/dashboard"})

    async def login_with_link(self, secret: str) -> httpx.Response:
        return await self.post(f"/dashboard/masuk/{secret}", {})


@dataclass
class Dash:
    container: Container
    clock: FakeClock
    app: object
    opened: list[Browser] = field(default_factory=list)

    def browser(self) -> Browser:
        transport = httpx.ASGITransport(app=self.app)  # type: ignore[arg-type]
        browser = Browser(httpx.AsyncClient(transport=transport, base_url="http://aduan.test"))
        self.opened.append(browser)
        return browser

    def token(self, name: str = "Diskominfo", role: Role = Role.COORDINATOR,
              opd: str | None = None) -> str:
        _, secret = SqlTokenStore(self.container.engine).create(name, self.clock.now(), role, opd)
        return secret

    async def signed_in(self, name: str = "Diskominfo", role: Role = Role.COORDINATOR,
                        opd: str | None = None) -> Browser:
        browser = self.browser()
        response = await browser.login_with_token(self.token(name, role, opd))
        assert response.status_code == 303, response.text[:500]
        return browser


def link_secret(admin: Chat) -> str:
    """The secret of the `/dasbor` link the bot sends to this admin's chat."""
    [reply] = admin.say("/dasbor")
    found = LINK.search(reply.text)
    assert found, reply.text
    return found.group(1)


def make_settings(db_url: str, tmp_path: Path, **extra: object) -> Settings:
    return Settings(_env_file=None, database_url=db_url,  # type: ignore[call-arg]
                    data_dir=tmp_path / "data", **extra)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock: FakeClock) -> Iterator[Container]:
    settings = make_settings(db_url, tmp_path)
    built = build_container(settings, clock=clock)
    seed_directory(settings, built.directories, clock)
    yield built
    built.engine.dispose()


@pytest.fixture
async def dash(container: Container, clock: FakeClock) -> AsyncIterator[Dash]:
    made = Dash(container, clock, create_app(container))
    yield made
    for browser in made.opened:
        await browser.http.aclose()
