"""Character n-gram evidence for typed text: Complement Naive Bayes over TF-IDF weighted
character n-grams (2–5 letters inside word boundaries) of the directory's synonyms and example
texts, fitted with scikit-learn; a query is scored with numpy alone (a quarter of a
millisecond, where scikit-learn's own `transform` takes two).

Word-level matching knows the words the directory has, their stems and one-letter typos;
n-grams also meet words it has never seen that share most of their letters with ones it has:
Minang "lubangnyo", "batumpuak", "diangkuik", Malay "berlubang-lubang", slang "ancurr".
scikit-learn and numpy are matching libraries here, as rapidfuzz is.

On the same n-grams a logistic regression tells texts about topics outside the city's
authority (keys starting with `TOPIC`) from the city's own matters, whichever topic it is: it
reads an outside matter by meaning where no topic phrase is said ("someone took over my
WhatsApp and asks my friends for money").
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from core.matching.words import normalise_english

NGRAMS = (2, 5)
SMOOTHING = 0.3  # ComplementNB's alpha, chosen on the tuning sets (bench/category_sets.py)
TOPIC = "!"  # key prefix of a topic outside the city's authority (as core.matching.categories)
OUTSIDE_C = 10.0  # the outside/inside regression's inverse regularisation


class _Fitted:
    """The fitted vocabulary, IDF weights and per-key log weights of the n-grams."""

    def __init__(self, docs: tuple[tuple[str, str], ...]) -> None:
        # Imported here: scikit-learn and numpy take a second or two to import, which a process
        # that never matches typed text (the CLI, most tests) should not pay at start-up, and a
        # server pays in the fitting thread (bot/bootstrap.py), not before it answers.
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.naive_bayes import ComplementNB

        texts = [normalise_english(text) for _, text in docs]
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True,
                                     dtype=np.float32)
        matrix = vectorizer.fit_transform(texts)
        model = ComplementNB(alpha=SMOOTHING).fit(matrix, [key for key, _ in docs])
        outside = [key.startswith(TOPIC) for key, _ in docs]
        self.outside: Any = None  # per n-gram weight towards "outside the city's authority"
        self.outside_bias = 0.0
        if any(outside) and not all(outside):
            regression = LogisticRegression(C=OUTSIDE_C, class_weight="balanced", max_iter=2000)
            regression.fit(matrix, outside)
            self.outside = regression.coef_[0].astype(np.float32)
            self.outside_bias = float(regression.intercept_[0])
        self.keys: list[str] = [str(k) for k in model.classes_]
        self.analyse: Callable[[str], list[str]] = vectorizer.build_analyzer()
        self.vocabulary: dict[str, int] = {str(g): int(i) for g, i in vectorizer.vocabulary_.items()}
        self.idf: Any = vectorizer.idf_.astype(np.float32)
        self.weights: Any = np.ascontiguousarray(model.feature_log_prob_.T, dtype=np.float32)


@lru_cache(maxsize=4)  # one per directory (and its learned examples) a process has in use
def _fit(docs: tuple[tuple[str, str], ...]) -> _Fitted:
    return _Fitted(docs)


class NgramModel:
    """Per-key probabilities of a text from its character n-grams; fitted on first use."""

    def __init__(self, docs: Iterable[tuple[str, str]]) -> None:
        """`docs`: (key, text) pairs, synonyms and examples alike."""
        self._docs = tuple(docs)
        self._fitted: _Fitted | None = None
        self._lock = threading.Lock()

    def prepare(self) -> None:
        """Fit now (about half a second for the sample city), not at the first query."""
        self._model()

    def _model(self) -> _Fitted | None:
        if self._fitted is None and len({key for key, _ in self._docs}) >= 2:
            with self._lock:
                if self._fitted is None:
                    self._fitted = _fit(self._docs)
        return self._fitted

    def probabilities(self, text: str) -> dict[str, float]:
        """Key -> probability (summing to 1); empty when no n-gram of the text is known."""
        return self.read(text)[0]

    def read(self, text: str) -> tuple[dict[str, float], float]:
        """`probabilities`, and the probability that the text is about a topic outside the
        city's authority (0 without topics or known n-grams)."""
        model = self._model()
        if model is None:
            return {}, 0.0
        counts = Counter(i for gram in model.analyse(normalise_english(text))
                         if (i := model.vocabulary.get(gram)) is not None)
        if not counts:
            return {}, 0.0
        import numpy as np  # loaded by the fit above

        index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        weight = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts))))
        weight *= model.idf[index]
        weight /= np.linalg.norm(weight)
        scores = weight @ model.weights[index]
        scores = np.exp(scores - scores.max())
        scores /= scores.sum()
        outside = 0.0
        if model.outside is not None:
            outside = 1.0 / (1.0 + math.exp(-(float(weight @ model.outside[index]) + model.outside_bias)))
        return {key: float(p) for key, p in zip(model.keys, scores, strict=True)}, outside
