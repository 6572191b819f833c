"""Signing in and out: a token from `aduan admin token`, or a `/dasbor` link; logout
(`Keluar`) and the language switch. Every change is a POST with the form's CSRF token.

A `/dasbor` link opened (GET) only shows a `Masuk` button: chat apps fetch links for their
previews, and such a fetch must not use up a one-time link.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from bot.dashboard.web import PREFIX, SESSION_COOKIE, Web, safe_next
from bot.ratelimit import SlidingWindowLimiter
from core.i18n import LANGUAGES, t
from storage.dashboard import LinkState

LINK_PROBLEMS = {LinkState.USED: (410, "dash.login.link_used"),
                 LinkState.EXPIRED: (410, "dash.login.link_expired"),
                 LinkState.UNKNOWN: (404, "dash.login.link_unknown")}
ATTEMPTS_PER_MINUTE = 30  # sign-in attempts per client address


def login_routes(web: Web) -> APIRouter:
    router = APIRouter(prefix=PREFIX)
    attempts = SlidingWindowLimiter(ATTEMPTS_PER_MINUTE, 60.0)
    clock = web.container.clock

    def login_page(request: Request, next_: str, status: int = 200,
                   error: str | None = None) -> Response:
        lang = web.language(request)
        return web.render(request, "login.html", None, status=status,
                          title=t("dash.login.title", lang), next=safe_next(next_),
                          error=t(error, lang) if error else None)

    @router.get("/masuk", include_in_schema=False)
    def login_form(request: Request,
                   next_: Annotated[str, Query(alias="next", max_length=2000)] = PREFIX
                   ) -> Response:
        if web.viewer(request) is not None:
            return RedirectResponse(safe_next(next_), 303)
        return login_page(request, next_)

    @router.post("/masuk", include_in_schema=False)
    async def login(request: Request, token: Annotated[str, Form(max_length=300)] = "",
                    csrf: Annotated[str, Form(max_length=200)] = "",
                    next_: Annotated[str, Form(alias="next", max_length=2000)] = PREFIX
                    ) -> Response:
        if not web.csrf_ok(request, csrf):
            return web.problem(request, None, 403, "dash.problem.csrf")
        if not attempts.allow(request.client.host if request.client else "?"):
            return login_page(request, next_, 429, "dash.login.too_many")
        try:
            entry = await web.container.token_auth.check(token.strip())
        except HTTPException:  # the token's own rate limit
            return login_page(request, next_, 429, "dash.login.too_many")
        if entry is None:
            return login_page(request, next_, 401, "dash.login.bad_token")
        secret = await asyncio.to_thread(web.auth.open_for_token, entry.id, clock.now())
        response = RedirectResponse(safe_next(next_), 303)
        await asyncio.to_thread(web.set_session, request, response, secret)
        return response

    @router.get("/masuk/{secret}", include_in_schema=False)
    def link_page(request: Request, secret: str) -> Response:
        state = web.auth.link_state(secret[:200], clock.now())
        if state is not LinkState.VALID:
            status, key = LINK_PROBLEMS[state]
            return web.problem(request, None, status, key)
        return web.render(request, "link.html", None,
                          title=t("dash.login.title", web.language(request)))

    @router.post("/masuk/{secret}", include_in_schema=False)
    def use_link(request: Request, secret: str,
                 csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
        if not web.csrf_ok(request, csrf):
            return web.problem(request, None, 403, "dash.problem.csrf")
        state, session = web.auth.redeem_link(secret[:200], clock.now())
        if session is None:
            status, key = LINK_PROBLEMS[state]
            return web.problem(request, None, status, key)
        response = RedirectResponse(PREFIX, 303)
        web.set_session(request, response, session)
        return response

    @router.post("/keluar", include_in_schema=False)
    def logout(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
        if not web.csrf_ok(request, csrf):
            return web.problem(request, web.viewer(request), 403, "dash.problem.csrf")
        web.auth.end(request.cookies.get(SESSION_COOKIE, ""), clock.now())
        response = RedirectResponse(f"{PREFIX}/masuk", 303)
        web.clear_session(response)
        return response

    @router.post("/bahasa", include_in_schema=False)
    def language(request: Request, lang: Annotated[str, Form(max_length=8)] = "id",
                 csrf: Annotated[str, Form(max_length=200)] = "",
                 next_: Annotated[str, Form(alias="next", max_length=2000)] = PREFIX
                 ) -> Response:
        if not web.csrf_ok(request, csrf):
            return web.problem(request, web.viewer(request), 403, "dash.problem.csrf")
        response = RedirectResponse(safe_next(next_), 303)
        web.set_language(response, lang if lang in LANGUAGES else "id")
        return response

    return router
