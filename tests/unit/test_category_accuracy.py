"""Free text → category accuracy, and topics outside the city's authority (issues 6 and 21).

Five labelled sets, each text labelled with the category an admin would file it under and,
for v2, the out-of-authority topic it is about (PLN, BPJS, police, …), if any:
- `old-tune`: the bundled directory's `examples:` (990 category texts, 46 topic texts). They
  were read while choosing synonyms and rules, and the matcher learns from them, so they are
  scored by 5-fold cross-validation (each fifth against a matcher without it).
- `old-heldout`: tests/data/category_texts.csv (418 texts), written blind by people who never
  saw the synonyms, the matcher or the examples.
- `tune-v2` / `heldout-v2`: tests/data/category_texts_v2.csv (322 texts in residents' own
  voices: Minangkabau, Javanese, Riau Malay, elderly formal, teenage slang, English mixed, long
  stories, two problems in one message; 48 about matters outside the city's authority). The
  tune half was tuned on; the held-out half was written before any matcher change and is only
  ever scored as totals: its misses are never listed, so nobody tunes on them.

- `blind3`: tests/data/category_texts_blind3.csv (386 texts in eight voices, 56 outside the
  city's authority), measured once on 2026-12-03 (top-1 0.879, top-3 0.967, outside 40/56) and
  tuning data since; its Javanese and teenage voices were kept out of the misses read while
  tuning (bench/RESULTS.md, issue 21).
- `blind4`, `blind5`, `blind6`, `blind7`, `blind8`, `blind10`, `blind11`: more sets by writers who never
  saw the matcher, each measured once (bench/RESULTS.md) and tuning data since; a text already
  in an older set is counted there only.
- `blind9`, `blind12`: never tuned on (their misses are not listed by `bench.category_sets`);
  blind9 measured on main and after rounds 5 and 6, blind12 once, after round 6.

Scoring is `bench.category_sets` (`python -m bench.category_sets`), which calls the matcher
exactly as the CATEGORY step does (`core.matching.categories.propose`).
"""

from __future__ import annotations

import csv
from collections import Counter
from functools import cache

import pytest

from bench.category_sets import DATA, Tally, cross_validated, score, sets
from core.directory.loader import bundled_directory_path, load_directory_file
from core.directory.model import Directory
from core.matching.categories import category_matcher

TOP1_TARGET, TOP3_TARGET = 0.90, 0.97  # issue 21's targets, on the held-out v2 set
OUTSIDE_TARGET, FALSE_ALARMS_MAX = 0.90, 0.02
# (top-1, top-3) floors: what the matcher reaches today (2026-12-03, issue 21, generalisation
# round 2: blind4 0.920 / 0.977, blind5 0.943 / 0.973; round 3: blind6 0.930 / 0.992; round 4:
# blind7 0.961 / 0.996; round 5: blind8 0.910 / 0.989, blind9 0.941 / 0.986, blind10 0.927 /
# 0.995; round 6: blind11 0.883 / 0.970, blind12 0.905 / 0.980) less a few rows,
# against regressions; issue 21's targets for the held-out v2 half.
FLOOR = {"old-tune": (0.955, 0.99), "old-heldout": (0.93, 0.98), "tune-v2": (0.93, 0.98),
         "heldout-v2": (TOP1_TARGET, TOP3_TARGET), "blind3": (0.92, 0.99),
         "blind4": (0.91, 0.97), "blind5": (0.93, 0.965), "blind6": (0.92, 0.98),
         "blind7": (0.95, 0.99), "blind8": (0.90, 0.98), "blind9": (0.93, 0.975),
         "blind10": (0.915, 0.985), "blind11": (0.87, 0.96), "blind12": (0.89, 0.97)}
# (recognised, false alarms) floors and ceilings per set.
AUTHORITY = {"old-tune": (0.93, 0.01), "old-heldout": (None, FALSE_ALARMS_MAX),
             "tune-v2": (0.95, 0.01), "heldout-v2": (OUTSIDE_TARGET, FALSE_ALARMS_MAX),
             "blind3": (0.95, 0.01), "blind4": (0.92, 0.01), "blind5": (0.95, 0.015),
             "blind6": (0.93, 0.015), "blind7": (0.92, 0.015), "blind8": (0.93, 0.01),
             "blind9": (0.88, 0.015), "blind10": (0.90, 0.05), "blind11": (0.91, 0.04),
             "blind12": (0.85, 0.10)}
MIN_ROWS_V2 = 300


@cache
def _directory() -> Directory:
    return load_directory_file(bundled_directory_path())


@cache
def _scores() -> dict[str, Tally]:
    directory = _directory()
    matcher = category_matcher(directory.categories, directory.examples, directory.out_of_authority)
    return {name: cross_validated(rows, directory, None) if name == "old-tune" else score(rows, matcher)
            for name, rows in sets(directory).items()}


def test_labelled_sets_are_well_formed() -> None:
    directory = _directory()
    codes = {c.code for c in directory.categories}
    topics = {t.code for t in directory.out_of_authority}
    all_sets = sets(directory)
    rows = [row for found in all_sets.values() for row in found]
    assert not sorted({r.category for r in rows if r.category} - codes), "unknown category labels"
    assert not sorted({r.authority for r in rows if r.authority} - topics), "unknown topic labels"
    assert all(r.text.strip() and (r.category or r.authority) for r in rows), "empty row"
    dupes = [t for t, k in Counter(r.text.strip().lower() for r in rows).items() if k > 1]
    assert not dupes, f"duplicate texts: {dupes}"
    v2 = all_sets["tune-v2"] + all_sets["heldout-v2"]
    assert len(v2) >= MIN_ROWS_V2
    with (DATA / "category_texts_v2.csv").open(encoding="utf-8", newline="") as f:
        voices = Counter(r["voice"] for r in csv.DictReader(f))
    assert {"minang", "jawa", "melayu", "formal", "slang", "english", "story", "two"} <= set(voices)
    for half in ("tune-v2", "heldout-v2"):
        about = {r.authority for r in all_sets[half] if r.authority}
        assert about == topics, f"{half}: topics without a text: {sorted(topics - about)}"


def test_category_matching_meets_its_targets_and_does_not_regress() -> None:
    scores = _scores()
    report = "\n".join(tally.line(name) for name, tally in scores.items())
    print(f"\ncategory matching (targets on heldout-v2: top-1 >= {TOP1_TARGET}, top-3 >= "
          f"{TOP3_TARGET}, outside recognised >= {OUTSIDE_TARGET}, false alarms <= "
          f"{FALSE_ALARMS_MAX})\n{report}")
    failures: list[str] = []
    for name, (top1, top3) in FLOOR.items():
        tally = scores[name]
        failures += [f"{name} {metric} {value:.3f} < {floor}"
                     for metric, value, floor in (("top-1", tally.top1 / tally.n, top1),
                                                  ("top-3", tally.top3 / tally.n, top3))
                     if value < floor]
    for name, (recognised, false_alarms) in AUTHORITY.items():
        tally = scores[name]
        if recognised is not None and tally.recognised / tally.outside < recognised:
            failures.append(f"{name} outside recognised {tally.recognised}/{tally.outside} < {recognised}")
        if tally.false_alarms / tally.inside > false_alarms:
            failures.append(f"{name} false alarms {tally.false_alarms}/{tally.inside} > {false_alarms}")
    if failures:
        pytest.fail("category matching below its target or floor: " + "; ".join(failures) + "\n"
                    + report + "\n(tuning sets' misses: python -m bench.category_sets --misses "
                    "tune-v2 or old-tune; held-out misses are never listed)", pytrace=False)
