"""The intake use case over the real SQL stores: reports, idempotency, limits, concurrency."""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select, text

from bot.bootstrap import Container, build_container
from bot.settings import Settings
from core.messages import Channel, Inbound
from core.reports.model import TRACKING_RE
from storage.tables import CitizenRow, ConversationRow
from tests.dialog import PHOTO
from tests.fakes import FakeClock
from tests.service.chat import DESCRIPTION, Chat


def scalar(container: Container, sql: str, **params: object) -> object:
    with container.engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def test_a_completed_form_stores_the_report_with_lapor_fields_and_a_timeline(
        container: Container) -> None:
    number = Chat(container, "ani").file_report()
    assert TRACKING_RE.match(number) and number == "ADU-2026-000001"
    with container.engine.connect() as connection:
        report = connection.execute(
            text("SELECT * FROM reports WHERE tracking_no = :n"), {"n": number}).mappings().one()
        events = connection.execute(
            text("SELECT kind, status_to FROM report_events WHERE report_id = :id"),
            {"id": report["id"]}).all()
        photos = connection.execute(
            text("SELECT storage_key FROM attachments WHERE report_id = :id"),
            {"id": report["id"]}).scalars().all()
    assert report["type"] == "pengaduan" and report["category"] == "jalan_rusak"
    assert report["opd"] == "pupr" and report["status"] == "baru"
    assert report["description"] == DESCRIPTION and report["privacy"] == "rahasia"
    assert report["kelurahan"] == "Ujung Karang"
    assert report["latitude"] == -0.914 and str(report["event_date"]) == "2026-11-22"
    assert photos == [PHOTO.storage_key]
    assert [(e.kind, e.status_to) for e in events] == [("created", "baru")]


def test_auto_disposed_category_goes_straight_to_its_opd(container: Container) -> None:
    chat = Chat(container, "budi")
    chat.fill_to_summary("sampah")
    [confirmation] = chat.say(option="summary:confirm")
    assert "Diteruskan ke dinas" in confirmation.text
    assert scalar(container, "SELECT status FROM reports") == "didisposisikan"


def test_a_replayed_message_changes_nothing(container: Container) -> None:
    chat = Chat(container, "citra")
    chat.say("/lapor", external_id="update-1")
    state = scalar(container, "SELECT state FROM conversations")
    outbox = scalar(container, "SELECT count(*) FROM outbox")
    assert chat.say(option="type:aspirasi", external_id="update-1") == []
    assert scalar(container, "SELECT state FROM conversations") == state
    assert scalar(container, "SELECT count(*) FROM outbox") == outbox


def test_the_conversation_survives_a_new_process(container: Container, settings: Settings,
                                                 clock: FakeClock) -> None:
    first = Chat(container, "dewi")
    first.say("/lapor")
    first.say(option="type:pengaduan")
    container.engine.dispose()
    restarted = build_container(settings, clock=clock)  # a new engine, nothing in memory shared
    second = Chat(restarted, "dewi")
    second.sent, second.cursor = first.sent, first.cursor
    [reply] = second.say(option="cat:lampu_jalan")
    assert "Ceritakan masalahnya" in reply.text
    restarted.engine.dispose()


def test_tracking_numbers_stay_unique_when_citizens_submit_at_once(container: Container) -> None:
    chats = [Chat(container, f"warga-{i}") for i in range(8)]
    for chat in chats:
        chat.fill_to_summary()
    numbers: list[str] = []
    barrier = threading.Barrier(len(chats))

    def confirm(chat: Chat) -> None:
        barrier.wait()
        for reply in chat.say(option="summary:confirm"):
            numbers.extend(set(re.findall(r"ADU-\d{4}-\d{6}", reply.text)))

    threads = [threading.Thread(target=confirm, args=(c,)) for c in chats]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with container.engine.connect() as connection:
        stored = connection.execute(text("SELECT tracking_no FROM reports")).scalars().all()
    assert sorted(stored) == [f"ADU-2026-{i:06d}" for i in range(1, 9)]
    assert sorted(numbers) == sorted(stored)  # each citizen was told their own number


