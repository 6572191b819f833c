"""The SLA clock end to end on the real stores: every rung of the nudge ladder, snoozing, the
auto-close, the Ombudsman notice, the digests, and sweeps after a restart or downtime."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import text

from bot.bootstrap import Container, build_container
from bot.settings import Settings
from core.messages import Outbound
from core.sla.sweep import SlaSweeper, SweepResult
from tests.fakes import FakeClock
from tests.service.chat import Chat
from tests.service.work_helpers import enrol, events, file_report, report_row

WIB = ZoneInfo("Asia/Jakarta")
REMINDER, OVERDUE, DIGEST, WEEKLY = "⏰ Pengingat", "🔴 Lewat tenggat", "☀️ Ringkasan", "📊 Ringkasan"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB).astimezone(UTC)


def sweep(container: Container, when: datetime) -> SweepResult:
    container.clock.current = when  # type: ignore[attr-defined]
    return SlaSweeper(container.uow, container.city).sweep(when)


def starting(messages: list[Outbound], prefix: str) -> list[str]:
    return [m.text for m in messages if m.text.startswith(prefix)]


def nudges_sent(container: Container) -> list[tuple[str, str]]:
    with container.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT d.step, n.rung FROM sla_nudges n JOIN report_deadlines d "
            "ON d.id = n.deadline_id ORDER BY n.id")).all()
    return [(r[0], r[1]) for r in rows]


def test_a_report_walks_every_rung_of_the_ladder(container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    budi, ani = enrol(container, "budi", "pupr"), enrol(container, "ani", "pupr", name="Ani")
    other = enrol(container, "dlh", "dlh")
    citizen, number = file_report(container, "sari")  # Sunday 22 Nov 10:00 WIB
    coordinator.replies()

    # Verification: 3 working days → due Wednesday 25 Nov; the reminder that morning.
    assert sweep(container, at(date(2026, 11, 24), 10)).sent == {}
    tuesday = coordinator.replies()  # Tuesday's digest, and the weekly summary Monday missed
    assert len(starting(tuesday, DIGEST)) == 1 and len(starting(tuesday, WEEKLY)) == 1
    assert starting(tuesday, REMINDER) == []
    sweep(container, at(date(2026, 11, 25), 7, 30))
    [reminder] = starting(coordinator.replies(), REMINDER)
    assert number in reminder and "verifikasi" in reminder and "25 November 2026 23:59 WIB" in reminder
    assert "/tunda" in reminder  # why it came and how to snooze it
    assert budi.replies() == []  # officers do not see unverified reports
    sweep(container, at(date(2026, 11, 25), 7, 31))
    assert starting(coordinator.replies(), REMINDER) == []  # once

    # Past the deadline: the coordinators (no OPD yet) hear it again, red.
    sweep(container, at(date(2026, 11, 26), 7, 15))
    [overdue] = starting(coordinator.replies(), OVERDUE)
    assert number in overdue
    assert "🔴" in coordinator.say("/tugas")[0].text

    # Disposition on Thursday: the first answer is due 5 working days later, Thursday 3 Dec.
    coordinator.say(f"/verifikasi {number}")
    budi.replies(), ani.replies()
    [queue] = budi.say("/tugas")
    assert f"🟢 {number}" in queue.text
    assert sweep(container, at(date(2026, 12, 3), 6, 0)).deferred == 0  # not due before 07:00
    sweep(container, at(date(2026, 12, 3), 7, 5))
    for officer in (budi, ani):
        [reminder] = starting(officer.replies(), REMINDER)
        assert "jawaban pertama" in reminder and "5 hari kerja" in reminder
    assert starting(coordinator.replies(), REMINDER) == []  # the OPD's own step
    assert other.replies() == []

    # Budi snoozes it for a working day: the overdue nudge waits for Friday 10:00.
    container.clock.current = at(date(2026, 12, 3), 10)  # type: ignore[attr-defined]
    [snoozed] = budi.say(f"/tunda {number}")
    assert "ditunda sampai 4 Desember 2026 10:00 WIB" in snoozed.text
    assert "snoozed" in [kind for kind, _, _ in events(container, number)]
    sweep(container, at(date(2026, 12, 4), 8))
    assert starting(budi.replies(), OVERDUE) == []
    sweep(container, at(date(2026, 12, 4), 10, 1))
    for chat in (budi, ani, coordinator):
        [overdue] = starting(chat.replies(), OVERDUE)
        assert number in overdue and "Dinas Pekerjaan Umum" in overdue
    assert "🔴" in budi.say("/tugas")[0].text

    # Answer, resolve, and nobody confirms: 10 working days later the report closes itself.
    budi.say(f"/balas {number} Tim sudah kami jadwalkan ke lokasi.")
    budi.say(f"/selesai {number} Lubang sudah ditambal pada 4 Desember.")
    citizen.replies()
    sweep(container, at(date(2026, 12, 18), 12))  # 9 working days: still open
    assert report_row(container, number)["status"] == "selesai"
    sweep(container, at(date(2026, 12, 21), 0, 30))  # the 10th working day is over
    assert report_row(container, number)["status"] == "ditutup"
    [closed] = citizen.replies()
    assert "ditutup karena tidak ada tanggapan dalam 10 hari kerja" in closed.text
    kinds = [kind for kind, _, _ in events(container, number)]
    assert kinds.count("nudged") == 4 and kinds[-1] == "auto_closed"
    assert nudges_sent(container) == [("verifikasi", "reminder"), ("verifikasi", "overdue"),
                                      ("jawaban", "reminder"), ("jawaban", "overdue"),
                                      ("konfirmasi", "auto_close")]
    assert sweep(container, at(date(2026, 12, 22), 12)).sent == {}


def test_the_citizen_hears_of_the_ombudsman_after_60_days_once(container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    citizen, number = file_report(container, "sari")
    coordinator.say(f"/verifikasi {number}")
    citizen.replies()
    sweep(container, at(date(2027, 1, 20), 10))  # 59 days
    assert "Ombudsman" not in " ".join(m.text for m in citizen.replies())
    sweep(container, at(date(2027, 1, 21), 10, 1))  # 60 days after Sunday 22 Nov 10:00
    [notice] = [m.text for m in citizen.replies() if "Ombudsman" in m.text]
    assert number in notice and "60 hari" in notice
    sweep(container, at(date(2027, 1, 22), 10))
    assert [m for m in citizen.replies() if "Ombudsman" in m.text] == []
    assert "ombudsman" in [kind for kind, _, _ in events(container, number)]


def test_a_resolved_report_gets_no_ombudsman_notice(container: Container) -> None:
    officer = enrol(container, "dlh", "dlh")
    citizen, number = file_report(container, "sari", category="sampah")  # auto-disposed
    officer.say(f"/selesai {number} Sampah sudah diangkut hari ini oleh petugas.")
    citizen.say(option=f"fb:ok:{number}")
    sweep(container, at(date(2027, 1, 25), 10))
    assert report_row(container, number)["status"] == "ditutup"
    assert [m for m in citizen.replies() if "Ombudsman" in m.text] == []


def test_quiet_hours_defer_reminders_but_not_the_citizens_updates(container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    officer = enrol(container, "dlh", "dlh")
    # A verification deadline (Wed 25 Nov) passed and seen at night waits for 07:00.
    _, late = file_report(container, "tono")
    coordinator.replies()
    result = sweep(container, at(date(2026, 11, 26), 22))
    assert result.deferred == 1 and starting(coordinator.replies(), OVERDUE) == []
    sweep(container, at(date(2026, 11, 27), 6, 59))
    assert starting(coordinator.replies(), OVERDUE) == []
    sweep(container, at(date(2026, 11, 27), 7, 0))
    assert [late in m for m in starting(coordinator.replies(), OVERDUE)] == [True]
    # The citizen's auto-close update goes out at once, even at 00:30.
    citizen, number = file_report(container, "sari", category="sampah")  # auto-disposed
    officer.say(f"/selesai {number} Sampah sudah diangkut oleh petugas kebersihan.")
    citizen.replies()
    sweep(container, at(date(2026, 12, 12), 0, 30))  # 10 working days after Fri 27 Nov
    assert "ditutup karena" in citizen.replies()[0].text


def test_daily_digest_once_per_working_day_for_admins_with_work(container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    pupr, idle = enrol(container, "budi", "pupr"), enrol(container, "dlh", "dlh")
    numbers = [file_report(container, f"warga{i}")[1] for i in range(7)]
    for number in numbers[:6]:
        coordinator.say(f"/verifikasi {number}")
    for chat in (coordinator, pupr, idle):
        chat.replies()
    assert sweep(container, at(date(2026, 11, 23), 7, 30)).digests == 0  # before 08:00
    result = sweep(container, at(date(2026, 11, 23), 8, 0))
    assert result.digests == 2
    [digest] = starting(pupr.replies(), DIGEST)
    assert "6 laporan menunggu" in digest and "🟢 6 aman" in digest
    assert digest.count("jawaban pertama") == 5  # the five most urgent
    [coordinator_digest] = starting(coordinator.replies(), DIGEST)
    assert "7 laporan menunggu" in coordinator_digest  # 1 to verify + 6 with the OPD
    assert idle.replies() == []  # nothing pending: no digest
    assert sweep(container, at(date(2026, 11, 23), 15)).digests == 0
    assert sweep(container, at(date(2026, 11, 28), 9)).digests == 0  # Saturday
    assert sweep(container, at(date(2026, 11, 30), 8, 30)).digests == 2  # Monday again
    monday = starting(pupr.replies(), DIGEST)
    assert len(monday) == 1 and "🟡" in monday[0]


def test_weekly_summary_goes_to_coordinators_once(container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    officer = enrol(container, "budi", "pupr")
    container.clock.current = at(date(2026, 11, 23), 9)  # type: ignore[attr-defined]
    on_time, late, _ = (file_report(container, f"warga{i}")[1] for i in range(3))
    for number in (on_time, late, _):
        coordinator.say(f"/verifikasi {number}")
    container.clock.current = at(date(2026, 11, 24), 9)  # type: ignore[attr-defined]
    officer.say(f"/balas {on_time} Sudah kami terima, tim segera ke lokasi.")
    container.clock.current = at(date(2026, 11, 27), 9)  # type: ignore[attr-defined]
    officer.say(f"/balas {late} Sudah kami terima, tim segera ke lokasi.")
    coordinator.replies()
    result = sweep(container, at(date(2026, 11, 30), 8, 0))
    assert result.weekly == 1
    [summary] = starting(coordinator.replies(), WEEKLY)
    assert "23 November 2026 – 29 November 2026" in summary
    # 3 received; 2 answered, 1 after 1 day and 1 after 4 days, both in 5 working days;
    # the third is not overdue yet (due Mon 30 Nov 23:59); median 60 hours = 2,5 days.
    assert "Dinas Pekerjaan Umum dan Penataan Ruang: 3 · 2 (2) · 0 · 2,5 hari" in summary
    assert starting(officer.replies(), WEEKLY) == []
    assert sweep(container, at(date(2026, 11, 30), 9)).weekly == 0
    assert sweep(container, at(date(2026, 12, 1), 9)).weekly == 0


def test_a_restart_after_downtime_catches_up_once(settings: Settings, clock: FakeClock) -> None:
    first = build_container(settings, clock=clock)
    from bot.bootstrap import seed_directory
    seed_directory(settings, first.directories, clock)
    coordinator = enrol(first, "kominfo", "diskominfo", "coordinator")
    _, early = file_report(first, "sari")  # verification due Wed 25 Nov
    sweep(first, at(date(2026, 11, 25), 7, 30))  # its reminder goes out, then the process dies
    assert len(starting(coordinator.replies(), REMINDER)) == 1
    clock.current = at(date(2026, 11, 25), 9)
    _, missed = file_report(first, "tono")  # filed Wed: due Mon 30 Nov
    first.engine.dispose()

    # Down from Wednesday to Tuesday 1 Dec: `early` passed its deadline and `missed` passed
    # both its reminder and its deadline. A new process catches up once: two overdue nudges.
    second = build_container(settings, clock=clock)
    coordinator.container = second
    sweep(second, at(date(2026, 12, 1), 10))
    overdue = starting(coordinator.replies(), OVERDUE)
    assert sorted(n for n in (early, missed) for m in overdue if n in m) == sorted([early, missed])
    assert len(overdue) == 2 and starting(coordinator.replies(), REMINDER) == []
    for when in (at(date(2026, 12, 1), 10, 1), at(date(2026, 12, 2), 10)):
        assert sweep(second, when).sent == {}
    assert sorted(nudges_sent(second)) == sorted([("verifikasi", "reminder"),
                                                  ("verifikasi", "overdue"),
                                                  ("verifikasi", "overdue")])
    second.engine.dispose()


def test_tunda_needs_a_running_deadline_and_the_right_admin(container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    officer, stranger = enrol(container, "budi", "pupr"), enrol(container, "dlh", "dlh")
    _, number = file_report(container, "sari")
    assert "tidak ditemukan" in officer.say(f"/tunda {number}")[0].text  # not disposed yet
    coordinator.say(f"/verifikasi {number}")
    officer.replies()
    assert "tidak ditemukan" in stranger.say(f"/tunda {number}")[0].text  # another OPD
    assert "ditunda sampai" in officer.say(f"/tunda {number}")[0].text
    assert "Cara pakai: /tunda NOMOR" in officer.say("/tunda")[0].text
    citizen = Chat(container, "warga-lain")
    assert "admin" in citizen.say(f"/tunda {number}")[0].text.lower()
