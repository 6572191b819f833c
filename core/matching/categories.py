"""Free text to a choice: normalisation plus rapidfuzz scoring against labels and synonyms.

Every matcher scores the whole query against each phrase (`token_set_ratio`: a sentence that
contains a whole phrase scores 100). A matcher with `keywords` (categories) also scores the
query's single words against the single words of its phrases: exactly, through Indonesian
stems ("menyumbat" for "tersumbat"), English words ("garbage" for "sampah") and one-letter typos
("smpah"), each word counting as much as it is specific to a choice. A choice gets the better of
the two scores, so whole-phrase matches still win; ties go to the choice more words point to.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from core.directory.model import Category, Example, Opd
from core.matching.examples import MIN_DESCRIBING_WORDS, ExampleIndex
from core.matching.words import (
    MIN_QUERY_CHARS,
    STOP_WORDS,
    WEAK_WORDS,
    content_words,
    normalise,
    normalise_english,
    stems,
)

_Weights = dict[str, dict[str, float]]  # word -> key -> weight (0–1)
_Evidence = tuple[list[float], float, int]  # values, tie-break sum, position of the first word
IN_PHRASE = 0.55  # a word of a multi-word phrase is weaker evidence than a one-word phrase
IN_PHRASE_MAX = 0.8  # "pohon" in six tree phrases: clear evidence, but not a one-word synonym
FUZZY_MIN_CHARS = 4  # shorter words only match exactly: "bus" must not find "bis"
# fuzz.ratio >= 88: one letter missing or extra ("smpah", "lmpu", "drainse"); a wrong letter
# only in words of 9+ letters, so real neighbours like "tambang"/"tumbang" (86) stay apart.
FUZZY_CUTOFF = 88.0
SWAP_SIMILARITY = 0.9  # as good as a one-letter typo
# Between equal scores, a whole phrase of two or more words found in the text ("kios liar",
# "pasar tradisional") is worth half a word more than its words alone: it is more specific
# than another choice's single word ("kios").
WHOLE_PHRASE_BONUS = 0.5
# "hidran di pasar": between equal scores, the words naming where the problem is count less
# than the problem itself.
PLACE_FACTOR = 0.5
PLACE_WORDS = 2  # "di simpang pasar"
_LOCATIVES = frozenset({"di", "ke", "dekat", "depan", "samping", "belakang", "pinggir", "sebelah",
                        "seberang", "sekitar", "dalam", "luar", "sepanjang", "seputar", "kawasan",
                        "lokasi", "in", "at", "near", "outside", "around", "along", "beside",
                        "behind", "opposite"})


class _WordIndex:
    """The single words of a matcher's phrases, each weighted per key by how specific it is to
    that key, and which phrases each word is in."""

    def __init__(self, keys: Sequence[str], phrases: Sequence[str]) -> None:
        self._phrases = phrases
        self._phrases_with: dict[str, list[int]] = defaultdict(list)
        mass: _Weights = defaultdict(lambda: defaultdict(float))  # occurrences, for the share
        strength: _Weights = defaultdict(lambda: defaultdict(float))
        for index, (key, phrase) in enumerate(zip(keys, phrases, strict=True)):
            words = phrase.split(" ")
            value = 1.0 if len(words) == 1 else IN_PHRASE
            for word in set(words):
                self._phrases_with[word].append(index)
                if len(word) >= 2 and word not in WEAK_WORDS and not word.isdigit():
                    mass[word][key] += value
                    strength[word][key] = _strengthen(strength[word][key], value)
        self._words = _weigh(mass, strength)
        self._stems = _weigh(*_pool_by_stem(mass, strength))
        # Fuzzy candidates by first letter: typos rarely hit it, and words that differ only
        # there ("akar"/"bakar") are different words.
        self._by_letter: dict[str, list[str]] = defaultdict(list)
        for word in self._words:
            if len(word) >= FUZZY_MIN_CHARS and word.isalpha():
                self._by_letter[word[0]].append(word)

    def phrase_hits(self, query: str, cutoff: float) -> Iterator[tuple[str, float, int]]:
        """(phrase, token_set_ratio, index) as `process.extract` yields them, but only for the
        phrases that share a word with the query (typos are the single words' business; this
        keeps `rank` fast). Affixed words count as the phrases spell them. A query that is part
        of a phrase scores 100 ("air" offers every choice with a phrase about water) unless
        its words are all weak: "rumah" is not "rumah sakit"."""
        query = " ".join(self._as_phrases_spell(word) for word in query.split(" "))
        words = set(query.split(" "))
        weak = words <= WEAK_WORDS
        for index in sorted({i for word in words for i in self._phrases_with.get(word, ())}):
            phrase = self._phrases[index]
            phrase_words = set(phrase.split(" "))
            if not weak and words & phrase_words <= WEAK_WORDS and not phrase_words <= words:
                continue  # "ular masuk rumah" shares only weak words with "air masuk rumah"
            partial = weak and words < phrase_words
            scorer = fuzz.token_sort_ratio if partial else fuzz.token_set_ratio
            if score := scorer(query, phrase, processor=None, score_cutoff=cutoff):
                yield phrase, score, index

    def _as_phrases_spell(self, word: str) -> str:
        """The word, or its stem if that is a word of the phrases ("dimintai": "minta uang")."""
        if word in self._phrases_with:
            return word
        return next((s for s in stems(word) if s in self._phrases_with), word)

    def evidence(self, query_words: Sequence[str], places: frozenset[str]) -> dict[str, _Evidence]:
        """Per key: one evidence value (0–1) for each query word that points to it, their sum
        with words in `places` counting half (for ties), and the first such word's position.
        A word counts as itself if the phrases have it, else through its stems, else through
        the words one typo away. A word found as is looks no further: "pemadam" (fire
        fighter) is not "padam" (gone out)."""
        per_key: dict[str, _Evidence] = {}
        for position, word in enumerate(query_words):
            if word in query_words[:position]:
                continue  # a word said twice is no more evidence
            factor = PLACE_FACTOR if word in places else 1.0
            for key, value in self._weights_of(word).items():
                values, weighted, first = per_key.get(key, ([], 0.0, position))
                values.append(value)
                per_key[key] = (values, weighted + value * factor, first)
        return per_key

    def _weights_of(self, word: str) -> dict[str, float]:
        """Weight per key of what the word matches (see `evidence`)."""
        if word in self._words:
            return self._words[word]
        roots = [(self._stems[s], 1.0) for s in stems(word) if s in self._stems and s not in WEAK_WORDS]
        if roots or len(word) < FUZZY_MIN_CHARS or not word.isalpha():
            return _best(roots)
        candidates = self._by_letter.get(word[0], [])
        hits = process.extract(word, candidates, scorer=fuzz.ratio, processor=None, limit=None,
                               score_cutoff=FUZZY_CUTOFF)
        # Two neighbouring letters swapped ("bailho", "ulra"): one edit for a typist, two for
        # fuzz.ratio. Same length, one OSA edit and not a substitution ("tumbang"/"tambang").
        swaps = process.extract(word, candidates, scorer=OSA.distance, processor=None, limit=None,
                                score_cutoff=1)
        similar = [(hit, score / 100) for hit, score, _ in hits]
        similar += [(hit, SWAP_SIMILARITY) for hit, distance, _ in swaps
                    if distance == 1 and len(hit) == len(word) and _swapped(word, hit)]
        return _best((self._words[hit], similarity) for hit, similarity in similar)


def _swapped(a: str, b: str) -> bool:
    """Whether b is a with two neighbouring letters swapped (same length assumed)."""
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]


def _strengthen(strength: float, value: float) -> float:
    """A word's strength for a key after one more phrase of it: a one-word phrase is full
    strength; words of longer phrases add up like probabilities, to at most IN_PHRASE_MAX."""
    if value >= 1.0:
        return 1.0
    return max(strength, min(IN_PHRASE_MAX, 1.0 - (1.0 - strength) * (1.0 - value)))


def _pool_by_stem(mass: _Weights, strength: _Weights) -> tuple[_Weights, _Weights]:
    """The same counts per stem: "tumpukan" and "menumpuk" both count for "tumpuk"."""
    stem_mass: _Weights = defaultdict(lambda: defaultdict(float))
    stem_strength: _Weights = defaultdict(lambda: defaultdict(float))
    for word, per_key in mass.items():
        for root in (s for s in stems(word) if s not in WEAK_WORDS):
            for key, value in per_key.items():
                stem_mass[root][key] += value
                stem_strength[root][key] = max(stem_strength[root][key], strength[word][key])
    return stem_mass, stem_strength


def _weigh(mass: _Weights, strength: _Weights) -> _Weights:
    """Per word and key: the word's strength for the key times the square root of the key's
    share of the word's occurrences (IDF-like: "jalan" occurs under many keys, counts less)."""
    weights: _Weights = {}
    for word, per_key in mass.items():
        total = sum(per_key.values())
        weights[word] = {key: strength[word][key] * math.sqrt(m / total) for key, m in per_key.items()}
    return weights


