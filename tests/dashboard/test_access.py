"""Officers see their OPD's reports only, exactly as in chat: another OPD's report (or one
not yet verified) answers 404 by URL — its page, its photos, its buttons — and stays out of
their queue, map, patterns and SLA rows. Reporters' identities follow `identity_visible`."""

from __future__ import annotations

import pytest

from core.reports.actors import Role
from tests.dashboard.conftest import Browser, Dash, link_secret
from tests.dialog import PHOTO
from tests.service.work_helpers import enrol, events, file_report, report_row

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4


def with_photo(dash: Dash) -> None:
    """Put the bytes of the photo every test report carries where the media store looks."""
    dash.container.media.files.put(PHOTO.storage_key, JPEG, PHOTO.content_type)


async def verified(dash: Dash, opd: str = "pupr", chat: str = "sari",
                   privacy: str = "rahasia") -> str:
    _, number = file_report(dash.container, chat, privacy=privacy)
    coordinator = await dash.signed_in("Kominfo")
    page = f"/dashboard/laporan/{number}"
    response = await coordinator.post(f"{page}/verifikasi", {"opd": opd}, form_page=page)
    assert response.status_code == 303
    return number


async def dlh_officer(dash: Dash, by_link: bool) -> Browser:
    """An officer of DLH, signed in by a `/dasbor` link or with an officer token."""
    if not by_link:
        return await dash.signed_in("Aplikasi DLH", Role.OFFICER, "dlh")
    browser = dash.browser()
    chat = enrol(dash.container, "dlh-1", "dlh", name="Dewi DLH")
    assert (await browser.login_with_link(link_secret(chat))).status_code == 303
    return browser


@pytest.mark.parametrize("by_link", [True, False], ids=["dasbor-link", "officer-token"])
async def test_an_officer_cannot_open_another_opds_report_by_url(dash: Dash,
                                                                 by_link: bool) -> None:
    with_photo(dash)
    number = await verified(dash, "pupr")
    officer = await dlh_officer(dash, by_link)
    page = await officer.page(f"/dashboard/laporan/{number}", 404)
    assert "tidak ditemukan" in page and "Jalan di depan SD 12" not in page
    await officer.page(f"/dashboard/laporan/{number}/foto/0", 404)
    assert number not in await officer.page("/dashboard?status=semua")
    assert number not in await officer.page("/dashboard/peta")
    assert number not in await officer.page("/dashboard/pola")
    assert "PUPR" not in await officer.page("/dashboard/sla")
    assert [k for k, _, _ in events(dash.container, number)].count("viewed") >= 1  # Kominfo's


@pytest.mark.parametrize("action,fields", [
    ("balas", {"teks": "Sudah kami tangani, terima kasih."}),
    ("selesai", {"teks": "Sudah selesai ditangani."}),
    ("alihkan", {"alasan": "Bukan urusan kami sama sekali."}),
    ("lapor_id", {"nomor": "LAP-1234"}), ("tunda", {}), ("gabung", {"ke": "1"}),
])
async def test_an_officer_cannot_act_on_another_opds_report_by_url(
        dash: Dash, action: str, fields: dict[str, str]) -> None:
    number = await verified(dash, "pupr")
    officer = await dlh_officer(dash, by_link=True)
    before = report_row(dash.container, number)
    kinds = [k for k, _, _ in events(dash.container, number)]
    response = await officer.post(f"/dashboard/laporan/{number}/{action}", fields,
                                  form_page="/dashboard")
    assert response.status_code == 404 and "tidak ditemukan" in response.text
    assert report_row(dash.container, number) == before
    assert [k for k, _, _ in events(dash.container, number)] == kinds


async def test_an_officer_sees_and_works_their_own_opds_reports(dash: Dash) -> None:
    with_photo(dash)
    _, unverified = file_report(dash.container, "joko", name="Joko")
    number = await verified(dash, "dlh")
    officer = await dlh_officer(dash, by_link=True)
    queue = await officer.page("/dashboard")
    assert number in queue and unverified not in queue  # `baru` is the coordinator's
    await officer.page(f"/dashboard/laporan/{unverified}", 404)
    page = await officer.page(f"/dashboard/laporan/{number}")
    assert "dirahasiakan" in page and "Sari Wulandari" not in page  # rahasia: hidden
    photo = await officer.http.get(f"/dashboard/laporan/{number}/foto/0")
    assert photo.status_code == 200 and photo.content == JPEG
    assert photo.headers["content-type"] == "image/jpeg"
    assert number in await officer.page("/dashboard/peta")


@pytest.mark.parametrize("privacy,coordinator_sees,officer_sees",
                         [("publik", True, True), ("rahasia", True, False),
                          ("anonim", False, False)])
async def test_the_reporter_is_shown_as_in_chat(dash: Dash, privacy: str, coordinator_sees: bool,
                                                officer_sees: bool) -> None:
    number = await verified(dash, "dlh", privacy=privacy)
    coordinator = await dash.signed_in("Kominfo 2")
    officer = await dlh_officer(dash, by_link=False)
    shown = "Sari Wulandari (Web"
    assert (shown in await coordinator.page(f"/dashboard/laporan/{number}")) is coordinator_sees
    assert (shown in await officer.page(f"/dashboard/laporan/{number}")) is officer_sees


async def test_pages_need_a_session(dash: Dash) -> None:
    _, number = file_report(dash.container, "sari")
    stranger = dash.browser()
    for path in ("/dashboard", f"/dashboard/laporan/{number}", "/dashboard/sla",
                 "/dashboard/sla.csv", "/dashboard/peta", "/dashboard/pola",
                 f"/dashboard/laporan/{number}/foto/0"):
        response = await stranger.http.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/dashboard/masuk?next=")
    post = await stranger.http.post(f"/dashboard/laporan/{number}/verifikasi", data={})
    assert post.status_code == 303 and report_row(dash.container, number)["status"] == "baru"
