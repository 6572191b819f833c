"""OPD admins answer by chat: enrolment, every command, notifications and citizens' updates."""

from __future__ import annotations

from bot.bootstrap import Container
from core.messages import Audience
from storage.admin_store import SqlAdminStore
from tests.service.chat import Chat
from tests.service.work_helpers import enrol, events, file_report, report_row, texts


def test_daftar_binds_the_chat_to_the_invites_opd_and_role(container: Container) -> None:
    officer = enrol(container, "budi", "pupr")
    [reply] = officer.say("/tugas")
    assert "antrean Dinas Pekerjaan Umum" in reply.text


def test_wrong_used_and_expired_codes_are_refused_clearly(container: Container) -> None:
    store, clock = SqlAdminStore(container.engine), container.clock
    code, _ = store.create_invite("pupr", "officer", clock.now())
    first, second = Chat(container, "a"), Chat(container, "b")
    assert "tidak dikenal" in texts(first.say("/daftar ABCDE-FGHJK"))
    assert "Terdaftar" in texts(first.say(f"/daftar {code.lower()}"))
    assert "sudah dipakai" in texts(second.say(f"/daftar {code}"))
    old, _ = store.create_invite("pupr", "officer", clock.now())
    clock.advance(hours=73)
    assert "kedaluwarsa" in texts(second.say(f"/daftar {old}"))
    assert "Cara mendaftar" in texts(second.say("/daftar"))


def test_repeated_wrong_codes_are_rate_limited_even_with_a_right_one(container: Container) -> None:
    code, _ = SqlAdminStore(container.engine).create_invite("pupr", "officer",
                                                             container.clock.now())
    chat = Chat(container, "guesser")
    for n in range(5):
        assert "tidak dikenal" in texts(chat.say(f"/daftar WRONG-{n:05d}"))
    chat.say("/lapor")  # starting a form does not reset the count
    chat.say("/batal")
    assert "Terlalu banyak" in texts(chat.say(f"/daftar {code}"))
    container.clock.advance(minutes=61)
    assert "Terdaftar" in texts(chat.say(f"/daftar {code}"))


