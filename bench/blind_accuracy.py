"""Category and out-of-authority accuracy of this checkout on a labelled CSV (text,category,...;
category `out:TOPIC` for texts outside the city's authority): `python -m bench.blind_accuracy FILE`."""
import csv
import sys

from core.directory.loader import bundled_directory_path, load_directory_file
from core.matching.authority import outside_authority
from core.matching.categories import category_matcher, propose

rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
d = load_directory_file(bundled_directory_path())
m = category_matcher(d.categories, d.examples, d.out_of_authority)
inside = [r for r in rows if not r["category"].startswith("out:")]
out = [r for r in rows if r["category"].startswith("out:")]
top1 = top3 = 0
for r in inside:
    p = propose(m, r["text"])
    top1 += bool(p.ranked) and p.ranked[0] == r["category"]
    top3 += r["category"] in p.ranked
recall = sum(outside_authority(r["text"], m, d) is not None for r in out)
false = sum(outside_authority(r["text"], m, d) is not None for r in inside)
print(f"in-authority n={len(inside)} top1={top1/len(inside):.3f} top3={top3/len(inside):.3f}")
print(f"out-of-authority n={len(out)} recall={recall/len(out):.3f}; false alarms {false}/{len(inside)}={false/len(inside):.3f}")
