"""How the CATEGORY step combines its three kinds of evidence for typed text (issue 21): the
synonyms' score (`ChoiceMatcher.rank`, 0–100), the character n-gram model's probability
(`core.matching.ngrams`) and the vote of the nearest past reports (`core.matching.examples`).

Each speaks where the others are weak: synonyms for the words a category is named by, n-grams
for words never seen but spelled like known ones (Minang "lubangnyo"), examples for the way
residents describe a problem in whole sentences. The weights were first chosen on the older
labelled sets (the directory's examples by cross-validation, tests/data/category_texts.csv, the
v2 tune half) and checked on the third blind set; then, after the vocabulary work, by leaving
each writer's voice out in turn: every one of the ten choices picked these same weights
(bench/RESULTS.md, issue 21).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

# A category's score: its synonym score (0–1, those of SYNONYM_CUTOFF or more) + NGRAM_WEIGHT ×
# the n-gram probability (categories the synonyms miss need at least NGRAM_MIN and 1.5 times a
# uniform guess) + VOTE_WEIGHT × its share of the nearest examples' vote.
NGRAM_WEIGHT, NGRAM_MIN, NGRAM_OVER_UNIFORM = 4.0, 0.05, 1.5
VOTE_WEIGHT = 0.5
SYNONYM_CUTOFF = 75.0
# A topic outside the city's authority whose own words are in the text (a pattern said in
# order, scoring TOPIC_CUTOFF or more) is what the text is about when its combined score is at
# least TOPIC_SHARE of the best category's: "motor saya dicuri di parkiran" is the police's,
# although "parkir" names a category as strongly as "dicuri" names the topic.
TOPIC_CUTOFF, TOPIC_SHARE = 75.0, 0.8
# Where no topic phrase is said, a topic is still what the text is about when it outranks every
# category in the combined score and the n-gram regression of outside against inside
# (core.matching.ngrams) gives it at least OUTSIDE_MEANING. Chosen on the sets before their
# topic vocabulary was added (bench/RESULTS.md, generalisation round 2): 0 false alarms there;
# 0.6 and 0.7 score the same on every set, the higher is kept for writers not yet seen.
OUTSIDE_MEANING = 0.7


def fused(synonyms: dict[str, float], probabilities: dict[str, float], votes: dict[str, float],
          ngram_weight: float = NGRAM_WEIGHT, vote_weight: float = VOTE_WEIGHT) -> dict[str, float]:
    """Per key (categories and topics alike) the combined score; `synonyms` are 0–100 scores,
    `probabilities` sum to 1, `votes` are the examples' summed similarities (the weights are
    parameters for bench/category_fusion.py)."""
    score = {key: value / 100 for key, value in synonyms.items() if value >= SYNONYM_CUTOFF}
    enough = max(NGRAM_MIN, NGRAM_OVER_UNIFORM / max(len(probabilities), 1))
    for key, probability in probabilities.items():
        if probability >= enough or key in score:
            score[key] = score.get(key, 0.0) + ngram_weight * probability
    total = sum(votes.values())
    for key, vote in votes.items():
        score[key] = score.get(key, 0.0) + vote_weight * vote / total
    return score


def best(score: dict[str, float], keep: bool, prefix: str) -> list[str]:
    """Keys best first: those starting with `prefix` (`keep`) or the others."""
    return [key for key in sorted(score, key=score.__getitem__, reverse=True)
            if key.startswith(prefix) == keep]


def topic_outweighs(topic: str, score: dict[str, float], categories: list[str],
                    share: float = TOPIC_SHARE) -> bool:
    """Whether the topic's combined score is at least `share` of the best category's."""
    return score.get(topic, 0.0) >= share * (score[categories[0]] if categories else 0.0)


def meant_topic(score: dict[str, float], outside: float, prefix: str,
                least: float = OUTSIDE_MEANING) -> str | None:
    """The best topic (key starting with `prefix`) when it outranks every category and the
    probability that the text is about a topic outside the city's authority is `least` or more."""
    topics, categories = best(score, True, prefix), best(score, False, prefix)
    if topics and outside >= least and (
            not categories or score[topics[0]] >= score[categories[0]]):
        return topics[0]
    return None


OUTSIDE_CUTOFF = 75.0  # a topic's synonym score that can make it what the text is about


class Scored(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def words(self) -> int: ...


def phrase_topic(matches: Sequence[Scored], votes: list[str], prefix: str) -> str | None:
    """The topic outside the city's authority (keys starting with `prefix`) that the synonyms'
    best `matches` and the examples' `votes` say the text is about, if any."""
    topic = next((m for m in matches if m.key.startswith(prefix)), None)
    # A tie goes to the topic unless a category's phrase says more: a national road with
    # potholes is still a national road, "lampu rumah mati" is PLN's, but "lampu jalan mati"
    # stays the city's although "mati lampu" (a power cut) is in it too.
    # A one-word topic ("bpjs") must win outright: "pasien BPJS ditolak di RSUD" is the city
    # hospital's matter.
    # Past reports settle a tie too ("begal … dekat kebun": the nearest examples are crimes).
    if topic is not None and topic.score >= max(OUTSIDE_CUTOFF, matches[0].score) and (
            votes[:1] == [topic.key]
            or not any(m.score >= topic.score and (m.words > topic.words or topic.words < 2)
                       for m in matches if not m.key.startswith(prefix))):
        return topic.key.removeprefix(prefix)
    if not matches and votes and votes[0].startswith(prefix):
        return votes[0].removeprefix(prefix)
    return None


def clear_winner(best: Sequence[Scored], margin: float) -> str | None:
    """`ChoiceMatcher.pick`'s rule on `rank`'s best two: the first, alone or ahead by `margin`."""
    return best[0].key if best and (len(best) == 1 or best[0].score - best[1].score >= margin) else None