def _best(matches: Iterable[tuple[dict[str, float], float]]) -> dict[str, float]:
    """The highest weight per key over several matched words, each times its similarity."""
    best: dict[str, float] = {}
    for weights, similarity in matches:
        for key, weight in weights.items():
            best[key] = max(best.get(key, 0.0), weight * similarity)
    return best


def _places(normalised: str) -> frozenset[str]:
    """Words that say where rather than what: the content words right after "di", "dekat", …"""
    places, pending = set(), 0
    for word in normalised.split(" "):
        if word in _LOCATIVES:
            pending = PLACE_WORDS
        elif pending and word not in STOP_WORDS:
            places.add(word)
            pending -= 1
    return frozenset(places)


def _keyword_score(values: list[float]) -> float:
    """Independent pieces of evidence combine like probabilities: two 0.6 words make 84."""
    return 100.0 * (1.0 - math.prod(1.0 - v for v in values))


@dataclass(frozen=True, slots=True)
class Match:
    key: str
    score: float


class ChoiceMatcher:
    """Scores text against named choices; each choice may have several phrases."""

    def __init__(self, phrases: Iterable[tuple[str, str]], *, keywords: bool = False,
                 examples: Iterable[tuple[str, str]] = ()) -> None:
        """`keywords`: also score the query's single words (typos, stems, English words), for
        free text such as a resident naming a problem, not for picking from a short menu.
        `examples`: (key, text) pairs of past texts, for `propose` (see core.examples)."""
        self._english = keywords
        self.examples = ExampleIndex(examples)
        self._keys: list[str] = []
        self._phrases: list[str] = []
        for key, phrase in phrases:
            # Phrases lose their stop words as queries do, or "pedagang di trotoar" could
            # never be wholly inside a sentence that also lost its "di".
            norm = content_words(self._normalise(phrase))
            if norm:
                self._keys.append(key)
                self._phrases.append(norm)
        self._exact = {p: k for k, p in zip(self._keys, self._phrases, strict=True)}
        self._index = _WordIndex(self._keys, self._phrases) if keywords else None

    def _normalise(self, text: str) -> str:
        return normalise_english(text) if self._english else normalise(text)

    def rank(self, text: str, limit: int = 3, cutoff: float = 70.0) -> list[Match]:
        """Best choices first, one entry per key, scores 0–100."""
        normalised = self._normalise(text)
        query = content_words(normalised)
        if len(query) < MIN_QUERY_CHARS:
            return []
        if query in self._exact:
            return [Match(self._exact[query], 100.0)]
        # Per key: (score, evidence of single words, words of the best phrase, -position of the
        # first word pointing to it). Equal scores go to the key more words point to, then to
        # the longer phrase, then to the key named first (the topic tends to come first).
        words = query.split(" ")
        tally = {key: (score, 0.0, length, -len(words))
                 for key, (score, length) in self._phrase_scores(query, cutoff).items()}
        if self._index is not None:
            for key, (values, weighted, first) in self._index.evidence(words, _places(normalised)).items():
                score, _, length, _ = tally.get(key, (0.0, 0.0, 0, 0))
                if score >= 100.0 and length >= 2:
                    weighted += WHOLE_PHRASE_BONUS
                score = max(score, _keyword_score(values))
                if score >= cutoff:
                    tally[key] = (score, weighted, length, -first)
        ranked = sorted(tally.items(), key=lambda item: item[1], reverse=True)
        return [Match(key, round(score, 1)) for key, (score, *_) in ranked[:limit]]

    def _phrase_scores(self, query: str, cutoff: float) -> dict[str, tuple[float, int]]:
        """Per key: its best phrase score, and how many words that phrase has."""
        best: dict[str, tuple[float, int]] = {}
        hits = process.extract(
            # token_set_ratio: a sentence that contains a whole synonym scores 100, and short
            # words do not match inside longer ones (WRatio's partial matching did that).
            query, self._phrases, scorer=fuzz.token_set_ratio, processor=None,
            limit=None, score_cutoff=cutoff,
        ) if self._index is None else self._index.phrase_hits(query, cutoff)
        for phrase, score, index in hits:
            # Equal scores (a sentence containing two whole synonyms scores 100 for both) go
            # to the more specific synonym: the one with more words found in the text.
            key, strength = self._keys[index], (float(score), len(phrase.split(" ")))
            if strength > best.get(key, (0.0, 0)):
                best[key] = strength
        return best

    def pick(self, text: str, cutoff: float = 85.0, margin: float = 8.0) -> str | None:
        """The key when one choice clearly wins, else None."""
        ranked = self.rank(text, limit=2, cutoff=cutoff)
        if not ranked:
            return None
        if len(ranked) == 1 or ranked[0].score - ranked[1].score >= margin:
            return ranked[0].key
        return None


