"""Free text → category accuracy on labelled resident-style chat texts (issue 6).

Two halves, both labelled with the category an admin would file the text under:
- `tune`: the bundled directory's `examples:` (990 texts). They were read while choosing
  synonyms, chat spellings and matcher rules, and the matcher learns from them as examples, so
  they are scored by 5-fold cross-validation: each fifth against a matcher built from the
  other four fifths' examples.
- `heldout`: tests/data/category_texts.csv (418 texts) — two sets written blind by people who
  never saw the synonyms, the matcher or the examples. Only its totals are ever looked at; its
  misses are never listed, so nobody tunes on them.

The matcher is called exactly as core/intake_steps.on_category does (core.matching.propose).
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from core.directory.loader import bundled_directory_path, load_directory_file
from core.directory.model import Directory, Example
from core.matching.categories import ChoiceMatcher, category_matcher, propose

DATA = Path(__file__).resolve().parent.parent / "data" / "category_texts.csv"
SPLITS = ("tune", "heldout")
MIN_ROWS = 150
MIN_PER_CATEGORY_PER_SPLIT = 2
FOLDS = 5
TOP1_TARGET = 0.90  # issue 6's targets, asserted on the blind held-out half
TOP3_TARGET = 0.98
# Held-out: the targets. Tune and overall: what the matcher reaches today (2026-11-23: tune
# 0.955/0.993 cross-validated, held-out 0.933/0.993), less a few rows, against regressions.
FLOOR = {"tune": (0.945, 0.985), "heldout": (TOP1_TARGET, TOP3_TARGET), "overall": (0.935, 0.985)}



@dataclass(frozen=True)
class Row:
    text: str
    category: str
    split: str


@dataclass(frozen=True)
class Score:
    n: int
    top1: float  # best ranked category is the label
    top3: float  # label among the ranked categories the intake offers (three)
    offered: float  # label among what the intake offers ([clear winner] or the ranked three)

    def line(self, name: str) -> str:
        return (f"{name:22} n={self.n:3}  top-1 {self.top1:.3f}  top-3 {self.top3:.3f}  "
                f"offered {self.offered:.3f}")


@cache
def _directory() -> Directory:
    return load_directory_file(bundled_directory_path())


@cache
def _matcher() -> ChoiceMatcher:
    return category_matcher(_directory().categories, _directory().examples)


def _rows() -> list[Row]:
    """Both halves: the directory's examples (tune), then the held-out file."""
    tune = [Row(e.text, e.category, "tune") for e in _directory().examples]
    with DATA.open(encoding="utf-8", newline="") as f:
        return tune + [Row(r["text"], r["category"], "heldout") for r in csv.DictReader(f)]


def _folds(rows: list[Row]) -> list[tuple[ChoiceMatcher, list[Row]]]:
    """(matcher without one fifth of the examples, that fifth) for cross-validation."""
    tune = [r for r in rows if r.split == "tune"]
    folds = [tune[i::FOLDS] for i in range(FOLDS)]
    return [(category_matcher(_directory().categories,
                              [Example(r.category, r.text) for j, f in enumerate(folds) if j != i
                               for r in f]), fold) for i, fold in enumerate(folds)]


def _score(rows: list[Row], matcher: ChoiceMatcher) -> tuple[Score, list[str]]:
    top1 = top3 = offered = 0
    misses: list[str] = []
    for row in rows:
        proposal = propose(matcher, row.text)
        ranked, shown = proposal.ranked, proposal.offered
        top1 += bool(ranked) and ranked[0] == row.category
        top3 += row.category in ranked
        offered += row.category in shown
        if not ranked or ranked[0] != row.category:
            misses.append(f"  {row.split:7} {row.category:18} <- {row.text!r}: {ranked}")
    n = len(rows)
    return Score(n, top1 / n, top3 / n, offered / n), misses


def _pooled(*scores: Score) -> Score:
    n = sum(s.n for s in scores)
    return Score(n, *(sum(getattr(s, metric) * s.n for s in scores) / n
                      for metric in ("top1", "top3", "offered")))


def _cross_validated(rows: list[Row]) -> tuple[Score, list[str]]:
    parts = [_score(fold, matcher) for matcher, fold in _folds(rows)]
    return _pooled(*(score for score, _ in parts)), [m for _, misses in parts for m in misses]


def test_labelled_set_is_well_formed() -> None:
    rows = _rows()
    assert len(rows) >= MIN_ROWS, f"only {len(rows)} rows"
    codes = {c.code for c in _directory().categories}
    unknown = sorted({r.category for r in rows} - codes)
    assert not unknown, f"labels not in the directory: {unknown}"
    bad_split = sorted({r.split for r in rows} - set(SPLITS))
    assert not bad_split, f"unknown split values: {bad_split}"
    assert all(r.text.strip() for r in rows), "empty text"
    dupes = [t for t, k in Counter(r.text.strip().lower() for r in rows).items() if k > 1]
    assert not dupes, f"duplicate texts: {dupes}"
    counts = Counter((r.category, r.split) for r in rows)
    thin = [f"{code}/{split}={counts[code, split]}" for code in sorted(codes)
            for split in SPLITS if counts[code, split] < MIN_PER_CATEGORY_PER_SPLIT]
    assert not thin, f"categories with < {MIN_PER_CATEGORY_PER_SPLIT} rows in a split: {thin}"


def test_category_matching_does_not_regress() -> None:
    rows = _rows()
    scores: dict[str, Score] = {}
    # Held-out misses stay hidden so nobody tunes on them; tune misses help the next round.
    scores["tune"], misses = _cross_validated(rows)
    heldout = [r for r in rows if r.split == "heldout"]
    scores["heldout"], _ = _score(heldout, _matcher())
    scores["overall"] = _pooled(scores["tune"], scores["heldout"])
    synonyms_only = category_matcher(_directory().categories)
    report = "\n".join([*(scores[name].line(name) for name in (*SPLITS, "overall")),
                        _score(heldout, synonyms_only)[0].line("heldout, synonyms only")])
    print(f"\ncategory matching accuracy (targets: top-1 >= {TOP1_TARGET}, top-3 >= {TOP3_TARGET})\n"
          f"{report}")
    failures = [f"{name} {metric} {value:.3f} < {floor}"
                for name, (top1_floor, top3_floor) in FLOOR.items() if name in scores
                for metric, value, floor in (("top-1", scores[name].top1, top1_floor),
                                             ("top-3", scores[name].top3, top3_floor))
                if value < floor]
    if failures:
        pytest.fail("category matching below its target or floor: " + "; ".join(failures) + "\n" + report
                    + "\ntune rows not ranked first (cross-validated; held-out misses are never listed):\n"
                    + "\n".join(misses), pytrace=False)
