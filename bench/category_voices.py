"""Category matching by voice, each voice left out in turn (issue 21).

    python -m bench.category_voices

The labelled sets with a writer's voice (tests/data/category_texts_v2.csv, both halves, and
tests/data/category_texts_blind3.csv: formal, chat, teen, slang, Minangkabau, Javanese, Riau
Malay, English, long stories, two problems) are scored per voice twice, as the CATEGORY step
proposes (`core.matching.propose`):
- `directory`: against the bundled directory alone (its synonyms and examples);
- `learned`: against the directory plus every labelled text of the *other* voices as
  examples, as a city's matcher learns from its coordinator's confirmed reports. A voice's own
  texts never teach it, so the column says how far learning from some residents carries to
  residents who write differently.
"""

from __future__ import annotations

from collections import defaultdict

from bench.category_sets import Row, Tally, score, sets
from core.directory.loader import bundled_directory_path, load_directory_file
from core.directory.model import Example
from core.matching.categories import category_matcher

VOICED = ("tune-v2", "heldout-v2", "blind3")


def main() -> None:
    directory = load_directory_file(bundled_directory_path())
    by_voice: dict[str, list[Row]] = defaultdict(list)
    for name, rows in sets(directory).items():
        if name in VOICED:
            for row in rows:
                by_voice[row.voice].append(row)
    plain = category_matcher(directory.categories, directory.examples, directory.out_of_authority)
    totals = {"directory": Tally(), "learned": Tally()}
    print(f"{'voice':14} {'':4}   directory / learned from the other voices")
    for voice, rows in sorted(by_voice.items()):
        others = [Example(r.category or r.authority, r.text)
                  for v, found in by_voice.items() if v != voice for r in found]
        learned = category_matcher(directory.categories, [*directory.examples, *others],
                                   directory.out_of_authority)
        alone, taught = score(rows, plain), score(rows, learned)
        totals["directory"].add(alone)
        totals["learned"].add(taught)
        print(alone.line(voice))
        print(taught.line("  learned"))
    for name, tally in totals.items():
        print(tally.line(f"all, {name}"))


if __name__ == "__main__":
    main()
