"""The authority model (core.matching.authority_model): scored with numpy alone, it gives the
probability scikit-learn's own pipeline gives; the corpus is what bench.authority_corpus builds
from the labelled sets; and it vetoes a topic named in passing, claims one it is sure of, and
never speaks where a directory has no topics."""

from __future__ import annotations

import pytest

from bench.authority_corpus import rows
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

SMALL = [("jalan berlubang besar di depan pasar", ""), ("lampu jalan mati dua minggu", ""),
         ("sampah numpuk di gang", ""), ("listrik rumah padam dari pagi", "pln"),
         ("token listrik tidak masuk", "pln"), ("motor saya dicuri di depan rumah", "polisi"),
         ("got mampet air meluap", ""), ("bpjs saya nonaktif", "bpjs")]
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
    from sklearn.naive_bayes import ComplementNB
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
    pipeline.fit([t for t, _ in corpus], [bool(topic) for _, topic in corpus])
    which = make_pipeline(union, ComplementNB(alpha=0.3))
    outside = [(t, topic) for t, topic in corpus if topic]
    queries = [t for t, _ in SMALL] + ["listrik padam di gang", "jalan rusak dekat rumah"] + ODD
    expected = pipeline.predict_proba(queries)[:, 1]
    union.fit([t for t, _ in corpus])  # the topic model reads the same features
    which.steps[1][1].fit(union.transform([t for t, _ in outside]), [topic for _, topic in outside])
    named = which.steps[1][1].predict(union.transform(queries))
    for query, want, topic in zip(queries, expected, named, strict=True):
        sure, likeliest = fitted.read(query)
        assert sure == pytest.approx(float(want), abs=1e-4), query
        assert likeliest == topic, query
    assert fitted.topics == ["bpjs", "pln", "polisi"]


def test_one_kind_of_text_fits_nothing() -> None:
    assert fit_authority([(t, "") for t, _ in SMALL]) is None
    assert fit_authority([]) is None


def test_the_bundled_corpus_is_the_labelled_sets() -> None:
    labelled = [(text, topic) for text, topic, _ in rows(set())]
    assert read_corpus(CORPUS) == labelled  # rebuild: python -m bench.authority_corpus


def test_settle_vetoes_claims_and_stays_out_without_a_model() -> None:
    topics = ["!polisi", "!pln"]
    assert settle("polisi", None, topics, "!") == "polisi"  # no model: the rules stand
    assert settle(None, None, topics, "!") is None
    assert settle("polisi", (VETO_BELOW - 0.01, "!pln"), topics, "!") is None  # in passing
    assert settle("polisi", (VETO_BELOW, "!pln"), topics, "!") == "polisi"  # the rules' topic
    assert settle(None, (CLAIM_FROM, "!pln"), topics, "!") == "pln"  # sure: its own topic
    assert settle(None, (CLAIM_FROM, None), topics, "!") == "polisi"  # else the best-scored
    assert settle(None, (CLAIM_FROM - 0.01, "!pln"), topics, "!") is None
    assert settle(None, (1.0, "!pln"), [], "!") is None  # a clear city category: no claim


def test_a_topic_named_in_passing_stays_the_citys_and_a_plain_one_is_kept() -> None:
    d = load_directory_file(bundled_directory_path())
    matcher = category_matcher(d.categories, d.examples, d.out_of_authority)
    # the police are mentioned, the noise is the matter (the rules alone said police)
    noisy = ("bengkel las sebelah rumah kerja sampai tengah malam, suara gerinda bikin pusing, "
             "polisi bilang ini bukan urusan mereka")
    assert propose(matcher, noisy).outside is None
    assert propose(matcher, "motor saya dicuri tadi malam di depan rumah").outside == "polisi"
    assert propose(matcher, "token listrik rumah saya tidak bisa diisi dari kemarin").outside == "pln"
    # no topic phrase or concept pair: the model is sure, and names the operator itself
    credit = "pulsa saya tiba-tiba berkurang 30 ribu padahal tidak dipakai, katanya ada langganan konten"
    assert propose(matcher, credit).outside == "seluler"


def test_a_directory_without_topics_has_no_authority_model() -> None:
    d = load_directory_file(bundled_directory_path())
    matcher = category_matcher(d.categories, d.examples)
    assert matcher.ngrams.authority("listrik rumah padam") is None
    with_topics = category_matcher(d.categories, d.examples, d.out_of_authority)
    assert with_topics.ngrams.authority("token listrik saya tidak masuk padahal sudah bayar") == (
        pytest.approx(1.0, abs=0.2), "!pln")
    assert isinstance(category_matcher(d.categories, d.examples, d.out_of_authority).ngrams
                      ._model().authority, FittedAuthority)  # type: ignore[union-attr]
