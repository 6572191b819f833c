"""Place names are not problems: "Kelurahan Labuh Baru" is not about a harbour (pelabuhan),
"Jalan Pasar Merah" not about a market's prices. The capitalised words after a word that
introduces a name (Jl., Gg., Kel., Kec., Perumahan, Taman, Pantai, …) are left out of typed
text before the CATEGORY step matches it; the introducing word stays ("taman" is a park)."""

from __future__ import annotations

import re
from collections.abc import Callable

_INTRODUCERS = ("Jl", "Jln", "Jalan", "Gg", "Gang", "Lorong", "Kel", "Kelurahan", "Kec",
                "Kecamatan", "Komplek", "Kompleks", "Perumahan", "Perum", "Desa", "Kampung",
                "Nagari", "Dusun", "Taman", "Pantai", "Pasar", "Simpang", "Batang", "Sungai",
                "Kota", "Kabupaten", "Street", "Road", "Rd", "St")
_INTRODUCED = re.compile(r"\b(?:" + "|".join(_INTRODUCERS) + r")\.?\s+")
_WORD = re.compile(r"([A-Z][\w'-]*)([^\w\s]*)(\s+|$)")  # a capitalised word, its punctuation
MAX_NAME_WORDS = 3
MAX_ABBREVIATION = 3  # "No.", "H.": a dot after a longer word ends the sentence


def without_names(text: str, known: Callable[[str], bool]) -> str:
    """The text less the capitalised words of names after an introducing word (at most three,
    up to a punctuation mark), keeping any that `known` says are words a choice is named by
    ("Jalan Rusak" in a formal heading)."""
    out: list[str] = []
    at = 0
    for intro in _INTRODUCED.finditer(text):
        if intro.start() < at:
            continue
        out.append(text[at:intro.end()])
        at = intro.end()
        for _ in range(MAX_NAME_WORDS):
            word = _WORD.match(text, at)
            if word is None:
                break
            out.append((word[1] if known(word[1].lower()) else "") + word[2] + word[3])
            at = word.end()
            if word[2] and (word[2] != "." or len(word[1]) > MAX_ABBREVIATION):
                break  # "Jalan Sudirman, dekat …", "… Sudirman. Terima kasih": the name ends
    return "".join(out) + text[at:]
