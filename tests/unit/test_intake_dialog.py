"""The whole intake form as dialog tables, in both languages, with every bad-input branch."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from core.intake.context import LanguageChanged, StatusRequested, SubmitRequested
from core.intake.state import Conversation, Step
from core.reports.model import Privacy, ReportType
from tests.dialog import PHOTO, Dialog

DESCRIPTION = "Jalan di depan SD 12 berlubang besar sejak dua minggu, motor sering jatuh."


def filled_to(step_name: Step, category: str = "jalan_rusak") -> Dialog:
    """A dialog advanced by buttons until `step_name` is asked."""
    script = [
        ("/lapor", "Jenis laporan", Step.TYPE),
        ({"option": "type:pengaduan"}, "kategori", Step.CATEGORY),
        ({"option": f"cat:{category}"}, "Ceritakan", Step.DESCRIPTION),
        (DESCRIPTION, "Kapan", Step.DATE),
        ({"option": "date:today"}, "lokasi", Step.LOCATION),
        ({"pin": (-0.9, 100.35)}, "foto", Step.PHOTOS),
        ({"option": "photos:done"}, "identitas", Step.PRIVACY),
        ({"option": "privacy:rahasia"}, "Periksa laporan", Step.SUMMARY),
    ]
    dialog = Dialog()
    for row in script:
        if dialog.conversation.step is step_name:
            break
        dialog.play([row])
    assert dialog.conversation.step is step_name
    return dialog


def test_citizen_files_a_report_with_buttons_in_indonesian() -> None:
    dialog = Dialog().play([
        ("/start", "Selamat datang.*Kota Contoh", Step.IDLE),
        ({"option": "menu:lapor"}, "Jenis laporan", Step.TYPE),
        ({"option": "type:pengaduan"}, "Pilih kategori", Step.CATEGORY),
        ({"option": "cat:jalan_rusak"}, "Minimal 20 karakter", Step.DESCRIPTION),
        (DESCRIPTION, "Kapan kejadiannya", Step.DATE),
        ({"option": "date:yesterday"}, "Bagikan lokasi", Step.LOCATION),
        ({"pin": (-0.8995, 100.3510)}, r"Lokasi dicatat: .*-0\.89950.*Kirim foto", Step.PHOTOS),
        ({"photo": [PHOTO]}, r"Foto diterima \(1/5\)", Step.PHOTOS),
        ({"option": "photos:done"}, "Rahasia", Step.PRIVACY),
        ({"option": "privacy:rahasia"}, "Jenis: Pengaduan.*Kategori: Jalan rusak.*Foto: 1",
         Step.SUMMARY),
        ({"option": "summary:confirm"}, "^$", Step.IDLE),
    ])
    [submitted] = dialog.events
    assert isinstance(submitted, SubmitRequested)
    draft = submitted.draft
    assert (draft.type, draft.category, draft.privacy) == (
        ReportType.PENGADUAN, "jalan_rusak", Privacy.RAHASIA)
    assert draft.event_date == date(2026, 11, 21)
    assert draft.description == DESCRIPTION
    assert draft.title == "Jalan di depan SD 12 berlubang besar sejak dua minggu, motor sering jatuh"
    assert draft.photos == [PHOTO]
    assert draft.location is not None and draft.location.latitude == pytest.approx(-0.8995)


def test_citizen_files_a_report_by_typing_in_english() -> None:
    dialog = Dialog().play([
        ("/bahasa en", "Language set to English", Step.IDLE),
        ("/report", "What kind of report", Step.TYPE),
        ("complaint", "Choose a category", Step.CATEGORY),
        ("street light out", 'Did you mean "Street lighting"', Step.CATEGORY),
        ("yes", "Describe the problem", Step.DESCRIPTION),
        ("The street light in front of the mosque has been off for a week.", "When did it",
         Step.DATE),
        ("21/11/2026", "Share a location pin", Step.LOCATION),
        ("Jl. Khatib Sulaiman 12, Kel. Lapai Baru", r"Location saved: .*Kel\. Lapai Baru",
         Step.PHOTOS),
        ("done", "Who may see", Step.PRIVACY),
        ("public", "Please check your report.*Type: Complaint.*Privacy: Public", Step.SUMMARY),
        ("send", "^$", Step.IDLE),
    ])
    assert LanguageChanged("en") in dialog.events
    submitted = dialog.events[-1]
    assert isinstance(submitted, SubmitRequested)
    assert submitted.draft.category == "lampu_jalan"
    assert submitted.draft.kelurahan == "Lapai Baru"
    assert submitted.draft.address == "Jl. Khatib Sulaiman 12, Kel. Lapai Baru"
    assert submitted.draft.privacy is Privacy.PUBLIK


def test_typed_numbers_pick_the_numbered_option() -> None:
    dialog = Dialog().play([
        ("/lapor", "Jenis", Step.TYPE),
        ("2", "kategori", Step.CATEGORY),
    ])
    assert dialog.conversation.draft.type is ReportType.ASPIRASI


@pytest.mark.parametrize(
    ("at", "says", "pattern"),
    [
        (Step.TYPE, "pizza", 'tidak mengerti "pizza"'),
        (Step.CATEGORY, "qwxyz zzqq", 'tidak menemukan kategori untuk "qwxyz zzqq"'),
        (Step.DESCRIPTION, "jalan rusak", r"terlalu singkat \(11 karakter\)"),
        (Step.DESCRIPTION, "x" * 4001, r"terlalu panjang \(4001 karakter, maksimal 4000\)"),
        (Step.DATE, "kapan-kapan", 'Tanggal "kapan-kapan" tidak dapat dibaca'),
        (Step.DATE, "30-02-2026", "tidak dapat dibaca"),
        (Step.DATE, "23-11-2026", "tidak boleh di masa depan"),
        (Step.DATE, "01-01-2024", "paling lama 365 hari"),
        (Step.LOCATION, "jl. x", "Alamat terlalu singkat"),
        (Step.LOCATION, {"pin": (123.0, 100.0)}, "Titik lokasi tidak valid"),
        (Step.LOCATION, "lewati", "memerlukan lokasi"),
        (Step.PHOTOS, "bagus sekali ya", "tidak mengerti"),
        (Step.PRIVACY, "terserah", "tidak mengerti"),
        (Step.SUMMARY, "hmm", "tidak mengerti"),
        (Step.DESCRIPTION, "/foo", r"Perintah /foo tidak dikenal"),
        (Step.DATE, {"option": "privacy:publik"}, "dari pertanyaan sebelumnya"),
        (Step.TYPE, "/bahasa klingon", "Bahasa tidak dikenal"),
        (Step.DESCRIPTION, "lewati", "tidak dapat dilewati"),
    ],
)
def test_bad_input_gets_a_hint_and_the_question_again(at: Step, says: object, pattern: str) -> None:
    dialog = filled_to(at)
    before = dialog.conversation.draft.to_dict()
    dialog.play([(says, pattern, None)])
    assert dialog.conversation.step in (at, Step.LANGUAGE)
    assert dialog.conversation.draft.to_dict() == before  # nothing half-applied
    assert dialog.last_options, "the question is asked again with its buttons"


def test_description_sent_as_photo_only_is_kept_and_text_still_asked() -> None:
    dialog = filled_to(Step.DESCRIPTION)
    dialog.play([({"photo": [PHOTO]}, "Ceritakan masalahnya", Step.DESCRIPTION)])
    assert dialog.conversation.draft.photos == [PHOTO]


def test_wrong_photo_type_and_oversized_photo_are_refused() -> None:
    dialog = filled_to(Step.PHOTOS)
    pdf = replace(PHOTO, storage_key="b" * 64 + ".pdf", content_type="application/pdf")
    huge = replace(PHOTO, storage_key="c" * 64 + ".jpg", size=25 * 2**20)
    dialog.play([
        ({"photo": [pdf]}, r"bukan foto.*\(0/5\)", Step.PHOTOS),
        ({"photo": [huge]}, r"terlalu besar \(maksimal 20 MB\)", Step.PHOTOS),
    ])
    assert dialog.conversation.draft.photos == []


def test_fifth_photo_moves_on_and_a_sixth_is_not_kept() -> None:
    photos = [replace(PHOTO, storage_key=f"{i}" * 64 + ".jpg") for i in range(6)]
    dialog = filled_to(Step.PHOTOS)
    dialog.play([
        ({"photo": photos[:4]}, r"\(4/5\)", Step.PHOTOS),
        ({"photo": photos[4:]}, "Sudah 5 foto.*identitas", Step.PRIVACY),
    ])
    assert len(dialog.conversation.draft.photos) == 5


@pytest.mark.parametrize("at", [Step.TYPE, Step.CATEGORY, Step.DESCRIPTION, Step.DATE,
                                Step.LOCATION, Step.PHOTOS, Step.PRIVACY, Step.SUMMARY])
@pytest.mark.parametrize("cancel", ["/batal", "batal", "/cancel", "cancel"])
def test_cancel_works_at_every_step_and_forgets_the_draft(at: Step, cancel: str) -> None:
    dialog = filled_to(at).play([(cancel, "dibatalkan", Step.IDLE)])
    assert dialog.conversation.draft.to_dict() == Conversation().draft.to_dict()
    assert "menu:lapor" in dialog.last_options


@pytest.mark.parametrize(("at", "previous"), [
    (Step.CATEGORY, Step.TYPE), (Step.DESCRIPTION, Step.CATEGORY), (Step.DATE, Step.DESCRIPTION),
    (Step.LOCATION, Step.DATE), (Step.PHOTOS, Step.LOCATION), (Step.PRIVACY, Step.PHOTOS),
    (Step.SUMMARY, Step.PRIVACY),
])
def test_back_returns_to_the_previous_question_keeping_answers(at: Step, previous: Step) -> None:
    dialog = filled_to(at)
    kept = dialog.conversation.draft.to_dict()
    dialog.play([("kembali", ".", previous)])
    assert dialog.conversation.draft.to_dict() == kept
    dialog.play([({"option": "nav:back"}, ".", None)])


def test_back_at_the_first_question_explains_how_to_cancel() -> None:
    filled_to(Step.TYPE).play([("kembali", "pertanyaan pertama", Step.TYPE)])


@pytest.mark.parametrize(("at", "pattern"), [
    (Step.TYPE, "Aspirasi: usulan"), (Step.CATEGORY, "menentukan dinas"),
    (Step.DESCRIPTION, "kronologi"), (Step.DATE, "membantu petugas"),
    (Step.LOCATION, "Bagikan lokasi"), (Step.PHOTOS, "Hindari wajah"),
    (Step.PRIVACY, "Jika ragu"), (Step.SUMMARY, "Kirim laporan"),
])
def test_help_explains_the_current_step_and_asks_again(at: Step, pattern: str) -> None:
    filled_to(at).play([("/bantuan", pattern, at)])


@pytest.mark.parametrize(("field", "says", "check"), [
    ("type", {"option": "type:aspirasi"}, lambda d: d.type is ReportType.ASPIRASI),
    ("category", {"option": "cat:drainase_banjir"}, lambda d: d.category == "drainase_banjir"),
    ("title", "Jalan berlubang di Jl. Veteran", lambda d: d.title == "Jalan berlubang di Jl. Veteran"),
    ("description", "Lubang makin besar setelah hujan deras semalam.",
     lambda d: d.title == "Lubang makin besar setelah hujan deras semalam"),
    ("date", "20 nov 2026", lambda d: d.event_date == date(2026, 11, 20)),
    ("location", "Jl. Veteran 7, Kel. Ujung Karang", lambda d: d.kelurahan == "Ujung Karang"),
    ("privacy", {"option": "privacy:anonim"}, lambda d: d.privacy is Privacy.ANONIM),
])
def test_editing_one_field_returns_to_the_summary(field: str, says: object, check: object) -> None:
    dialog = filled_to(Step.SUMMARY).play([
        ({"option": "summary:edit"}, "Bagian mana", Step.EDIT_CHOICE),
        ({"option": f"edit:{field}"}, ".", None),
        (says, "Periksa laporan", Step.SUMMARY),
    ])
    assert callable(check) and check(dialog.conversation.draft)


def test_editing_photos_can_clear_them() -> None:
    dialog = filled_to(Step.PHOTOS).play([({"photo": [PHOTO]}, r"\(1/5\)", Step.PHOTOS)])
    dialog.play([
        ({"option": "photos:done"}, ".", Step.PRIVACY),
        ({"option": "privacy:publik"}, "Foto: 1", Step.SUMMARY),
        ("ubah", "Bagian mana", Step.EDIT_CHOICE),
        ("foto", "Kirim foto", Step.PHOTOS),
        ({"option": "photos:clear"}, "Semua foto dihapus", Step.PHOTOS),
        ({"option": "photos:done"}, "Foto: 0", Step.SUMMARY),
    ])


def test_invalid_title_edit_is_refused() -> None:
    filled_to(Step.SUMMARY).play([
        ({"option": "summary:edit"}, ".", Step.EDIT_CHOICE),
        ({"option": "edit:title"}, "judul singkat", Step.TITLE),
        ("abc", "Judul harus 5–150 karakter", Step.TITLE),
        ("kembali", "Periksa laporan", Step.SUMMARY),
    ])


def test_location_can_be_skipped_only_where_the_category_allows() -> None:
    dialog = filled_to(Step.LOCATION, category="adminduk")
    dialog.play([("lewati", "Kirim foto", Step.PHOTOS)])
    assert dialog.conversation.draft.location_skipped


def test_changing_to_a_category_that_needs_a_place_asks_for_it() -> None:
    dialog = filled_to(Step.LOCATION, category="adminduk").play([
        ({"option": "nav:skip"}, ".", Step.PHOTOS),
        ({"option": "photos:done"}, ".", Step.PRIVACY),
        ({"option": "privacy:rahasia"}, r"Lokasi: \(tidak ada\)", Step.SUMMARY),
        ({"option": "summary:edit"}, ".", Step.EDIT_CHOICE),
        ({"option": "edit:category"}, ".", Step.CATEGORY),
        ({"option": "cat:sampah"}, "Bagikan lokasi", Step.LOCATION),
        ("Pasar Raya blok B, Kel. Pondok Lama", "Periksa laporan", Step.SUMMARY),
    ])
    assert dialog.conversation.draft.kelurahan == "Pondok Lama"


def test_several_close_categories_are_offered_together() -> None:
    dialog = filled_to(Step.CATEGORY).play([("air", "Ada beberapa kategori", Step.CATEGORY)])
    assert 2 <= len([o for o in dialog.last_options if o.startswith("cat:")]) <= 4
    assert "cat:*" in dialog.last_options
    dialog.play([({"option": "cat:*"}, "Pilih kategori", Step.CATEGORY)])
    assert len(dialog.last_options) > 20


def test_a_pin_sent_before_the_location_step_is_kept_and_the_step_skipped() -> None:
    dialog = filled_to(Step.DATE).play([
        ({"pin": (-0.95, 100.36)}, r"Lokasi dicatat.*Kapan", Step.DATE),
        ("kemarin", "Kirim foto", Step.PHOTOS),
    ])
    assert dialog.conversation.draft.location is not None


def test_daily_limit_refuses_a_new_report_politely() -> None:
    dialog = Dialog(reports_today=5).play([("/lapor", "sudah mengirim 5 laporan hari ini", Step.IDLE)])
    assert "menu:status" in dialog.last_options


def test_daily_limit_reached_during_the_form_keeps_the_draft() -> None:
    dialog = filled_to(Step.SUMMARY)
    dialog.reports_today = 5
    dialog.play([({"option": "summary:confirm"}, "batas harian", Step.SUMMARY)])
    assert not any(isinstance(e, SubmitRequested) for e in dialog.events)


def test_lapor_in_the_middle_of_a_form_continues_it() -> None:
    filled_to(Step.DATE).play([("/lapor", "sedang mengisi laporan.*Kapan", Step.DATE)])


@pytest.mark.parametrize(("says", "number"), [
    ("/status ADU-2026-000123", "ADU-2026-000123"), ("/status 123", "ADU-2026-000123"),
    ("/start status_ADU-2026-000007", "ADU-2026-000007"), ("/status", None),
    ("/cek 2025-9", "ADU-2025-000009"),
])
def test_status_requests_name_the_report(says: str, number: str | None) -> None:
    dialog = Dialog().play([(says, ".", Step.IDLE)])
    assert dialog.events == [StatusRequested(number)]


def test_status_with_a_bad_number_explains_the_format() -> None:
    dialog = Dialog().play([("/status ABC-1", "tidak dikenali.*ADU-2026-000123", Step.IDLE)])
    assert dialog.events == []


def test_status_in_the_middle_of_the_form_asks_the_question_again() -> None:
    dialog = filled_to(Step.DATE).play([("/status", "Kapan", Step.DATE)])
    assert dialog.events == [StatusRequested(None)]


def test_language_menu_mid_form_returns_to_the_same_question_in_english() -> None:
    filled_to(Step.DATE).play([
        ("/bahasa", "Pilih bahasa", Step.LANGUAGE),
        ({"option": "lang:en"}, "Language set to English.*When did it happen", Step.DATE),
    ])


def test_free_text_when_idle_shows_the_menu() -> None:
    dialog = Dialog().play([("halo pak", "Buat laporan", Step.IDLE)])
    assert dialog.last_options[0] == "menu:lapor"


def test_step_does_not_mutate_the_conversation_it_is_given() -> None:
    dialog = filled_to(Step.PHOTOS)
    original = dialog.conversation
    snapshot = original.to_dict()
    dialog.play([({"photo": [PHOTO]}, ".", Step.PHOTOS)])
    assert original.to_dict() == snapshot


def test_state_survives_serialisation_mid_form() -> None:
    dialog = filled_to(Step.PRIVACY)
    restored = Conversation.from_dict(dialog.conversation.to_dict())
    Dialog(restored).play([
        ({"option": "privacy:anonim"}, "Jalan rusak.*Privasi: Anonim", Step.SUMMARY),
    ])


def test_two_citizens_interleaving_do_not_share_state() -> None:
    ani, budi = filled_to(Step.DESCRIPTION), Dialog()
    budi.play([("/lapor", ".", Step.TYPE)])
    ani.play([(DESCRIPTION, "Kapan", Step.DATE)])
    budi.play([({"option": "type:aspirasi"}, ".", Step.CATEGORY)])
    assert ani.conversation.draft.type is ReportType.PENGADUAN
    assert budi.conversation.draft.description is None


@pytest.mark.parametrize(
    ("at", "says", "pattern"),
    [
        (Step.TYPE, "pizza", 'did not understand "pizza"'),
        (Step.CATEGORY, "qwxyz zzqq", 'could not find a category for "qwxyz zzqq"'),
        (Step.DESCRIPTION, "road broken", r"too short \(11 characters\)"),
        (Step.DATE, "someday", 'could not read the date "someday"'),
        (Step.DATE, "30-11-2026", "cannot be in the future"),
        (Step.LOCATION, "here", "address is too short"),
        (Step.LOCATION, "skip", "needs a location"),
        (Step.PRIVACY, "whatever", "did not understand"),
        (Step.SUMMARY, "/nope", "Unknown command /nope"),
        (Step.PHOTOS, "/help", "Photos help officers"),
        (Step.DATE, "back", "Describe the problem"),
    ],
)
def test_bad_input_in_english_gets_an_english_hint(at: Step, says: object, pattern: str) -> None:
    dialog = filled_to(at)
    dialog.conversation.language = "en"
    dialog.play([(says, pattern, None)])
    assert dialog.last_options


def test_cancel_in_english_confirms_in_english() -> None:
    dialog = filled_to(Step.DATE)
    dialog.conversation.language = "en"
    dialog.play([("cancel", "Nothing you had entered was sent or kept", Step.IDLE)])


def test_a_topic_outside_the_citys_authority_is_explained_and_the_form_goes_on() -> None:
    dialog = Dialog().play([
        ("/lapor", "Jenis", Step.TYPE),
        ({"option": "type:pengaduan"}, "kategori", Step.CATEGORY),
        ({"option": "cat:fasilitas_umum"}, "", Step.DESCRIPTION),
    ])
    dialog.play([("Listrik padam sejak tadi malam di seluruh gang kami, tolong.",
                  r"PLN.*tetap dapat melanjutkan.*", Step.DATE)])
    dialog.play([("/batal", "dibatalkan", Step.IDLE)])
    plain = Dialog().play([("/lapor", "", Step.TYPE), ({"option": "type:pengaduan"}, "", None),
                           ({"option": "cat:fasilitas_umum"}, "", Step.DESCRIPTION)])
    plain.play([("Bangku taman kota patah dan berbahaya bagi anak-anak.", "", Step.DATE)])
    assert "PLN" not in plain.last_text


@pytest.mark.parametrize(("says", "institution"), [
    ("listrik di rumah ambo padam sajak patang", "PLN"),  # Minangkabau
    ("kartu bpjs ibu saya nonaktif padahal iuran lancar", "BPJS"),
    ("hp gw dijambret orang naik motor", "Kepolisian"),
    ("jalan nasional di batas kota berlubang dalam", "BPJN"),
    ("sinyal hp ilang total di rumah", "Operator seluler"),
    ("ketipu olshop, udah transfer barang ga dikirim", "patrolisiber.id"),
])
def test_the_category_question_names_who_handles_a_matter_outside_the_city(
        says: str, institution: str) -> None:
    dialog = Dialog().play([("/lapor", "", Step.TYPE), ({"option": "type:pengaduan"}, "", None)])
    dialog.play([(says, rf"{institution}.*tetap boleh melaporkannya", Step.CATEGORY)])
    assert "cat:*" in dialog.last_options or "cat:lainnya" in dialog.last_options
    assert dialog.conversation.draft.outside_authority is not None


def test_street_lights_are_the_citys_but_lights_out_at_home_are_pln() -> None:
    street = Dialog().play([("/lapor", "", Step.TYPE), ({"option": "type:pengaduan"}, "", None)])
    street.play([("lampu jalan di depan rumah mati", "", Step.CATEGORY)])
    assert street.conversation.draft.outside_authority is None
    assert "cat:lampu_jalan" in street.last_options
    home = Dialog().play([("/lapor", "", Step.TYPE), ({"option": "type:pengaduan"}, "", None)])
    home.play([("mati lampu di rumah dari sore", "PLN", Step.CATEGORY)])
    assert home.conversation.draft.outside_authority == "pln"
    home.play([({"option": "cat:lainnya"}, "", Step.DESCRIPTION)])
    assert home.conversation.draft.outside_authority == "pln"  # filed anyway: flag kept


def test_a_message_outside_the_form_about_a_power_cut_names_pln_and_the_menu() -> None:
    dialog = Dialog().play([("listrik padam sejak pagi di rumah kami", "PLN.*123", Step.IDLE)])
    assert "menu:lapor" in dialog.last_options
    Dialog().play([("halo", "", Step.IDLE)])  # anything else: the usual hint
