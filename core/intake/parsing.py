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

_NUMERIC = re.compile(r"^(\d{1,4})[-/. ](\d{1,2})(?:[-/. ](\d{2,4}))?$")
_NAMED = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{2,4}))?$")
_DAYS_AGO = re.compile(r"^(\d{1,3})\s+(?:hari|days?)\s+(?:yang\s+)?(?:lalu|ago)$")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n")
# Dots that end an abbreviation, not a sentence (addresses, titles, "dll.").
ABBREVIATIONS = frozenset({
    "jl", "jln", "gg", "no", "rt", "rw", "kel", "kec", "kab", "kota", "prov", "ds", "dsn", "kp",
    "komp", "perum", "blk", "blok", "lt", "km", "bpk", "pak", "bu", "ibu", "sdr", "sdri", "dr",
    "drs", "ir", "h", "hj", "st", "prof", "jend", "mr", "mrs", "dll", "dsb", "dst", "tgl", "tel",
    "telp", "hp", "sd", "smp", "sdn", "smpn", "ny", "tn", "a.n", "an", "yth", "kpd", "mts",
})
_PLACE = re.compile(
    r"\b(Jl\.|Jln\.?|Jalan|Gg\.|Gang|Lorong|Lr\.|Komplek|Komp\.|Perumahan|Perum\.|"
    r"Kel\.|Kelurahan)\s+(?=((?:\S+\s*){1,6}))")  # the name is looked at, not consumed
_PLACE_STOP = frozenset({"no", "nomor", "rt", "rw", "kel", "kec", "kelurahan", "kecamatan", "dekat",
                         "depan", "samping", "arah", "ke", "di", "yang", "dan", "blok"})
TODAY_WORDS = frozenset({"hari ini", "today", "sekarang", "now", "tadi"})
YESTERDAY_WORDS = frozenset({"kemarin", "yesterday", "kmrn", "kmarin"})
TITLE_MAX = 80


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


def derive_title(description: str, what: str | None = None) -> str:
    """A title of at most 80 characters that says what and where ("Jalan berlubang di Jl. Imam
    Bonjol"): `what` (the problem, e.g. the category's phrase the text says) and the first
    street, alley or kelurahan the text names; without either, the first sentence, never cut
    at an abbreviation's dot ("Jl.", "No.", "RT.")."""
    place = _place(description)
    if what and place:
        what = what.strip()
        title = f"{what[:1].upper()}{what[1:]} di {place}"
        return title if len(title) <= TITLE_MAX else _cut(title)
    return _cut(first_sentence(description))


def first_sentence(text: str) -> str:
    """The text up to its first sentence end; the dot of an abbreviation or a number is none."""
    text = " ".join(text.split())
    for found in _SENTENCE_END.finditer(text):
        before = text[: found.start()].rsplit(" ", 1)[-1].rstrip(".").lower()
        if found.group(0).startswith(".") and (before in ABBREVIATIONS or before.isdigit()
                                               or len(before) <= 1):
            continue
        return text[: found.start()].strip()
    return text.strip().rstrip(".!?")


def _place(text: str) -> str | None:
    """The first street, alley, housing estate or kelurahan named, as written ("Jl. Imam
    Bonjol"), without its house number or RT/RW."""
    named = [place for found in _PLACE.finditer(text) if (place := _named(*found.groups()))]
    # A street says more than a kelurahan: "warga Kelurahan Sukamaju … aspal di Jalan Merdeka".
    return next((p for p in named if not p.startswith("Kel")), named[0] if named else None)


def _named(head: str, name: str) -> str | None:
    words: list[str] = []
    for word in name.split():
        bare = word.rstrip(".,;:!?")
        if bare.lower().rstrip(".") in _PLACE_STOP or not (bare[:1].isupper() or bare[:1].isdigit()):
            break
        words.append(bare)
        if bare != word:  # punctuation ends the name
            break
    return f"{head} {' '.join(words)}" if words else None


def _cut(text: str) -> str:
    text = text.rstrip(".!?,;: ")
    if len(text) <= TITLE_MAX:
        return text
    return text[: TITLE_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def title_for(description: str, category_code: str | None, ctx: Context) -> str:
    """The derived title: what (the category's phrase the text says, else its name) and where."""
    category = ctx.directory.category(category_code or "")
    if category is None:
        return derive_title(description)
    what = ctx.city.matcher.phrase_said(category.code, description) or category.name_id
    return derive_title(description, what)


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
