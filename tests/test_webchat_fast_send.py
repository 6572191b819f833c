"""POST /chat/send answered ahead of the app's routing (bot.channels.web.routes.fast_send): a
body the model takes is answered by the fast path with exactly what the route answers; every
other body is passed on to the route, which answers it as it always has."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.datastructures import Headers

from bot.app import create_app
from bot.bootstrap import Container, build_container, seed_directory
from bot.channels.web import WebChatChannel
from bot.edge.fast_posts import Answer
from bot.settings import Settings
from core.messages import Channel
from tests.dialog import NOW
from tests.fakes import FakeClock
from tests.service.chat import DESCRIPTION


class Wired:
    """The app over HTTP, and which /chat/send bodies its fast path answered (True) or passed
    on to the route (False)."""

    def __init__(self, container: Container) -> None:
        self.container, self.taken = container, []
        web = container.channels[Channel.WEB]
        assert isinstance(web, WebChatChannel)
        fast = web.fast_posts["/chat/send"]

        async def watched(headers: Headers, body: bytes) -> Answer | None:
            answered = await fast(headers, body)
            self.taken.append(answered is not None)
            return answered
        web.__dict__["_fast_send"] = watched  # what create_app installs
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(container)),
                                      base_url="http://aduan.test")

    async def session(self) -> str:
        started = await self.http.post("/chat/session", json={"lang": "id"})
        session: str = started.raise_for_status().json()["session"]
        return session


@pytest.fixture
async def wired(db_url: str, tmp_path: Path) -> AsyncIterator[Wired]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=db_url, data_dir=tmp_path / "data",
        web_messages_per_minute=3)
    clock = FakeClock(NOW)
    container = build_container(settings, clock=clock)
    seed_directory(settings, container.directories, clock)
    app = Wired(container)
    async with app.http:
        yield app
    container.engine.dispose()


async def test_a_message_is_answered_by_the_fast_path_as_the_route_answers_it(
        wired: Wired) -> None:
    session = await wired.session()
    body: dict[str, Any] = {"session": session, "client_id": "c1", "after": 0, "text": "/lapor"}
    fast = await wired.http.post("/chat/send", json=body)
    # The same message again (a browser that lost the answer), through the route this time: a
    # query string passes it on. A repeated client id is answered, not handled twice.
    routed = await wired.http.post("/chat/send", params={"v": "2"}, json=body)
    assert wired.taken == [True]
    assert fast.status_code == routed.status_code == 200
    assert fast.headers["content-type"] == routed.headers["content-type"] == "application/json"
    assert fast.json() == routed.json()
    assert fast.content == routed.content
    assert "pengaduan" in str(fast.json()["messages"]).lower()


async def test_refusals_of_the_fast_path_read_as_the_routes(wired: Wired) -> None:
    session = await wired.session()
    unknown = {"session": "s" * 30, "client_id": "x", "text": DESCRIPTION}
    fast = await wired.http.post("/chat/send", json=unknown, headers={"Accept-Language": "en"})
    routed = await wired.http.post("/chat/send", params={"v": "2"}, json=unknown,
                                   headers={"Accept-Language": "en"})
    assert (fast.status_code, fast.json()) == (routed.status_code, routed.json())
    assert fast.status_code == 404 and "session" in fast.json()["detail"].lower()
    # The greeting counts as the first of 3 a minute: two more, then 429 from either.
    statuses = [(await wired.http.post("/chat/send", json={
        "session": session, "client_id": f"f{i}", "text": "halo"})).status_code
        for i in range(3)]
    assert statuses == [200, 200, 429]
    limited = await wired.http.post("/chat/send", params={"v": "2"}, json={
        "session": session, "client_id": "f9", "text": "halo"})
    assert limited.status_code == 429
    assert wired.taken == [True, True, True, True]


@pytest.mark.parametrize(("content", "content_type", "status", "detail"), [
    (b"{not json", "application/json", 400, "malformed JSON"),
    (b'{"session": "%s", "client_id": "x"}', "application/json", 422,
     "exactly one of text, option or location"),
    (b'{"session": "%s", "client_id": "x", "text": "hi", "after": -1}', "application/json", 422,
     "after"),
    (b'["not", "an", "object"]', "application/json", 422, ""),
    (b'{"session": "%s", "client_id": "x", "text": "hi"}', "text/plain", 422, ""),
])
async def test_a_body_the_model_refuses_is_passed_on_to_the_route(
        wired: Wired, content: bytes, content_type: str, status: int, detail: str) -> None:
    session = await wired.session()
    body = content.replace(b"%s", session.encode())
    response = await wired.http.post("/chat/send", content=body,
                                     headers={"content-type": content_type})
    assert response.status_code == status, response.text
    assert detail in response.json()["detail"]
    assert wired.taken == [False]
