"""What every dashboard page shares: who is asking (the session cookie), CSRF tokens, the
reader's language, and rendering a template with the security headers.

Sessions live in the database (`storage.dashboard`), so any worker can serve any page and a
logout or a revoked admin or token ends them at once. The cookie holds only the session's
random secret: HttpOnly, SameSite=Strict, Secure when PUBLIC_BASE_URL is https.

CSRF: every form carries a token. Signed in, it is an HMAC of the session's secret (the
page can show it, the secret stays in the HttpOnly cookie); before signing in, it is a
random value also set as a cookie (double submit). SameSite=Strict is the second fence.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from importlib import resources
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.bootstrap import Container
from bot.dashboard import present
from core.i18n import LANGUAGES, t
from storage.dashboard import Viewer

SESSION_COOKIE, PRE_COOKIE, LANGUAGE_COOKIE = "aduan_sesi", "aduan_pre", "aduan_bahasa"
PREFIX = "/dashboard"
TEMPLATES = resources.files("bot.dashboard") / "templates"


class Web:
    """The dashboard's plumbing, built once per app from the container."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.settings = container.settings
        self.auth = container.dashboard_auth
        env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                          undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.templates = Jinja2Templates(env=env)
        self.csp = _content_policy(self.settings.dashboard_tile_url)

    # --- who is asking --------------------------------------------------------------------
    def viewer(self, request: Request) -> Viewer | None:
        secret = request.cookies.get(SESSION_COOKIE, "")
        return self.auth.viewer(secret, self.container.clock.now()) if secret else None

    def require(self, request: Request) -> Viewer:
        """The signed-in viewer; otherwise off to the login page (back here afterwards)."""
        viewer = self.viewer(request)
        if viewer is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise HTTPException(303, headers={
                "Location": f"{PREFIX}/masuk?next={quote(target, safe='')}"})
        return viewer

    def language(self, request: Request) -> str:
        chosen = request.cookies.get(LANGUAGE_COOKIE, "")
        return chosen if chosen in LANGUAGES else self.settings.default_language

    # --- CSRF --------------------------------------------------------------------------------
    @staticmethod
    def csrf_token(request: Request) -> str:
        """The token this browser's forms must carry ("" before a pre-login cookie is set)."""
        session = request.cookies.get(SESSION_COOKIE)
        if session:
            return hmac.new(session.encode(), b"aduan-dashboard-csrf", hashlib.sha256).hexdigest()
        return request.cookies.get(PRE_COOKIE, "")

    def csrf_ok(self, request: Request, token: str | None) -> bool:
        expected = self.csrf_token(request)
        return bool(expected and token and hmac.compare_digest(expected, token))

    # --- cookies -------------------------------------------------------------------------------
    def set_session(self, request: Request, response: Response, secret: str) -> None:
        """Sign this browser in with a new session (ending one it had: no fixation)."""
        if previous := request.cookies.get(SESSION_COOKIE):
            self.auth.end(previous, self.container.clock.now())
        response.set_cookie(SESSION_COOKIE, secret, path=PREFIX, httponly=True,
                            samesite="strict", secure=self.settings.secure_cookies)
        response.delete_cookie(PRE_COOKIE, path=PREFIX)

    def clear_session(self, response: Response) -> None:
        response.delete_cookie(SESSION_COOKIE, path=PREFIX, httponly=True, samesite="strict",
                               secure=self.settings.secure_cookies)

    def set_language(self, response: Response, language: str) -> None:
        response.set_cookie(LANGUAGE_COOKIE, language, path=PREFIX, max_age=365 * 86400,
                            httponly=True, samesite="strict",
                            secure=self.settings.secure_cookies)

    # --- pages ---------------------------------------------------------------------------------
    def render(self, request: Request, name: str, viewer: Viewer | None, *, status: int = 200,
               title: str = "", **context: Any) -> HTMLResponse:
        """The template in the reader's language, with what the layout needs."""
        lang = self.language(request)
        csrf = self.csrf_token(request)
        new_pre = "" if csrf else secrets.token_urlsafe(32)
        city = self.container.city()
        shown = present.Presenter(lang, city, self.container.clock.now())
        response = self.templates.TemplateResponse(request, name, {
            "viewer": viewer, "lang": lang, "csrf": csrf or new_pre, "title": title,
            "t": lambda key, **values: t(key, lang, **values), "p": shown,
            "path": request.url.path, "here": _here(request), **context,
        }, status_code=status)
        if new_pre:
            response.set_cookie(PRE_COOKIE, new_pre, path=PREFIX, httponly=True,
                                samesite="strict", secure=self.settings.secure_cookies)
        self.protect(response)
        return response

    def protect(self, response: Response) -> None:
        headers = response.headers
        headers["Content-Security-Policy"] = self.csp
        headers["X-Frame-Options"] = "DENY"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"  # a login link never leaks to a referrer
        headers["Cache-Control"] = "no-store"

    def problem(self, request: Request, viewer: Viewer | None, status: int, key: str,
                **values: Any) -> HTMLResponse:
        """A page saying what went wrong (in the reader's language) with `status`."""
        return self.render(request, "problem.html", viewer, status=status,
                           title=t("dash.problem.title", self.language(request)),
                           message=t(key, self.language(request), **values))


def _here(request: Request) -> str:
    """This page's path and query, for a form that should come back to it."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def safe_next(target: str | None) -> str:
    """Where to go after a login or language switch: only a dashboard path of this site."""
    if (target and target.startswith(PREFIX) and not target.startswith("//")
            and "\\" not in target and "\n" not in target and "\r" not in target):
        return target
    return PREFIX


def _content_policy(tile_url: str | None) -> str:
    images = "'self' data:"
    if tile_url:
        scheme, _, rest = tile_url.partition("://")
        host = rest.split("/", 1)[0].replace("{s}", "*")
        images += f" {scheme}://{host}"
    return ("default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src {images}; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'")
