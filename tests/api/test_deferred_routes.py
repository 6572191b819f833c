"""`/api/v1`, `/open311/v2`, `/dashboard` and `/chat` are built on their first request
(bot/deferred_routes.py): that request is answered exactly as every later one, the webhooks
and `/healthz` never build them, and OpenAPI describes them even when asked first."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from bot.app import create_app
from bot.bootstrap import Container
from tests.api.helpers import Api


@asynccontextmanager
async def fresh(container: Container) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(container)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://aduan.test") as http:
        yield app, http


def built(app: FastAPI) -> bool:
    return bool(app.state.deferred_routes.built)


async def test_the_first_request_to_a_deferred_prefix_is_answered_as_every_later_one(
        container: Container, api: Api) -> None:
    token = api.token().headers
    number = api.file()
    asks = [("GET", "/api/v1/opds", {}, None), ("GET", "/api/v1/opds", token, None),
            ("GET", "/api/v1/tidak-ada", token, None), ("DELETE", "/api/v1/opds", token, None),
            ("GET", "/api/v1/reports", token, {"limit": "banyak"}),
            ("POST", f"/api/v1/reports/{number}/balas", token, {"bukan": "teks"}),
            ("POST", f"/api/v1/reports/{number}/terbang", token, {}),
            ("GET", "/open311/v2/services.json", {}, None),
            ("GET", "/open311/v2/tidak-ada.xml", {}, None),
            ("GET", f"/open311/v2/requests/{number}.json", {}, None),
            ("GET", "/dashboard", {}, None), ("GET", "/dashboard/masuk", {}, None),
            ("GET", "/dashboard/static/tidak-ada.css", {}, None),
            ("GET", "/chat/texts", {}, None), ("POST", "/chat/send", {}, {"session": 1}),
            ("GET", "/chat/tidak-ada", {}, None)]
    for method, path, headers, body in asks:
        async with fresh(container) as (app, http):
            assert not built(app)
            first, again = [await http.request(method, path, headers=headers, json=body)
                            for _ in range(2)]
            assert built(app), path
        assert (path, first.status_code, first.headers.get("content-type")) == (
            path, again.status_code, again.headers.get("content-type"))
        if "masuk" not in path:  # the login page's CSRF token is new on every answer
            assert first.content == again.content, path


async def test_the_webhooks_and_health_check_do_not_build_them(container: Container) -> None:
    async with fresh(container) as (app, http):
        assert (await http.get("/healthz")).status_code == 200
        assert (await http.post("/webhook/telegram", json={})).status_code in (401, 404)
        assert (await http.get("/")).status_code == 200
        assert not built(app)
        assert (await http.get("/api/v1/opds")).status_code == 401
        assert built(app)


async def test_openapi_asked_first_describes_the_whole_api(container: Container) -> None:
    async with fresh(container) as (_, http):
        paths = (await http.get("/openapi.json")).json()["paths"]
    assert {"/api/v1/reports", "/api/v1/opds", "/open311/v2/services.{fmt}"} <= set(paths)
    async with fresh(container) as (app, _):
        assert "/api/v1/reports/{tracking}/balas" in app.openapi()["paths"]


async def test_requests_arriving_together_build_the_routes_once(container: Container) -> None:
    async with fresh(container) as (app, http):
        answers = await asyncio.gather(*(http.get(path) for path in (
            "/api/v1/opds", "/open311/v2/services.json", "/dashboard/masuk", "/openapi.json")))
        assert [a.status_code for a in answers] == [401, 200, 200, 200]
    async with fresh(container) as (once, http):
        assert (await http.get("/api/v1/opds")).status_code == 401
    assert [type(route) for route in app.routes] == [type(route) for route in once.routes]


async def test_the_background_build_waits_for_a_quiet_moment(container: Container) -> None:
    async with fresh(container) as (app, http):
        deferred = app.state.deferred_routes
        warm_up = asyncio.create_task(deferred.warm_up(0.05, quiet=0.3, latest=30.0))
        for _ in range(8):  # a burst of webhooks: 0.1 s apart, never 0.3 s quiet
            await http.post("/webhook/telegram", json={})
            await asyncio.sleep(0.1)
            assert not built(app)
        await asyncio.wait_for(warm_up, 5)  # then quiet: built without a request asking
        assert built(app)


async def test_the_background_build_does_not_wait_past_its_latest(container: Container) -> None:
    async with fresh(container) as (app, http):
        deferred = app.state.deferred_routes
        warm_up = asyncio.create_task(deferred.warm_up(0.0, quiet=10.0, latest=0.4))
        started = asyncio.get_running_loop().time()
        while not warm_up.done():  # steady traffic, never quiet
            await http.get("/healthz")
            await asyncio.sleep(0.05)
            assert asyncio.get_running_loop().time() - started < 5
        assert built(app)