def test_new_report_notifies_the_coordinator_with_buttons(container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    officer = enrol(container, "budi", "pupr")
    _, number = file_report(container, "sari")
    [note] = coordinator.replies()
    assert note.text.startswith(f"📥 Laporan baru {number}") and "Jalan rusak" in note.text
    assert [o.id for o in note.options] == [f"adm:verifikasi:{number}", f"adm:alihkan:{number}",
                                            f"adm:tolak:{number}", f"adm:lihat:{number}"]
    assert (note.report, note.audience) == (number, Audience.ADMIN)
    assert officer.replies() == []  # not verified yet: officers do not see it


def test_auto_disposed_report_notifies_the_opds_officers(container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    officer = enrol(container, "dlh-1", "dlh")
    _, number = file_report(container, "sari", category="sampah")
    [note] = officer.replies()
    assert f"📌 Laporan {number} diteruskan ke" in note.text
    assert f"adm:balas:{number}" in [o.id for o in note.options]
    assert coordinator.replies() == []


def test_verify_answer_resolve_confirm_rate_and_comment(container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    officer = enrol(container, "budi", "pupr")
    citizen, number = file_report(container, "sari")
    coordinator.replies()

    assert "diteruskan ke" in texts(coordinator.say(f"/verifikasi {number}"))
    assert f"📌 Laporan {number}" in texts(officer.replies())
    assert "diverifikasi dan diteruskan" in texts(citizen.replies())

    short = number.split("-")[-1].lstrip("0")  # the short numeric form works too
    assert "Jawaban terkirim" in texts(officer.say(f"/balas {short} Tim akan survei besok pagi."))
    update = texts(citizen.replies())
    assert "Tim akan survei besok pagi." in update and "Status: Sedang ditindaklanjuti" in update
    assert report_row(container, number)["status"] == "diproses"

    officer.say(f"/selesai {number} Lubang sudah ditambal hari ini.")
    [done] = citizen.replies()
    assert "Lubang sudah ditambal" in done.text
    assert [o.id for o in done.options] == [f"fb:ok:{number}", f"fb:no:{number}"]

    [rate] = citizen.say(option=f"fb:ok:{number}")
    assert len(rate.options) == 6 and report_row(container, number)["status"] == "ditutup"
    citizen.say(option=f"fb:rate:{number}:4")
    assert "Terima kasih" in texts(citizen.say("Cepat sekali, terima kasih!"))
    assert report_row(container, number)["rating"] == 4
    kinds = [kind for kind, _, _ in events(container, number)]
    assert kinds == ["created", "verified", "answer", "resolved", "confirmed", "rated", "comment"]


def test_dispute_returns_the_report_to_diproses_and_tells_the_officer(
        container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    officer = enrol(container, "budi", "pupr")
    citizen, number = file_report(container, "sari")
    coordinator.say(f"/verifikasi {number}")
    officer.say(f"/selesai {number} Sudah diperbaiki oleh tim.")
    officer.replies()
    citizen.replies()
    assert "jelaskan" in texts(citizen.say(option=f"fb:no:{number}"))
    assert "minimal" in texts(citizen.say("no"))  # too short: asked again
    assert "diproses lagi" in texts(citizen.say("Lubangnya masih ada, hanya ditutup pasir."))
    assert report_row(container, number)["status"] == "diproses"
    assert "masih ada" in texts(officer.replies())
    assert "tidak berlaku" in texts(citizen.say(option=f"fb:ok:{number}"))  # stale button


def test_reply_to_a_notification_answers_the_reporter(container: Container) -> None:
    officer = enrol(container, "dlh-1", "dlh")
    citizen, number = file_report(container, "sari", category="sampah")
    [(row_id, _)] = officer.rows()
    container.outbox.mark_sent(row_id, "777", container.clock.now())
    assert "Jawaban terkirim" in texts(officer.say("Sampah diangkut sore ini.", reply_to="777"))
    assert "Sampah diangkut sore ini." in texts(citizen.replies())
    # A reply to some other message is not an answer.
    assert "Jawaban terkirim" not in texts(officer.say("Halo semua", reply_to="778"))


def test_buttons_lead_into_the_same_commands(container: Container) -> None:
    officer = enrol(container, "dlh-1", "dlh")
    citizen, number = file_report(container, "sari", category="sampah")
    officer.replies()
    assert "Ketik jawaban" in texts(officer.say(option=f"adm:balas:{number}"))
    assert "Jawaban terkirim" in texts(officer.say("Petugas sudah dijadwalkan."))
    assert "Petugas sudah dijadwalkan." in texts(citizen.replies())
    officer.say(option=f"adm:balas:{number}")
    assert "Dibatalkan" in texts(officer.say("/batal"))
    assert "Antrean Dinas Lingkungan Hidup" in texts(officer.say(option="adm:tugas"))


def test_coordinator_disposes_and_officer_hands_back_with_reason(container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    officer = enrol(container, "dlh-1", "dlh")
    citizen, number = file_report(container, "sari")
    coordinator.replies()
    assert "tidak dikenal" in texts(coordinator.say(f"/alihkan {number} dinas antah berantah"))
    assert "diteruskan ke" in texts(coordinator.say(f"/alihkan {number} dlh"))
    assert report_row(container, number)["opd"] == "dlh"
    officer.replies()
    officer.say(f"/alihkan {number} Jalan kota adalah urusan PUPR, bukan DLH.")
    row = report_row(container, number)
    assert (row["status"], row["opd"]) == ("baru", None)
    back = texts(coordinator.replies())
    assert "mengembalikan" in back and "urusan PUPR" in back
    assert "ditinjau ulang" in texts(citizen.replies())


def test_reject_and_lapor_id_and_usage_lines(container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    citizen, number = file_report(container, "sari")
    coordinator.replies()
    assert "Cara pakai: /balas" in texts(coordinator.say("/balas"))
    assert "Cara pakai: /gabung" in texts(coordinator.say(f"/gabung {number}"))
    assert "Cara pakai: /lapor_id" in texts(coordinator.say(f"/lapor_id {number} ?!"))
    assert "dicatat" in texts(coordinator.say(f"/lapor_id {number} LAP-2026-8812"))
    assert report_row(container, number)["lapor_id"] == "LAP-2026-8812"
    coordinator.say(f"/tolak {number} Laporan ganda dari pelapor yang sama.")
    assert report_row(container, number)["status"] == "ditolak"
    assert "tidak dapat ditindaklanjuti" in texts(citizen.replies())
    assert "berstatus Tidak dapat diproses" in texts(coordinator.say(f"/verifikasi {number}"))
    actors = {actor for _, actor, _ in events(container, number)[1:]}
    assert actors == {"admin"}


def test_merge_makes_the_duplicates_reporter_follow_the_original(container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    officer = enrol(container, "budi", "pupr")
    first, original = file_report(container, "sari")
    second, duplicate = file_report(container, "joko")
    coordinator.say(f"/verifikasi {original}")
    coordinator.say(f"/gabung {duplicate} {original}")
    row = report_row(container, duplicate)
    assert row["status"] == "ditutup" and row["duplicate_of_id"] is not None
    assert original in texts(second.replies())
    officer.say(f"/balas {original} Perbaikan dijadwalkan minggu depan.")
    assert "Perbaikan dijadwalkan" in texts(first.replies())
    assert "Perbaikan dijadwalkan" in texts(second.replies())
    assert "dirinya sendiri" in texts(coordinator.say(f"/gabung {original} {duplicate}"))
    [view] = coordinator.say(f"/lihat {original}")
    assert f"laporan {duplicate} digabung ke sini" in view.text


def test_admin_help_lists_admin_commands_after_the_citizen_ones(container: Container) -> None:
    officer = enrol(container, "budi", "pupr")
    [help_text] = officer.say("/bantuan")
    assert help_text.text.index("/lapor") < help_text.text.index("/tugas")
    [citizen_help] = Chat(container, "warga").say("/bantuan")
    assert "/tugas" not in citizen_help.text
