"""bot.edge.fast_posts: a webhook POST goes straight to its handler, inside the body limit."""

from __future__ import annotations

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers

from bot.edge.fast_posts import Answer, FastPosts
from bot.http_edges import BodySizeLimit

seen: list[tuple[str | None, bytes]] = []


async def hook(headers: Headers, body: bytes) -> Answer:
    seen.append((headers.get("x-token"), body))
    return (401, {"detail": "bad token"}) if headers.get("x-token") != "s" else (200, {"ok": "é"})


def app_with_fast_path() -> FastAPI:
    app = FastAPI()

    @app.post("/hook")
    async def routed() -> JSONResponse:  # what the fast path stands in front of
        return JSONResponse({"via": "router"})

    @app.post("/other")
    async def other() -> JSONResponse:
        return JSONResponse({"via": "router"})

    app.add_middleware(FastPosts, handlers={"/hook": hook})
    app.add_middleware(BodySizeLimit, per_path={"/hook": 64})
    return app


async def call(method: str, path: str, **kwargs: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=app_with_fast_path())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.request(method, path, **kwargs)  # type: ignore[arg-type]


async def test_a_post_to_a_fast_path_is_answered_by_its_handler_with_headers_and_body() -> None:
    seen.clear()
    response = await call("POST", "/hook", content=b'{"a":1}', headers={"X-Token": "s"})
    assert (response.status_code, response.json()) == (200, {"ok": "é"})
    assert response.headers["content-type"] == "application/json"
    assert seen == [("s", b'{"a":1}')]
    refused = await call("POST", "/hook", content=b"{}", headers={"X-Token": "wrong"})
    assert (refused.status_code, refused.json()) == (401, {"detail": "bad token"})


async def test_other_methods_and_paths_go_on_to_the_routes() -> None:
    seen.clear()
    assert (await call("GET", "/hook")).status_code == 405
    assert (await call("POST", "/other", content=b"{}")).json() == {"via": "router"}
    assert seen == []


async def test_the_body_limit_still_applies_in_front_of_the_fast_path() -> None:
    seen.clear()
    response = await call("POST", "/hook", content=b"x" * 65, headers={"X-Token": "s"})
    assert response.status_code == 413
    assert seen == []


async def passing(headers: Headers, body: bytes) -> Answer | None:
    seen.append((headers.get("x-token"), body))
    return None if body.startswith(b"route") else (200, {"via": "fast path"})


async def test_a_post_the_handler_passes_on_reaches_the_route_with_its_body() -> None:
    app = FastAPI()

    @app.post("/hook")
    async def routed(request: Request) -> JSONResponse:
        return JSONResponse({"via": "router", "body": (await request.body()).decode()})

    app.add_middleware(FastPosts, handlers={"/hook": passing})
    seen.clear()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://t") as client:
        fast = await client.post("/hook", content=b"fast")
        passed = await client.post("/hook", content=b"route me")
        queried = await client.post("/hook", params={"a": "1"}, content=b"fast")
    assert fast.json() == {"via": "fast path"}
    assert passed.json() == {"via": "router", "body": "route me"}
    assert queried.json() == {"via": "router", "body": "fast"}  # a query string: the route's
    assert [body for _, body in seen] == [b"fast", b"route me"]
