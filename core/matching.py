"""Free text to a choice: normalisation plus rapidfuzz scoring against labels and synonyms."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from core.directory import Category, Opd

# Common Indonesian chat spellings, expanded before matching.
_CHAT_WORDS = {
    "gk": "tidak", "ga": "tidak", "gak": "tidak", "nggak": "tidak", "tdk": "tidak",
    "yg": "yang", "jln": "jalan", "jl": "jalan", "dgn": "dengan", "dg": "dengan",
    "sdh": "sudah", "udh": "sudah", "blm": "belum", "bgt": "banget", "krn": "karena",
    "utk": "untuk", "dr": "dari", "sy": "saya", "tp": "tapi", "kel": "kelurahan",
    "kec": "kecamatan", "pju": "penerangan jalan umum", "tlg": "tolong",
    "udah": "sudah", "dah": "sudah", "blum": "belum", "ngga": "tidak", "enggak": "tidak",
    "org": "orang", "dkt": "dekat", "bbrp": "beberapa", "thd": "terhadap", "jg": "juga",
    "lg": "lagi", "bs": "bisa", "sm": "sama", "pd": "pada", "kalo": "kalau", "dmn": "di mana",
    "gmn": "bagaimana", "skrg": "sekarang", "bnyk": "banyak", "rmh": "rumah", "mhn": "mohon",
    "pake": "pakai", "sampe": "sampai", "malem": "malam", "dateng": "datang",
    # Regional words (Javanese, Minang) for common topic words.
    "dalan": "jalan", "dalane": "jalan", "bolong": "lubang", "bolongan": "lubang",
    "wis": "sudah", "indak": "tidak",
}
# Words that carry no topic; dropped from queries so long sentences match on their content.
STOP_WORDS = frozenset({
    "di", "yang", "dan", "ke", "dari", "ini", "itu", "sudah", "ada", "saya", "kami", "kita",
    "tidak", "sangat", "sekali", "banget", "depan", "dekat", "mohon", "tolong", "pak", "bu",
    "the", "is", "a", "an", "of", "in", "at", "my", "on", "please",
})
MIN_QUERY_CHARS = 3
_NON_WORD = re.compile(r"[^\w\s]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
_REPEAT_MARK = re.compile(r"^([a-z]{3,})2(an|nya)?$")  # "anak2", "mabuk2an": chat reduplication
# Words that end in "nya" without it being the possessive suffix.
_NYA_ROOTS = frozenset({"hanya", "punya", "tanya", "bertanya", "ditanya", "nyanya", "lainnya"})


def _word(word: str) -> str:
    """One word's canonical form: chat spelling expanded, reduplication and -nya removed."""
    if (repeated := _REPEAT_MARK.match(word)) is not None:
        word = repeated[1]
    if len(word) > 6 and word.endswith("nya") and word not in _NYA_ROOTS:
        word = word[:-3]  # "sampahnya" → "sampah", "jalannya" → "jalan"
    return _CHAT_WORDS.get(word, word)


def normalise(text: str) -> str:
    """Lower-case, drop punctuation, expand chat abbreviations, collapse spaces."""
    words = _SPACES.sub(" ", _NON_WORD.sub(" ", text.lower())).strip().split(" ")
    return " ".join(_word(w) for w in words if w)


def content_words(normalised: str) -> str:
    """The words that carry the topic (stop words dropped), or all of them if none do."""
    words = normalised.split(" ")
    return " ".join(w for w in words if w not in STOP_WORDS) or normalised


@dataclass(frozen=True, slots=True)
class Match:
    key: str
    score: float


class ChoiceMatcher:
    """Scores text against named choices; each choice may have several phrases."""

    def __init__(self, phrases: Iterable[tuple[str, str]]) -> None:
        self._keys: list[str] = []
        self._phrases: list[str] = []
        for key, phrase in phrases:
            # Phrases lose their stop words as queries do, or "pedagang di trotoar" could
            # never be wholly inside a sentence that also lost its "di".
            norm = content_words(normalise(phrase))
            if norm:
                self._keys.append(key)
                self._phrases.append(norm)
        self._exact = {p: k for k, p in zip(self._keys, self._phrases, strict=True)}

    def rank(self, text: str, limit: int = 3, cutoff: float = 70.0) -> list[Match]:
        """Best choices first, one entry per key, scores 0–100."""
        query = content_words(normalise(text))
        if len(query) < MIN_QUERY_CHARS:
            return []
        if query in self._exact:
            return [Match(self._exact[query], 100.0)]
        best: dict[str, tuple[float, int]] = {}
        hits = process.extract(
            # token_set_ratio: a sentence that contains a whole synonym scores 100, and short
            # words do not match inside longer ones (WRatio's partial matching did that).
            query, self._phrases, scorer=fuzz.token_set_ratio, processor=None,
            limit=None, score_cutoff=cutoff,
        )
        for phrase, score, index in hits:
            # Equal scores (a sentence containing two whole synonyms scores 100 for both) go
            # to the more specific synonym: the one with more words found in the text.
            key, strength = self._keys[index], (float(score), len(phrase.split(" ")))
            if strength > best.get(key, (0.0, 0)):
                best[key] = strength
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], -item[1][1]))
        return [Match(k, s) for k, (s, _) in ranked[:limit]]

    def pick(self, text: str, cutoff: float = 85.0, margin: float = 8.0) -> str | None:
        """The key when one choice clearly wins, else None."""
        ranked = self.rank(text, limit=2, cutoff=cutoff)
        if not ranked:
            return None
        if len(ranked) == 1 or ranked[0].score - ranked[1].score >= margin:
            return ranked[0].key
        return None


def category_matcher(categories: Sequence[Category]) -> ChoiceMatcher:
    """Matcher over category names (both languages) and directory synonyms."""
    return ChoiceMatcher(
        (c.code, phrase)
        for c in categories
        for phrase in (c.name_id, c.name_en, c.code.replace("_", " "), *c.synonyms)
    )


def opd_matcher(opds: Sequence[Opd]) -> ChoiceMatcher:
    """Matcher over agency slugs, names and aliases."""
    return ChoiceMatcher((o.slug, phrase) for o in opds for phrase in (o.name, o.slug, *o.aliases))
