"""Past reports as evidence for typed text: the directory's example texts, each filed under a
category, vote for the categories of the texts most like a new one (k nearest neighbours over
TF-IDF word vectors).

Synonyms know the words a category is named by; examples know the words residents actually
used ("halte atapnya bocor", "balita ditinggal seharian"). A city grows its examples from
reports its coordinator verified (`aduan export --format examples`).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable

from core.matching.words import STOP_WORDS, WEAK_WORDS, normalise_english, stems

NEIGHBOURS = 10  # examples that vote; a category's vote is the sum of their similarities
# A text with fewer describing words (not stop or weak words, not numbers) says too little
# for examples to speak for it: "terima kasih banyak" must not get three guesses.
MIN_DESCRIBING_WORDS = 4


def _words(text: str) -> list[str]:
    """Content words as the synonyms matcher reads them (chat spellings, English words)."""
    return [w for w in normalise_english(text).split(" ")
            if len(w) >= 2 and w not in STOP_WORDS and not w.isdigit()]


def _features(words: list[str]) -> frozenset[str]:
    """Each word as written and its shortest stem ("~tumpuk"), so affixed forms meet."""
    found: set[str] = set()
    for word in words:
        found.add(word)
        found.add("~" + min(stems(word), key=len))
    return frozenset(found)


def describing_words(text: str) -> int:
    """How many words of the text could name a problem (not stop or weak words, not numbers)."""
    return _describing(_words(text))


def _describing(words: list[str]) -> int:
    return sum(w not in WEAK_WORDS for w in words)


class ExampleIndex:
    """Inverted index of example texts with IDF-weighted, length-normalised vectors."""

    def __init__(self, examples: Iterable[tuple[str, str]]) -> None:
        """`examples`: (key, text) pairs."""
        self._keys: list[str] = []
        self._texts: list[str] = []
        vectors: list[frozenset[str]] = []
        for key, text in examples:
            if features := _features(_words(text)):
                self._keys.append(key)
                self._texts.append(text)
                vectors.append(features)
        frequency = Counter(f for features in vectors for f in features)
        total = len(vectors)
        self._idf = {f: math.log((total + 1) / (n + 0.5)) for f, n in frequency.items()}
        self._postings: dict[str, list[int]] = defaultdict(list)
        for index, features in enumerate(vectors):
            for feature in features:
                self._postings[feature].append(index)
        self._norms = [math.sqrt(sum(self._idf[f] ** 2 for f in features)) or 1.0
                       for features in vectors]

    def __len__(self) -> int:
        return len(self._keys)

    def nearest(self, text: str, key: str) -> str | None:
        """The example of `key` most like the text (sharing a describing feature), if any."""
        words = _words(text) if self._keys else []
        query = [f for f in _features(words) if f in self._idf]
        dot: dict[int, float] = defaultdict(float)
        for feature in query:
            for index in self._postings[feature]:
                if self._keys[index] == key:
                    dot[index] += self._idf[feature] ** 2
        if not dot:
            return None
        best = max(dot, key=lambda index: dot[index] / self._norms[index])
        return self._texts[best]

    def vote(self, text: str, min_describing: int = 0) -> list[str]:
        """Keys best first, by the summed cosine similarity of the text's nearest examples;
        none for a text with fewer than `min_describing` describing words."""
        votes = self.votes(text, min_describing)
        return sorted(votes, key=lambda key: votes[key], reverse=True)

    def votes(self, text: str, min_describing: int = 0) -> dict[str, float]:
        """Key -> summed cosine similarity of the text's nearest examples of that key (see
        `vote`)."""
        words = _words(text) if self._keys else []
        if not words or _describing(words) < min_describing:
            return {}
        query = [f for f in _features(words) if f in self._idf]
        query_norm = math.sqrt(sum(self._idf[f] ** 2 for f in query)) or 1.0
        dot: dict[int, float] = defaultdict(float)
        for feature in query:
            weight = self._idf[feature] ** 2
            for index in self._postings[feature]:
                dot[index] += weight
        nearest = heapq.nlargest(NEIGHBOURS, dot.items(),
                                 key=lambda item: item[1] / self._norms[item[0]])
        votes: dict[str, float] = defaultdict(float)
        for index, value in nearest:
            votes[self._keys[index]] += value / (self._norms[index] * query_norm)
        return dict(votes)
