"""Open311 errors in one place: the spec's list of {code, description} with the HTTP status
it names (404 unknown resource, 403 wrong or missing api_key, 400 anything else)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from fastapi.responses import Response

from bot.open311.render import Fmt, document
from core.i18n import t
from core.intake.api_report import Invalid, Problem


class Open311Error(Exception):
    """Answer with these problems (catalog keys) and `status`; nothing was changed."""

    def __init__(self, status: int, problems: Iterable[Problem],
                 headers: Mapping[str, str] | None = None) -> None:
        self.status, self.problems = status, tuple(problems)
        self.headers = dict(headers or {})
        super().__init__(", ".join(p.key for p in self.problems))

    @classmethod
    def of(cls, status: int, key: str, **params: object) -> Open311Error:
        return cls(status, (Problem(key, params),))

    @classmethod
    def invalid(cls, refused: Invalid) -> Open311Error:
        return cls(404 if refused.unknown_service else 400, refused.problems)


def bad_request(key: str, **params: object) -> Open311Error:
    return Open311Error.of(400, key, **params)


def not_found(key: str, **params: object) -> Open311Error:
    return Open311Error.of(404, key, **params)


def error_document(fmt: Fmt, error: Open311Error, language: str) -> Response:
    """The spec's error list; each `code` is the HTTP status, as clients expect."""
    body = [{"code": error.status, "description": t(p.key, language, **p.params)}
            for p in error.problems]
    return document(fmt, "errors", body, error.status, error.headers)
