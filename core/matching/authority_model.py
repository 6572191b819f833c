"""Is a text the city's matter at all? A logistic regression over TF-IDF character n-grams
(2–5 letters inside word boundaries) and words (one and two) of labelled residents' texts,
the city's matters against those of other institutions (PLN, BPJS, the police, …), whichever
institution (issue 21, generalisation round 7).

The topic rules (core.matching.categories.propose) find an outside matter by its words; this
model weighs the whole text, and learned from the near misses of the labelled sets that a
city matter naming the police or an SMA in passing ("polisi bilang ini bukan urusan mereka",
"got … anak SMA jatuh masuk") is still the city's. `propose` lets it veto a topic the rules
found when it reads the text as the city's (`VETO_BELOW`), and name one the rules missed when
it is sure (`CLAIM_FROM`, the topic then being the best-scored one).

Trained on `bot/data/authority_texts.csv` (the labelled sets of tests/data, built by
`python -m bench.authority_corpus`) as the n-gram model is: with scikit-learn, in the child
process of a server (core.matching.ngram_fit); a query is scored with numpy alone.
The thresholds and features were chosen by leaving each labelled set out in turn
(bench/RESULTS.md, round 7).
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.matching.char_ngrams import char_wb_ngrams

CORPUS = Path(__file__).resolve().parents[2] / "bot" / "data" / "authority_texts.csv"
VETO_BELOW = 0.2  # a topic the rules found stays only when the model gives it this much
CLAIM_FROM = 0.9  # the model alone names a topic from this probability on
CHAR_NGRAMS = (2, 5)
_C = 10.0  # the regression's inverse regularisation
WORD_MIN_DF = 2  # a word or pair in fewer texts is left out (54,000 fewer entries, same accuracy)
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


def word_ngrams(text: str) -> list[str]:
    """scikit-learn's word analyser for `ngram_range=(1, 2)`: lower-cased words of two or more
    word characters, then each pair of neighbours joined by a space."""
    words = _TOKEN.findall(text.lower())
    return [*words, *(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))]


@dataclass(frozen=True)
class FittedAuthority:
    """The fitted vocabularies, IDF weights and regression coefficients, as plain numbers."""

    chars: dict[str, int]  # character n-gram -> row of char_idf / char_coef
    words: dict[str, int]  # word or word pair -> row of word_idf / word_coef
    char_idf: Any  # float32 arrays
    word_idf: Any
    char_coef: Any
    word_coef: Any
    bias: float

    def consistent(self) -> bool:
        import numpy as np

        def sized(array: Any, rows: int) -> bool:
            return isinstance(array, np.ndarray) and array.shape == (rows,)

        return (sized(self.char_idf, len(self.chars)) and sized(self.char_coef, len(self.chars))
                and sized(self.word_idf, len(self.words)) and sized(self.word_coef, len(self.words))
                and isinstance(self.bias, float))

    def outside(self, text: str) -> float:
        """The probability that the text is another institution's matter, not the city's."""
        logit = self.bias
        for grams, vocabulary, idf, coef in (
                (char_wb_ngrams(text, *CHAR_NGRAMS), self.chars, self.char_idf, self.char_coef),
                (word_ngrams(text), self.words, self.word_idf, self.word_coef)):
            counts = Counter(i for gram in grams if (i := vocabulary.get(gram)) is not None)
            if counts:
                logit += _dot(counts, idf, coef)
        return 1.0 / (1.0 + math.exp(-logit))


def _dot(counts: Counter[int], idf: Any, coef: Any) -> float:
    """The coefficients' product with the text's L2-normalised sublinear TF-IDF vector."""
    import numpy as np

    index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    weight = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
    weight *= idf[index]
    return float(weight @ coef[index]) / float(np.linalg.norm(weight))


def read_corpus(path: Path = CORPUS) -> list[tuple[str, bool]]:
    """(text, outside) pairs of the labelled corpus; empty when the file is missing."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return [(row["text"], row["outside"] == "1") for row in csv.DictReader(f)]


def fit_authority(corpus: list[tuple[str, bool]]) -> FittedAuthority | None:
    """Fit with scikit-learn; None without texts of both kinds."""
    if len({outside for _, outside in corpus}) < 2:
        return None
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion

    texts, labels = [text for text, _ in corpus], [outside for _, outside in corpus]
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True,
                            min_df=2, dtype=np.float32)
    words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                            min_df=WORD_MIN_DF, dtype=np.float32)
    matrix = FeatureUnion([("chars", chars), ("words", words)]).fit_transform(texts)
    regression = LogisticRegression(C=_C, class_weight="balanced", max_iter=2000)
    regression.fit(matrix, labels)
    coef = np.ascontiguousarray(regression.coef_[0], dtype=np.float32)
    split = len(chars.vocabulary_)
    return FittedAuthority(
        chars={str(g): int(i) for g, i in chars.vocabulary_.items()},
        words={str(g): int(i) for g, i in words.vocabulary_.items()},
        char_idf=np.ascontiguousarray(chars.idf_, dtype=np.float32),
        word_idf=np.ascontiguousarray(words.idf_, dtype=np.float32),
        char_coef=np.ascontiguousarray(coef[:split]),
        word_coef=np.ascontiguousarray(coef[split:]),
        bias=float(regression.intercept_[0]))


def settle(outside: str | None, sure: float | None, topics: list[str], prefix: str) -> str | None:
    """The topic outside the city's authority after the model's say: `outside` as the topic
    rules found it (or None), `sure` the model's probability (None: no model), `topics` the
    topics' keys (starting with `prefix`) best-scored first. The model vetoes a found topic
    below VETO_BELOW and names the best topic itself from CLAIM_FROM on."""
    if sure is None:
        return outside
    if outside is not None:
        return outside if sure >= VETO_BELOW else None
    return topics[0].removeprefix(prefix) if sure >= CLAIM_FROM and topics else None
