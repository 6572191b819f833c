"""The single words of a matcher's phrases, weighted by how specific each is to a choice:
exact, through Indonesian stems, English words and one-letter typos (see
`core.matching.categories`)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from core.matching.words import STOP_WORDS, WEAK_WORDS, stems

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


class WordIndex:
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
        query = " ".join(self.as_phrases_spell(word) for word in query.split(" "))
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

    def has(self, word: str) -> bool:
        """Whether the word is a word of the phrases."""
        return word in self._phrases_with

    def as_phrases_spell(self, word: str) -> str:
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
            for key, value in self.weights_of(word).items():
                values, weighted, first = per_key.get(key, ([], 0.0, position))
                values.append(value)
                per_key[key] = (values, weighted + value * factor, first)
        return per_key

    def weights_of(self, word: str) -> dict[str, float]:
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


def places(normalised: str) -> frozenset[str]:
    """Words that say where rather than what: the content words right after "di", "dekat", …"""
    places, pending = set(), 0
    for word in normalised.split(" "):
        if word in _LOCATIVES:
            pending = PLACE_WORDS
        elif pending and word not in STOP_WORDS:
            places.add(word)
            pending -= 1
    return frozenset(places)


def keyword_score(values: list[float]) -> float:
    """Independent pieces of evidence combine like probabilities: two 0.6 words make 84."""
    return 100.0 * (1.0 - math.prod(1.0 - v for v in values))
