"""Reading what citizens type: dates, addresses, titles."""

from __future__ import annotations

import math
import re
from datetime import date, timedelta

from rapidfuzz import fuzz, process

from core.directory.model import Kelurahan
from core.i18n import month_number
from core.intake.context import Context
from core.matching.words import normalise
from core.reports import titles

_NUMERIC = re.compile(r"^(\d{1,4})[-/. ](\d{1,2})(?:[-/. ](\d{2,4}))?$")
_NAMED = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{2,4}))?$")
_DAYS_AGO = re.compile(r"^(\d{1,3})\s+(?:hari|days?)\s+(?:yang\s+)?(?:lalu|ago)$")
TODAY_WORDS = frozenset({"hari ini", "today", "sekarang", "now", "tadi"})
YESTERDAY_WORDS = frozenset({"kemarin", "yesterday", "kmrn", "kmarin"})


def parse_event_date(text: str, today: date) -> date | None:
    """A date from "21-11-2026", "2026-11-21", "21/11", "21 nov 2026", "kemarin", "3 hari lalu"."""
    raw = text.strip().lower()
    if raw in TODAY_WORDS:
        return today
    if raw in YESTERDAY_WORDS:
        return today - timedelta(days=1)
    if m := _DAYS_AGO.match(raw):
        return today - timedelta(days=int(m.group(1)))
    try:
        if m := _NUMERIC.match(raw):
            a, b, c = m.group(1), m.group(2), m.group(3)
            if len(a) == 4:  # ISO order: yyyy-mm-dd
                return date(int(a), int(b), int(c)) if c else None
            return date(_year(c, today), int(b), int(a))
        if m := _NAMED.match(raw):
            month = month_number(m.group(2))
            return date(_year(m.group(3), today), month, int(m.group(1))) if month else None
    except ValueError:
        return None
    return None


def _year(text: str | None, today: date) -> int:
    if text is None:
        return today.year
    year = int(text)
    return 2000 + year if year < 100 else year


def title_for(description: str, category_code: str | None, ctx: Context) -> str:
    """The title derived for the form (see `core.reports.titles.title_for`)."""
    return titles.title_for(description, category_code, ctx.city)


def match_kelurahan(address: str, kelurahan: tuple[Kelurahan, ...]) -> Kelurahan | None:
    """The kelurahan named in a typed address, tolerant of small typos."""
    if not kelurahan:
        return None
    names = [normalise(k.name) for k in kelurahan]
    hit = process.extractOne(
        normalise(address), names, scorer=fuzz.partial_ratio, processor=None, score_cutoff=88
    )
    if hit is None:
        return None
    return kelurahan[hit[2]]


def nearest_kelurahan(
    latitude: float, longitude: float, kelurahan: tuple[Kelurahan, ...], max_km: float = 3.0
) -> Kelurahan | None:
    """The kelurahan whose centre is nearest the pin, if within `max_km`."""
    best: tuple[float, Kelurahan] | None = None
    for k in kelurahan:
        if k.latitude is None or k.longitude is None:
            continue
        distance = haversine_km(latitude, longitude, k.latitude, k.longitude)
        if distance <= max_km and (best is None or distance < best[0]):
            best = (distance, k)
    return best[1] if best else None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))
