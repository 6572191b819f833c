"""Open311 GeoReport v2 under /open311/v2/: discovery, services, service definitions,
requests (GET; POST with an `api_key`), one request, token lookup, and public photos.

Every answer is JSON or XML as the path's `.json`/`.xml` says; every failure is the spec's
error list with its status (`bot.open311.errors`), never a 500."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException

from bot.bootstrap import Container
from bot.media import media_response
from bot.open311 import models
from bot.open311.attributes import definition
from bot.open311.errors import Open311Error, error_document, not_found
from bot.open311.form import first, read_pairs, report_request
from bot.open311.params import request_query, single
from bot.open311.render import Fmt, document, json_records, parse_format
from core.city import CityContext
from core.i18n import normalise_language
from core.intake.api_report import CHAT_PREFIX, Filed, Invalid, ReportRequest, file_report
from core.reports.actors import Role
from core.reports.model import parse_tracking_number
from storage.read.open311 import (
    RequestQuery,
    ServiceRequest,
    Visibility,
    directory_changed_at,
    filed_through_open311,
    public_photo,
    service_requests,
)
from storage.tokens import TokenEntry

log = logging.getLogger(__name__)
PREFIX = "/open311/v2"
T = TypeVar("T")
Build = Callable[[Fmt, str], Awaitable[Response]]


def open311_router(container: Container) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["Open311 GeoReport v2"])
    settings = container.settings

    def base_url(request: Request) -> str:
        return (settings.public_base_url or str(request.base_url)).rstrip("/")

    async def answer(request: Request, fmt_text: str, build: Build) -> Response:
        """Run `build` in the asked format; every failure becomes the spec's error list."""
        lang = normalise_language(request.query_params.get("locale"), settings.default_language)
        fmt = parse_format(fmt_text)
        if fmt is None:
            return error_document(Fmt.JSON, not_found("o311.unknown_format", fmt=fmt_text[:20]),
                                  lang)
        try:
            return await build(fmt, lang)
        except Open311Error as error:
            return error_document(fmt, error, lang)
        except HTTPException as exc:  # TokenAuth: the key is over its rate
            wait = (exc.headers or {}).get("Retry-After", "60")
            limited = Open311Error.of(429, "o311.rate_limited", seconds=wait)
            limited.headers["Retry-After"] = wait
            return error_document(fmt, limited if exc.status_code == 429 else Open311Error.of(
                exc.status_code, "o311.general_error"), lang)
        except OperationalError:
            log.exception("Open311 %s %s: database unavailable", request.method, request.url.path)
            return error_document(fmt, Open311Error.of(503, "o311.unavailable"), lang)
        except Exception:  # the spec's "general service error" is a 400
            log.exception("Open311 %s %s failed", request.method, request.url.path)
            return error_document(fmt, Open311Error.of(400, "o311.general_error"), lang)

    async def caller(key: str | None, required: bool) -> TokenEntry | None:
        """The key's token; 403 for an unknown or revoked key, or none where one is needed."""
        if not key:
            if required:
                raise Open311Error.of(403, "o311.key_missing")
            return None
        entry = await container.token_auth.check(key)
        if entry is None:
            raise Open311Error.of(403, "o311.key_invalid")
        return entry

    async def read(query: Callable[[Connection], T]) -> T:
        def run() -> T:
            with container.engine.connect() as conn:
                return query(conn)
        return await asyncio.to_thread(run)

    async def visible(request: Request, query: RequestQuery) -> list[ServiceRequest]:
        entry = await caller(single(request.query_params, "api_key"), required=False)
        return await read(lambda conn: service_requests(conn, query, visibility(entry)))

    def listing(request: Request, rows: list[ServiceRequest], lang: str, fmt: Fmt) -> Response:
        render = models.RequestRenderer(container.city(), lang,
                                        f"{base_url(request)}{PREFIX}/media")
        if fmt is Fmt.JSON:  # up to 1000 requests: written without their dicts
            content = json_records(models.REQUEST_FIELDS, map(render.values, rows))
            return Response(content, media_type=fmt.media_type)
        return document(fmt, "service_requests", [render(row) for row in rows])

    @router.get("/discovery.{fmt}", summary="Service discovery")
    async def get_discovery(fmt: str, request: Request) -> Response:
        async def build(fmt: Fmt, lang: str) -> Response:
            changed = await read(directory_changed_at) or container.clock.now()
            body = models.discovery(base_url(request), changed, container.city(), lang)
            return document(fmt, "discovery", body)
        return await answer(request, fmt, build)

    @router.get("/services.{fmt}", summary="Services (the directory's categories)")
    async def get_services(fmt: str, request: Request) -> Response:
        async def build(fmt: Fmt, lang: str) -> Response:
            city = container.city()
            return document(fmt, "services", [models.service(category, city, lang)
                                              for category in city.directory.categories])
        return await answer(request, fmt, build)

    @router.get("/services/{code}.{fmt}", summary="A service definition")
    async def get_definition(code: str, fmt: str, request: Request) -> Response:
        async def build(fmt: Fmt, lang: str) -> Response:
            city = container.city()
            if city.directory.category(code) is None:
                raise not_found("o311.unknown_service", code=code[:60])
            return document(fmt, "service_definition", definition(code, city.config, lang))
        return await answer(request, fmt, build)

    @router.get("/requests.{fmt}", summary="Service requests (reports)")
    async def get_requests(fmt: str, request: Request) -> Response:
        async def build(fmt: Fmt, lang: str) -> Response:
            city = container.city()
            query = request_query(request.query_params, container.clock.now(), city.tz,
                                  {c.code for c in city.directory.categories})
            return listing(request, await visible(request, query), lang, fmt)
        return await answer(request, fmt, build)

    @router.get("/requests/{number}.{fmt}", summary="One service request")
    async def get_request(number: str, fmt: str, request: Request) -> Response:
        async def build(fmt: Fmt, lang: str) -> Response:
            year = container.clock.now().astimezone(settings.tz).year
            found = parse_tracking_number(number, year)
            rows = await visible(request, RequestQuery(numbers=(found,))) if found else []
            if not rows:  # none, or one this caller may not see: the same answer
                raise not_found("o311.unknown_request", ref=number[:40])
            return listing(request, rows, lang, fmt)
        return await answer(request, fmt, build)

    @router.post("/requests.{fmt}", summary="Create a service request (api_key required)")
    async def post_request(fmt: str, request: Request) -> Response:
        async def build(fmt: Fmt, lang: str) -> Response:
            pairs = await read_pairs(request)
            key = first(pairs, "api_key") or single(request.query_params, "api_key")
            entry = await caller(key, required=True)
            assert entry is not None
            city = container.city()
            wanted = report_request(pairs, city.tz, lang)
            done = await asyncio.to_thread(file, city, entry, wanted)
            container.metrics.reports.labels("api").inc()
            log.info("report created channel=api number=%s token=%s",
                     done.submitted.tracking_no, entry.id)
            return document(fmt, "service_requests",
                            [models.filed(done, city, wanted.privacy, lang)])
        return await answer(request, fmt, build)

    def file(city: CityContext, entry: TokenEntry, wanted: ReportRequest) -> Filed:
        """One transaction: the reporter, the report, its deadlines and notifications."""
        city.settle()  # a matcher being fitted is waited for before the transaction opens
        with container.uow() as uow:
            done = file_report(uow, city, entry.actor, wanted, container.clock.now())
            if isinstance(done, Invalid):
                raise Open311Error.invalid(done)  # leaving the unit of work rolls back
            uow.commit()
        return done

    @router.get("/tokens/{token}.{fmt}", summary="The service request of a token")
    async def get_token(token: str, fmt: str, request: Request) -> Response:
        async def build(fmt: Fmt, lang: str) -> Response:
            # The service is realtime: a POST's token is its request's number.
            if not await read(lambda conn: filed_through_open311(conn, token, CHAT_PREFIX)):
                raise not_found("o311.unknown_token", token=token[:40])
            return document(fmt, "service_requests",
                            [{"service_request_id": token, "token": token}])
        return await answer(request, fmt, build)

    @router.get("/media/{number}/{index}", summary="A photo of a public report")
    async def get_media(number: str, index: str, request: Request) -> Response:
        async def build(fmt: Fmt, lang: str) -> Response:
            photo = None
            if index.isdecimal() and len(index) < 4:
                photo = await read(lambda conn: public_photo(conn, number, int(index)))
            data = None
            if photo is not None:
                data = await asyncio.to_thread(container.media.read, photo.storage_key)
            if photo is None or data is None:
                raise not_found("o311.unknown_resource")
            return media_response(data, photo.content_type, {
                "X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=3600"})
        return await answer(request, "json", build)

    @router.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                      include_in_schema=False)
    async def unknown(rest: str, request: Request) -> Response:
        async def build(fmt: Fmt, lang: str) -> Response:
            raise not_found("o311.unknown_resource")
        return await answer(request, "xml" if rest.endswith(".xml") else "json", build)

    return router


def visibility(entry: TokenEntry | None) -> Visibility:
    """Without a key, public reports; a coordinator's key sees all, an officer's its OPD's."""
    if entry is None:
        return Visibility()
    if entry.role is Role.COORDINATOR:
        return Visibility(everything=True)
    return Visibility(officer_opd=entry.opd)
