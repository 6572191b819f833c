"""Character n-gram evidence for typed text: Complement Naive Bayes over TF-IDF weighted
character n-grams (2–5 letters inside word boundaries) of the directory's synonyms and example
texts, fitted with scikit-learn (core.matching.ngram_fit; a server fits in a child process,
bot/ngram_child.py); a query is scored with numpy alone (a quarter of a millisecond, where
scikit-learn's own `transform` takes two), its n-grams read by core.matching.char_ngrams.

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
from collections.abc import Callable, Iterable
from functools import lru_cache

from core.matching.char_ngrams import char_wb_ngrams, known_counts
from core.matching.ngram_fit import NGRAMS, TOPIC, Docs, FittedNgrams, fit_here
from core.matching.patience import holding
from core.matching.words import normalise_english

__all__ = ["NGRAMS", "TOPIC", "Fit", "FittedNgrams", "NgramModel", "fit_here"]

Fit = Callable[[Docs], FittedNgrams]  # fit_here, or bot.ngram_child.fit_in_child


@lru_cache(maxsize=4)  # one per directory (and its learned examples) a process has in use
def _fit(docs: Docs, fit: Fit) -> FittedNgrams:
    return fit(docs)


class NgramModel:
    """Per-key probabilities of a text from its character n-grams; fitted on first use."""

    def __init__(self, docs: Iterable[tuple[str, str]]) -> None:
        """`docs`: (key, text) pairs, synonyms and examples alike."""
        self._docs = tuple(docs)
        self._fittable = len({key for key, _ in self._docs}) >= 2  # a model needs two keys
        self._fitted: FittedNgrams | None = None
        self._fit: Fit = fit_here
        self._lock = threading.Lock()

    def fit_with(self, fit: Fit) -> None:
        """Fit by `fit` instead of in this process (a server: in a child process); before the
        model is first used."""
        self._fit = fit

    def prepare(self) -> None:
        """Fit now (about half a second for the sample city), not at the first query."""
        self._model()

    @property
    def ready(self) -> bool:
        """Fitted, or nothing to fit: using it neither fits nor waits."""
        return self._fitted is not None or not self._fittable

    @property
    def fitting(self) -> bool:
        """A fit is under way (in another thread, or this one)."""
        return self._fitted is None and self._lock.locked()

    def settle(self) -> None:
        """Wait for a fit under way to finish; start none."""
        if self.fitting:
            with self._lock:
                pass

    def _model(self) -> FittedNgrams | None:
        """The fitted model: fitted here by the first caller, waited for by the others (an
        impatient one is told `core.matching.patience.NotReady`)."""
        if self._fitted is None and self._fittable:
            with holding(self._lock):
                if self._fitted is None:
                    self._fitted = _fit(self._docs, self._fit)
        return self._fitted

    def probabilities(self, text: str) -> dict[str, float]:
        """Key -> probability (summing to 1); empty when no n-gram of the text is known."""
        return self.read(text)[0]

    def authority(self, text: str) -> tuple[float, str | None] | None:
        """The authority model's probability that the text is another institution's matter
        and the key of the topic it names, if a key of this model (core.matching.authority_model);
        None when there is no such model."""
        model = self._model()
        if model is None or model.authority is None:
            return None
        sure, likeliest = model.authority.read(text)
        return sure, TOPIC + likeliest if TOPIC + likeliest in model.keys else None

    def read(self, text: str) -> tuple[dict[str, float], float]:
        """`probabilities`, and the probability that the text is about a topic outside the
        city's authority (0 without topics or known n-grams)."""
        model = self._model()
        if model is None:
            return {}, 0.0
        counts = known_counts(char_wb_ngrams(normalise_english(text), *NGRAMS), model.vocabulary)
        if not counts:
            return {}, 0.0
        import numpy as np  # loaded with the fitted arrays

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
