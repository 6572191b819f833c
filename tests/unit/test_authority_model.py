"""The authority model (core.matching.authority_model): scored with numpy alone, it gives the
probability scikit-learn's own pipeline gives; the corpus is what bench.authority_corpus builds
from the labelled sets; and it vetoes a topic named in passing, claims one it is sure of, and
never speaks where a directory has no topics."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from core.directory.loader import bundled_directory_path, load_directory_file
from core.matching.authority_model import (
    CLAIM_FROM,
    CORPUS,
    VETO_BELOW,
    FittedAuthority,
    fit_authority,
    read_corpus,
    settle,
    word_ngrams,
)
from core.matching.categories import category_matcher, propose

DATA = Path(__file__).resolve().parents[1] / "data"
SMALL = [("jalan berlubang besar di depan pasar", False), ("lampu jalan mati dua minggu", False),
         ("sampah numpuk di gang", False), ("listrik rumah padam dari pagi", True),
         ("token listrik tidak masuk", True), ("motor saya dicuri di depan rumah", True),
         ("got mampet air meluap", False), ("bpjs saya nonaktif", True)]
ODD = ["", "   ", "a", "Jl. A. Yani No.5 RT 03/RW 02", "BPJS!!! nonaktif??", "ÉCOLE école",
       "emoji 🚧 jalan", "tab\tnew\nline", "x y", "dua  spasi", "İstanbul ẞ", "under_score 12ab"]


def test_word_ngrams_are_scikit_learns() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    analyse = TfidfVectorizer(analyzer="word", ngram_range=(1, 2)).build_analyzer()
    texts = [text for text, _ in read_corpus()][:1500] + ODD
    for text in texts:
        assert sorted(word_ngrams(text)) == sorted(analyse(text)), text


def test_numpy_scoring_equals_scikit_learns_pipeline() -> None:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline

    corpus = SMALL * 3  # char n-grams need min_df=2
    fitted = fit_authority(corpus)
    assert fitted is not None and fitted.consistent()
    union = FeatureUnion([
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                  min_df=2, dtype=np.float32)),
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                  min_df=2, dtype=np.float32))])
    pipeline = make_pipeline(union, LogisticRegression(C=10.0, class_weight="balanced",
                                                       max_iter=2000))
    pipeline.fit([t for t, _ in corpus], [o for _, o in corpus])
    queries = [t for t, _ in SMALL] + ["listrik padam di gang", "jalan rusak dekat rumah"] + ODD
    expected = pipeline.predict_proba(queries)[:, 1]
    for query, want in zip(queries, expected, strict=True):
        assert fitted.outside(query) == pytest.approx(float(want), abs=1e-4), query


def test_one_kind_of_text_fits_nothing() -> None:
    assert fit_authority([(t, False) for t, _ in SMALL]) is None
    assert fit_authority([]) is None


def test_the_bundled_corpus_is_the_labelled_sets() -> None:
    labelled: dict[str, bool] = {}
    for path in sorted(DATA.glob("category_texts*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                outside = row["category"].startswith("out:") or bool(row.get("authority"))
                labelled.setdefault(row["text"], outside)
    assert dict(read_corpus(CORPUS)) == labelled  # rebuild: python -m bench.authority_corpus


def test_settle_vetoes_claims_and_stays_out_without_a_model() -> None:
    topics = ["!polisi", "!pln"]
    assert settle("polisi", None, topics, "!") == "polisi"  # no model: the rules stand
    assert settle(None, None, topics, "!") is None
    assert settle("polisi", VETO_BELOW - 0.01, topics, "!") is None  # named in passing
    assert settle("polisi", VETO_BELOW, topics, "!") == "polisi"
    assert settle(None, CLAIM_FROM, topics, "!") == "polisi"  # sure: the best-scored topic
    assert settle(None, CLAIM_FROM - 0.01, topics, "!") is None
    assert settle(None, 1.0, [], "!") is None  # nothing to name


def test_a_topic_named_in_passing_stays_the_citys_and_a_plain_one_is_kept() -> None:
    d = load_directory_file(bundled_directory_path())
    matcher = category_matcher(d.categories, d.examples, d.out_of_authority)
    # the police are mentioned, the noise is the matter (the rules alone said police)
    noisy = ("bengkel las sebelah rumah kerja sampai tengah malam, suara gerinda bikin pusing, "
             "polisi bilang ini bukan urusan mereka")
    assert propose(matcher, noisy).outside is None
    assert propose(matcher, "motor saya dicuri tadi malam di depan rumah").outside == "polisi"
    assert propose(matcher, "token listrik rumah saya tidak bisa diisi dari kemarin").outside == "pln"


def test_a_directory_without_topics_has_no_authority_model() -> None:
    d = load_directory_file(bundled_directory_path())
    matcher = category_matcher(d.categories, d.examples)
    assert matcher.ngrams.authority("listrik rumah padam") is None
    assert isinstance(category_matcher(d.categories, d.examples, d.out_of_authority).ngrams
                      ._model().authority, FittedAuthority)  # type: ignore[union-attr]
