"""The server fits the category n-gram model in a child process (`python -m
core.matching.ngram_fit`), so that scikit-learn and scipy never load into it (issue 19: they
were about 85 MiB of its peak RSS) and the fit's CPU never holds its GIL. The child gets the
pickled (key, text) pairs on stdin and answers the fitted numbers on stdout; the server keeps
only numpy arrays. A child that fails (killed, scikit-learn missing, a bad answer, too slow)
is logged as an error and the fit is done in this process instead: matching never stays
broken."""

from __future__ import annotations

import logging
import os
import pickle
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from core.matching.ngram_fit import Docs, FittedNgrams, fit_here

log = logging.getLogger(__name__)
FIT_COMMAND = (sys.executable, "-m", "core.matching.ngram_fit")
TIMEOUT_SECONDS = 300.0  # the sample city fits in a second or two; a loaded host is slower
_ROOT = str(Path(__file__).resolve().parents[1])  # where `core` is, whatever the cwd


class ChildFitFailed(Exception):
    """The child gave no usable model; the message says why."""


def fit_in_child(docs: Docs, command: Sequence[str] = FIT_COMMAND,
                 timeout: float = TIMEOUT_SECONDS) -> FittedNgrams:
    """Fit in a child process; in this one when the child fails."""
    started = time.perf_counter()
    try:
        fitted = _run(docs, command, timeout)
    except ChildFitFailed as failure:
        log.error("fitting the n-gram model in a child process failed (%s); fitting it in "
                  "this process instead", failure)
        return fit_here(docs)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    log.info("n-gram model fitted in a child process in %.1f s (%s n-grams; the largest "
             "child's peak RSS %.0f MiB)", time.perf_counter() - started,
             len(fitted.vocabulary), peak)
    return fitted


def _run(docs: Docs, command: Sequence[str], timeout: float) -> FittedNgrams:
    path = os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH")) if p)
    try:
        done = subprocess.run(list(command), input=pickle.dumps(docs), capture_output=True,
                              timeout=timeout, env={**os.environ, "PYTHONPATH": path},
                              check=False)
    except (OSError, subprocess.SubprocessError) as error:  # not started, or too slow
        raise ChildFitFailed(f"{type(error).__name__}: {error}") from error
    if done.returncode != 0:
        raise ChildFitFailed(f"exit status {done.returncode}: {_last_line(done.stderr)}")
    try:
        fitted = FittedNgrams(**pickle.loads(done.stdout))
        usable = fitted.consistent()
    except Exception as error:  # whatever the answer was, it is not a model
        raise ChildFitFailed(f"unreadable answer ({type(error).__name__}: {error})") from error
    if not usable:
        raise ChildFitFailed("inconsistent answer (the parts' sizes differ)")
    if done.stderr.strip():  # a library's warning, as the fit would have shown it here
        log.warning("the n-gram fit's child process said: %s", _last_line(done.stderr))
    return fitted


def _last_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1][:300] if lines else "no message"
