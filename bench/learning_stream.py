"""Learning from the coordinator: accuracy on a stream of reports the coordinator confirms or
re-categorises, with and without the learned examples.

    python -m bench.learning_stream [--batch 50] [--per-category 100] [--seed 21] [--new-city]

The stream is every labelled resident text that is not one of the directory's own examples
(tests/data/category_texts.csv and category_texts_v2.csv, category texts only), shuffled. Each
batch is proposed a category first (`propose`, as the CATEGORY step does) and only then
confirmed by the coordinator, so a text is never scored by a matcher that learned it
(prequential evaluation). "learning" rebuilds the matcher before each batch from the directory
plus every earlier batch's confirmed texts, as a directory refresh does
(`core.matching.learning.learned_examples`: masked, newest first, capped per category);
"static" keeps the directory's examples only. `--new-city` starts from the directory without
its `examples:` (a city that has only written synonyms so far). Only totals per batch are
printed: top-1 and top-3 (the label among the three the step offers).
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import replace

from bench.category_sets import sets
from core.directory.loader import bundled_directory_path, load_directory_file
from core.matching.categories import ChoiceMatcher, category_matcher, propose
from core.matching.learning import learned_examples


def _hits(matcher: ChoiceMatcher, batch: list[tuple[str, str]]) -> tuple[int, int]:
    """(top-1, top-3) hits."""
    ranked = [(category, propose(matcher, text).ranked) for category, text in batch]
    return (sum(bool(r) and r[0] == category for category, r in ranked),
            sum(category in r for category, r in ranked))


def run(batch_size: int, per_category: int, seed: int, new_city: bool) -> None:
    directory = load_directory_file(bundled_directory_path())
    if new_city:
        directory = replace(directory, examples=())
    found = sets(directory)
    stream = [(r.category, r.text) for name in ("old-heldout", "tune-v2", "heldout-v2")
              for r in found[name] if r.category]
    random.Random(seed).shuffle(stream)
    static = category_matcher(directory.categories, directory.examples, directory.out_of_authority)
    known = {c.code for c in directory.categories}
    totals = {"static": [0, 0], "learning": [0, 0]}
    seen = 0
    print(f"{len(stream)} texts in batches of {batch_size}, at most {per_category} learned per "
          f"category, {len(directory.examples)} directory examples; top-1 / top-3 of each batch "
          f"before it is learned")
    print(f"{'batch':>5} {'learned':>7} {'static':>13} {'learning':>13} {'rebuild ms':>10}")
    for start in range(0, len(stream), batch_size):
        batch = stream[start:start + batch_size]
        t0 = time.perf_counter()
        confirmed = list(reversed(stream[:start]))  # newest confirmation first
        learned = learned_examples(confirmed, per_category, known, directory.examples)
        learning = category_matcher(directory.categories, (*directory.examples, *learned),
                                    directory.out_of_authority)
        learning.ngrams.prepare()
        rebuild_ms = (time.perf_counter() - t0) * 1000
        hits = {"static": _hits(static, batch), "learning": _hits(learning, batch)}
        for name, (top1, top3) in hits.items():
            totals[name][0] += top1
            totals[name][1] += top3
        seen += len(batch)
        n = len(batch)
        cells = [f"{hits[name][0] / n:.3f} / {hits[name][1] / n:.3f}" for name in ("static", "learning")]
        print(f"{start // batch_size + 1:>5} {len(learned):>7} {cells[0]:>13} {cells[1]:>13} "
              f"{rebuild_ms:>10.0f}")
    for name, (top1, top3) in totals.items():
        print(f"all {seen}, {name}: top-1 {top1 / seen:.3f}, top-3 {top3 / seen:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--per-category", type=int, default=100)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--new-city", action="store_true",
                        help="start without the directory's examples (only its synonyms)")
    args = parser.parse_args()
    run(args.batch, args.per_category, args.seed, args.new_city)


if __name__ == "__main__":
    main()
