"""The dashboard in a real browser: headless Chromium against `aduan serve` and the fake Bot
API. A coordinator signs in with a token, works a report from the queue (Verifikasi, Balas)
and the citizen's Telegram chat receives each update; an admin signs in with a `/dasbor`
link, which works once; forged forms are refused; the charts are drawn; nothing is loaded
from anywhere but 127.0.0.1 and the console stays clean."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from core.reports.actors import Role
from storage.engine import make_engine
from storage.tokens import SqlTokenStore
from tests.browser.conftest import Browsing, screenshot
from tests.browser.showcase import populate
from tests.e2e.admin_flow import PUPR, answer
from tests.e2e.test_telegram_e2e import Citizen, TelegramServer, enrolled, filed
from tests.fake_platforms.telegram_api import FakeTelegram, free_port

WEEKLY_BAR = (11, 79, 138)  # sla.js: the weekly bars' colour, #0b4f8a
VERIFIED_BAR = (109, 40, 217)  # #6d28d9
# An image's width once it has loaded (or -1 when it fails): naturalWidth is 0 before then.
LOADED_WIDTH = """selector => new Promise(done => {
    const img = document.querySelector(selector);
    if (img === null) { done(-2); return; }
    if (img.complete) { done(img.naturalWidth || -1); return; }
    img.addEventListener("load", () => done(img.naturalWidth));
    img.addEventListener("error", () => done(-1));
})"""


def token(db_url: str, name: str, role: Role = Role.COORDINATOR, opd: str | None = None) -> str:
    """A token as `aduan admin token --name NAME` prints it."""
    engine = make_engine(db_url)
    try:
        return SqlTokenStore(engine).create(name, datetime.now(UTC), role, opd)[1]
    finally:
        engine.dispose()


def status_of(db_url: str, number: str) -> str:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SELECT status FROM reports WHERE tracking_no = :n"),
                                    {"n": number}).scalar_one())
    finally:
        engine.dispose()


def worked_on_with_a_photo(db_url: str) -> str:
    """A report with a photo, worked on: the newest in `diproses`, else in `selesai`."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return str(conn.execute(text(
                "SELECT r.tracking_no FROM reports r WHERE r.status IN ('diproses', 'selesai') AND EXISTS "
                "(SELECT 1 FROM attachments a WHERE a.report_id = r.id) ORDER BY r.status, r.id DESC"
            )).scalars().first())
    finally:
        engine.dispose()


def sign_in(page: Any, server: TelegramServer, secret: str) -> None:
    page.goto(f"{server.url}/dashboard")
    assert "/dashboard/masuk" in page.url
    assert page.get_attribute("#token", "type") == "password"
    page.fill("#token", secret)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(f"{server.url}/dashboard")


def pixels(page: Any, canvas: str, colour: tuple[int, int, int] | None = None) -> int:
    """Painted pixels of a canvas (of one colour, when given)."""
    return int(page.evaluate("""([id, rgb]) => {
        const c = document.getElementById(id);
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) {
            if (d[i + 3] === 0) continue;
            if (!rgb || (Math.abs(d[i] - rgb[0]) < 8 && Math.abs(d[i + 1] - rgb[1]) < 8
                         && Math.abs(d[i + 2] - rgb[2]) < 8)) n++;
        }
        return n;
    }""", [canvas, list(colour) if colour else None]))


def test_a_coordinator_works_a_report_from_the_queue_and_the_citizen_hears_of_it(
        start_server: Callable[..., TelegramServer], fake: FakeTelegram, browsing: Browsing,
        db_url: str) -> None:
    server = start_server()
    siti = Citizen(server, fake, 9701)
    number = filed(siti)
    page = browsing.page()
    sign_in(page, server, token(db_url, "Rakor Diskominfo"))
    row = page.locator("table.queue tr", has_text=number)
    assert "baru" in row.inner_text()
    page.get_by_role("link", name=number).click()
    page.wait_for_url(f"**/dashboard/laporan/{number}")
    assert number in page.locator("h1").inner_text()

    page.get_by_role("button", name="Verifikasi", exact=True).click()
    page.wait_for_selector("p.ok")
    assert "didisposisikan" in page.locator("h1").inner_text()
    assert "telah diverifikasi" in siti.wait_for("diverifikasi").params["text"]

    words = "Tim PUPR menambal lubangnya besok pagi, terima kasih atas laporannya."
    page.fill("#balas-teks", words)
    page.get_by_role("button", name="Balas", exact=True).click()
    page.wait_for_selector("p.ok")
    assert answer(PUPR, words) in siti.wait_for(words).params["text"]
    timeline = page.locator("ol.timeline").inner_text()
    assert "Rakor Diskominfo" in timeline and "diverifikasi" in timeline
    assert status_of(db_url, number) == "diproses"

    page.get_by_role("link", name="Kepatuhan SLA").click()
    page.wait_for_url("**/dashboard/sla")
    page.wait_for_function("document.getElementById('chart-weekly').width > 0")
    assert pixels(page, "chart-weekly", WEEKLY_BAR) > 50
    assert pixels(page, "chart-on-time", VERIFIED_BAR) > 50
    assert pixels(page, "chart-overdue") > 50  # axes and labels, nothing overdue yet
    page.get_by_role("link", name="Peta").click()
    page.wait_for_selector("path.report-pin")
    assert page.locator("path.report-pin").count() == 1

    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/dashboard/masuk")
    page.goto(f"{server.url}/dashboard/sla")
    assert "/dashboard/masuk" in page.url
    browsing.watch.clean()


