"""The CATEGORY step's fusion weights, chosen with each writer's voice left out (issue 21).

    python -m bench.category_fusion

Each labelled text's evidence (synonym matches, n-gram probabilities, the examples' vote; the
directory's own examples by 5-fold cross-validation) is computed once; the proposal is then
re-derived for every weight tuple of a grid (n-gram weight, examples' vote weight, topic
share, the outside probability that names a topic by meaning; `core.matching.fusion`). For
each voice of the voiced sets (v2, blind3, blind4, blind5; a voice of several sets is left out
of all of them at once), the tuple best on everything else (the older sets and the other
voices: top-1 + top-3 + outside recall − 3 × false alarms) is scored on the left-out voice.
A self-check first re-derives every proposal with the shipped weights and requires it to equal
`propose`'s.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from functools import reduce

from bench.category_sets import FOLDS, Row, sets
from core.directory.loader import bundled_directory_path, load_directory_file
from core.directory.model import Example
from core.matching import fusion
from core.matching.categories import (
    FUSE_LIMIT,
    RANK_CUTOFF,
    RANK_LIMIT,
    TOPIC,
    ChoiceMatcher,
    Match,
    _outside,
    category_matcher,
    propose,
)
from core.matching.examples import MIN_DESCRIBING_WORDS, describing_words
from core.matching.names import without_names

VOICED = ("tune-v2", "heldout-v2", "blind3", "blind4", "blind5")
Weights = tuple[float, float, float, float]  # n-gram weight, vote weight, topic share, meaning
GRID: list[Weights] = list(itertools.product(
    (1.0, 2.0, 3.0, 4.0), (0.0, 0.5, 1.0, 1.5, 2.0, 3.0),
    (0.5, 0.6, 0.7, 0.8, 1.0, 99.0),  # 99: the share rule off
    (0.5, 0.6, 0.7, 0.8, 99.0)))  # 99: no topic by meaning alone
SHIPPED: Weights = (fusion.NGRAM_WEIGHT, fusion.VOTE_WEIGHT, fusion.TOPIC_SHARE,
                    fusion.OUTSIDE_MEANING)


@dataclass
class Evidence:
    found: list[Match]
    probabilities: dict[str, float]
    votes: dict[str, float]
    said: set[str]  # topics one of whose phrases is said in the text
    denied: set[str]  # topics whose phrase is said only if the text's denials are ignored
    describing: int
    meaning: float  # the n-gram regression's probability of a topic outside authority
    expected: tuple[list[str], str | None]  # what `propose` answers with the shipped weights


def evidence(matcher: ChoiceMatcher, raw: str) -> Evidence:
    text = without_names(raw, matcher.knows)
    found = matcher.rank(text, limit=FUSE_LIMIT, cutoff=RANK_CUTOFF)
    votes = matcher.examples.votes(text, 0 if found[:RANK_LIMIT + 2] else MIN_DESCRIBING_WORDS)
    said = {m.key for m in found if m.key.startswith(TOPIC) and matcher.said_in_order(m.key, text)}
    denied = {m.key for m in found if m.key.startswith(TOPIC) and m.key not in said
              and matcher.said_in_order(m.key, text, deny=False)}
    proposal = propose(matcher, raw)
    probabilities, meaning = matcher.ngrams.read(text)
    return Evidence(found, probabilities, votes, said, denied, describing_words(text), meaning,
                    (proposal.ranked, proposal.outside))


def decide(e: Evidence, weights: Weights) -> tuple[list[str], str | None]:
    """`propose` with other weights (ranked, outside)."""
    ngram_weight, vote_weight, share, least = weights
    matches = e.found[:RANK_LIMIT + 2]
    order = sorted(e.votes, key=e.votes.__getitem__, reverse=True)
    score = ({} if not e.found and e.describing < MIN_DESCRIBING_WORDS else fusion.fused(
        {m.key: m.score for m in e.found}, e.probabilities, e.votes, ngram_weight, vote_weight))
    ranked = fusion.best(score, False, TOPIC)[:RANK_LIMIT]
    outside = _outside(matches, order)
    if outside is not None and matches and TOPIC + outside not in e.said:
        outside = None
    if outside is None and (topics := fusion.best(score, True, TOPIC)):
        said = any(m.key == topics[0] and m.score >= fusion.TOPIC_CUTOFF for m in e.found)
        if said and topics[0] in e.said and fusion.topic_outweighs(
                topics[0], score, fusion.best(score, False, TOPIC), share):
            outside = topics[0].removeprefix(TOPIC)
    if outside is None and (meant := fusion.meant_topic(score, e.meaning, TOPIC, least)) and (
            meant not in e.denied):
        outside = meant.removeprefix(TOPIC)
    ranked += [k for k in order if not k.startswith(TOPIC) and k not in ranked]
    return ranked[:RANK_LIMIT], outside


def labelled() -> Iterator[tuple[str, Row, Evidence]]:
    """(group, row, evidence): group is the voice for voiced sets, else "older"."""
    directory = load_directory_file(bundled_directory_path())
    matcher = category_matcher(directory.categories, directory.examples, directory.out_of_authority)
    for name, rows in sets(directory).items():
        if name != "old-tune":
            for row in rows:
                yield (row.voice if name in VOICED else "older"), row, evidence(matcher, row.text)
            continue
        folds = [rows[i::FOLDS] for i in range(FOLDS)]
        for i, fold in enumerate(folds):
            rest = [Example(r.category or r.authority, r.text)
                    for j, f in enumerate(folds) if j != i for r in f]
            held = category_matcher(directory.categories, rest, directory.out_of_authority)
            for row in fold:
                yield "older", row, evidence(held, row.text)


Counts = tuple[int, int, int, int, int, int, int]  # n, top-1, top-3, outside, recognised, inside, alarms


def tally(items: list[tuple[Row, Evidence]], weights: Weights) -> Counts:
    n = top1 = top3 = outside = recognised = inside = alarms = 0
    for row, e in items:
        ranked, topic = decide(e, weights)
        if row.category:
            n, top1, top3 = n + 1, top1 + (ranked[:1] == [row.category]), top3 + (row.category in ranked)
        if row.authority:
            outside, recognised = outside + 1, recognised + (topic == row.authority)
        else:
            inside, alarms = inside + 1, alarms + (topic is not None)
    return n, top1, top3, outside, recognised, inside, alarms


def _add(a: Counts, b: Counts) -> Counts:
    return tuple(x + y for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _objective(c: Counts) -> float:
    return (c[1] + c[2]) / c[0] + (c[4] / c[3] if c[3] else 0.0) - 3 * c[6] / c[5]


def _line(name: str, c: Counts) -> str:
    return (f"{name:34} top-1 {c[1] / c[0]:.3f}  top-3 {c[2] / c[0]:.3f}  outside {c[4]}/{c[3]} "
            f"({c[4] / c[3]:.3f})  false alarms {c[6]}/{c[5]}")


def main() -> None:
    groups: dict[str, list[tuple[Row, Evidence]]] = {}
    for group, row, e in labelled():
        groups.setdefault(group, []).append((row, e))
    wrong = sum(decide(e, SHIPPED) != e.expected for items in groups.values() for _, e in items)
    assert not wrong, f"{wrong} proposals differ from propose(): decide() is out of date"
    counts = {(w, g): tally(items, w) for w in GRID for g, items in groups.items()}
    voices = sorted(g for g in groups if g != "older")
    zero: Counts = (0, 0, 0, 0, 0, 0, 0)
    left_out, shipped = zero, zero
    for voice in voices:
        chosen = max(GRID, key=lambda w: _objective(reduce(
            _add, (counts[(w, g)] for g in groups if g != voice))))
        left_out = _add(left_out, counts[(chosen, voice)])
        shipped = _add(shipped, counts[(SHIPPED, voice)])
        print(_line(f"{voice} (chosen {chosen})", counts[(chosen, voice)]))
    print(_line("all voices, each left out", left_out))
    print(_line(f"all voices, shipped {SHIPPED}", shipped))


if __name__ == "__main__":
    main()