def test_messages_of_one_chat_at_once_are_applied_one_after_the_other(container: Container) -> None:
    chat = Chat(container, "eko")
    chat.say("/lapor")
    barrier = threading.Barrier(2)

    def send(n: int) -> None:
        barrier.wait()
        container.intake.handle(Inbound(Channel.WEB, "eko", f"parallel-{n}", text="/bantuan"))

    threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with container.engine.connect() as connection:
        version = connection.execute(select(ConversationRow.version)).scalar_one()  # type: ignore[arg-type]
    assert version == 3  # /lapor plus both help messages, none lost to a race
    assert len(chat.replies()) == 2  # one answer to each help request


def test_the_daily_limit_counts_todays_reports_and_resets_tomorrow(
        settings: Settings, clock: FakeClock) -> None:
    limited = build_container(replace_settings(settings, daily_report_limit=2), clock=clock)
    from bot.bootstrap import seed_directory

    seed_directory(settings, limited.directories, clock)
    chat = Chat(limited, "fajar")
    chat.file_report()
    chat.file_report()
    [refusal] = chat.say("/lapor")
    assert "sudah mengirim 2 laporan hari ini" in refusal.text
    clock.advance(hours=14)  # 10:00 WIB + 14 h = 00:00 WIB the next day
    [question] = chat.say("/lapor")
    assert "Jenis laporan" in question.text
    limited.engine.dispose()


def replace_settings(settings: Settings, **changes: object) -> Settings:
    return settings.model_copy(update=changes)


def test_status_lists_only_the_citizens_own_reports(container: Container) -> None:
    ani, budi = Chat(container, "ani"), Chat(container, "budi")
    number = ani.file_report()
    [own] = ani.say(f"/status {number}")
    assert number in own.text and "Baru, menunggu verifikasi" in own.text
    [listing] = ani.say("/status")
    assert number in listing.text and "Jalan di depan SD 12" in listing.text
    [other] = budi.say(f"/status {number}")
    assert "tidak ditemukan" in other.text and "Jalan di depan" not in other.text
    [empty] = budi.say("/status")
    assert "belum mempunyai laporan" in empty.text


def test_the_language_choice_is_kept_for_the_citizen(container: Container) -> None:
    chat = Chat(container, "gita")
    [reply] = chat.say("/bahasa en")
    assert "Language set to English" in reply.text
    with container.engine.connect() as connection:
        language = connection.execute(select(CitizenRow.language)).scalar_one()  # type: ignore[arg-type]
    assert language == "en"


def test_a_first_message_uses_the_platform_language_hint(container: Container) -> None:
    container.intake.handle(Inbound(Channel.WEB, "hana", "h1", text="/start", language_hint="en-GB"))
    [welcome] = Chat(container, "hana").replies()
    assert welcome.text.startswith("Welcome to the Kota Contoh complaint service")
    assert [o.label for o in welcome.options][0] == "New report"


def test_replies_carry_buttons_into_the_outbox(container: Container) -> None:
    chat = Chat(container, "indra")
    chat.say("/start")  # the first answer carries the privacy notice
    [question] = chat.say("/lapor")
    assert [o.id for o in question.options] == [
        "type:pengaduan", "type:aspirasi", "type:permintaan_informasi"]
    assert replace(question, options=()).text == "Jenis laporan apa yang ingin Anda sampaikan?"


def test_media_store_keys_are_confined_to_the_media_directory(tmp_path: Path) -> None:
    from bot.media import MediaStore

    store = MediaStore(tmp_path)
    assert store.path_of("../../etc/passwd").is_relative_to(tmp_path)


def test_tracking_year_follows_the_configured_time_zone(settings: Settings) -> None:
    from datetime import UTC, datetime

    from bot.bootstrap import seed_directory

    # 16:30 UTC on New Year's Eve is already 00:30 on 1 January in Makassar (WITA, UTC+8).
    clock = FakeClock(datetime(2026, 12, 31, 16, 30, tzinfo=UTC))
    wita = build_container(replace_settings(settings, timezone="Asia/Makassar"), clock=clock)
    seed_directory(settings, wita.directories, clock)
    assert Chat(wita, "yogi").file_report() == "ADU-2027-000001"
    wita.engine.dispose()
