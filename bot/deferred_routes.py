"""Routes a process builds on their first request instead of at start-up: the coordinator
API (`/api/v1`), Open311 (`/open311/v2`), the dashboard and the web chat's API (`/chat`)
(issue 20: start-up to the first webhook; bench/RESULTS.md "Start-up, deferred routes").

Until then the app has the webhooks, the web chat's page, `/healthz` and `/metrics`. The first
request under one of the prefixes, or for the OpenAPI document, imports the routers' modules
(in a thread) and adds their routes to the app's router where the app was when it made the
`DeferredRoutes`, before that request is routed: from then on routing, error shapes (404,
405, 422) and OpenAPI are those of an app built in one go. The lifespan also builds them a
few seconds after start-up, at a quiet moment (`warm_up`), so in a server only an early caller
waits for them.
"""

from __future__ import annotations

import asyncio
import importlib
import time
from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

Build = Callable[[FastAPI], None]


class DeferredRoutes:
    """Routes that `build` adds to `app`, at the router's end as it is now, when first needed."""

    def __init__(self, app: FastAPI, prefixes: Iterable[str], modules: Iterable[str],
                 build: Build) -> None:
        self.app, self.build = app, build
        self.prefixes = tuple(prefixes)
        self.modules = tuple(modules)  # what `build` imports: loaded off the event loop
        self.position = len(app.router.routes)
        self.built = False
        self.last_request = float("-inf")  # time.monotonic() of the latest request
        self._lock = asyncio.Lock()
        openapi = app.openapi

        def openapi_with_everything() -> dict[str, Any]:
            self.build_now()
            return openapi()

        app.openapi = openapi_with_everything  # type: ignore[method-assign]

    def wanted_for(self, path: str) -> bool:
        return path == self.app.openapi_url or any(
            path == prefix or path.startswith(f"{prefix}/") for prefix in self.prefixes)

    async def ensure(self) -> None:
        """Build once; a request that arrives meanwhile waits for the same build."""
        if self.built:
            return
        async with self._lock:
            if not self.built:
                await asyncio.to_thread(self._import)
                self.build_now()

    def heard(self) -> None:
        """A request arrived (the middleware tells every one until the routes are built)."""
        self.last_request = time.monotonic()

    async def warm_up(self, delay: float, quiet: float = 0.0, latest: float = 0.0) -> None:
        """Build `delay` seconds after start-up, at the first moment after that with no
        request for `quiet` seconds, and `latest` seconds after start-up at the latest. The
        build (importing and routing the coordinator's modules: some 0.4 s of CPU) then does
        not land in the middle of a burst of webhooks (issue 19)."""
        start = time.monotonic()
        await asyncio.sleep(delay)
        while not self.built:
            now = time.monotonic()
            wait = min(quiet - (now - self.last_request), latest - (now - start))
            if wait <= 0:
                break
            await asyncio.sleep(wait)
        await self.ensure()

    def build_now(self) -> None:
        """Add the routes in the event loop's thread (routing reads the list there)."""
        if self.built:
            return
        routes = self.app.router.routes
        after = routes[self.position:]
        del routes[self.position:]
        self.build(self.app)
        routes.extend(after)
        self.app.openapi_schema = None
        self.built = True

    def _import(self) -> None:
        for name in self.modules:
            importlib.import_module(name)


class BuildDeferredRoutes:
    """ASGI middleware: builds the deferred routes before a request that needs them."""

    def __init__(self, app: ASGIApp, deferred: DeferredRoutes) -> None:
        self.app, self.deferred = app, deferred

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.deferred.built and scope["type"] in ("http", "websocket"):
            self.deferred.heard()
            path = scope["path"].removeprefix(scope.get("root_path", ""))
            if self.deferred.wanted_for(path):
                await self.deferred.ensure()
        await self.app(scope, receive, send)
