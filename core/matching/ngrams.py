"""Character n-gram evidence for typed text: Complement Naive Bayes over TF-IDF weighted
character n-grams (2–5 letters inside word boundaries) of the directory's synonyms and example
texts, fitted with scikit-learn; a query is scored with numpy alone (a quarter of a
millisecond, where scikit-learn's own `transform` takes two).

Word-level matching knows the words the directory has, their stems and one-letter typos;
n-grams also meet words it has never seen that share most of their letters with ones it has:
Minang "lubangnyo", "batumpuak", "diangkuik", Malay "berlubang-lubang", slang "ancurr".
scikit-learn and numpy are matching libraries here, as rapidfuzz is.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from core.matching.words import normalise_english

NGRAMS = (2, 5)
SMOOTHING = 0.3  # ComplementNB's alpha, chosen on the tuning sets (bench/category_sets.py)


class _Fitted:
    """The fitted vocabulary, IDF weights and per-key log weights of the n-grams."""

    def __init__(self, docs: tuple[tuple[str, str], ...]) -> None:
        # Imported here: scikit-learn and numpy take a second or two to import, which a process
        # that never matches typed text (the CLI, most tests) should not pay at start-up, and a
        # server pays in the fitting thread (bot/bootstrap.py), not before it answers.
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.naive_bayes import ComplementNB

        texts = [normalise_english(text) for _, text in docs]
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True,
                                     dtype=np.float32)
        model = ComplementNB(alpha=SMOOTHING).fit(vectorizer.fit_transform(texts),
                                                  [key for key, _ in docs])
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
        model = self._model()
        if model is None:
            return {}
        counts = Counter(i for gram in model.analyse(normalise_english(text))
                         if (i := model.vocabulary.get(gram)) is not None)
        if not counts:
            return {}
        import numpy as np  # loaded by the fit above

        index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        weight = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts))))
        weight *= model.idf[index]
        weight /= np.linalg.norm(weight)
        scores = weight @ model.weights[index]
        scores = np.exp(scores - scores.max())
        scores /= scores.sum()
        return {key: float(p) for key, p in zip(model.keys, scores, strict=True)}
