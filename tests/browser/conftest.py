"""Browser tests: Debian's Chromium driven by Playwright for Python (never a downloaded
browser) against the real `aduan serve` and the fake Bot API, all on 127.0.0.1.

Without Chromium (or Playwright) these tests skip with the reason; with REQUIRE_BROWSER=1
(CI's `.ci/run`) that is a failure instead, as REQUIRE_POSTGRES makes a missing PostgreSQL.
Every page a test opens is watched: a request to anything but 127.0.0.1 is aborted and
recorded, console errors and page errors are recorded, and the test fails on either.
Screenshots go to `artifacts/browser/` (git-ignored), and to `docs/screenshots/` when
DOCS_SCREENSHOTS=1.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.test_telegram_e2e import SECRET, TelegramServer
from tests.fake_platforms.telegram_api import TOKEN, FakeTelegram

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO / "artifacts" / "browser"
DOCS = REPO / "docs" / "screenshots"


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[dev]')"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


_SKIPPED: list[str] = []  # why, for the notice at the end of the run


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _SKIPPED:
        terminalreporter.write_line(
            f"NOTICE: the dashboard's browser tests were skipped: {_SKIPPED[0]}. "
            "Set REQUIRE_BROWSER=1 to make this an error.", yellow=True, bold=True)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Chromium for one test module. Playwright's sync API marks its event loop as running
    in the main thread between calls; kept for the whole session, that mark broke every
    asyncio test collected after the browser tests ("Runner.run() cannot be called from a
    running event loop"), so the driver is stopped when the module ends and the mark is
    checked to be gone."""
    problem = _missing()
    if problem is not None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests are required: {problem}")
        _SKIPPED.append(problem)
        pytest.skip(f"browser tests skipped: {problem}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS,
                                             headless=True)
        yield browser
        browser.close()
    assert asyncio._get_running_loop() is None, "Playwright left an event loop marked running"


@dataclass
class Watch:
    """What a page did that it should not have: requests off 127.0.0.1, console errors."""

    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def clean(self) -> None:
        assert self.outside == [], f"requests left 127.0.0.1: {self.outside}"
        assert self.errors == [], f"console errors: {self.errors}"


@dataclass
class Browsing:
    chromium: Any
    watch: Watch = field(default_factory=Watch)
    contexts: list[Any] = field(default_factory=list)

    def page(self) -> Any:
        """A fresh browser (its own cookies), watched."""
        context = self.chromium.new_context(viewport={"width": 1440, "height": 900},
                                            locale="id-ID", timezone_id="Asia/Jakarta")
        self.contexts.append(context)

        def guard(route: Any) -> None:
            url = route.request.url
            if urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                self.watch.outside.append(url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.on("request", lambda request: self.watch.requests.append(request.url))
        page.on("console", lambda message: self.watch.errors.append(message.text)
                if message.type == "error" else None)
        page.on("pageerror", lambda error: self.watch.errors.append(str(error)))
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def browsing(chromium: Any) -> Iterator[Browsing]:
    made = Browsing(chromium)
    yield made
    made.close()


def screenshot(page: Any, name: str, full_page: bool = True) -> Path:
    """Save the page as a test artefact (and for the README when DOCS_SCREENSHOTS=1)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if os.environ.get("DOCS_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS / f"{name}.png"), full_page=full_page)
    return path


@pytest.fixture
def start_server(db_url: str, tmp_path: Path,
                 fake: FakeTelegram) -> Iterator[Callable[..., TelegramServer]]:
    """`aduan serve` with Telegram on (webhook, fake Bot API) and PUBLIC_BASE_URL its own."""
    started: list[TelegramServer] = []

    def start(**env: str) -> TelegramServer:
        server = TelegramServer(db_url, tmp_path / "data")
        server.env.update({
            "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.url,
            "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_MODE": "webhook",
            "TELEGRAM_MESSAGES_PER_SECOND": "500", "TELEGRAM_MESSAGES_PER_CHAT_PER_SECOND": "100",
            "PUBLIC_BASE_URL": server.url, **env})
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.kill(signal.SIGTERM)
