"""Category matching of typed text: what the CATEGORY step costs per message.

    python -m bench.category_matching [--rounds 5]

Times `core.matching.propose`, what core/intake_steps.on_category asks for typed text (one
clear winner, else the three closest), over every labelled resident message (the 418 texts of
tests/data/category_texts.csv and the bundled directory's 990 example texts, 2 to 60 words),
with the bundled sample city's directory (synonyms and examples), after building the matcher
once (the time a worker spends at start-up and on each directory refresh).
"""

from __future__ import annotations

import argparse
import csv
import platform
import time
from pathlib import Path

from bench.common import percentile
from core.directory.loader import bundled_directory_path, load_directory_file
from core.matching.categories import category_matcher, propose

TEXTS = Path(__file__).resolve().parent.parent / "tests" / "data" / "category_texts.csv"


def run(rounds: int) -> None:
    directory = load_directory_file(bundled_directory_path())
    t0 = time.perf_counter()
    matcher = category_matcher(directory.categories, directory.examples, directory.out_of_authority)
    build_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    matcher.ngrams.prepare()  # as the directory refresh does, before any citizen types
    fit_ms = (time.perf_counter() - t0) * 1000
    with TEXTS.open(encoding="utf-8", newline="") as f:
        texts = [row["text"] for row in csv.DictReader(f)] + [e.text for e in directory.examples]
    per_text: list[float] = []
    cpu: list[float] = []  # this thread's CPU time: on a shared machine, wall time also counts waiting
    for _ in range(rounds):
        for text in texts:
            t1, c1 = time.perf_counter(), time.thread_time()
            propose(matcher, text)
            cpu.append((time.thread_time() - c1) * 1000)
            per_text.append((time.perf_counter() - t1) * 1000)
    ordered = sorted(per_text)
    cpu.sort()
    synonyms = sum(len(c.synonyms) for c in directory.categories)
    print(f"python {platform.python_version()}, {len(directory.categories)} categories, "
          f"{synonyms} synonyms, {len(directory.examples)} examples, matcher built in {build_ms:.1f} ms "
          f"(+ n-gram model fitted in {fit_ms:.0f} ms)")
    print(f"{len(texts)} texts x {rounds} rounds: p50 {percentile(ordered, 50):.2f} ms  "
          f"p95 {percentile(ordered, 95):.2f} ms  p99 {percentile(ordered, 99):.2f} ms  "
          f"max {ordered[-1]:.2f} ms")
    print(f"CPU time: p50 {percentile(cpu, 50):.2f} ms  p95 {percentile(cpu, 95):.2f} ms  "
          f"p99 {percentile(cpu, 99):.2f} ms  max {cpu[-1]:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    run(parser.parse_args().rounds)


if __name__ == "__main__":
    main()
