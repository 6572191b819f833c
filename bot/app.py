"""The FastAPI application and its lifespan (dispatcher, channels, directory refresh, SLA
sweeper)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

from bot import log_redaction
from bot.bootstrap import Container, build_container
from bot.channels.base import ChannelAdapter
from bot.deferred_routes import BuildDeferredRoutes, DeferredRoutes
from bot.edge.fast_posts import FastPosts
from bot.http_edges import BodySizeLimit, install_error_handlers
from bot.observability import observability_router
from bot.settings import Settings
from bot.timing import ServerTiming

log = logging.getLogger(__name__)
STATIC_DIR = resources.files("bot.channels.web") / "static"  # the web chat's page
NGRAM_FIT_DELAY_SECONDS = 1.0
# The API, Open311, the dashboard and the web chat's API are built on their first request or
# in the background, whichever comes first: not before the first webhooks, nor in the middle
# of a burst of them (bot/deferred_routes.py). The background build waits this long after
# start-up, then for a moment with no request for QUIET seconds, at most LATEST seconds.
DEFERRED_ROUTES_DELAY_SECONDS = 3.0
DEFERRED_ROUTES_QUIET_SECONDS = 1.0
DEFERRED_ROUTES_LATEST_SECONDS = 60.0
DEFERRED_PREFIXES = ("/api", "/open311", "/dashboard")
DEFERRED_MODULES = ("bot.open311.routes", "bot.api.router", "bot.dashboard.router")


async def _refresh_directory(container: Container) -> None:
    """Pick up `aduan opd import` from any process without a restart."""
    while True:
        await asyncio.sleep(container.settings.directory_refresh_seconds)
        try:
            await asyncio.to_thread(container.city.refresh)
        except Exception:
            log.exception("directory refresh failed; keeping the loaded one")


def settle_heap() -> None:
    """Start-up objects live for the whole process: keep them out of the collector's full
    passes, which otherwise showed as 80–400 ms pauses in bench/RESULTS.md. Called once the
    app is up (the lifespan; the in-process benchmarks, which run no lifespan, call it too).
    No collection first: it found ~1,400 unreachable objects of ~280,000 and took a third of a
    second before the first request could be answered. `aduan serve` starts with the
    collector off (bot/cli): on from here."""
    gc.freeze()
    gc.enable()


def create_app(container: Container) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(container.city.refresh, False)
        # The fit (a child process importing scikit-learn, then the model: a second or two
        # of a core) once the server answers, not while it starts and takes its first updates.
        fit = asyncio.get_running_loop().call_later(NGRAM_FIT_DELAY_SECONDS,
                                                    container.city.fit_in_background)
        if container.checkpointer is not None:
            container.checkpointer.start()
        container.dispatcher.start()
        for channel in container.channels.values():
            await channel.start()
        if container.inbox.channels:  # first takes back what a dead process left
            await container.inbox.start()
        refresher = asyncio.create_task(_refresh_directory(container), name="directory-refresh")
        if container.sla is not None:
            container.sla.start()
        settle_heap()
        warm_up = asyncio.create_task(deferred.warm_up(DEFERRED_ROUTES_DELAY_SECONDS,
                                                       DEFERRED_ROUTES_QUIET_SECONDS,
                                                       DEFERRED_ROUTES_LATEST_SECONDS),
                                      name="deferred-routes")
        try:
            yield
        finally:
            warm_up.cancel()
            fit.cancel()
            refresher.cancel()
            if container.sla is not None:
                await container.sla.stop()
            with contextlib.suppress(asyncio.CancelledError):
                await refresher
            await container.dispatcher.stop()
            await container.inbox.stop()
            for channel in container.channels.values():
                await channel.stop()
            if container.checkpointer is not None:
                await asyncio.to_thread(container.checkpointer.stop)

    app = FastAPI(title="Aduan", lifespan=lifespan, docs_url="/api/docs", redoc_url=None)
    app.state.container = container
    install_error_handlers(app)
    channels = list(container.channels.values())
    for channel in channels:
        if channel.deferred_prefix is None:
            app.include_router(channel.router)
    app.include_router(observability_router(container.engine, container.metrics))
    later = [channel for channel in channels if channel.deferred_prefix is not None]
    prefixes = [*DEFERRED_PREFIXES, *(p for c in later if (p := c.deferred_prefix) is not None)]
    deferred = DeferredRoutes(app, prefixes, DEFERRED_MODULES,
                              lambda app: add_deferred_routes(app, container, later))
    app.state.deferred_routes = deferred
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    @app.get("/", include_in_schema=False)
    async def index() -> Response:
        return FileResponse(str(STATIC_DIR / "index.html"), media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

    body_limits = {path: limit for channel in container.channels.values()
                   for path, limit in channel.body_limits.items()}
    fast_posts = {path: answer for channel in container.channels.values()
                  for path, answer in channel.fast_posts.items()}
    app.add_middleware(FastPosts, handlers=fast_posts)  # inside the body limit and timing
    app.add_middleware(BuildDeferredRoutes, deferred=deferred)
    app.add_middleware(BodySizeLimit, per_path=body_limits)
    app.add_middleware(ServerTiming)
    return app


def add_deferred_routes(app: FastAPI, container: Container,
                        channels: list[ChannelAdapter]) -> None:
    """The web chat's API, `/open311/v2`, `/api/v1` and `/dashboard` (no two share a path)."""
    from bot.api.router import api_router
    from bot.dashboard import router as dashboard
    from bot.open311.routes import open311_router

    for channel in channels:
        app.include_router(channel.router)
    app.include_router(open311_router(container))
    app.include_router(api_router(container))
    dashboard.install(app, container)


def create_app_from_env() -> FastAPI:
    """uvicorn factory: each worker builds its own container from the environment."""
    log_redaction.install()
    return create_app(build_container(Settings()))
