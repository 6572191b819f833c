"""The authority model's thresholds, each labelled set left out in turn (issue 21, round 9):

    python -m bench.authority_loso SET [SET ...] [--veto 0.2 0.45] [--claim 0.75 0.8]

For each SET (e.g. blind13: tests/data/category_texts_blind13.csv) the model is fitted on the
corpus without it (the rows `python -m bench.authority_corpus --without SET` writes), then every
(VETO_BELOW, CLAIM_FROM) pair is scored on SET: outside texts recognised at the category
question and city texts wrongly sent elsewhere. Run one process per set (fits are cached).
"""

from __future__ import annotations

import argparse
import csv

import core.matching.authority_model as model
import core.matching.ngram_fit as ngram_fit
from bench.authority_corpus import rows
from bench.category_sets import DATA
from core.directory.loader import bundled_directory_path, load_directory_file
from core.matching.categories import category_matcher, propose


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sets", nargs="+")
    parser.add_argument("--veto", type=float, nargs="+", default=[model.VETO_BELOW])
    parser.add_argument("--claim", type=float, nargs="+", default=[model.CLAIM_FROM])
    args = parser.parse_args()
    directory = load_directory_file(bundled_directory_path())
    for name in args.sets:
        fitted = model.fit_authority([(text, topic) for text, topic, _ in rows({name})])
        ngram_fit._authority = lambda fitted=fitted: fitted  # type: ignore[assignment,misc]
        matcher = category_matcher(directory.categories, directory.examples,
                                   directory.out_of_authority)
        with (DATA / f"category_texts_{name}.csv").open(encoding="utf-8", newline="") as f:
            texts = [(row["text"], row["category"].startswith("out:")) for row in csv.DictReader(f)]
        outside = sum(out for _, out in texts)
        for veto in args.veto:
            for claim in args.claim:
                model.VETO_BELOW, model.CLAIM_FROM = veto, claim
                said = [(propose(matcher, text).outside is not None, out) for text, out in texts]
                found = sum(s for s, out in said if out)
                alarms = sum(s for s, out in said if not out)
                print(f"{name} veto={veto} claim={claim} outside={found}/{outside} "
                      f"false_alarms={alarms}/{len(texts) - outside}", flush=True)


if __name__ == "__main__":
    main()