# What the CATEGORY step offers for typed text: one clear winner, else the closest three.
PICK_CUTOFF, PICK_MARGIN = 75.0, 12.0
RANK_LIMIT, RANK_CUTOFF = 3, 70.0


@dataclass(frozen=True, slots=True)
class Proposal:
    clear: str | None  # the one choice that clearly wins, if any
    ranked: list[str]  # the closest choices, best first

    @property
    def offered(self) -> list[str]:
        """What the citizen is shown: the clear winner alone, else the ranked few."""
        return [self.clear] if self.clear else self.ranked


def propose(matcher: ChoiceMatcher, text: str) -> Proposal:
    """The choices to offer for typed text (the intake's CATEGORY step). The synonyms rank
    first; when they find fewer than three choices, the directory's examples most like the text
    fill the rest (or all three, for a text that describes a problem in words no synonym has).
    The synonyms' clear winner stands alone only if the examples agree with it."""
    ranked = [m.key for m in matcher.rank(text, limit=RANK_LIMIT, cutoff=RANK_CUTOFF)]
    votes = matcher.examples.vote(text, min_describing=0 if ranked else MIN_DESCRIBING_WORDS)
    clear = matcher.pick(text, cutoff=PICK_CUTOFF, margin=PICK_MARGIN)
    if clear is not None and votes and votes[0] != clear:
        clear = None  # "halte bocor": halte names transport, past reports say public facilities
    ranked += [key for key in votes if key not in ranked]
    return Proposal(clear, ranked[:RANK_LIMIT])


def category_matcher(categories: Sequence[Category], examples: Sequence[Example] = ()) -> ChoiceMatcher:
    """Matcher over category names (both languages) and directory synonyms, scoring single
    words too: residents describe a problem in their own words; and over example texts."""
    return ChoiceMatcher(
        ((c.code, phrase)
         for c in categories
         for phrase in (c.name_id, c.name_en, c.code.replace("_", " "), *c.synonyms)),
        keywords=True,
        examples=((e.category, e.text) for e in examples),
    )


def opd_matcher(opds: Sequence[Opd]) -> ChoiceMatcher:
    """Matcher over agency slugs, names and aliases."""
    return ChoiceMatcher((o.slug, phrase) for o in opds for phrase in (o.name, o.slug, *o.aliases))
