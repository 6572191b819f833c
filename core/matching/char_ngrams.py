"""The character n-grams of a text exactly as the n-gram model was fitted on them:
scikit-learn's `TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5))` analyser (lower-cased,
then its `_char_wb_ngrams`), written out so that scoring (core.matching.ngrams) needs numpy
alone and a serving process never imports scikit-learn. tests/unit/test_char_ngrams.py holds
the two equal on every labelled text and on odd input."""

from __future__ import annotations

import re
from collections import Counter

_WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's own: a run of spaces reads as one


def char_wb_ngrams(text: str, shortest: int = 2, longest: int = 5) -> list[str]:
    """Each word's n-grams of `shortest`..`longest` characters, the word padded with one space
    on each side, in scikit-learn's order; a padded word no longer than n is one n-gram, once."""
    grams: list[str] = []
    append = grams.append
    for word in _WHITE_SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        size = len(padded)
        for n in range(shortest, longest + 1):
            if size <= n:
                append(padded)
                break
            for start in range(size - n + 1):
                append(padded[start:start + n])
    return grams


def known_counts(grams: list[str], vocabulary: dict[str, int]) -> Counter[int]:
    """How often each known n-gram occurs, by its row (a map and a Counter, both C loops:
    the generator with a lookup per n-gram was 2 % of the server's time, issue 19)."""
    counts: Counter[int | None] = Counter(map(vocabulary.get, grams))
    counts.pop(None, None)
    return counts  # type: ignore[return-value]  # None is gone
