"""Look up catalog texts in the reader's language; dates and times in local time."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.i18n.catalog import CATALOG

LANGUAGES: tuple[str, ...] = ("id", "en")
_MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


def normalise_language(code: str | None, default: str = "id") -> str:
    """Map a platform language code ("en-US", "id") to one we speak."""
    if not code:
        return default
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGES else default


def t(key: str, language: str, **values: object) -> str:
    """The text for `key` in `language` (Indonesian when unknown), with values filled in."""
    indonesian, english = CATALOG[key]
    template = english if language == "en" else indonesian
    return template.format(**values) if values else template


def format_date(day: date, language: str) -> str:
    return f"{day.day} {_MONTHS[language if language in _MONTHS else 'id'][day.month - 1]} {day.year}"


def format_datetime(moment: datetime, language: str, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    zone = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(
        tz.key, local.strftime("%Z")
    )
    return f"{format_date(local.date(), language)} {local:%H:%M} {zone}"


def month_number(name: str) -> int | None:
    """Month from an Indonesian or English name or its first three letters."""
    key = name.strip().lower()[:3]
    for months in _MONTHS.values():
        for index, month in enumerate(months):
            if month.lower()[:3] == key:
                return index + 1
    return {"agt": 8, "peb": 2, "okt": 10, "des": 12, "nop": 11}.get(key)
