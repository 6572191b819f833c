"""Personal data through the wired service: the notice, /data_saya, /hapus_data and what admins,
exports and the audit log see afterwards (DESIGN.md "Personal data")."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import text

from bot.bootstrap import Container
from bot.export_format import write
from core.messages import Audience
from storage.audit import SqlAuditLog
from storage.export import SqlReportExport
from tests.personal_data import holding, text_columns
from tests.service.chat import Chat
from tests.service.work_helpers import enrol, events, file_report, texts

NAME = "Sari Wulandari"
CHAT = "w" + "5a71c0de" * 5  # a web chat id as the web channel makes them (a session hash)


def test_the_first_message_of_a_new_citizen_carries_the_notice_once(container: Container) -> None:
    chat = Chat(container, "wnew")
    [welcome] = chat.say("/start")
    assert welcome.text.startswith("Selamat datang")
    notice = welcome.text.splitlines()[-1]
    assert notice.startswith("🔒 Kami menyimpan nama, kontak chat")
    assert "30 hari" in notice and "730 hari" in notice and "/hapus_data" in notice
    assert [o.id for o in welcome.options][0] == "menu:lapor"  # buttons stay under it
    [again] = chat.say("/start")
    assert "🔒" not in again.text


def test_data_saya_lists_name_contact_language_reports_and_followed_reports(
        container: Container) -> None:
    _, public = file_report(container, "wbudi", privacy="publik", name="Budi")
    sari, own = file_report(container, CHAT, name=NAME)
    assert "Anda mengikuti laporan" in texts(sari.say(f"/ikuti {public}", name=NAME))
    [kept] = sari.say("/data_saya", name=NAME)
    assert kept.text.startswith("🔒 Data yang kami simpan tentang Anda:")
    assert f"Nama: {NAME}" in kept.text
    assert "Kontak: Web sesi di peramban ini" in kept.text
    assert "Bahasa: Bahasa Indonesia" in kept.text
    mine, followed = kept.text.split("Laporan yang Anda ikuti (1):")
    assert f"{own} · " in mine and "Baru, menunggu verifikasi" in mine and public not in mine
    assert f"{public} · " in followed
    assert "/hapus_data" in kept.text
    sari.say("/bahasa en", name=NAME)
    [english] = sari.say("/mydata", name=NAME)
    assert english.text.startswith("🔒 What we keep about you:") and own in english.text


def test_hapus_data_asks_first_and_anything_but_yes_cancels(container: Container) -> None:
    sari, number = file_report(container, CHAT, name=NAME)
    [ask] = sari.say("/hapus_data", name=NAME)
    assert ask.text.startswith("Hapus data Anda?")
    assert [o.id for o in ask.options] == ["erase:yes", "erase:no"]
    assert "dibatalkan" in texts(sari.say("tidak jadi", name=NAME))
    assert "dibatalkan" in texts(sari.say(option="erase:no", name=NAME))
    sari.say("/deletedata", name=NAME)
    container.clock.advance(minutes=16)
    assert "kedaluwarsa" in texts(sari.say("YA", name=NAME))
    assert "kedaluwarsa" in texts(sari.say(option="erase:yes", name=NAME))  # an old button
    assert holding(container.engine, NAME, CHAT)  # nothing was erased
    assert number in texts(sari.say("/status", name=NAME))


def test_after_hapus_data_no_table_holds_the_citizen_while_the_report_remains(
        container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    officer = enrol(container, "budi-pu", "pupr")
    _, public = file_report(container, "wbudi", privacy="publik", name="Budi")
    sari, number = file_report(container, CHAT, privacy="publik", name=NAME)
    sari.say(f"/ikuti {public}", name=NAME)
    coordinator.replies()
    coordinator.say(f"/verifikasi {number}")
    officer.say(f"/balas {number} Tim kami menambal lubang itu besok pagi.")
    assert "Tim kami menambal" in texts(sari.replies())
    sari.say("/lapor", name=NAME)  # a draft in progress is personal data too
    sari.say(option="type:pengaduan", name=NAME)
    found = holding(container.engine, NAME, CHAT)
    for where in ("citizens.display_name", "channel_identities.chat_id", "conversations.chat_id",
                  "outbox.chat_id", "outbox.payload", "reports.chat_id", "inbound_ids.external_id",
                  "report_followers.chat_id"):
        assert any(f.startswith(where) for f in found), where
    [ask] = sari.say("/hapus_data", name=NAME)
    [done] = sari.say("ya", name=NAME)

    assert done.text.startswith("Data Anda telah dihapus")
    assert holding(container.engine, NAME, "Wulandari", CHAT) == []
    assert {"citizens.display_name", "outbox.payload", "report_events.note"} <= text_columns(
        container.engine)
    with container.engine.connect() as connection:
        row = connection.execute(text("SELECT status, chat_id FROM reports WHERE tracking_no = :n"),
                                 {"n": number}).one()
        erased = connection.execute(text("SELECT erasure FROM citizens WHERE erased_at IS NOT "
                                         "NULL")).scalars().all()
    assert tuple(row) == ("diproses", "") and erased == ["request"]
    kinds = [kind for kind, _, _ in events(container, number)]
    assert kinds[:3] == ["created", "verified", "answer"] and kinds[-1] == "reporter_erased"
    [view] = coordinator.say(f"/lihat {number}")
    assert "Pelapor: dihapus atas permintaan" in view.text
    assert "Tim kami menambal lubang itu besok pagi" in view.text  # the answer stays
    officer.say(f"/selesai {number} Lubang sudah ditambal.")
    assert holding(container.engine, CHAT) == []  # no update goes to the erased chat
    [line] = [a for a in SqlAuditLog(container.engine).lines() if a.action == "erase"]
    assert (line.actor_kind, line.subject) == ("citizen", line.actor)
    assert "1 report(s) anonymised" in (line.detail or "") and NAME not in (line.detail or "")


def test_the_coordinators_notifications_no_longer_name_the_erased_reporter(
        container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    sari, number = file_report(container, CHAT, name=NAME)
    [note] = coordinator.replies()
    assert f"Pelapor: {NAME} (Web: -)" in note.text
    sari.say("/hapus_data", name=NAME)
    sari.say(option="erase:yes", name=NAME)
    with container.engine.connect() as connection:
        payload = connection.execute(text("SELECT payload FROM outbox WHERE chat_id = 'kominfo' "
                                          "AND payload LIKE :n"), {"n": f"%{number}%"}).scalar_one()
    message = json.loads(payload)
    assert "Pelapor: dihapus atas permintaan" in message["text"] and NAME not in payload
    assert message["context"] == {"report": number, "audience": Audience.ADMIN.value}


def test_exports_show_an_erased_reporter_as_removed_at_their_request(container: Container) -> None:
    sari, erased = file_report(container, CHAT, name=NAME)
    _, kept = file_report(container, "wbudi", name="Budi")
    sari.say("/hapus_data", name=NAME)
    sari.say("YA", name=NAME)
    out = io.StringIO()
    write(SqlReportExport(container.engine).rows(), "csv", out, container.settings.tz,
          container.media)
    rows = {r["tracking_no"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert rows[erased]["reporter"] == "dihapus atas permintaan" and rows[kept]["reporter"] == ""
    lapor = io.StringIO()
    write(SqlReportExport(container.engine).rows(), "lapor", lapor, container.settings.tz,
          container.media)
    flags = {r["nomor_aduan"]: r["anonim"] for r in csv.DictReader(io.StringIO(lapor.getvalue()))}
    assert flags == {erased: "ya", kept: "tidak"}


def test_an_admin_chat_cannot_erase_itself(container: Container) -> None:
    officer = enrol(container, "budi-pu", "pupr")
    assert "terdaftar sebagai admin" in texts(officer.say("/hapus_data"))
    assert holding(container.engine, "budi-pu")


def test_the_erased_chat_starts_afresh_as_a_new_citizen(container: Container) -> None:
    sari, number = file_report(container, CHAT, name=NAME)
    sari.say("/hapus_data", name=NAME)
    sari.say("ya", name=NAME)
    [welcome] = sari.say("/start", name=NAME)
    assert "🔒 Kami menyimpan" in welcome.text  # told again: a new citizen
    assert "tidak ditemukan" in texts(sari.say(f"/status {number}", name=NAME))
