"""Free text to a choice: normalisation plus rapidfuzz scoring against labels and synonyms.

Every matcher scores the whole query against each phrase (`token_set_ratio`: a sentence that
contains a whole phrase scores 100). A matcher with `keywords` (categories) also scores single
words: exactly, through stems ("menyumbat"), English ("garbage") and one-letter typos ("smpah"),
each as much as it is specific to a choice; the better of the two scores counts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from core.directory.model import Category, Example, Opd, OutOfAuthority
from core.matching.authority_model import FOCUSED_WORDS, settle
from core.matching.concepts import concept_topic
from core.matching.examples import MIN_DESCRIBING_WORDS, ExampleIndex, describing_words
from core.matching.fusion import (
    TOPIC_CUTOFF,
    best,
    clear_winner,
    fused,
    meant_topic,
    phrase_topic,
    topic_outweighs,
)
from core.matching.names import without_names
from core.matching.negation import not_fine, without_denied
from core.matching.ngrams import TOPIC, NgramModel
from core.matching.word_index import WHOLE_PHRASE_BONUS, WordIndex, keyword_score, places
from core.matching.words import MIN_QUERY_CHARS, STOP_WORDS, content_words, normalise, normalise_english

# Words that place what follows outside ("depan rumah": in front of the house, on the street).
_OUTSIDE = frozenset({"depan", "samping", "belakang", "dekat", "sebelah", "seberang", "pinggir",
                      "luar", "muko", "ngarep", "front", "near", "outside", "beside", "behind"})
_DROPPED = STOP_WORDS - _OUTSIDE


@dataclass(frozen=True, slots=True)
class Match:
    key: str
    score: float
    words: int = 0  # words of the phrase behind the score (0: single words' evidence)


class ChoiceMatcher:
    """Scores text against named choices; each choice may have several phrases."""

    def __init__(self, phrases: Iterable[tuple[str, str]], *, keywords: bool = False,
                 examples: Iterable[tuple[str, str]] = (),
                 unless: Iterable[tuple[str, str]] = ()) -> None:
        """`keywords`: also score the query's single words (typos, stems, English words), for
        free text such as a resident naming a problem, not for picking from a short menu.
        `examples`: (key, text) pairs of past texts, for `propose` (see core.examples).
        `unless`: (key, phrase) pairs that rule a key out wherever they are said (`rules_out`)."""
        self._english = keywords
        examples = list(examples)
        phrases = list(phrases)
        self.examples = ExampleIndex(examples)
        self.ngrams = NgramModel([*phrases, *examples] if keywords else ())
        self._keys: list[str] = []
        self._phrases: list[str] = []
        self._written: list[str] = []  # each phrase as the directory spells it
        for key, phrase in phrases:
            # Phrases lose their stop words as queries do, or "pedagang di trotoar" could
            # never be wholly inside a sentence that also lost its "di".
            norm = content_words(self._normalise(phrase))
            if norm:
                self._keys.append(key)
                self._phrases.append(norm)
                self._written.append(phrase)
        self._exact = {p: k for k, p in zip(self._keys, self._phrases, strict=True)}
        self._by_key: dict[str, list[tuple[str, str]]] = {}  # key -> (phrase, as written)
        for k, p, w in zip(self._keys, self._phrases, self._written, strict=True):
            self._by_key.setdefault(k, []).append((p, w))
        self._index = WordIndex(self._keys, self._phrases) if keywords else None
        self._unless: dict[str, list[list[str]]] = {}
        for key, phrase in unless:
            if norm := content_words(self._normalise(phrase)):
                self._unless.setdefault(key, []).append(norm.split(" "))

    def _normalise(self, text: str) -> str:
        return normalise_english(text) if self._english else normalise(text)

    def rank(self, text: str, limit: int = 3, cutoff: float = 70.0) -> list[Match]:
        """Best choices first, one entry per key, scores 0–100."""
        normalised = self._normalise(text)
        query = content_words(normalised)
        if len(query) < MIN_QUERY_CHARS:
            return []
        if query in self._exact:
            return [Match(self._exact[query], 100.0)]
        # Per key: (score, evidence of single words, words of the best phrase, -position of the
        # first word pointing to it). Equal scores go to the key more words point to, then to
        # the longer phrase, then to the key named first (the topic tends to come first).
        words = query.split(" ")
        tally = {key: (score, 0.0, length, -len(words))
                 for key, (score, length) in self._phrase_scores(query, cutoff).items()}
        if self._index is not None:
            for key, (values, weighted, first) in self._index.evidence(words, places(normalised)).items():
                score, _, length, _ = tally.get(key, (0.0, 0.0, 0, 0))
                if score >= 100.0 and length >= 2:
                    weighted += WHOLE_PHRASE_BONUS
                score = max(score, keyword_score(values))
                if score >= cutoff:
                    tally[key] = (score, weighted, length, -first)
        ranked = sorted(tally.items(), key=lambda item: item[1], reverse=True)
        return [Match(key, round(score, 1), length) for key, (score, _, length, _) in ranked[:limit]]

    def _phrase_scores(self, query: str, cutoff: float) -> dict[str, tuple[float, int]]:
        """Per key: its best phrase score, and how many words that phrase has."""
        best: dict[str, tuple[float, int]] = {}
        hits = process.extract(
            # token_set_ratio: a sentence that contains a whole synonym scores 100, and short
            # words do not match inside longer ones (WRatio's partial matching did that).
            query, self._phrases, scorer=fuzz.token_set_ratio, processor=None,
            limit=None, score_cutoff=cutoff,
        ) if self._index is None else self._index.phrase_hits(query, cutoff)
        for phrase, score, index in hits:
            # Equal scores (a sentence containing two whole synonyms scores 100 for both) go
            # to the more specific synonym: the one with more words found in the text.
            key, strength = self._keys[index], (float(score), len(phrase.split(" ")))
            if strength > best.get(key, (0.0, 0)):
                best[key] = strength
        return best

    def said_in_order(self, key: str, text: str, deny: bool = True) -> bool:
        """Whether one of `key`'s phrases is in the text in its own word order, at most one
        word apart ("lampu di rumah saya mati", not "lampu merah di perempatan mati" for
        "mati lampu"), or a two-word phrase reversed side by side ("national road"). Words
        count as `rank` reads them: stems, chat and English words; with `deny`, not those the
        text says are not the problem (core.matching.negation)."""
        return self.phrase_said(key, text, deny) is not None

    def phrase_said(self, key: str, text: str, deny: bool = True) -> str | None:
        """The longest of `key`'s phrases said in the text (see `said_in_order`), as written."""
        words = self._query_words(text, deny)
        said = [(len(phrase), written) for phrase, written in self._by_key.get(key, ())
                if _said(phrase.split(" "), words)]
        return max(said)[1] if said else None

    def rules_out(self, key: str, text: str) -> bool:
        """Whether one of `key`'s `unless` phrases is said in the text, and not denied."""
        words = self._query_words(text) if key in self._unless else []
        return any(_said(phrase, words) for phrase in self._unless.get(key, ()))

    def knows(self, word: str) -> bool:
        """Whether the word (normalised) is a word of the phrases."""
        return self._index is not None and self._index.has(word)

    def words_for(self, text: str, key: str) -> list[str]:
        """The text's words that point to `key` (as matching reads them), in order."""
        if self._index is None:
            return []
        found: list[str] = []
        for word in content_words(self._normalise(text)).split(" "):
            if word not in found and key in self._index.weights_of(word):
                found.append(word)
        return found

    def _query_words(self, text: str, deny: bool = True) -> list[str]:
        """The content words, less the one after a word placing it outside ("lampu jalan di
        depan rumah mati" is a street light, not "lampu rumah mati", a power cut at home)."""
        words: list[str] = []
        after_outside, previous = False, ""
        for word in self._normalise(text).split(" "):
            previous, was = word, previous
            if word in _DROPPED or not_fine(word, was):
                continue  # "in front of my house": the house is still the word after "front"
            if not after_outside:
                words.append(word)
            after_outside = word in _OUTSIDE
        words = [word for word in words if word not in _OUTSIDE] or words
        words = without_denied(words) if deny else words
        if self._index is not None:
            words = [self._index.as_phrases_spell(word) for word in words]
        return words

    def pick(self, text: str, cutoff: float = 85.0, margin: float = 8.0) -> str | None:
        """The key when one choice clearly wins, else None."""
        ranked = self.rank(text, limit=2, cutoff=cutoff)
        if not ranked:
            return None
        if len(ranked) == 1 or ranked[0].score - ranked[1].score >= margin:
            return ranked[0].key
        return None


