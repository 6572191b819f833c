"""Word-level matching of free text (typos, affixes, English words, specificity) for categories."""

from __future__ import annotations

from functools import cache

import pytest

from core.directory.loader import bundled_directory_path, load_directory_file
from core.matching.categories import ChoiceMatcher, category_matcher
from core.matching.words import normalise_english, stems

WASTE_AND_DRAINS = [
    ("sampah", "sampah"), ("sampah", "sampah menumpuk"), ("sampah", "truk sampah"),
    ("drainase", "selokan"), ("drainase", "tersumbat"), ("drainase", "banjir"),
    ("jalan", "jalan rusak"), ("jalan", "jalan berlubang"), ("lampu", "lampu jalan"),
    ("bus", "bus"),
]


@cache
def _bundled() -> ChoiceMatcher:
    return category_matcher(load_directory_file(bundled_directory_path()).categories)


def _keys(matcher: ChoiceMatcher, text: str) -> list[str]:
    return [m.key for m in matcher.rank(text)]


def test_a_typo_inside_a_long_sentence_still_counts() -> None:
    matcher = ChoiceMatcher(WASTE_AND_DRAINS, keywords=True)
    assert _keys(matcher, "pak tolong smpah di ujung gang ini udah seminggu gak diambil")[0] == "sampah"
    assert _keys(matcher, "drainse mampet")[:1] == []  # "drainase" is not one of these phrases
    assert _keys(matcher, "selokn depan rumah penuh")[0] == "drainase"


def test_two_swapped_letters_are_a_typo_but_a_changed_letter_is_another_word() -> None:
    matcher = ChoiceMatcher([("reklame", "baliho"), ("satwa", "ular"), ("tambang", "tambang")],
                            keywords=True)
    assert _keys(matcher, "bailho gede di simpang miring") == ["reklame"]
    assert _keys(matcher, "ada ulra masuk rumah") == ["satwa"]
    assert _keys(matcher, "pohon tumbang") == []  # one letter off "tambang", not a swap


def test_short_words_only_match_exactly() -> None:
    matcher = ChoiceMatcher(WASTE_AND_DRAINS, keywords=True)
    assert _keys(matcher, "bis kota telat") == []
    assert _keys(matcher, "bus kota telat") == ["bus"]


def test_affixed_forms_meet_their_root() -> None:
    assert {"tumpuk"} <= set(stems("menumpuk")) & set(stems("tumpukan")) & set(stems("numpuk"))
    assert {"sumbat"} <= set(stems("tersumbat")) & set(stems("menyumbat")) & set(stems("nyumbat"))
    assert "makam" in set(stems("pemakaman")) & set(stems("dimakamkan"))
    assert "nikah" in stems("dinikahin") and "bersih" in stems("bersihin")  # Jakarta -in
    assert stems("bensin") == ("bensin",)  # too short a rest to be a suffix
    matcher = ChoiceMatcher(WASTE_AND_DRAINS, keywords=True)
    assert _keys(matcher, "saluran di belakang menyumbat terus")[0] == "drainase"
    assert _keys(matcher, "komplek kami kebanjiran")[0] == "drainase"


def test_a_word_found_as_is_does_not_look_for_other_forms() -> None:
    # "pemadam" (fire fighter) has the stem "padam" (gone out), but both are known words.
    matcher = ChoiceMatcher([("damkar", "pemadam"), ("lampu", "padam")], keywords=True)
    assert _keys(matcher, "pemadam lama datang") == ["damkar"]
    assert _keys(matcher, "sudah padam dua hari") == ["lampu"]
    assert _keys(matcher, "pemadaman") == ["damkar", "lampu"]  # unknown: both stems count


def test_words_shared_by_many_choices_count_less() -> None:
    matcher = ChoiceMatcher(WASTE_AND_DRAINS, keywords=True)
    # "jalan" belongs to two choices: alone it picks neither; with "lampu" it points one way.
    assert set(_keys(matcher, "jalan")) == {"jalan", "lampu"} and matcher.pick("jalan") is None
    assert _keys(matcher, "lampu mati di ujung jalan")[0] == "lampu"
    assert matcher.pick("lampu mati di ujung jalan") == "lampu"


