"""Bearer tokens at the HTTP edge: who is calling (a `TokenEntry`), refused with 401, and a
per-token rate limit answered with 429 and `Retry-After`."""

from __future__ import annotations

import asyncio
import math
from typing import Annotated

from fastapi import Depends, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bot.ratelimit import SlidingWindowLimiter
from core.ports import Clock
from storage.tokens import SqlTokenStore, TokenEntry

BEARER = HTTPBearer(auto_error=False, description="A token from `aduan admin token --name N`")


class TokenAuth:
    """Checks the token on every request (a revoked one fails at once) and paces each token.

    The instance is a FastAPI dependency (`Depends(auth)`) answering the calling token or
    401; `check` serves Open311, whose key comes as `api_key` instead of a header."""

    def __init__(self, tokens: SqlTokenStore, clock: Clock, per_minute: int) -> None:
        self._tokens, self._clock = tokens, clock
        self._limiter = SlidingWindowLimiter(per_minute, 60.0)

    async def __call__(self, credentials: Annotated[HTTPAuthorizationCredentials | None,
                                                    Depends(BEARER)]) -> TokenEntry:
        entry = await self.check(credentials.credentials if credentials else None)
        if entry is None:
            raise HTTPException(401, "missing, unknown or revoked bearer token",
                                headers={"WWW-Authenticate": "Bearer"})
        return entry

    async def check(self, secret: str | None) -> TokenEntry | None:
        """The token's entry, or None for a missing, unknown or revoked one; raises 429 when
        the token is over its rate."""
        if not secret:
            return None
        entry = await asyncio.to_thread(self._tokens.authenticate, secret, self._clock.now())
        if entry is None:
            return None
        key = str(entry.id)
        if not self._limiter.allow(key):
            wait = max(1, math.ceil(self._limiter.retry_after(key)))
            raise HTTPException(429, "too many requests for this token",
                                headers={"Retry-After": str(wait)})
        return entry