def test_an_admin_signs_in_with_a_dasbor_link_only_once(
        start_server: Callable[..., TelegramServer], fake: FakeTelegram, browsing: Browsing,
        db_url: str) -> None:
    server = start_server()
    officer = enrolled(server, fake, 9711, db_url, "pupr")
    found = re.search(r"http://127\.0\.0\.1:\d+/dashboard/masuk/\S+", officer.say("/dasbor"))
    assert found, fake.texts(9711)[-1]
    page = browsing.page()
    page.goto(found.group(0))
    screenshot(page, "login-link", full_page=False)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(f"{server.url}/dashboard")
    assert "Siti" in page.locator("header .who").inner_text()

    again = browsing.page()
    response = again.goto(found.group(0))
    assert response is not None and response.status == 410
    assert "sudah dipakai" in again.inner_text("main")
    browsing.watch.errors = [e for e in browsing.watch.errors if "410" not in e]
    browsing.watch.clean()


def test_forged_forms_are_refused(start_server: Callable[..., TelegramServer],
                                  fake: FakeTelegram, browsing: Browsing, db_url: str) -> None:
    server = start_server()
    number = filed(Citizen(server, fake, 9721))
    page = browsing.page()
    sign_in(page, server, token(db_url, "Rakor"))
    page.goto(f"{server.url}/dashboard/laporan/{number}")
    # A form put into the page by someone else: everything but the CSRF token.
    page.evaluate("""(number) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = `/dashboard/laporan/${number}/tolak`;
        const reason = document.createElement('input');
        reason.name = 'alasan'; reason.value = 'Laporan palsu, ditolak.';
        form.appendChild(reason);
        document.body.appendChild(form);
        form.submit();
    }""", number)
    page.wait_for_load_state()
    assert "Formulir ini kedaluwarsa" in page.inner_text("main")
    # The same from another origin of this host (same site: the Strict cookie goes along).
    page.goto(f"{fake.url}/forged")  # any page of another 127.0.0.1 origin
    page.set_content(f"""<form method="post" action="{server.url}/dashboard/laporan/{number}/tolak">
        <input name="alasan" value="Laporan palsu, ditolak."><input name="csrf" value="tebakan">
        <button>kirim</button></form>""")
    page.click("button")
    page.wait_for_load_state()
    assert "Formulir ini kedaluwarsa" in page.inner_text("main")
    assert status_of(db_url, number) == "baru"
    browsing.watch.errors = [e for e in browsing.watch.errors if "403" not in e and "404" not in e]
    browsing.watch.clean()


def test_every_page_for_the_readme(start_server: Callable[..., TelegramServer],
                                   browsing: Browsing, db_url: str, tmp_path: Any) -> None:
    """A few months of a city, each page photographed (docs/screenshots with DOCS_SCREENSHOTS=1)."""
    populate(db_url, tmp_path / "data", datetime.now(UTC))  # the server's DATA_DIR
    server = start_server()
    page = browsing.page()
    sign_in(page, server, token(db_url, "Rakor Diskominfo"))
    screenshot(page, "queue", full_page=False)
    page.goto(f"{server.url}/dashboard/laporan/{worked_on_with_a_photo(db_url)}")
    page.wait_for_selector("#pin-map path.report-pin")
    assert page.evaluate(LOADED_WIDTH, ".photos img") == 480
    screenshot(page, "report")
    page.goto(f"{server.url}/dashboard/sla")
    page.wait_for_function("document.getElementById('chart-on-time').width > 0")
    assert pixels(page, "chart-weekly", WEEKLY_BAR) > 200
    screenshot(page, "sla")
    page.goto(f"{server.url}/dashboard/peta")
    page.wait_for_selector("path.report-pin")
    screenshot(page, "map", full_page=False)
    page.goto(f"{server.url}/dashboard/pola")
    assert page.locator("ol.clusters li").count() >= 1
    screenshot(page, "patterns")
    page.goto(f"{server.url}/dashboard/masuk")  # signed in: straight back to the queue
    officer = browsing.page()
    officer.goto(f"{server.url}/dashboard/masuk")
    screenshot(officer, "login", full_page=False)
    browsing.watch.clean()


def test_the_map_works_when_its_tiles_cannot_load(
        start_server: Callable[..., TelegramServer], fake: FakeTelegram, browsing: Browsing,
        db_url: str) -> None:
    closed = free_port()  # nothing listens there: every tile fails
    server = start_server(DASHBOARD_TILE_URL=f"http://127.0.0.1:{closed}/{{z}}/{{x}}/{{y}}.png")
    number = filed(Citizen(server, fake, 9731))
    page = browsing.page()
    sign_in(page, server, token(db_url, "Rakor"))
    page.goto(f"{server.url}/dashboard/peta")
    page.wait_for_selector("path.report-pin")
    assert page.locator("path.report-pin").count() == 1
    page.locator("path.report-pin").click()
    assert number in page.locator(".leaflet-popup-content").inner_text()
    assert any(f":{closed}/" in url for url in browsing.watch.requests)  # tiles were tried
    browsing.watch.errors = [e for e in browsing.watch.errors
                             if "Failed to load resource" not in e]
    browsing.watch.clean()
