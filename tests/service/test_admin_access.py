"""Who may do what (officer, other OPD, coordinator, citizen, stranger), confidentiality,
and following reports."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.bootstrap import Container
from core.messages import Channel
from tests.service.chat import Chat
from tests.service.work_helpers import enrol, events, file_report, report_row, texts

COMMANDS = ["/lihat {n}", "/balas {n} Kami tindak lanjuti segera.",
            "/selesai {n} Sudah selesai ditangani.", "/alihkan {n} Bukan urusan kami sama sekali.",
            "/lapor_id {n} LAP-1234", "/gabung {n} 1"]


@pytest.mark.parametrize("command", COMMANDS)
def test_officer_cannot_act_on_another_opds_report(container: Container, command: str) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    other = enrol(container, "dlh-1", "dlh")
    _, number = file_report(container, "sari")
    coordinator.say(f"/verifikasi {number}")
    before = report_row(container, number)
    assert "tidak ditemukan di antrean Anda" in texts(other.say(command.format(n=number)))
    assert report_row(container, number) == before
    assert [k for k, _, _ in events(container, number)] == ["created", "verified"]


@pytest.mark.parametrize("command", COMMANDS[:4])
def test_officer_does_not_see_unverified_reports_even_of_their_opd(
        container: Container, command: str) -> None:
    officer = enrol(container, "budi", "pupr")
    _, number = file_report(container, "sari")
    assert "tidak ditemukan" in texts(officer.say(command.format(n=number)))
    assert report_row(container, number)["status"] == "baru"


@pytest.mark.parametrize("command", ["/verifikasi {n}", "/tolak {n} Tidak jelas sama sekali."])
def test_only_the_coordinator_verifies_or_rejects(container: Container, command: str) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    officer = enrol(container, "budi", "pupr")
    _, number = file_report(container, "sari")
    coordinator.say(f"/alihkan {number} pupr")
    reply = texts(officer.say(command.format(n=number)))
    assert "Hanya koordinator" in reply


@pytest.mark.parametrize("command", ["/tugas", "/lihat 1", "/balas 1 Sudah kami tangani ya.",
                                     "/verifikasi 1", "/lapor_id 1 LAP-1"])
def test_citizens_and_strangers_cannot_use_admin_commands(container: Container,
                                                          command: str) -> None:
    _, number = file_report(container, "sari")
    for chat in (Chat(container, "sari"), Chat(container, "stranger")):
        chat.replies()
        assert "hanya untuk admin OPD yang terdaftar" in texts(chat.say(command))
        assert "hanya untuk admin" in texts(chat.say(option=f"adm:balas:{number}"))
    assert report_row(container, number)["status"] == "baru"


def test_revoked_admin_is_refused(container: Container) -> None:
    officer = enrol(container, "budi", "pupr")
    with container.engine.begin() as connection:
        connection.execute(text("UPDATE admins SET revoked_at = created_at"))
    assert "hanya untuk admin" in texts(officer.say("/tugas"))


def test_coordinator_sees_and_acts_on_every_opd(container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    _, first = file_report(container, "sari", category="sampah")  # auto-disposed to DLH
    _, second = file_report(container, "joko")  # baru
    queue = texts(coordinator.say("/tugas"))
    assert first in queue and second in queue and "semua OPD" in queue
    assert "Jawaban terkirim" in texts(coordinator.say(f"/balas {first} Sedang kami koordinasikan."))


@pytest.mark.parametrize(("privacy", "officer_sees", "coordinator_sees"), [
    ("publik", True, True), ("rahasia", False, True), ("anonim", False, False)])
def test_reporter_identity_follows_the_privacy_choice(
        container: Container, privacy: str, officer_sees: bool, coordinator_sees: bool) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    officer = enrol(container, "budi", "pupr")
    _, number = file_report(container, "628123456789", privacy=privacy, name="Sari Wulandari",
                            channel=Channel.WHATSAPP)
    shown_to_coordinator = texts(coordinator.replies() + coordinator.say(f"/lihat {number}"))
    coordinator.say(f"/verifikasi {number}")
    shown_to_officer = texts(officer.replies() + officer.say(f"/lihat {number}"))
    for shown, sees in ((shown_to_coordinator, coordinator_sees), (shown_to_officer, officer_sees)):
        assert ("Sari Wulandari" in shown) is sees
        assert ("628123456789" in shown) is sees
        assert number in shown


def test_lihat_shows_the_full_report_with_photos_timeline_and_duplicates(
        container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    _, first = file_report(container, "sari")
    _, second = file_report(container, "joko")
    coordinator.say(f"/balas {first} Mohon kirim foto yang lebih dekat.")
    [view] = coordinator.say(f"/lihat {first}")
    assert "openstreetmap.org/?mlat=-0.914000&mlon=100.349000" in view.text
    assert "Jalan di depan SD 12" in view.text and "Mohon kirim foto" in view.text
    assert second in view.text  # same category and kelurahan, still open
    assert len(view.media) == 1 and view.media[0].content_type == "image/jpeg"
    assert ("viewed", "admin") in [(k, a) for k, a, _ in events(container, first)]
    assert "dilihat" not in view.text


def test_citizen_follows_a_public_report_and_gets_its_updates(container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    _, public = file_report(container, "sari", privacy="publik")
    _, secret = file_report(container, "joko", privacy="rahasia")
    neighbour = Chat(container, "tetangga")
    assert "Anda mengikuti" in texts(neighbour.say(f"/ikuti {public}"))
    assert "sudah mengikuti" in texts(neighbour.say(f"/ikuti {public}"))
    assert "tidak terbuka" in texts(neighbour.say(f"/ikuti {secret}"))
    assert public in texts(neighbour.say("/status"))
    coordinator.say(f"/verifikasi {public}")
    assert "diteruskan" in texts(neighbour.replies())
    assert "berhenti mengikuti" in texts(neighbour.say(f"/berhenti {public}"))
    coordinator.say(f"/balas {public} Tim sedang menuju lokasi sekarang.")
    assert neighbour.replies() == []
