"""The authority model stored with the package (core.matching.authority_cache): it is the fit
of the shipped corpus (a stale one fails here: run `python -m core.matching.authority_cache`),
and a file of another corpus, a damaged one or none at all makes the server fit it instead."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.matching import authority_cache
from core.matching.authority_model import FittedAuthority, fit_authority, read_corpus

SMALL = [("jalan berlubang besar di depan pasar", ""), ("lampu jalan mati dua minggu", ""),
         ("listrik rumah padam dari pagi", "pln"), ("token listrik tidak masuk", "pln"),
         ("motor saya dicuri di depan rumah", "polisi"), ("bpjs saya nonaktif", "bpjs")] * 3


def same(a: FittedAuthority, b: FittedAuthority) -> bool:
    return (a.chars == b.chars and a.words == b.words and a.topics == b.topics
            and a.bias == pytest.approx(b.bias, abs=1e-4)
            and all(np.allclose(getattr(a, name), getattr(b, name), atol=1e-4)
                    for name in ("char_idf", "word_idf", "char_coef", "word_coef",
                                 "char_topics", "word_topics")))


def test_the_stored_model_is_the_fit_of_the_shipped_corpus() -> None:
    stored = authority_cache.load()
    assert stored is not None, "stale or missing: python -m core.matching.authority_cache"
    fitted = fit_authority(read_corpus())
    assert fitted is not None and same(stored, fitted)
    text = "token listrik saya tidak masuk sejak kemarin"
    assert stored.read(text) == pytest.approx(fitted.read(text), abs=1e-4)


def test_a_stored_fit_reads_back_as_it_was_saved(tmp_path: Path) -> None:
    corpus = tmp_path / "texts.csv"
    corpus.write_text("text,topic\n" + "".join(f"{t},{k}\n" for t, k in SMALL), "utf-8")
    fitted = fit_authority(read_corpus(corpus))
    assert fitted is not None
    path = tmp_path / "model.npz"
    authority_cache.save(fitted, path, corpus)
    loaded = authority_cache.load(path, corpus)
    assert loaded is not None and loaded.consistent() and same(loaded, fitted)


def test_a_fit_of_another_corpus_is_not_used(tmp_path: Path) -> None:
    corpus = tmp_path / "texts.csv"
    corpus.write_text("text,topic\n" + "".join(f"{t},{k}\n" for t, k in SMALL), "utf-8")
    fitted = fit_authority(read_corpus(corpus))
    assert fitted is not None
    path = tmp_path / "model.npz"
    authority_cache.save(fitted, path, corpus)
    corpus.write_text(corpus.read_text("utf-8") + "got mampet air meluap,\n", "utf-8")
    assert authority_cache.load(path, corpus) is None


@pytest.mark.parametrize("content", [b"", b"not a zip file", b"PK\x03\x04broken"])
def test_a_damaged_or_missing_file_is_not_used(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "model.npz"
    assert authority_cache.load(path) is None
    path.write_bytes(content)
    assert authority_cache.load(path) is None
