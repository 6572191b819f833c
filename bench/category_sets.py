"""Category matching accuracy per labelled set, and out-of-authority recognition.

    python -m bench.category_sets [--misses tune-v2]

Every set is matched exactly as the CATEGORY step does (`core.matching.propose`) with the
bundled sample city's directory: top-1 (the best ranked category is the label), top-3 (the
label among the three offered) and, for texts outside the city's authority, whether the step
names the right institution (recall) and how often an in-authority text is wrongly sent
elsewhere (false alarms). `old-tune` are the directory's own examples, scored by 5-fold
cross-validation (each fifth against a matcher without it); the other sets against the whole
directory. Misses are listed only for tuning sets (`--misses tune-v2` or `old-tune`): the
held-out sets' misses are never printed, so nobody tunes on them.
"""

from __future__ import annotations

import argparse
import csv
from dataclasses import dataclass
from pathlib import Path

from core.directory.loader import bundled_directory_path, load_directory_file
from core.directory.model import Directory, Example
from core.matching.categories import ChoiceMatcher, category_matcher, propose

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
FOLDS = 5
TUNING_SETS = ("old-tune", "tune-v2")


@dataclass(frozen=True, slots=True)
class Row:
    text: str
    category: str  # "" for a text only about a matter outside the city's authority
    authority: str  # the out-of-authority topic it is about, or ""


@dataclass
class Tally:
    n: int = 0
    top1: int = 0
    top3: int = 0
    outside: int = 0  # texts about a matter outside authority
    recognised: int = 0  # ... recognised as that topic
    inside: int = 0  # texts about nothing outside authority
    false_alarms: int = 0  # ... sent elsewhere

    def line(self, name: str) -> str:
        parts = [f"{name:14} n={self.n:4}"]
        if self.n:
            parts.append(f"top-1 {self.top1 / self.n:.3f}  top-3 {self.top3 / self.n:.3f}")
        if self.outside:
            parts.append(f"outside recognised {self.recognised}/{self.outside} "
                         f"({self.recognised / self.outside:.3f})")
        if self.inside:
            parts.append(f"false alarms {self.false_alarms}/{self.inside} "
                         f"({self.false_alarms / self.inside:.3f})")
        return "  ".join(parts)

    def add(self, other: Tally) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def sets(directory: Directory) -> dict[str, list[Row]]:
    """The labelled sets by name: the directory's examples, the first blind set, the v2 halves."""
    topics = {topic.code for topic in directory.out_of_authority}
    found = {"old-tune": [Row(e.text, "", e.category) if e.category in topics else Row(e.text, e.category, "")
                          for e in directory.examples]}
    with (DATA / "category_texts.csv").open(encoding="utf-8", newline="") as f:
        found["old-heldout"] = [Row(r["text"], r["category"], "") for r in csv.DictReader(f)]
    with (DATA / "category_texts_v2.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            found.setdefault(f"{r['split']}-v2", []).append(Row(r["text"], r["category"], r["authority"]))
    return found


def score(rows: list[Row], matcher: ChoiceMatcher, misses: list[str] | None = None) -> Tally:
    tally = Tally()
    for row in rows:
        proposal = propose(matcher, row.text)
        outside = getattr(proposal, "outside", None)
        if row.category:
            tally.n += 1
            tally.top1 += bool(proposal.ranked) and proposal.ranked[0] == row.category
            tally.top3 += row.category in proposal.ranked
        if row.authority:
            tally.outside += 1
            tally.recognised += outside == row.authority
        else:
            tally.inside += 1
            tally.false_alarms += outside is not None
        wrong = (row.category and (not proposal.ranked or proposal.ranked[0] != row.category)) or (
            outside != (row.authority or None))
        if misses is not None and wrong:
            misses.append(f"  {row.category or '-':18} {row.authority or '-':15} <- {row.text!r}: "
                          f"{proposal.ranked} outside={outside}")
    return tally


def cross_validated(rows: list[Row], directory: Directory, misses: list[str] | None) -> Tally:
    folds = [rows[i::FOLDS] for i in range(FOLDS)]
    total = Tally()
    for i, fold in enumerate(folds):
        rest = [Example(r.category or r.authority, r.text) for j, f in enumerate(folds) if j != i
                for r in f]
        total.add(score(fold, category_matcher(directory.categories, rest, directory.out_of_authority)
                        if _takes_topics() else category_matcher(directory.categories, rest), misses))
    return total


def _takes_topics() -> bool:
    return category_matcher.__code__.co_argcount >= 3


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--misses", choices=TUNING_SETS, help="list a tuning set's misses")
    parser.add_argument("--heldout", action="store_true",
                        help="also score heldout-v2 (its totals only; once, after tuning)")
    args = parser.parse_args()
    directory = load_directory_file(bundled_directory_path())
    matcher = (category_matcher(directory.categories, directory.examples, directory.out_of_authority)
               if _takes_topics() else category_matcher(directory.categories, directory.examples))
    misses: list[str] = []
    for name, rows in sets(directory).items():
        if name == "heldout-v2" and not args.heldout:
            continue
        listed = misses if args.misses == name else None
        tally = (cross_validated(rows, directory, listed) if name == "old-tune"
                 else score(rows, matcher, listed))
        print(tally.line(name))
    if misses:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
