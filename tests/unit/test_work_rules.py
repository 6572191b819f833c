"""Pure rules of the work side: command parsing, the authorisation matrix, working days."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.messages import Channel
from core.reports.access import Action, identity_visible, refusal
from core.reports.actors import Admin, Role
from core.reports.model import Privacy, ReportType, Status
from core.reports.views import Reporter, ReportView
from core.sla.policy import Colour, SlaPolicy
from core.sla.working_days import WorkCalendar
from core.work.commands import ADMIN_COMMANDS, Request, Usage, command_name, parse, parse_option
from tests.dialog import sample_city

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # Monday 10:00 WIB
OFFICER = Admin(1, "Budi", "pupr", Role.OFFICER, Channel.TELEGRAM, "11")
OTHER = Admin(2, "Dewi", "dlh", Role.OFFICER, Channel.TELEGRAM, "12")
COORDINATOR = Admin(3, "Kominfo", "diskominfo", Role.COORDINATOR, Channel.WEB, "13")


def report(status: Status, opd: str | None = "pupr",
           privacy: Privacy = Privacy.RAHASIA) -> ReportView:
    who = Reporter(9, Channel.WHATSAPP, "628123", None, "Sari", "id")
    return ReportView(1, "ADU-2026-000001", ReportType.PENGADUAN, "jalan_rusak", opd, status,
                      "Jalan rusak", "Lubang besar", date(2026, 11, 20), None, None, None,
                      privacy, None, NOW, NOW, NOW, who)


@pytest.mark.parametrize(("text", "expected"), [
    ("/balas 12 Sudah kami cek.", Request("balas", "ADU-2026-000012", "Sudah kami cek.")),
    ("/BALAS@AduanBot ADU-2025-000007\nbaris satu\nbaris dua",
     Request("balas", "ADU-2025-000007", "baris satu\nbaris dua")),
    ("/balas 12", Request("balas", "ADU-2026-000012", "")),  # the text is asked for next
    ("/reply 2026-12 ok", Request("balas", "ADU-2026-000012", "ok")),
    ("/verifikasi 3 dinas pu", Request("verifikasi", "ADU-2026-000003", "dinas pu")),
    ("/gabung 5 ADU-2026-000004", Request("gabung", "ADU-2026-000005", "ADU-2026-000004")),
    ("/lapor_id 5 LAPOR-88123", Request("lapor_id", "ADU-2026-000005", "LAPOR-88123")),
    ("/tugas", Request("tugas")),
    ("/lihat", Usage("lihat")),
    ("/lihat abc", Usage("lihat")),
    ("/lihat 5 lebih", Usage("lihat")),
    ("/gabung 5", Usage("gabung")),
    ("/gabung 5 x", Usage("gabung")),
    ("/lapor_id 5 <script>", Usage("lapor_id")),
    ("/lapor_id 5 A1 B2", Usage("lapor_id")),
])
def test_admin_commands_parse_or_show_their_usage(text: str, expected: Request | Usage) -> None:
    found = command_name(text)
    assert found is not None
    name, rest = found
    assert parse(ADMIN_COMMANDS[name], rest, 2026) == expected


def test_buttons_parse_and_unknown_ones_are_ignored() -> None:
    assert parse_option("adm:selesai:ADU-2026-000001") == Request("selesai", "ADU-2026-000001")
    assert parse_option("adm:tugas") == Request("tugas")
    assert parse_option("fl:ADU-2026-000002") == Request("ikuti", "ADU-2026-000002")
    assert parse_option("adm:hapus:ADU-2026-000001") is None
    assert parse_option("cat:jalan_rusak") is None


MATRIX = [  # (admin, action, status, opd, allowed or the refusal key)
    (OFFICER, Action.ANSWER, Status.DIDISPOSISIKAN, "pupr", None),
    (OFFICER, Action.ANSWER, Status.BARU, "pupr", "work.not_found"),
    (OFFICER, Action.VIEW, Status.DIPROSES, "dlh", "work.not_found"),
    (OTHER, Action.ANSWER, Status.DIPROSES, "pupr", "work.not_found"),
    (OFFICER, Action.RESOLVE, Status.DIPROSES, "pupr", None),
    (OFFICER, Action.RESOLVE, Status.SELESAI, "pupr", "work.bad_status"),
    (OFFICER, Action.VERIFY, Status.DIDISPOSISIKAN, "pupr", "work.coordinator_only"),
    (OFFICER, Action.REJECT, Status.DIPROSES, "pupr", "work.coordinator_only"),
    (OFFICER, Action.DISPOSE, Status.DIPROSES, "pupr", None),
    (OFFICER, Action.LAPOR_ID, Status.DITUTUP, "pupr", None),
    (COORDINATOR, Action.VERIFY, Status.BARU, None, None),
    (COORDINATOR, Action.VERIFY, Status.DIDISPOSISIKAN, "pupr", "work.bad_status"),
    (COORDINATOR, Action.REJECT, Status.BARU, "pupr", None),
    (COORDINATOR, Action.ANSWER, Status.BARU, "pupr", None),
    (COORDINATOR, Action.RESOLVE, Status.BARU, "pupr", "work.bad_status"),
    (COORDINATOR, Action.DISPOSE, Status.DITOLAK, None, "work.bad_status"),
    (COORDINATOR, Action.MERGE, Status.DIPROSES, "dlh", None),
    (COORDINATOR, Action.VIEW, Status.DITUTUP, "dlh", None),
]


@pytest.mark.parametrize(("admin", "action", "status", "opd", "expected"), MATRIX)
def test_authorisation_matrix(admin: Admin, action: Action, status: Status, opd: str | None,
                              expected: str | None) -> None:
    assert refusal(admin, action, report(status, opd)) == expected


@pytest.mark.parametrize(("role", "privacy", "visible"), [
    (Role.OFFICER, Privacy.PUBLIK, True), (Role.COORDINATOR, Privacy.PUBLIK, True),
    (Role.OFFICER, Privacy.RAHASIA, False), (Role.COORDINATOR, Privacy.RAHASIA, True),
    (Role.OFFICER, Privacy.ANONIM, False), (Role.COORDINATOR, Privacy.ANONIM, False),
    (None, Privacy.PUBLIK, False),
])
def test_identity_visibility(role: Role | None, privacy: Privacy, visible: bool) -> None:
    assert identity_visible(role, privacy) is visible


def test_working_days_skip_weekends_holidays_and_collective_leave() -> None:
    calendar = WorkCalendar.of(WIB, [date(2026, 12, 24)])
    friday = datetime(2026, 12, 18, 8, 0, tzinfo=WIB)
    # 21, 22, 23 Dec work; 24 leave; 25 Christmas; 26-27 weekend; 28 the 4th working day.
    due = calendar.add_working_days(friday, 4).astimezone(WIB)
    assert due.date() == date(2026, 12, 28)
    eid = datetime(2026, 3, 20, 8, 0, tzinfo=WIB)  # Fri before Idul Fitri (21-22 Mar 2026)
    assert calendar.add_working_days(eid, 1).astimezone(WIB).date() == date(2026, 3, 23)
    assert calendar.working_days_between(friday, due) == 4


def test_deadline_colours_follow_the_sla_of_the_step() -> None:
    sla = SlaPolicy(sample_city().directory, WorkCalendar.of(WIB))
    fresh = report(Status.BARU)
    deadline = sla.current_deadline(fresh)
    assert deadline is not None and deadline.what == "verifikasi"
    assert deadline.due.astimezone(WIB).date() == date(2026, 11, 26)  # 3 working days
    assert sla.colour(deadline, NOW) is Colour.GREEN
    assert sla.colour(deadline, datetime(2026, 11, 25, 3, tzinfo=UTC)) is Colour.YELLOW
    assert sla.colour(deadline, datetime(2026, 11, 27, 3, tzinfo=UTC)) is Colour.RED
    assert sla.current_deadline(report(Status.DITUTUP)) is None
