"""Example texts as matcher evidence: what `propose` offers when synonyms know too little."""

from __future__ import annotations

import pytest

from core.directory.model import Category, Example
from core.matching.categories import category_matcher, propose
from core.matching.examples import ExampleIndex, describing_words


def _category(code: str, *synonyms: str) -> Category:
    return Category(code, code, code, "opd", "pengaduan", synonyms)


CATEGORIES = (
    _category("fasilitas_umum", "taman kota", "toilet umum"),
    _category("angkutan_umum", "angkot", "halte bus", "sopir angkot"),
    _category("perlindungan_anak", "kekerasan anak", "anak terlantar"),
    _category("jalan_rusak", "jalan berlubang", "aspal rusak"),
)
EXAMPLES = (
    Example("fasilitas_umum", "atap halte bocor kalau hujan, kursinya juga patah"),
    Example("fasilitas_umum", "kursi taman patah dan atap gazebo bocor"),
    Example("fasilitas_umum", "atap toilet umum bocor, lantai licin"),
    Example("perlindungan_anak", "balita ditinggal sendirian seharian, badannya kurus"),
    Example("perlindungan_anak", "bocah ditinggal orang tuanya kerja seharian tanpa makan"),
    Example("angkutan_umum", "angkot ngetem lama di halte, sopirnya merokok"),
    Example("jalan_rusak", "aspal ngelupas, motor jatuh tiap hujan"),
)


def test_examples_fill_the_offer_and_overrule_a_winner_they_disagree_with() -> None:
    text = "halte bus depan kampus atapnya bocor dan kursinya patah"
    without = propose(category_matcher(CATEGORIES), text)
    with_examples = propose(category_matcher(CATEGORIES, EXAMPLES), text)
    assert without.ranked == ["angkutan_umum"]
    # The examples' n-grams ("atapnya bocor", "kursinya patah") may rank it first.
    assert set(with_examples.ranked[:2]) == {"angkutan_umum", "fasilitas_umum"}
    assert without.clear == "angkutan_umum"
    assert with_examples.clear is None  # past reports say otherwise: the citizen gets both
    assert with_examples.offered == with_examples.ranked


def test_a_description_no_synonym_knows_is_matched_through_examples() -> None:
    text = "ada balita ditinggal sendirian di rumah seharian, kurus sekali"
    assert propose(category_matcher(CATEGORIES), text).offered == []
    offered = propose(category_matcher(CATEGORIES, EXAMPLES), text).offered
    assert offered[0] == "perlindungan_anak"
    assert len(offered) <= 3


@pytest.mark.parametrize("text", [
    "terima kasih banyak", "halo selamat pagi", "sudah lama sekali", "kapan selesai",
    "tolong segera ditindaklanjuti ya", "dua minggu lalu di kelurahan",
])
def test_short_texts_that_describe_nothing_get_no_guesses(text: str) -> None:
    # Words of these texts are in the examples ("kurus", "hujan", "lama" would match): the
    # examples speak only for a text with enough describing words, or next to a synonym hit.
    examples = (*EXAMPLES, Example("jalan_rusak", "sudah lama sekali jalan ini rusak, kapan selesai"),
                Example("fasilitas_umum", "terima kasih, taman sudah bersih, selamat pagi"))
    assert propose(category_matcher(CATEGORIES, examples), text).offered == []


def test_a_clear_synonym_winner_the_examples_agree_with_stays_the_single_offer() -> None:
    examples = (*EXAMPLES, Example("jalan_rusak", "jalan berlubang besar di gang mawar"))
    assert ExampleIndex((e.category, e.text) for e in examples).vote("jalan berlubang")[0] == "jalan_rusak"
    proposal = propose(category_matcher(CATEGORIES, examples), "jalan berlubang")
    assert proposal.clear == "jalan_rusak"
    assert proposal.offered == ["jalan_rusak"]
    assert proposal.ranked[0] == "jalan_rusak" and len(proposal.ranked) <= 3


def test_votes_sum_the_similarity_of_the_nearest_examples() -> None:
    index = ExampleIndex((e.category, e.text) for e in EXAMPLES)
    assert len(index) == len(EXAMPLES)
    # Three examples share "atap … bocor": fasilitas_umum wins over the one halte example.
    assert index.vote("atap bocor di halte")[0] == "fasilitas_umum"
    assert index.vote("the roof leaks")[0] == "fasilitas_umum"  # "leaks" is "bocor"
    assert index.vote("jembatan bising malam hari") == []  # no shared word, no vote
    assert ExampleIndex(()).vote("atap bocor") == []


def test_examples_read_chat_spellings_english_and_affixes_like_synonyms() -> None:
    index = ExampleIndex([("sampah", "sampah numpuk di pinggir jalan"),
                          ("drainase", "selokan mampet air meluap")])
    assert index.vote("garbage menumpuk")[0] == "sampah"  # English word, me- prefix
    assert index.vote("selokannya mampet")[0] == "drainase"  # -nya


def test_describing_words_skip_stop_weak_and_number_words() -> None:
    assert describing_words("tolong ya pak, sudah 3 hari") == 1  # "hari"
    assert describing_words("balita ditinggal sendirian seharian") == 4
    assert describing_words("rumah warga rusak") == 0
