"""Topics outside the city's authority by two concepts said close together
(`core.matching.concepts`, issue 21, generalisation rounds 3 and 4): a theft and a belonging, a deed
and land, a deceit and a channel, a signal and a phone, a token and its meter, one's own house
dark; and the look-alikes that stay the city's. Texts written for this test, not taken from
the labelled sets."""

from __future__ import annotations

from functools import cache

import pytest

from core.directory.loader import bundled_directory_path, load_directory_file
from core.matching.categories import ChoiceMatcher, category_matcher, propose
from core.matching.concepts import concept_topic, roots
from core.matching.negation import without_denied


@cache
def _matcher() -> ChoiceMatcher:
    d = load_directory_file(bundled_directory_path())
    return category_matcher(d.categories, d.examples, d.out_of_authority)


@pytest.mark.parametrize(("text", "topic"), [
    ("sepeda anak ambo tacuri di halaman sakola", "polisi"),  # Minang ta- passive
    ("dompet aku dicopet pas naik bis kota", "polisi"),
    ("mobil saye kene rampok kat simpang", "polisi"),  # Riau Malay kene
    ("motor pakdhe ilang neng parkiran pasar", "polisi"),  # Javanese
    ("somebody stole my motorbike outside the mosque", "polisi"),
    ("mau tanya balik nama sertifikat tanah warisan bapak", "pertanahan"),
    ("kavling yang saya beli belum ada sertifikatnya", "pertanahan"),
    ("aku kena apus bayar tiket lewat instagram", "penipuan_online"),
    ("saldo rekening saya terkuras setelah klik link", "penipuan_online"),
    ("udah transfer tapi barangnya ga dikirim2", "penipuan_online"),
    ("telefon saye tak de sinyal langsung kat rumah", "seluler"),
    ("no bars on my phone since last week", "seluler"),
    ("token listrik udah diisi tapi angkanya ga nambah", "pln"),
    ("rumah ambo padam dari subuh, rumah tetangga manyala", "pln"),
    ("listrik mati urip terus dari pagi", "pln"),
    # round 4: BPJS without its name, roads between towns, supply faults, threats, loans
    ("kartu kis ibu saya dinonaktifkan sepihak", "bpjs"),
    ("iuran ambo lah manunggak sajak tahun lalu, kini indak bisa barobaik", "bpjs"),
    ("jalan antar kabupaten ke arah bandara amblas separuh", "jalan_nasional"),
    ("tegangan anjlok tiap malam, kipas angin muter pelan", "pln"),
    ("tetangga saya diancam akan dibunuh oleh penagih", "polisi"),
    ("aplikasi pinjaman ilegal menyebar data saya ke semua kontak", "penipuan_online"),
    ("kuota internet saya kepotong terus padahal tidak dipakai", "seluler"),
    # round 5: schemes and hijacked accounts, impersonation, sagging lines, transformers,
    # whole-village cuts, blocked numbers, "high school", Javanese dipun-/ng- and Minang words
    ("arisan online di grup fb, adminnya kabur bawa uang kami", "penipuan_online"),
    ("akun ig adik saya diretas lalu dipakai minjam uang ke temannya", "penipuan_online"),
    ("ada yang ngaku petugas bank, minta kode OTP, saldo langsung habis", "penipuan_online"),
    ("kabel dari tiang ke rumah kami menjuntai rendah sekali", "pln"),
    ("semalam trafo di ujung jalan meledak, sampai sekarang belum nyala", "pln"),
    ("listrik padam sekampung dari jam lima sore", "pln"),
    ("nomor hp saya tiba-tiba diblokir padahal sudah registrasi", "seluler"),
    ("the high school my son attends keeps asking for building money", "sma_smk"),
    ("preman pasar ngancam mau membakar lapak kalau tidak setor", "polisi"),
    ("HP kula dipuncolong wonten masjid", "polisi"),  # Javanese krama dipun- + colong
    ("sertif tanah nenek belum balik nama sudah dua tahun", "pertanahan"),
])
def test_two_concepts_close_together_name_the_topic(text: str, topic: str) -> None:
    assert propose(_matcher(), text).outside == topic


@pytest.mark.parametrize("text", [
    "jalan berlubang, motor saya jatuh",
    "lampu jalan mati di gang kami",
    "sinyal lampu lalu lintas di perempatan mati",
    "meteran air di rumah bocor",
    "KTP saya hilang bersama dompet, mau urus yang baru",
    "namanya hilang dari daftar bansos padahal tetangga yang punya mobil dapat",
    "jalan ke perumahan gelap gulita, tolong dipasang penerangan",
    "karaoke bising sampai pukul dua pagi",
    "pedagang terpaksa jualan di pinggir jalan bareng motor",
    "iuran sampah di kompleks kami nunggak tapi tetap diangkut",
    "kuota PPDB sekolah negeri sudah habis",
    "pagar makam umum di tanah wakaf roboh",
    "bus antar kota ngetem sembarangan di depan pasar",
    "antar anak ke sekolah lewat jalan rusak",
    "lampu taman kota redup sekali",
    "lampu lalu lintas di perempatan berkedip terus",
    "ranting pohon sudah menyentuh kabel di atas rumah",
    # round 5
    "saya kira listrik padam, ternyata rumah-rumah nyala, cuma lampu jalannya yang mati",
    "air ledeng mati sekampung dari kemarin",
    "SPPT PBB kami salah luas tanah, beda dengan sertifikat",
    "junior high school di kompleks kami kekurangan guru",
    "balap liar tiap malam di jalan by pass, berisik sekali",
    "gerobak cilok dan bakso mangkal di jalur sepeda taman",
])
def test_look_alikes_stay_the_citys(text: str) -> None:
    assert propose(_matcher(), text).outside is None


def test_a_blocked_bank_account_is_fraud_not_a_phone_number() -> None:
    # a blocked number names the mobile topic; a shop that cheated names online fraud, which the
    # authority model (round 7) reads although the fraud pair is not said
    assert propose(_matcher(), "nomor rekening toko online yang menipu saya sudah diblokir bank?"
                   ).outside == "penipuan_online"


def test_affixes_are_stripped_for_concepts() -> None:
    assert {"curi", "tipu", "motor", "bobol"} <= roots("kecurian") | roots("tatipu") | roots(
        "motorku") | roots("kebobol")
    assert concept_topic(["motor", "hilang", "kendali"]) is None  # lost control, not stolen
    assert concept_topic(["motor", "dicuri"], "lampu penerangan jalan") is None  # a clear category


def test_a_mistaken_first_belief_is_ruled_out_only_when_the_turn_follows() -> None:
    assert without_denied(["kira", "listrik", "padam", "ternyata", "lampu", "jalan", "mati"]) == [
        "lampu", "jalan", "mati"]
    assert without_denied(["thought", "power", "cut", "but", "lampu", "mati"]) == ["lampu", "mati"]
    # no turn: what is thought stays ("I think the power is out")
    assert without_denied(["kira", "listrik", "padam", "rumah"]) == ["kira", "listrik", "padam",
                                                                     "rumah"]


def test_only_a_fine_that_is_not_denied_rules_a_topic_out() -> None:
    assert without_denied(["listrik", "rumah", "aman", "lampu", "jalan", "mati"]) == [
        "lampu", "jalan", "mati"]
    assert without_denied(["listrik", "mati", "hidup", "terus"]) == ["listrik", "mati", "hidup", "terus"]
