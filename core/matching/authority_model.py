"""Is a text the city's matter at all? A logistic regression over TF-IDF character n-grams
(2–5 letters inside word boundaries) and words (one and two) of labelled residents' texts,
the city's matters against those of other institutions (PLN, BPJS, the police, …), whichever
institution (issue 21, generalisation round 7); and which institution it is, by Complement
Naive Bayes over the same features of the other institutions' texts (round 8).

The topic rules (core.matching.categories.propose) find an outside matter by its words; this
model weighs the whole text, and learned from the near misses of the labelled sets that a
city matter naming the police or an SMA in passing ("polisi bilang ini bukan urusan mereka",
"got … anak SMA jatuh masuk") is still the city's. `propose` lets it veto a topic the rules
found when it reads the text as the city's (`VETO_BELOW`), and name one the rules missed when
it is sure (`CLAIM_FROM`, the topic then being its own, else the best-scored or the n-grams'),
unless the synonyms name a city category clearly ("KTP saya hilang bersama dompet").

Trained on `bot/data/authority_texts.csv` (the labelled sets of tests/data, built by
`python -m bench.authority_corpus`) as the n-gram model is: with scikit-learn, in the child
process of a server (core.matching.ngram_fit); a query is scored with numpy alone.
The thresholds and features were chosen by leaving each labelled set out in turn
(bench/RESULTS.md, rounds 7 and 8).
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.matching.char_ngrams import char_wb_ngrams, known_counts

CORPUS = Path(__file__).resolve().parents[2] / "bot" / "data" / "authority_texts.csv"
# A topic the rules found stays only when the model gives it this much: in a message that
# tells more than one thing, a phrase of the topic may be said in passing ("kakaknya di SMA
# tidak ada pungutan"); in a short one (at most FOCUSED_WORDS words), or where two of the
# topic's concepts stand close together ("lampu" and "rumah"), it seldom is. The thresholds
# were chosen by leaving each of blind13-17 out (bench/RESULTS.md, round 9).
VETO_BELOW, FOCUSED_VETO_BELOW, FOCUSED_WORDS = 0.45, 0.2, 10
CLAIM_FROM = 0.75  # the model alone names a topic from this probability on
CHAR_NGRAMS = (2, 5)
_C = 10.0  # the regression's inverse regularisation
TOPIC_SMOOTHING = 0.3  # which institution: ComplementNB's alpha, as the n-gram model's
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

    chars: dict[str, int]  # character n-gram -> row of char_idf / char_coef / char_topics
    words: dict[str, int]  # word or word pair -> row of word_idf / word_coef / word_topics
    char_idf: Any  # float32 arrays
    word_idf: Any
    char_coef: Any  # outside or not
    word_coef: Any
    bias: float
    topics: list[str]  # the institutions' topic codes (at least one), columns of the matrices below
    char_topics: Any  # float32, n-grams × topics: which institution, for an outside text
    word_topics: Any

    def consistent(self) -> bool:
        import numpy as np

        def sized(array: Any, *shape: int) -> bool:
            return isinstance(array, np.ndarray) and array.shape == shape

        chars, words, topics = len(self.chars), len(self.words), len(self.topics)
        return (sized(self.char_idf, chars) and sized(self.char_coef, chars)
                and sized(self.word_idf, words) and sized(self.word_coef, words)
                and isinstance(self.bias, float) and topics > 0
                and all(isinstance(t, str) for t in self.topics)
                and sized(self.char_topics, chars, topics) and sized(self.word_topics, words, topics))

    def read(self, text: str) -> tuple[float, str]:
        """The probability that the text is another institution's matter, not the city's, and
        which institution's (a topic code) it most likely is."""
        import numpy as np

        logit, scores = self.bias, np.zeros(len(self.topics), dtype=np.float32)
        for grams, vocabulary, idf, coef, topic_coef in (
                (char_wb_ngrams(text, *CHAR_NGRAMS), self.chars, self.char_idf, self.char_coef,
                 self.char_topics),
                (word_ngrams(text), self.words, self.word_idf, self.word_coef, self.word_topics)):
            counts = known_counts(grams, vocabulary)
            if counts:
                index, weight = _tf_idf(counts, idf)
                logit += float(weight @ coef[index])
                scores += weight @ topic_coef[index]
        return 1.0 / (1.0 + math.exp(-logit)), self.topics[int(scores.argmax())]


