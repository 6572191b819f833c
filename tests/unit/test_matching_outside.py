"""Topics outside the city's authority at the CATEGORY step, by meaning (issue 21): stems,
typos, regional and English words; the lights going out inside a house are PLN's, a street
light is the city's. Texts written for this test, not taken from the labelled sets."""

from __future__ import annotations

from functools import cache

import pytest

from core.directory.loader import bundled_directory_path, load_directory_file
from core.matching.categories import ChoiceMatcher, category_matcher, propose
from core.matching.fusion import fused


@cache
def _matcher() -> ChoiceMatcher:
    d = load_directory_file(bundled_directory_path())
    return category_matcher(d.categories, d.examples, d.out_of_authority)


@pytest.mark.parametrize(("text", "topic"), [
    ("lampu rumah saya mati dari tadi malam", "pln"),
    ("lampu di dalam rumah padam semua", "pln"),
    ("lights went out in my house", "pln"),
    ("lampune omahku mati kabeh", "pln"),
    ("rumah gelap, listrik mati sejak subuh", "pln"),
    ("lampu jalan di depan rumah saya mati", None),
    ("the streetlight in front of my house is out", None),
    ("lampu merah mati di perempatan", None),
    ("motor gw ilang dicolong", "polisi"),
    ("hp saya dijambret di simpang", "polisi"),
    ("tunggakan bpjs", "bpjs"),
    ("pasien bpjs ditolak rsud", None),  # the city hospital's matter
    ("SMAN 3 minta uang gedung", "sma_smk"),
    ("jalan provinsi berlubang", "jalan_nasional"),
    ("sertifikat tanah belum jadi", "pertanahan"),
    ("sinyal telkomsel ilang", "seluler"),
    ("ketipu olshop", "penipuan_online"),
])
def test_the_category_step_names_a_topic_outside_authority_by_meaning(text: str, topic: str | None) -> None:
    assert propose(_matcher(), text).outside == topic


def test_the_categories_are_still_ranked_for_a_citizen_who_files_anyway() -> None:
    proposal = propose(_matcher(), "lampu rumah saya mati dari tadi malam")
    assert proposal.outside == "pln" and proposal.clear is None
    assert proposal.ranked[0] == "lampu_jalan"


def test_the_examples_vote_breaks_a_tie_the_synonyms_leave() -> None:
    # Two categories with equal synonym scores: the one past reports point to ranks first.
    score = fused({"a": 100.0, "b": 100.0}, {}, {"b": 0.6, "a": 0.2})
    assert max(score, key=score.__getitem__) == "b"
    # n-gram probabilities count only above a uniform guess, unless a synonym spoke.
    assert fused({}, {"a": 0.3, "b": 0.3, "c": 0.4}, {}) == {}


@pytest.mark.parametrize(("text", "first"), [
    ("jalan kampung berlubang dalam, ini jalan kota, bukan jalan provinsi", "jalan_rusak"),
    ("listrik di rumah aman, tapi lampu jalan di gang kami mati", "lampu_jalan"),
    ("rumah tetangga menyala semua, cuma lampu jalan yang gelap", "lampu_jalan"),
])
def test_a_topic_the_text_says_is_not_the_problem_is_not_named(text: str, first: str) -> None:
    proposal = propose(_matcher(), text)
    assert proposal.outside is None
    assert proposal.ranked[:1] == [first]


@pytest.mark.parametrize(("text", "topic"), [
    ("rumah kami kebobolan semalam, laptop dan perhiasan hilang", "polisi"),
    ("a fake online shop took my money", "penipuan_online"),
    ("saye kene tipu pinjol, kawan saye pun diteror", "penipuan_online"),  # Riau Malay
    ("the electricity pole near my house is leaning", "pln"),  # English order
    ("jalinsum berlubang besar dekat pasar", "jalan_nasional"),
])
def test_a_topic_is_named_by_meaning_and_by_residents_words(text: str, topic: str) -> None:
    assert propose(_matcher(), text).outside == topic
