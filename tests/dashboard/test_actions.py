"""Every button of the report page is one lifecycle use case: the report's status, the
timeline's actor (the token's name, or the admin who signed in by `/dasbor`) and the
citizen's update in the outbox, exactly as the chat command does it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from core.reports.actors import Role
from tests.dashboard.conftest import Browser, Dash, link_secret
from tests.service.chat import Chat
from tests.service.work_helpers import enrol, events, file_report, report_row, texts


async def press(browser: Browser, number: str, action: str, **fields: str) -> int:
    """Submit the report page's form for `action`; the response's status."""
    response = await browser.post(f"/dashboard/laporan/{number}/{action}", fields,
                                  form_page=f"/dashboard/laporan/{number}")
    return response.status_code


@dataclass
class Case:
    action: str
    fields: dict[str, str]
    by_officer: bool  # the PUPR officer (signed in by link) rather than the coordinator's token
    verified_first: bool
    status: str
    event: str
    citizen_reads: str | None  # a fragment of the citizen's update; None: no update


CASES = [
    Case("verifikasi", {}, False, False, "didisposisikan", "verified", "telah diverifikasi"),
    Case("verifikasi", {"opd": "dlh"}, False, False, "didisposisikan", "verified",
         "Dinas Lingkungan Hidup"),
    Case("alihkan", {"opd": "dlh"}, False, True, "didisposisikan", "disposed",
         "Dinas Lingkungan Hidup"),
    Case("tolak", {"alasan": "Bukan kewenangan pemerintah kota."}, False, False, "ditolak",
         "rejected", "Bukan kewenangan pemerintah kota."),
    Case("balas", {"teks": "Tim kami menambal lubangnya besok pagi."}, True, True, "diproses",
         "answer", "Tim kami menambal lubangnya besok pagi."),
    Case("selesai", {"teks": "Lubang sudah ditambal hari ini."}, True, True, "selesai",
         "resolved", "Lubang sudah ditambal hari ini."),
    Case("alihkan", {"alasan": "Jalan nasional, bukan kewenangan kami."}, True, True, "baru",
         "handed_back", "ditinjau ulang"),
    Case("lapor_id", {"nomor": "LAP-2026-0042"}, True, True, "didisposisikan", "lapor_id", None),
    Case("tunda", {}, True, True, "didisposisikan", "snoozed", None),
]


def case_id(case: Case) -> str:
    return f"{case.action}-{'officer' if case.by_officer else 'coordinator'}"


@pytest.mark.parametrize("case", CASES, ids=case_id)
async def test_each_button_calls_its_use_case(dash: Dash, case: Case) -> None:
    container = dash.container
    citizen, number = file_report(container, "sari")
    coordinator = await dash.signed_in("Rakor Diskominfo")
    if case.verified_first:
        assert await press(coordinator, number, "verifikasi") == 303
    officer_chat = enrol(container, "budi", "pupr", name="Budi PUPR")
    officer = dash.browser()
    assert (await officer.login_with_link(link_secret(officer_chat))).status_code == 303
    citizen.replies()

    who = officer if case.by_officer else coordinator
    response = await who.post(f"/dashboard/laporan/{number}/{case.action}", case.fields,
                              form_page=f"/dashboard/laporan/{number}")
    assert response.status_code == 303
    row = report_row(container, number)
    assert row["status"] == case.status
    kind, actor_kind, _ = events(container, number)[-1]
    assert (kind, actor_kind) == (case.event, "admin" if case.by_officer else "token")
    page = await coordinator.page(f"/dashboard/laporan/{number}")  # the timeline names them
    assert ("Budi PUPR" if case.by_officer else "Rakor Diskominfo") in page
    assert "class=\"ok\"" in await who.page(response.headers["location"])
    update = texts(citizen.replies())
    if case.citizen_reads is None:
        assert update == ""
    else:
        assert case.citizen_reads in update


async def test_gabung_closes_the_duplicate_and_its_reporter_follows(dash: Dash) -> None:
    container = dash.container
    _, original = file_report(container, "sari")
    other, duplicate = file_report(container, "joko", name="Joko")
    coordinator = await dash.signed_in()
    other.replies()
    assert await press(coordinator, duplicate, "gabung", ke=original.rsplit("-", 1)[1]) == 303
    row = report_row(container, duplicate)
    assert row["status"] == "ditutup" and row["duplicate_of_id"] is not None
    assert original in texts(other.replies())
    assert [k for k, _, _ in events(container, original)][-1] == "merged_in"


async def test_a_forged_action_without_the_csrf_token_changes_nothing(dash: Dash) -> None:
    container = dash.container
    citizen, number = file_report(container, "sari")
    coordinator = await dash.signed_in()
    citizen.replies()
    before = report_row(container, number)
    forged = await coordinator.http.post(f"/dashboard/laporan/{number}/verifikasi", data={})
    assert forged.status_code == 403
    other = await dash.signed_in("Lain")  # another session's token is no good either
    stolen = await other.csrf("/dashboard")
    wrong = await coordinator.http.post(f"/dashboard/laporan/{number}/tolak",
                                        data={"csrf": stolen, "alasan": "Laporan iseng saja."})
    assert wrong.status_code == 403
    assert report_row(container, number) == before
    assert citizen.replies() == []


async def test_a_refusal_shows_why_with_the_status_an_api_would_give(dash: Dash) -> None:
    _, number = file_report(dash.container, "sari")
    coordinator = await dash.signed_in()
    response = await coordinator.post(f"/dashboard/laporan/{number}/balas", {"teks": "ok"},
                                      form_page=f"/dashboard/laporan/{number}")
    assert response.status_code == 422 and "Teks terlalu pendek" in response.text
    assert await press(coordinator, number, "verifikasi") == 303
    again = await coordinator.post(f"/dashboard/laporan/{number}/verifikasi", {},
                                   form_page=f"/dashboard/laporan/{number}")
    assert again.status_code == 409 and "berstatus Diteruskan ke dinas" in again.text
    officer = await dash.signed_in("PUPR", Role.OFFICER, "pupr")
    forbidden = await officer.post(f"/dashboard/laporan/{number}/tolak",
                                   {"alasan": "Bukan urusan kami."},
                                   form_page=f"/dashboard/laporan/{number}")
    assert forbidden.status_code == 403 and "Hanya koordinator" in forbidden.text
    assert report_row(dash.container, number)["status"] == "didisposisikan"


async def test_the_page_offers_only_the_buttons_the_viewer_may_use_now(dash: Dash) -> None:
    _, number = file_report(dash.container, "sari")
    coordinator = await dash.signed_in()
    page = await coordinator.page(f"/dashboard/laporan/{number}")
    for verb in ("Verifikasi", "Alihkan", "Tolak", "Balas", "Gabung", "LAPOR id", "Tunda"):
        assert f">{verb}</button>" in page, verb
    assert ">Selesai</button>" not in page  # not before an OPD has it
    assert await press(coordinator, number, "verifikasi") == 303
    officer = await dash.signed_in("PUPR", Role.OFFICER, "pupr")
    page = await officer.page(f"/dashboard/laporan/{number}")
    for verb in ("Balas", "Selesai", "Alihkan", "Gabung", "LAPOR id", "Tunda"):
        assert f">{verb}</button>" in page, verb
    assert ">Verifikasi</button>" not in page and ">Tolak</button>" not in page
    chat = Chat(dash.container, "x")  # the chat side is untouched by all this
    assert chat.replies() == []
