"""The attributes every service takes (the chat form's questions besides category, text and
place): what a service definition lists and what a POST's `attribute[code]` may say."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.open311.errors import Open311Error
from bot.open311.params import parse_day
from core.city import IntakeConfig
from core.i18n import t
from core.intake.api_report import Problem
from core.reports.model import Privacy, ReportType


@dataclass(frozen=True, slots=True)
class Attribute:
    code: str
    datatype: str  # the spec's: string, number, datetime, text, singlevaluelist, …
    description: str  # catalog keys
    datatype_description: str | None = None
    values: tuple[tuple[str, str], ...] = ()  # (key, catalog key of its name)


ATTRIBUTES = (
    Attribute("report_type", "singlevaluelist", "o311.attr.report_type",
              values=tuple((k.value, f"type.{k.value}") for k in ReportType)),
    Attribute("privacy", "singlevaluelist", "o311.attr.privacy",
              values=tuple((p.value, f"privacy.{p.value}") for p in Privacy)),
    Attribute("title", "string", "o311.attr.title", "o311.attr.title_type"),
    Attribute("event_date", "datetime", "o311.attr.event_date", "o311.attr.event_date_type"),
)
_BY_CODE = {a.code: a for a in ATTRIBUTES}


def definition(code: str, config: IntakeConfig, language: str) -> dict[str, Any]:
    """A service definition: the same optional attributes for every service."""
    numbers = {"min": config.title_min, "max": config.title_max,
               "days": config.max_event_age_days}
    return {"service_code": code, "attributes": [
        {"variable": True, "code": a.code, "datatype": a.datatype, "required": False,
         "datatype_description": (t(a.datatype_description, language, **numbers)
                                  if a.datatype_description else None),
         "order": order, "description": t(a.description, language),
         "values": [{"key": key, "name": t(name, language)} for key, name in a.values]}
        for order, a in enumerate(ATTRIBUTES, start=1)]}


@dataclass(frozen=True, slots=True)
class Answers:
    """The attributes a POST gave, typed; None where it gave none."""

    type: ReportType | None = None
    privacy: Privacy | None = None
    title: str | None = None
    event_date: date | None = None


def read_attributes(given: dict[str, str], tz: ZoneInfo) -> Answers | list[Problem]:
    """Typed answers, or every problem (unknown codes, values outside a list, bad dates)."""
    problems: list[Problem] = []
    for code in given:
        if code not in _BY_CODE:
            problems.append(Problem("o311.unknown_attribute", {
                "code": code[:40], "codes": ", ".join(_BY_CODE)}))
    for code in ("report_type", "privacy"):
        value = given.get(code)
        keys = [key for key, _ in _BY_CODE[code].values]
        if value is not None and value not in keys:
            problems.append(Problem("o311.bad_choice", {
                "field": f"attribute[{code}]", "value": value[:40], "choices": ", ".join(keys)}))
    day = None
    if "event_date" in given:
        try:
            day = parse_day("attribute[event_date]", given["event_date"], tz)
        except Open311Error as error:
            problems += error.problems
    if problems:
        return problems
    kind, privacy = given.get("report_type"), given.get("privacy")
    return Answers(ReportType(kind) if kind else None, Privacy(privacy) if privacy else None,
                   given.get("title"), day)
