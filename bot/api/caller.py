"""Who is calling `/api/v1`: the token (checked on every request, so a revoked one fails at
once; paced per token), the caller's language, and the query parameters the route knows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Annotated, Protocol

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials

from bot.api.auth import BEARER, TokenAuth
from bot.api.errors import ApiError, language_of
from core.reports.actors import Actor, Role
from storage.tokens import TokenEntry


class Reader(Protocol):
    """Whoever reads the reports' list or the rakor sheet: an API token (`Caller`) or a
    dashboard session (`bot.dashboard.exports`)."""

    @property
    def language(self) -> str: ...

    @property
    def actor(self) -> Actor: ...

    @property
    def officer_opd(self) -> str | None: ...

    @property
    def is_coordinator(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Caller:
    token: TokenEntry
    language: str

    @property
    def actor(self) -> Actor:
        return self.token.actor

    @property
    def officer_opd(self) -> str | None:
        """The OPD an officer token is confined to; None for a coordinator token."""
        return self.token.opd if self.token.role is Role.OFFICER else None

    @property
    def is_coordinator(self) -> bool:
        return self.token.role is Role.COORDINATOR


Authorise = Callable[..., Awaitable[Caller]]  # a route's dependency
Allow = Callable[..., Authorise]  # allow(*query_parameter_names) -> the dependency


def authorised(auth: TokenAuth) -> Allow:
    """`authorised(auth)(*names)`: a dependency answering the `Caller` of a route that takes
    the query parameters `names` (401 and 429 first, then 400 for any other parameter or a
    repeated one)."""

    def with_params(*names: str) -> Authorise:
        async def caller(request: Request, credentials: Annotated[
                HTTPAuthorizationCredentials | None, Depends(BEARER)]) -> Caller:
            language = language_of(request)
            try:
                entry = await auth.check(credentials.credentials if credentials else None)
            except HTTPException as exc:  # over the rate: 429 with Retry-After
                headers = exc.headers or {}
                raise ApiError(exc.status_code, "api.rate_limited", language, headers=headers,
                               seconds=headers.get("Retry-After", "60")) from None
            if entry is None:
                raise ApiError(401, "api.unauthorized", language,
                               headers={"WWW-Authenticate": "Bearer"})
            check_params(request, names, language)
            return Caller(entry, language)

        return caller

    return with_params


def check_params(request: Request, known: Collection[str], language: str) -> None:
    """400 for a query parameter the route does not take, one given twice, or a value with
    a NUL character."""
    seen: set[str] = set()
    for name, value in request.query_params.multi_items():
        if name not in known:
            raise ApiError(400, "api.unknown_parameter", language, name=name[:40],
                           known=", ".join(sorted(known)) or "-")
        if name in seen:
            raise ApiError(400, "api.repeated_parameter", language, name=name)
        if "\x00" in value:  # no query could hold it (PostgreSQL refuses NUL in text)
            raise ApiError(400, "api.bad_parameter", language,
                           problems=f"{name}: NUL character")
        seen.add(name)
