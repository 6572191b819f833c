"""Category and out-of-authority accuracy of this checkout on a labelled CSV (`text,category`;
`out:TOPIC` for texts outside the city's authority), as the category question sees them:
`python -m bench.blind_accuracy FILE`."""

from __future__ import annotations

import csv
import sys

from core.directory.loader import bundled_directory_path, load_directory_file
from core.matching.authority import outside_authority
from core.matching.categories import category_matcher, propose


def main(path: str) -> None:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    d = load_directory_file(bundled_directory_path())
    matcher = category_matcher(d.categories, d.examples, d.out_of_authority)
    inside = [r for r in rows if not r["category"].startswith("out:")]
    out = [r for r in rows if r["category"].startswith("out:")]
    top1 = top3 = 0
    for row in inside:
        ranked = propose(matcher, row["text"]).ranked
        top1 += bool(ranked) and ranked[0] == row["category"]
        top3 += row["category"] in ranked
    recall = sum(outside_authority(r["text"], matcher, d) is not None for r in out)
    alarms = sum(outside_authority(r["text"], matcher, d) is not None for r in inside)
    print(f"in-authority n={len(inside)} top1={top1 / len(inside):.3f} "
          f"top3={top3 / len(inside):.3f}")
    print(f"out-of-authority n={len(out)} recall={recall / len(out):.3f}; "
          f"false alarms {alarms}/{len(inside)}={alarms / len(inside):.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
