"""How `/api/v1` says no, in one place: every error is `{"detail": {"reason", "message"}}`.

`reason` is a catalog key (stable, for programs), `message` its text in the caller's language
(`Accept-Language: en`, else Indonesian). Lifecycle refusals map by their kind (not found 404,
forbidden 403, conflict 409, invalid 422); FastAPI's own validation errors are caught by
`ApiRoute` so a bad query string is 400 and a bad body 422 in the same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.i18n import normalise_language, t
from core.reports.model import Status
from core.reports.results import RefusalKind, Refused

STATUS_OF_KIND = {RefusalKind.NOT_FOUND: 404, RefusalKind.FORBIDDEN: 403,
                  RefusalKind.CONFLICT: 409, RefusalKind.INVALID: 422}
MAX_PROBLEMS = 5


class ErrorDetail(BaseModel):
    reason: str = Field(description="A stable catalog key, e.g. `work.bad_status`.",
                        examples=["work.bad_status"])
    message: str = Field(description="The reason for people, in the caller's language.",
                         examples=["Laporan ADU-2026-000042 berstatus Ditutup; /balas tidak "
                                   "dapat dipakai sekarang."])


class ErrorOut(BaseModel):
    """The body of every `/api/v1` error."""

    detail: ErrorDetail


class ApiError(HTTPException):
    """An HTTP error whose detail is `{"reason", "message"}`."""

    def __init__(self, status: int, reason: str, language: str, *,
                 headers: Mapping[str, str] | None = None,
                 params: Mapping[str, object] | None = None, **more: object) -> None:
        values = {key: t(f"status.{value.value}", language) if isinstance(value, Status)
                  else value for key, value in {**(params or {}), **more}.items()}
        super().__init__(status, {"reason": reason, "message": t(reason, language, **values)},
                         headers=dict(headers) if headers else None)


def refused(refusal: Refused, language: str) -> ApiError:
    """A lifecycle refusal as its HTTP status (its catalog text as the message)."""
    return ApiError(STATUS_OF_KIND[refusal.kind], refusal.reason, language,
                    params=refusal.params)


def language_of(request: Request) -> str:
    """The caller's language from the first tag of Accept-Language (Indonesian by default)."""
    first = request.headers.get("accept-language", "").split(",")[0].split(";")[0]
    return normalise_language(first)


def validation_error(exc: RequestValidationError, language: str) -> ApiError:
    """FastAPI's validation errors: malformed JSON 400, a bad body 422, anything else (query
    string, path) 400; the message names each field with pydantic's words."""
    errors: list[dict[str, Any]] = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return ApiError(400, "api.malformed_json", language)
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'body'}: {e.get('msg', 'invalid')}"
        for e in errors[:MAX_PROBLEMS])
    if errors and all(e.get("loc", ("",))[0] == "body" for e in errors):
        return ApiError(422, "api.invalid_body", language, problems=problems)
    return ApiError(400, "api.bad_parameter", language, problems=problems)


def not_json(request: Request, exc: RequestValidationError) -> bool:
    """A body sent as something else than JSON (curl's `-d` sends a form): FastAPI then
    validates the raw bytes, which is no object."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    is_json = kind == "application/json" or kind.endswith("+json")
    return not is_json and any(e.get("loc") == ("body",) for e in exc.errors())


class ApiRoute(APIRoute):
    """A route whose request validation errors come out in the API's error shape."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                if not_json(request, exc):
                    raise ApiError(415, "api.json_only", language_of(request)) from None
                raise validation_error(exc, language_of(request)) from None
            except StarletteHTTPException as exc:  # FastAPI raises Starlette's own
                if isinstance(exc.detail, str) and exc.status_code == 400:
                    # FastAPI's own "error parsing the body" (e.g. absurd nesting)
                    raise ApiError(400, "api.malformed_json", language_of(request)) from None
                raise

        return route


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "A bad query string or malformed JSON."},
    401: {"model": ErrorOut, "description": "Missing, unknown or revoked token."},
    403: {"model": ErrorOut, "description": "The token's role may never do this, or an "
                                            "officer token named another OPD."},
    404: {"model": ErrorOut, "description": "No such report, or one this token may not see."},
    409: {"model": ErrorOut, "description": "The report's status does not allow this now."},
    413: {"description": "The body is over 1 MiB."},
    415: {"model": ErrorOut, "description": "The body is not sent as `application/json`."},
    422: {"model": ErrorOut, "description": "Bad fields: missing, extra, wrong type or length."},
    429: {"model": ErrorOut, "description": "Over the token's rate; see `Retry-After`."},
}


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error codes (401 and 429 are on every route)."""
    return {code: ERRORS[code] for code in sorted({401, 429, *codes})}
