"""Build the authority model's corpus (core.matching.authority_model) from the labelled sets:
`python -m bench.authority_corpus [--without SET ...] [--out FILE]` writes `text,topic,source`
rows (topic: the code of the institution whose matter it is, "" for the city's) of every
tests/data/category_texts*.csv,
each text once, to bot/data/authority_texts.csv. `--without blind13` leaves a set out, to
measure the model on it (bench/RESULTS.md, round 7)."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from bench.category_sets import DATA, labels
from core.matching.authority_model import CORPUS


def rows(without: set[str]) -> list[tuple[str, str, str]]:
    seen: set[str] = set()
    found: list[tuple[str, str, str]] = []
    for path in sorted(DATA.glob("category_texts*.csv")):
        source = path.stem.removeprefix("category_texts").lstrip("_") or "v1"
        if source in without:
            continue
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if row["text"] not in seen:
                    seen.add(row["text"])
                    found.append((row["text"], labels(row)[1], source))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--without", nargs="*", default=[], help="sets to leave out, e.g. blind13")
    parser.add_argument("--out", type=Path, default=CORPUS)
    args = parser.parse_args()
    found = rows(set(args.without))
    with args.out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "topic", "source"])
        writer.writerows(found)
    print(f"{len(found)} texts ({sum(bool(t) for _, t, _ in found)} outside the city's authority) "
          f"-> {args.out}")


if __name__ == "__main__":
    main()
