"""Report titles that say what and where ("Jalan berlubang di Jl. Imam Bonjol"), at most 80
characters: LAPOR's title field and every admin notification show them."""

from __future__ import annotations

import re

from core.city import CityContext

TITLE_MAX = 80
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


def title_for(description: str, category_code: str | None, city: CityContext) -> str:
    """The derived title: what (the category's phrase the text says, else its name) and where."""
    category = city.directory.category(category_code or "")
    if category is None:
        return derive_title(description)
    what = city.matcher.phrase_said(category.code, description) or category.name_id
    return derive_title(description, what)
