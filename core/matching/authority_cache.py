"""The authority model (core.matching.authority_model) fitted once, shipped as numbers.

Its corpus (`bot/data/authority_texts.csv`) is the same for every city, so fitting it at every
start-up of every worker only repeated the same ~2 s of CPU in the fit's child process (issue
19: most of that child's work, and it runs while the first citizens are answered). The fit is
stored in `bot/data/authority_model.npz` with the digest of what it was fitted from (the
corpus's bytes and the features' settings); a server loads it when the digest matches and fits
as before when it does not (an edited corpus not yet stored again). Regenerate with
`python -m core.matching.authority_cache`; a test fails while the stored one is stale.

Plain arrays only (`allow_pickle=False`): the vocabularies are their n-grams joined by NUL in
row order.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import zipfile
from pathlib import Path
from typing import Any

from core.matching import authority_model as model
from core.matching.authority_model import CORPUS, FittedAuthority

log = logging.getLogger(__name__)
STORED = CORPUS.with_name("authority_model.npz")
_SEPARATOR = "\x00"


def digest(corpus: Path = CORPUS) -> str:
    """What a fit depends on: the corpus's bytes and the features' settings."""
    settings = repr((model.CHAR_NGRAMS, model._C, model.TOPIC_SMOOTHING, model.WORD_MIN_DF,
                     model._TOKEN.pattern)).encode()
    content = corpus.read_bytes() if corpus.is_file() else b""
    return hashlib.sha256(settings + b"\n" + content).hexdigest()


def save(fitted: FittedAuthority, path: Path = STORED, corpus: Path = CORPUS) -> None:
    import numpy as np

    np.savez_compressed(
        path, digest=np.array(digest(corpus)), chars=_joined(fitted.chars),
        words=_joined(fitted.words), char_idf=fitted.char_idf, word_idf=fitted.word_idf,
        char_coef=fitted.char_coef, word_coef=fitted.word_coef, bias=np.array(fitted.bias),
        topics=np.array(_SEPARATOR.join(fitted.topics)), char_topics=fitted.char_topics,
        word_topics=fitted.word_topics)


def load(path: Path = STORED, corpus: Path = CORPUS) -> FittedAuthority | None:
    """The stored fit, or None when there is none, it is unreadable, or it was fitted from
    another corpus or other settings."""
    import numpy as np

    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as stored:
            if str(stored["digest"]) != digest(corpus):
                log.info("the stored authority model is not of this corpus; fitting it")
                return None
            fitted = FittedAuthority(
                chars=_vocabulary(stored["chars"]), words=_vocabulary(stored["words"]),
                char_idf=stored["char_idf"], word_idf=stored["word_idf"],
                char_coef=stored["char_coef"], word_coef=stored["word_coef"],
                bias=float(stored["bias"]), topics=str(stored["topics"]).split(_SEPARATOR),
                char_topics=stored["char_topics"], word_topics=stored["word_topics"])
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        log.warning("the stored authority model is unreadable (%s); fitting it", error)
        return None
    return fitted if fitted.consistent() else None


def _joined(vocabulary: dict[str, int]) -> Any:
    import numpy as np

    grams = sorted(vocabulary, key=vocabulary.__getitem__)
    assert [vocabulary[g] for g in grams] == list(range(len(grams))), "rows are not 0..n-1"
    assert not any(_SEPARATOR in g for g in grams)
    return np.array(_SEPARATOR.join(grams))


def _vocabulary(joined: Any) -> dict[str, int]:
    text = str(joined)
    return {gram: row for row, gram in enumerate(text.split(_SEPARATOR))} if text else {}


def main() -> int:
    """Fit the shipped corpus and store it (with scikit-learn, as the model's own fit)."""
    fitted = model.fit_authority(model.read_corpus())
    if fitted is None:
        print("the corpus has no texts of both kinds; nothing stored", file=sys.stderr)
        return 1
    save(fitted)
    print(f"stored {STORED} ({len(fitted.chars)} character n-grams, {len(fitted.words)} "
          f"words and pairs, {len(fitted.topics)} topics)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
