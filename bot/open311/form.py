"""A POST's body (form-encoded as the spec says, or JSON, or multipart) → a `ReportRequest`,
or every problem with it at once (400). The rules on the values themselves are core's."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

from fastapi import Request
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from bot.open311.attributes import read_attributes
from bot.open311.errors import Open311Error, bad_request
from core.intake.api_report import Contact, Problem, ReportRequest
from core.reports.model import Privacy, ReportType

MAX_FIELDS = 200
_ATTRIBUTE = re.compile(r"attribute\[([^\[\]]{0,100})\](\[\])?")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9][0-9 ()./-]{4,29}")
# Longest accepted contact and place fields; the form's own rules check the description,
# the address and the title.
_LONGEST = {"first_name": 100, "last_name": 100, "email": 254, "phone": 30, "device_id": 100,
            "service_code": 100, "lat": 40, "long": 40, "address_id": 100}
Pairs = list[tuple[str, object]]


async def read_pairs(request: Request) -> Pairs:
    """The body's (name, value) pairs, in order; 400 when it cannot be read."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    try:
        if kind == "application/json":
            return _json_pairs(json.loads(raw))
        if kind == "multipart/form-data":
            async with request.form(max_files=0, max_fields=MAX_FIELDS) as form:
                return list(form.multi_items())
        if kind in ("", "application/x-www-form-urlencoded"):
            text = raw.decode("utf-8")
            if any(piece and "=" not in piece for piece in text.split("&")):
                raise ValueError("a field without a value")
            pairs: Pairs = list(parse_qsl(text, keep_blank_values=True, errors="strict",
                                          max_num_fields=MAX_FIELDS))
            return pairs
    # Inside an app Starlette turns a multipart error into an HTTPException(400).
    except (ValueError, RecursionError, MultiPartException, HTTPException):
        reason = {"application/json": "JSON", "multipart/form-data": "multipart"}.get(
            kind, "application/x-www-form-urlencoded")
        raise bad_request("o311.malformed_body", reason=reason) from None
    raise bad_request("o311.malformed_body", reason=f"Content-Type {kind[:60]}")


def _json_pairs(body: object) -> Pairs:
    if not isinstance(body, dict):
        raise ValueError("not an object")
    pairs: Pairs = []
    for name, value in body.items():
        if name == "attribute" and isinstance(value, dict):
            pairs += [(f"attribute[{code}]", v) for code, v in value.items()]
        elif isinstance(value, list):
            pairs += [(name, v) for v in value]
        elif value is not None:
            pairs.append((name, value))
    return [(n, str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v)
            for n, v in pairs]


def first(pairs: Pairs, name: str) -> str | None:
    return next((v.strip() or None for n, v in pairs if n == name and isinstance(v, str)), None)


def report_request(pairs: Pairs, tz: ZoneInfo, language: str) -> ReportRequest:
    """The report the body asks for; Open311Error (400) listing every problem."""
    fields: dict[str, list[str]] = {}
    given: dict[str, list[str]] = {}
    problems: list[Problem] = []
    refused: set[str] = set()
    for name, value in pairs:
        if not isinstance(value, str) or not _is_text(value):
            problems.append(Problem("o311.not_text", {"field": name[:60]}))
            refused.add(name)
        elif match := _ATTRIBUTE.fullmatch(name):
            given.setdefault(match.group(1), []).append(value)
        else:
            fields.setdefault(name, []).append(value)

    def one(name: str, values: dict[str, list[str]], label: str) -> str | None:
        found = {v.strip() for v in values.get(name, ())} - {""}
        if len(found) > 1:
            problems.append(Problem("o311.repeated", {"field": label}))
        value = found.pop() if found else None
        longest = _LONGEST.get(name) if values is fields else None
        if value is not None and longest is not None and len(value) > longest:
            problems.append(Problem("o311.too_long", {"field": label, "max": longest}))
            return None
        return value

    values = {n: one(n, fields, n) for n in (*_LONGEST, "address_string", "description")}
    attributes = {code: v for code in given if (v := one(code, given, f"attribute[{code}]"))}
    for name in ("service_code", "description"):
        if values[name] is None and name not in refused:
            problems.append(Problem("o311.missing", {"field": name}))
    latitude, longitude = _number("lat", values["lat"], problems), _number(
        "long", values["long"], problems)
    if values["address_id"] and values["lat"] is None and values["address_string"] is None:
        problems.append(Problem("o311.address_id"))
    contact = _contact(values, problems)
    answers = read_attributes(attributes, tz)
    if isinstance(answers, list):
        problems += answers
    if problems or isinstance(answers, list):
        raise Open311Error(400, problems)
    return ReportRequest(
        category=values["service_code"] or "", description=values["description"] or "",
        type=answers.type or ReportType.PENGADUAN, privacy=answers.privacy or Privacy.RAHASIA,
        title=answers.title, event_date=answers.event_date, latitude=latitude,
        longitude=longitude, address=values["address_string"], contact=contact,
        language=language)


def _is_text(value: str) -> bool:
    """PostgreSQL stores no NUL and no lone surrogate (a JSON body may carry either)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _number(name: str, value: str | None, problems: list[Problem]) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        problems.append(Problem("o311.not_number", {"field": name, "value": value[:40]}))
        return None


def _contact(values: dict[str, Any], problems: list[Problem]) -> Contact:
    email, phone = values["email"], values["phone"]
    if email is not None and not _EMAIL.fullmatch(email):
        problems.append(Problem("o311.bad_contact", {"field": "email"}))
    if phone is not None and not _PHONE.fullmatch(phone):
        problems.append(Problem("o311.bad_contact", {"field": "phone"}))
    return Contact(values["first_name"], values["last_name"], email, phone, values["device_id"])
