"""The server fits the category n-gram model in a child process (bot/ngram_child.py), so that
scikit-learn never loads into it: the child's model is the in-process fit's, to the bit, and a
child that fails leaves an error in the log and a model fitted here, never broken matching."""

from __future__ import annotations

import csv
import logging
import sys
from functools import cache, partial
from pathlib import Path

import numpy as np
import pytest

from bot.ngram_child import fit_in_child
from core.directory.loader import bundled_directory_path, load_directory_file
from core.matching.categories import ChoiceMatcher, category_matcher
from core.matching.ngram_fit import FittedNgrams, fit_here

DATA = Path(__file__).resolve().parents[1] / "data"
SMALL = (("jalan_rusak", "jalan berlubang besar"), ("lampu_jalan", "lampu jalan mati"),
         ("!pln", "listrik rumah padam"))
PY = sys.executable


def _city_matcher() -> ChoiceMatcher:
    d = load_directory_file(bundled_directory_path())
    return category_matcher(d.categories, d.examples, d.out_of_authority)


@cache
def _texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(DATA.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            texts += [row["text"] for row in csv.DictReader(f)]
    return texts


def assert_same_model(a: FittedNgrams, b: FittedNgrams) -> None:
    assert a.keys == b.keys and a.vocabulary == b.vocabulary
    assert a.outside_bias == b.outside_bias
    for name in ("idf", "weights", "outside"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


def test_the_child_fit_gives_the_in_process_fits_probabilities_on_every_labelled_text() -> None:
    here, child = _city_matcher(), _city_matcher()
    child.ngrams.fit_with(fit_in_child)
    for text in _texts():
        assert child.ngrams.read(text) == here.ngrams.read(text), text


def test_the_child_answers_plain_numbers_equal_to_the_in_process_fit() -> None:
    fitted = fit_in_child(SMALL)
    assert_same_model(fitted, fit_here(SMALL))
    assert fitted.outside is not None and fitted.weights.dtype == np.float32


@pytest.mark.parametrize(("command", "why"), [
    ([PY, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"], "exit status -9"),
    ([PY, "-c", "import runpy, sys; sys.modules['sklearn'] = None; "
      "runpy.run_module('core.matching.ngram_fit', run_name='__main__')"], "ModuleNotFoundError"),
    ([PY, "-c", "print('not a pickle')"], "unreadable answer"),
    ([PY, "-c", "import pickle, sys; pickle.dump({'keys': ['a'], 'vocabulary': {'ab': 0}, "
      "'idf': None, 'weights': None, 'outside': None, 'outside_bias': 0.0}, sys.stdout.buffer)"],
     "inconsistent answer"),
    (["/nonexistent/python3"], "FileNotFoundError"),
], ids=["killed", "no-scikit-learn", "garbage", "inconsistent", "no-interpreter"])
def test_a_failed_child_is_logged_and_the_model_is_fitted_here(
        command: list[str], why: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="bot.ngram_child"):
        fitted = fit_in_child(SMALL, command)
    assert_same_model(fitted, fit_here(SMALL))
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "child process failed" in record.getMessage() and why in record.getMessage()


def test_a_child_that_hangs_is_stopped_at_the_timeout_and_the_model_is_fitted_here(
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="bot.ngram_child"):
        fitted = fit_in_child(SMALL, [PY, "-c", "import time; time.sleep(60)"], timeout=1.0)
    assert_same_model(fitted, fit_here(SMALL))
    assert "TimeoutExpired" in caplog.text


def test_matching_still_works_when_the_child_fails(caplog: pytest.LogCaptureFixture) -> None:
    matcher = _city_matcher()
    matcher.ngrams.fit_with(partial(fit_in_child, command=[PY, "-c", "raise SystemExit(3)"]))
    with caplog.at_level(logging.ERROR, logger="bot.ngram_child"):
        probabilities, _ = matcher.ngrams.read("jalannya bolong-bolong parah")
    assert max(probabilities, key=probabilities.__getitem__) == "jalan_rusak"
    assert "exit status 3" in caplog.text