def _said(phrase: list[str], words: list[str]) -> bool:
    """In order at most one word apart, or a two-word phrase reversed side by side (English
    order: "national road")."""
    reversed_pair = len(phrase) == 2 and _in_order(phrase[::-1], words, gap=0)
    return reversed_pair or _in_order(phrase, words, gap=1)


def _in_order(phrase: list[str], words: list[str], gap: int) -> bool:
    """Whether `phrase` occurs in `words` in order, at most `gap` words between its words."""
    for start, word in enumerate(words):
        if word != phrase[0]:
            continue
        at = start
        for wanted in phrase[1:]:
            at = next((i for i in range(at + 1, min(len(words), at + gap + 2)) if words[i] == wanted), -1)
            if at < 0:
                break
        else:
            return True
    return False


# What the CATEGORY step offers for typed text: one clear winner, else the closest three.
PICK_CUTOFF, PICK_MARGIN = 75.0, 12.0
RANK_LIMIT, RANK_CUTOFF = 3, 70.0
FUSE_LIMIT = 8  # synonym matches that take part in the combined score (core.matching.fusion)


@dataclass(frozen=True, slots=True)
class Proposal:
    clear: str | None  # the one choice that clearly wins, if any
    ranked: list[str]  # the closest choices, best first
    outside: str | None = None  # a topic outside the city's authority the text is about

    @property
    def offered(self) -> list[str]:
        """What the citizen is shown: the clear winner alone, else the ranked few."""
        return [self.clear] if self.clear else self.ranked


