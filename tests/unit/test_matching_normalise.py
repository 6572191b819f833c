"""Normalisation and tie-breaking of the free-text matcher."""

from __future__ import annotations

from core.matching.categories import ChoiceMatcher
from core.matching.names import without_names
from core.matching.words import normalise


def test_chat_reduplication_and_the_nya_suffix_are_normalised() -> None:
    assert normalise("Anak2 ngamen, sampahnya bau!") == "anak ngamen sampah bau"
    assert normalise("mabuk2an di jalannya") == "mabuk di jalan"
    assert normalise("hanya punya satu") == "hanya punya satu"  # roots that end in -nya


def test_written_out_reduplication_counts_once() -> None:
    assert normalise("gorong-gorong mampet, lampu kedip2 kedip") == "gorong mampet lampu kedip"
    # A phrase and a query that spell the same reduplication differently still meet.
    matcher = ChoiceMatcher([("drainase", "gorong-gorong"), ("jalan", "jalan rusak")], keywords=True)
    assert matcher.pick("gorong2 di bawah jalan ketutup") == "drainase"


def test_having_no_x_is_said_as_without_x() -> None:
    assert normalise("gk ada izinnya") == "tanpa izin"
    assert normalise("tidak punya IMB") == "tanpa imb"
    assert normalise("tidak ada orang") == "tanpa orang"
    assert normalise("ada tidak") == "ada tidak"  # only "tidak ada X", not any order
    assert normalise("kagak ade izinnye") == "tanpa izin"  # Betawi
    assert normalise("reklame ga berizin") == "reklame tanpa izin"


def test_stop_words_are_dropped_from_phrases_as_from_queries() -> None:
    matcher = ChoiceMatcher([("pkl", "pedagang di trotoar"), ("jalan", "jalan rusak")])
    assert matcher.pick("banyak pedagang jualan di trotoar depan pasar") == "pkl"


def test_equal_scores_go_to_the_more_specific_phrase() -> None:
    matcher = ChoiceMatcher([("taman", "taman"), ("pohon", "pohon tumbang")])
    ranked = matcher.rank("pohon tumbang di taman kota")
    assert [m.key for m in ranked][:2] == ["pohon", "taman"]
    assert ranked[0].score == ranked[1].score == 100.0


def test_drawn_out_letters_are_said_once() -> None:
    assert normalise("jalannya parahhh, gelaaap bangettt") == "jalan parah gelap banget"
    assert normalise("ancurr bauu") == "hancur bau"  # a doubled last letter too
    assert normalise("maaf saat") == "maaf saat"  # two vowels inside a word stay
    assert normalise("rt 11 rw 100") == "rt 11 rw 100"  # numbers are not drawn out


def test_regional_function_and_problem_words_are_said_in_indonesian() -> None:
    assert normalise("lampune omahku mati kabeh") == "lampu rumah mati semua"  # Javanese
    assert normalise("jawi dilapehan di jalan") == "sapi dilepas di jalan"  # Minangkabau
    assert normalise("peniaga kat hujung jalan") == "pedagang di ujung jalan"  # Riau Malay
    assert normalise("motor gw dicolong tdi mlm") == "motor gw dicuri tadi malam"  # chat


def test_place_names_after_jalan_or_kelurahan_are_not_problems() -> None:
    def strip(text: str) -> str:
        return " ".join(without_names(text, {"rusak", "taman"}.__contains__).split())

    assert strip("air di Kelurahan Labuh Baru keruh") == "air di Kelurahan keruh"
    assert strip("Laporan Jalan Rusak di Jl. Sudirman. Terima kasih") == (
        "Laporan Jalan Rusak di Jl. . Terima kasih")  # a known word stays; the name ends at "."
    assert strip("di Jl. H. Agus Salim No. 5, jalan") == "di Jl. . No. 5, jalan"
    assert strip("pohon tumbang di Taman Kaca Mayang, tolong") == "pohon tumbang di Taman , tolong"
    assert strip("jalan depan indomaret") == "jalan depan indomaret"  # lower case: no name