def test_a_phrase_sharing_only_weak_words_with_the_text_is_no_match() -> None:
    matcher = ChoiceMatcher([("banjir", "air masuk rumah"), ("satwa", "ular")], keywords=True)
    assert _keys(matcher, "ada kobra masuk rumah") == []
    assert _keys(matcher, "air masuk rumah tiap hujan") == ["banjir"]


def test_a_whole_phrase_beats_another_choices_single_word_at_equal_scores() -> None:
    matcher = ChoiceMatcher([("pasar", "kios"), ("bangunan", "kios liar"), ("bangunan", "gubuk")],
                            keywords=True)
    assert _keys(matcher, "ada kios liar di lahan taman")[0] == "bangunan"
    assert _keys(matcher, "kios di lahan taman bocor")[0] == "pasar"


def test_a_query_that_is_only_part_of_a_phrase_is_no_full_match() -> None:
    ranked = ChoiceMatcher([("rs", "rumah sakit"), ("taman", "taman")], keywords=True).rank("rumah")
    assert ranked == []
    # Menus keep whole-phrase scoring: typing "aspirasi" picks the "Aspirasi / saran" button.
    assert ChoiceMatcher([("aspirasi", "Aspirasi / saran"), ("info", "Info")]).pick("aspirasi") == "aspirasi"


def test_equal_scores_go_to_the_problem_rather_than_where_it_is() -> None:
    assert _keys(_bundled(), "hidran di pasar tidak berfungsi")[0] == "kebakaran"
    assert _keys(_bundled(), "limbah oli dibuang bengkel ke selokan")[0] == "pencemaran"


@pytest.mark.parametrize(("text", "code"), [
    ("garbage piling up on the corner", "sampah"),
    ("fallen trees blocking the street", "pohon_tumbang"),
    ("my employer has not paid my wages", "ketenagakerjaan"),
    ("lampune mati wis seminggu", "lampu_jalan"),
    ("runtah numpuk di sisi jalan", "sampah"),
    ("ngurus surat di kelurahan dimintai uang", "pungli_asn"),
    ("tolong, ada gadis 14 thn mau dinikahin paksa", "perlindungan_anak"),
    ("mbah urip dhewe, ora ana sing ngurus", "bansos"),
    ("the road has sunk after the rain", "jalan_rusak"),
    ("how do I move my residence to this city", "adminduk"),
    ("cai teu ngocor ti isuk", "air_bersih"),
    ("batang kayu gadang rabah di jalan, oto indak bisa lewat", "pohon_tumbang"),
])
def test_bundled_categories_understand_english_regional_and_affixed_words(text: str, code: str) -> None:
    assert _keys(_bundled(), text)[:1] == [code]


@pytest.mark.parametrize("text", [
    "terima kasih banyak", "halo selamat pagi", "di dekat rumah saya", "sudah lama sekali",
    "mau bikin laporan",
    "hari senin kemarin", "please help me", "kapan selesai",
    "dua minggu lalu di kelurahan", "sejak empat hari",  # numbers, "lalu" and addresses
])
def test_words_that_name_no_problem_match_no_category(text: str) -> None:
    assert _bundled().rank(text) == []


@pytest.mark.parametrize(("word", "root"), [
    ("busuak", "busuk"), ("kampuang", "kampung"), ("runtuah", "runtuh"), ("pasia", "pasir"),
    ("surek", "surat"), ("karcih", "karcis"), ("angkuik", "angkut"), ("tanye", "tanya"),
])
def test_minang_and_riau_malay_sound_rules_give_the_indonesian_root(word: str, root: str) -> None:
    assert root in stems(word)


def test_english_words_are_said_in_indonesian_order() -> None:
    assert normalise_english("the electricity pole is leaning") == "the tiang listrik is miring"