def propose(matcher: ChoiceMatcher, text: str) -> Proposal:
    """The choices to offer for typed text (the intake's CATEGORY step): categories best first
    by the synonyms, the n-gram model and the nearest examples together (core.matching.fusion);
    the examples' vote fills the offer when the others find fewer than three. The synonyms'
    clear winner stands alone only if the others agree with it.

    Topics outside the city's authority are matched as categories are; `outside` names one
    when it ranks first (by its synonyms, or by the examples when no synonym speaks), or when
    its own words are in the text and its combined score comes near the best category's, by
    meaning, or by two of its concepts close together (core.matching.concepts); the categories
    are still ranked for a citizen who files anyway; core.matching.authority_model has the last say."""
    typed, text = text, without_names(text, matcher.knows)
    found = matcher.rank(text, limit=FUSE_LIMIT, cutoff=RANK_CUTOFF)  # one rank() serves all
    matches = found[:RANK_LIMIT + 2]
    all_votes = matcher.examples.votes(text, min_describing=0 if matches else MIN_DESCRIBING_WORDS)
    vote_order = sorted(all_votes, key=all_votes.__getitem__, reverse=True)
    votes = [key for key in vote_order if not key.startswith(TOPIC)]
    probabilities, meaning = matcher.ngrams.read(text)
    score = ({} if not found and describing_words(text) < MIN_DESCRIBING_WORDS else
             fused({m.key: m.score for m in found}, probabilities, all_votes))
    ranked = best(score, False, TOPIC)[:RANK_LIMIT]
    outside = phrase_topic(matches, vote_order, TOPIC)
    if outside is not None and matches and not matcher.said_in_order(TOPIC + outside, text):
        outside = None  # "paket sembako … data DTKS" has the words of "paket data", not it
    if outside is None and (topics := best(score, True, TOPIC)):
        said = next((m for m in found if m.key == topics[0] and m.score >= TOPIC_CUTOFF), None)
        if said is not None and topic_outweighs(said.key, score, best(score, False, TOPIC)) and (
                matcher.said_in_order(said.key, text)):  # the costlier check last
            outside = said.key.removeprefix(TOPIC)
    if outside is None and (meant := meant_topic(score, meaning, TOPIC)) is not None and (
            matcher.said_in_order(meant, text) or not matcher.said_in_order(meant, text, False)):
        outside = meant.removeprefix(TOPIC)  # its meaning, unless its phrase is denied
    clear = clear_winner([m for m in found if m.score >= PICK_CUTOFF][:2], PICK_MARGIN)
    if clear is not None and (clear.startswith(TOPIC) or (votes and votes[0] != clear)
                              or (ranked and ranked[0] != clear)):
        clear = None  # "halte bocor": halte names transport, past reports say public facilities
    if outside is None:  # two of a topic's concepts close together (core.matching.concepts)
        outside = concept_topic(matcher._query_words(text), clear and matcher.phrase_said(clear, text))
    ranked += [key for key in votes if key not in ranked]
    topics = [] if clear else best(score, True, TOPIC) or best(probabilities, True, TOPIC)
    outside = settle(outside, matcher.ngrams.authority(typed), topics, TOPIC,  # the model's say
                     lambda key: matcher.rules_out(key, text),
                     focused=outside is not None
                     and len(matcher._query_words(text)) <= FOCUSED_WORDS)
    if outside is not None and matcher.rules_out(TOPIC + outside, text):
        outside = None  # "PBB … sertifikat tanah": the tax bill is the city's
    return Proposal(clear, ranked[:RANK_LIMIT], outside)


def category_matcher(categories: Sequence[Category], examples: Sequence[Example] = (),
                     topics: Sequence[OutOfAuthority] = ()) -> ChoiceMatcher:
    """Matcher over category names (both languages) and directory synonyms, scoring single
    words too: residents describe a problem in their own words; and over example texts.
    `topics` outside the city's authority take part under their code prefixed with `TOPIC`,
    their patterns as synonyms; an example filed under a topic's code counts for it."""
    codes = {topic.code for topic in topics}
    return ChoiceMatcher(
        [*((c.code, phrase)
           for c in categories
           for phrase in (c.name_id, c.name_en, c.code.replace("_", " "), *c.synonyms)),
         *((TOPIC + topic.code, pattern) for topic in topics for pattern in topic.patterns)],
        keywords=True,
        examples=((TOPIC + e.category if e.category in codes else e.category, e.text)
                  for e in examples),
        unless=((TOPIC + topic.code, phrase) for topic in topics for phrase in topic.unless),
    )


def opd_matcher(opds: Sequence[Opd]) -> ChoiceMatcher:
    """Matcher over agency slugs, names and aliases."""
    return ChoiceMatcher((o.slug, phrase) for o in opds for phrase in (o.name, o.slug, *o.aliases))
