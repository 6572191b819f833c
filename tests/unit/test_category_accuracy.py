"""Free text → category accuracy on a labelled set of resident-style chat texts (issue 6).

tests/data/category_texts.csv holds texts a resident might type at the CATEGORY step, each
labelled with the category an admin would file it under and assigned to a split: `tune` (may be
used to choose synonyms / chat spellings) or `heldout` (never used for tuning; measures how well
the matcher generalises). The matcher is called exactly as core/intake_steps.on_category does.

The first held-out half had been looked at while improving the matcher, so it became part of
`tune` (2026-11-23). The `heldout` rows now are a blind set written by someone who never saw the
synonyms, the matcher or the tune rows (two texts that happened to equal tune rows were
dropped); only its totals are ever looked at. Three more sets written the same way, blind to
everything here (570 texts), were added to `tune` later the same day after their misses had
guided the next rounds of vocabulary and matcher changes; a fourth (210 texts), measured once
and never looked into, was added to `heldout` (418 rows now).
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from core.directory import Directory
from core.directory_loader import bundled_directory_path, load_directory_file
from core.matching import ChoiceMatcher, category_matcher, propose

DATA = Path(__file__).resolve().parent.parent / "data" / "category_texts.csv"
SPLITS = ("tune", "heldout")
MIN_ROWS = 150
MIN_PER_CATEGORY_PER_SPLIT = 2
TOP1_TARGET = 0.90  # issue 6's targets on the blind held-out half (top-3 not met)
TOP3_TARGET = 0.98
# What the matcher reaches today, less a margin of a few rows: guards against regressions.
FLOOR = {"tune": (0.955, 0.985), "heldout": (0.90, 0.94), "overall": (0.93, 0.965)}



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
        return (f"{name:8} n={self.n:3}  top-1 {self.top1:.3f}  top-3 {self.top3:.3f}  "
                f"offered {self.offered:.3f}")


@cache
def _directory() -> Directory:
    return load_directory_file(bundled_directory_path())


@cache
def _matcher() -> ChoiceMatcher:
    return category_matcher(_directory().categories)


def _rows() -> list[Row]:
    with DATA.open(encoding="utf-8", newline="") as f:
        return [Row(r["text"], r["category"], r["split"]) for r in csv.DictReader(f)]


def _present_splits(rows: list[Row]) -> list[str]:
    """The known splits that have rows (the held-out half may be absent for a while)."""
    return [name for name in SPLITS if any(r.split == name for r in rows)]


def _candidates(text: str) -> tuple[list[str], list[str]]:
    """(ranked codes, codes the intake offers) for typed text, as on_category computes them."""
    proposal = propose(_matcher(), text)
    return proposal.ranked, proposal.offered


def _score(rows: list[Row]) -> tuple[Score, list[str]]:
    top1 = top3 = offered = 0
    misses: list[str] = []
    for row in rows:
        ranked, shown = _candidates(row.text)
        top1 += bool(ranked) and ranked[0] == row.category
        top3 += row.category in ranked
        offered += row.category in shown
        if not ranked or ranked[0] != row.category:
            misses.append(f"  {row.split:7} {row.category:18} <- {row.text!r}: {ranked}")
    n = len(rows)
    return Score(n, top1 / n, top3 / n, offered / n), misses


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
            for split in _present_splits(rows) if counts[code, split] < MIN_PER_CATEGORY_PER_SPLIT]
    assert not thin, f"categories with < {MIN_PER_CATEGORY_PER_SPLIT} rows in a split: {thin}"


def test_category_matching_does_not_regress() -> None:
    rows = _rows()
    scores: dict[str, Score] = {}
    misses: list[str] = []
    for name in _present_splits(rows):
        scores[name], split_misses = _score([r for r in rows if r.split == name])
        if name == "tune":  # held-out misses stay hidden so nobody tunes synonyms on them
            misses = split_misses
    scores["overall"], _ = _score(rows)
    report = "\n".join(scores[name].line(name) if name in scores else f"{name:8} (no rows yet)"
                       for name in (*SPLITS, "overall"))
    print(f"\ncategory matching accuracy (targets: top-1 >= {TOP1_TARGET}, top-3 >= {TOP3_TARGET})\n"
          f"{report}")
    failures = [f"{name} {metric} {value:.3f} < {floor}"
                for name, (top1_floor, top3_floor) in FLOOR.items() if name in scores
                for metric, value, floor in (("top-1", scores[name].top1, top1_floor),
                                             ("top-3", scores[name].top3, top3_floor))
                if value < floor]
    if failures:
        pytest.fail("category matching regressed below its floor: " + "; ".join(failures) + "\n" + report
                    + "\ntune rows not ranked first (held-out misses are deliberately not listed):\n"
                    + "\n".join(misses), pytrace=False)
