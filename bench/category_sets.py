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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from core.directory.loader import bundled_directory_path, load_directory_file
from core.directory.model import Directory, Example
from core.matching.categories import ChoiceMatcher, category_matcher, propose

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
FOLDS = 5
TUNING_SETS = ("old-tune", "tune-v2", "old-heldout", "blind3", "blind4", "blind5", "blind6", "blind7",
               "blind8", "blind10", "blind11")  # blind9 and blind12 were never tuned on: their
# misses are not listed


@dataclass(frozen=True, slots=True)
class Row:
    text: str
    category: str  # "" for a text only about a matter outside the city's authority
    authority: str  # the out-of-authority topic it is about, or ""
    voice: str = ""  # who wrote it, where the set says (formal, minang, jawa, teen, ...)


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


def labels(row: Mapping[str, str]) -> tuple[str, str]:
    """(category, topic) of a labelled CSV row: `out:TOPIC` in `category` for a matter outside
    the city's authority, or (v2) the topic in an `authority` column; "" where there is none."""
    if row["category"].startswith("out:"):
        return "", row["category"].removeprefix("out:")
    return row["category"], row.get("authority") or ""


def sets(directory: Directory) -> dict[str, list[Row]]:
    """The labelled sets by name: the directory's examples, the first blind set, the v2 halves."""
    topics = {topic.code for topic in directory.out_of_authority}
    found = {"old-tune": [Row(e.text, "", e.category) if e.category in topics else Row(e.text, e.category, "")
                          for e in directory.examples]}
    with (DATA / "category_texts.csv").open(encoding="utf-8", newline="") as f:
        found["old-heldout"] = [Row(r["text"], r["category"], "") for r in csv.DictReader(f)]
    with (DATA / "category_texts_v2.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            found.setdefault(f"{r['split']}-v2", []).append(
                Row(r["text"], *labels(r), r["voice"]))
    # The third blind set (measured once, 2026-12-03), tuning data since: `out:TOPIC` labels.
    with (DATA / "category_texts_blind3.csv").open(encoding="utf-8", newline="") as f:
        found["blind3"] = [Row(r["text"], *labels(r), r["voice"]) for r in csv.DictReader(f)]
    # Blind sets 4 to 8, 10 and 11 (more authors, each measured once, 2026-12-03), tuning data
    # since; 9 and 12 never tuned on; a text already in an older set is counted there only.
    seen = {row.text.strip().lower() for rows in found.values() for row in rows}
    for name in ("blind4", "blind5", "blind6", "blind7", "blind8", "blind9", "blind10", "blind11",
                 "blind12"):
        with (DATA / f"category_texts_{name}.csv").open(encoding="utf-8", newline="") as f:
            found[name] = []
            for r in csv.DictReader(f):  # a text twice in one set counts once too
                if (key := r["text"].strip().lower()) not in seen:
                    seen.add(key)
                    found[name].append(Row(r["text"], *labels(r), r["voice"]))
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
            misses.append(f"  {row.voice:7} {row.category or '-':18} {row.authority or '-':15} "
                          f"<- {row.text!r}: {proposal.ranked} outside={outside}")
    return tally


def cross_validated(rows: list[Row], directory: Directory, misses: list[str] | None) -> Tally:
    folds = [rows[i::FOLDS] for i in range(FOLDS)]
    total = Tally()
    for i, fold in enumerate(folds):
        rest = [Example(r.category or r.authority, r.text) for j, f in enumerate(folds) if j != i
                for r in f]
        total.add(score(fold, category_matcher(directory.categories, rest, directory.out_of_authority),
                        misses))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--misses", choices=TUNING_SETS, help="list a tuning set's misses")
    parser.add_argument("--hide", default="", help="voices (comma list) whose misses are not listed "
                        "(held out from tuning, e.g. --hide chat,melayu)")
    parser.add_argument("--voices", action="store_true", help="also a line per voice of each set")
    parser.add_argument("--heldout", action="store_true",
                        help="also score heldout-v2, blind9 and blind12 (totals only; once, after tuning)")
    args = parser.parse_args()
    hidden = set(filter(None, args.hide.split(",")))
    directory = load_directory_file(bundled_directory_path())
    matcher = category_matcher(directory.categories, directory.examples, directory.out_of_authority)
    misses: list[str] = []
    for name, rows in sets(directory).items():
        if name in ("heldout-v2", "blind9", "blind12") and not args.heldout:
            continue
        listed = misses if args.misses == name else None
        if name == "old-tune":
            print(cross_validated(rows, directory, listed).line(name))
            continue
        print(score(rows, matcher).line(name))
        voices = sorted({row.voice for row in rows if row.voice})
        for voice in voices if args.voices else ():
            print(score([r for r in rows if r.voice == voice], matcher).line(f"  {voice}"))
        if listed is not None:
            score([r for r in rows if r.voice not in hidden], matcher, listed)
    if misses:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
