"""The hand-written analyser (core.matching.char_ngrams) reads every text exactly as
scikit-learn's `char_wb` analyser the n-gram model is fitted with: same n-grams, same order,
same repeats, on the labelled texts and on odd input."""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from core.matching.char_ngrams import char_wb_ngrams, known_counts
from core.matching.ngrams import NGRAMS
from core.matching.words import normalise_english

DATA = Path(__file__).resolve().parents[1] / "data"


@cache
def sklearn_analyser() -> Callable[[str], list[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS).build_analyzer()


def labelled_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(DATA.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            texts += [row["text"] for row in csv.DictReader(f)]
    return texts


def test_every_labelled_text_gives_scikit_learns_ngrams() -> None:
    texts = labelled_texts()
    assert len(texts) > 1000
    for text in texts:
        for read in (text, normalise_english(text)):  # as typed, and as the model reads it
            assert char_wb_ngrams(read) == sklearn_analyser()(read), read


@pytest.mark.parametrize("text", [
    "", " ", "     ", "\t", "\n\n", " \t\r\n\x0b\x0c ", "a", "ab", "abc", "abcd", "abcde",
    "a b c", "  a  ", "x\ty\nz", "jalan\u00a0rusak", "lampu\u3000mati", "air\u2028bocor",
    "sampah\x1cbau", "JALAN Rusak", "İstanbul", "STRAẞE", "Σίσυφος ΟΔΟΣ", "jalan 🚧🚧 rusak",
    "e\u0301 cafe\u0301", "ﬁx", "2", "12 34 567", "bolong2 gede!!!", "-", "a-b", "‐",
])
def test_odd_input_gives_scikit_learns_ngrams(text: str) -> None:
    assert char_wb_ngrams(text) == sklearn_analyser()(text)


def test_random_mixtures_of_letters_and_spaces_give_scikit_learns_ngrams() -> None:
    alphabet = "aAbİẞé\u0301 \t\n\u00a0\u2028\x1c\u3000🚧.-"
    draw = random.Random(19)
    for _ in range(2000):
        text = "".join(draw.choice(alphabet) for _ in range(draw.randrange(0, 14)))
        assert char_wb_ngrams(text) == sklearn_analyser()(text), repr(text)


def test_known_counts_counts_known_grams_in_first_seen_order() -> None:
    """The rows' order is the order the model's sums run in: it must stay the text's."""
    grams = char_wb_ngrams("jalan rusak, jalan berlubang di jalan", *NGRAMS)
    known = {gram: row for row, gram in enumerate(sorted(set(grams))[::3])}
    counts = known_counts(grams, known)
    expected: dict[int, int] = {}
    for gram in grams:
        if gram in known:
            expected[known[gram]] = expected.get(known[gram], 0) + 1
    assert list(counts.items()) == list(expected.items())
    assert None not in counts and max(counts.values()) >= 2
    assert known_counts(["xyz"], known) == {} and known_counts([], known) == {}
