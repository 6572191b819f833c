"""Fitting the character n-gram model (core.matching.ngrams) with scikit-learn, into plain
numbers that numpy alone scores: the vocabulary (a dict), IDF weights, Complement Naive Bayes's
per-key log weights, the outside/inside logistic regression's coefficients and bias, and, for
a directory with topics outside the city's authority, the labelled corpus's authority model
(core.matching.authority_model).

`python -m core.matching.ngram_fit` is the same fit in a child process (bot/ngram_child.py):
the pickled (key, text) pairs on stdin, the pickled fields of `FittedNgrams` (plain lists, a
dict, numpy arrays) on stdout. A server fits
there, so that scikit-learn and scipy (about 85 MiB, issue 19) never load into it.
"""

from __future__ import annotations

import pickle
import sys
from dataclasses import dataclass, fields
from functools import cache
from typing import Any

from core.matching.authority_model import FittedAuthority, fit_authority, read_corpus
from core.matching.words import normalise_english

NGRAMS = (2, 5)
SMOOTHING = 0.3  # ComplementNB's alpha, chosen on the tuning sets (bench/category_sets.py)
TOPIC = "!"  # key prefix of a topic outside the city's authority (as core.matching.categories)
OUTSIDE_C = 10.0  # the outside/inside regression's inverse regularisation

Docs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class FittedNgrams:
    """The fitted vocabulary, IDF weights and per-key log weights of the n-grams."""

    keys: list[str]
    vocabulary: dict[str, int]  # n-gram -> row of `idf`, `weights` and `outside`
    idf: Any  # float32, one per n-gram
    weights: Any  # float32, n-grams × keys: ComplementNB's feature log weights, transposed
    outside: Any  # float32 per n-gram towards "outside the city's authority"; None: no topics
    outside_bias: float
    authority: FittedAuthority | None = None  # core.matching.authority_model; None: no topics

    def plain(self) -> dict[str, Any]:
        """The fields by name, for the child's answer (`FittedNgrams(**plain)` in the parent)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def consistent(self) -> bool:
        """True when the parts fit together (a child's answer is checked before use)."""
        import numpy as np

        rows = len(self.vocabulary)
        return (isinstance(self.idf, np.ndarray) and self.idf.shape == (rows,)
                and isinstance(self.weights, np.ndarray)
                and self.weights.shape == (rows, len(self.keys))
                and (self.outside is None or (isinstance(self.outside, np.ndarray)
                                              and self.outside.shape == (rows,)))
                and all(isinstance(k, str) for k in self.keys)
                and sorted(self.vocabulary.values()) == list(range(rows))
                and (self.authority is None or (isinstance(self.authority, FittedAuthority)
                                                and self.authority.consistent())))


def fit_here(docs: Docs) -> FittedNgrams:
    """Fit in this process (what the CLI, tests and benchmarks do; a second or two of
    scikit-learn's import the first time)."""
    # Imported here: a process that never matches typed text should not pay for them.
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import ComplementNB

    texts = [normalise_english(text) for _, text in docs]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True,
                                 dtype=np.float32)
    matrix = vectorizer.fit_transform(texts)
    model = ComplementNB(alpha=SMOOTHING).fit(matrix, [key for key, _ in docs])
    outside_keys = [key.startswith(TOPIC) for key, _ in docs]
    outside, outside_bias, authority = None, 0.0, None
    if any(outside_keys) and not all(outside_keys):
        authority = _authority()
        regression = LogisticRegression(C=OUTSIDE_C, class_weight="balanced", max_iter=2000)
        regression.fit(matrix, outside_keys)
        outside = np.ascontiguousarray(regression.coef_[0], dtype=np.float32)
        outside_bias = float(regression.intercept_[0])
    return FittedNgrams(
        keys=[str(k) for k in model.classes_],
        vocabulary={str(g): int(i) for g, i in vectorizer.vocabulary_.items()},
        idf=np.ascontiguousarray(vectorizer.idf_, dtype=np.float32),
        weights=np.ascontiguousarray(model.feature_log_prob_.T, dtype=np.float32),
        outside=outside, outside_bias=outside_bias, authority=authority)


@cache  # the corpus is the same for every directory a process fits (tests fit many)
def _authority() -> FittedAuthority | None:
    """As stored with the package (core.matching.authority_cache), else fitted here."""
    from core.matching import authority_cache

    return authority_cache.load() or fit_authority(read_corpus())


def main() -> int:
    """The child's side: (key, text) pairs in, the fitted model out, both pickled."""
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # whatever a library prints must not corrupt the answer
    docs = pickle.load(sys.stdin.buffer)
    fitted = fit_here(tuple((str(key), str(text)) for key, text in docs))
    pickle.dump(fitted.plain(), out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