def _tf_idf(counts: Counter[int], idf: Any) -> tuple[Any, Any]:
    """The rows and the L2-normalised sublinear TF-IDF weights of a text's known n-grams."""
    import numpy as np

    index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    weight = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
    weight *= idf[index]
    return index, weight / np.linalg.norm(weight)


def read_corpus(path: Path = CORPUS) -> list[tuple[str, str]]:
    """(text, topic) pairs of the labelled corpus, the topic code of the institution whose
    matter it is or "" for the city's; empty when the file is missing."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return [(row["text"], row["topic"]) for row in csv.DictReader(f)]


def fit_authority(corpus: list[tuple[str, str]]) -> FittedAuthority | None:
    """Fit with scikit-learn; None without texts of both kinds."""
    if len({bool(topic) for _, topic in corpus}) < 2:
        return None
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import ComplementNB
    from sklearn.pipeline import FeatureUnion

    texts, labels = [text for text, _ in corpus], [bool(topic) for _, topic in corpus]
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True,
                            min_df=2, dtype=np.float32)
    words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                            min_df=WORD_MIN_DF, dtype=np.float32)
    matrix = FeatureUnion([("chars", chars), ("words", words)]).fit_transform(texts)
    regression = LogisticRegression(C=_C, class_weight="balanced", max_iter=2000)
    regression.fit(matrix, labels)
    coef = np.ascontiguousarray(regression.coef_[0], dtype=np.float32)
    outside = [i for i, label in enumerate(labels) if label]
    names = sorted({topic for _, topic in corpus if topic})
    topic_coef = np.zeros((matrix.shape[1], len(names)), dtype=np.float32)  # one: always it
    if len(names) >= 2:  # which institution: Complement Naive Bayes over the outside texts
        which = ComplementNB(alpha=TOPIC_SMOOTHING)
        which.fit(matrix[outside], [corpus[i][1] for i in outside])
        assert list(which.classes_) == names
        topic_coef = np.ascontiguousarray(which.feature_log_prob_.T, dtype=np.float32)
    split = len(chars.vocabulary_)
    return FittedAuthority(
        chars={str(g): int(i) for g, i in chars.vocabulary_.items()},
        words={str(g): int(i) for g, i in words.vocabulary_.items()},
        char_idf=np.ascontiguousarray(chars.idf_, dtype=np.float32),
        word_idf=np.ascontiguousarray(words.idf_, dtype=np.float32),
        char_coef=np.ascontiguousarray(coef[:split]),
        word_coef=np.ascontiguousarray(coef[split:]),
        bias=float(regression.intercept_[0]),
        topics=names,
        char_topics=np.ascontiguousarray(topic_coef[:split]),
        word_topics=np.ascontiguousarray(topic_coef[split:]))


def settle(outside: str | None, said: tuple[float, str | None] | None, topics: list[str],
           prefix: str, ruled_out: Callable[[str], bool] = lambda key: False,
           focused: bool = False) -> str | None:
    """The topic outside the city's authority after the model's say: `outside` as the topic
    rules found it (or None); `said` the model's probability that the text is outside and the
    topic key it names (None: no model); `topics` the keys (starting with `prefix`) the text
    may be about, best first (empty: the model may not name one). The model vetoes a found
    topic below VETO_BELOW (FOCUSED_VETO_BELOW in a short text or one where two of the topic's
    concepts were found, `focused`) and, from CLAIM_FROM on, names a topic itself: its own, else the
    first of `topics`; not when that first one is `ruled_out` by the text ("sinyal lampu merah"
    is a traffic light: the likeliest topic, mobile signal, is ruled out, so none is claimed)."""
    if said is None:
        return outside
    sure, likeliest = said
    if outside is not None:
        return outside if sure >= (FOCUSED_VETO_BELOW if focused else VETO_BELOW) else None
    if sure < CLAIM_FROM or not topics or ruled_out(topics[0]):
        return None
    return (likeliest or topics[0]).removeprefix(prefix)
