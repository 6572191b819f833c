"""Signing in to the dashboard: a token, or a `/dasbor` link (once, within 10 minutes); the
session cookie, CSRF on every form, logout, and the end of an idle session."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from bot.app import create_app
from bot.bootstrap import Container, build_container, seed_directory
from core.reports.actors import Role
from storage.tokens import SqlTokenStore
from tests.dashboard.conftest import Dash, link_secret, make_settings
from tests.fakes import FakeClock
from tests.service.chat import Chat
from tests.service.work_helpers import enrol, texts


async def test_a_token_signs_in_with_a_strict_httponly_session_cookie(dash: Dash) -> None:
    browser = dash.browser()
    assert (await browser.http.get("/dashboard")).headers["location"] == (
        "/dashboard/masuk?next=%2Fdashboard")
    page = await browser.page("/dashboard/masuk")
    assert 'type="password"' in page and ">Masuk</button>" in page
    response = await browser.login_with_token(dash.token())
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("aduan_sesi=") and "HttpOnly" in cookie
    assert "SameSite=strict" in cookie and "Path=/dashboard" in cookie
    assert "Secure" not in cookie  # PUBLIC_BASE_URL is not https here
    queue = await browser.page("/dashboard")
    assert "Antrean laporan" in queue and "Diskominfo" in queue and ">Keluar</button>" in queue


async def test_a_wrong_or_revoked_token_is_refused(dash: Dash) -> None:
    browser = dash.browser()
    wrong = await browser.login_with_token("adu_not-a-real-token")
    assert wrong.status_code == 401 and "Token tidak dikenal" in wrong.text
    secret = dash.token("Lama")
    SqlTokenStore(dash.container.engine).revoke(1, dash.clock.now())
    assert (await browser.login_with_token(secret)).status_code == 401
    assert "aduan_sesi" not in browser.http.cookies


async def test_a_login_form_without_its_csrf_token_is_refused(dash: Dash) -> None:
    browser = dash.browser()
    await browser.page("/dashboard/masuk")  # the pre-login cookie is set
    forged = await browser.post("/dashboard/masuk", {"token": dash.token()}, csrf=False)
    assert forged.status_code == 403 and "Formulir ini kedaluwarsa" in forged.text
    wrong = await browser.http.post("/dashboard/masuk", data={"token": dash.token(),
                                                              "csrf": "x" * 43})
    assert wrong.status_code == 403
    assert "aduan_sesi" not in browser.http.cookies


async def test_a_dasbor_link_signs_the_admin_in_once(dash: Dash) -> None:
    coordinator = enrol(dash.container, "kominfo", "diskominfo", "coordinator", name="Rina")
    secret = link_secret(coordinator)
    browser = dash.browser()
    for _ in range(2):  # opening it (a chat app's link preview, say) does not use it up
        page = await browser.page(f"/dashboard/masuk/{secret}")
        assert ">Masuk</button>" in page
    response = await browser.login_with_link(secret)
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    assert "Rina" in await browser.page("/dashboard")

    again = dash.browser()
    assert "sudah dipakai" in await again.page(f"/dashboard/masuk/{secret}", 410)
    second = await again.post(f"/dashboard/masuk/{secret}", {},
                              form_page="/dashboard/masuk")
    assert second.status_code == 410 and "aduan_sesi" not in again.http.cookies


async def test_a_dasbor_link_expires_after_ten_minutes(dash: Dash) -> None:
    officer = enrol(dash.container, "budi", "pupr")
    late, in_time = link_secret(officer), link_secret(officer)
    dash.clock.advance(minutes=9, seconds=59)
    assert (await dash.browser().login_with_link(in_time)).status_code == 303
    dash.clock.advance(seconds=1)
    browser = dash.browser()
    assert "kedaluwarsa" in await browser.page(f"/dashboard/masuk/{late}", 410)
    refused = await browser.post(f"/dashboard/masuk/{late}", {}, form_page="/dashboard/masuk")
    assert refused.status_code == 410


async def test_only_enrolled_admins_get_a_link_and_it_is_stored_hashed(dash: Dash) -> None:
    citizen = Chat(dash.container, "sari")
    assert "hanya untuk admin OPD yang terdaftar" in texts(citizen.say("/dasbor"))
    admin = enrol(dash.container, "budi", "pupr")
    [reply] = admin.say("/dashboard")  # the English alias
    assert "berlaku 10 menit" in reply.text
    secret = link_secret(admin)
    with dash.container.engine.connect() as conn:
        stored = conn.execute(text("SELECT secret_hash FROM dashboard_links")).scalars().all()
    assert len(stored) == 2 and secret not in stored and all(len(h) == 64 for h in stored)
    assert (await dash.browser().page("/dashboard/masuk/bukan-tautan", 404))


async def test_a_revoked_admins_link_and_session_stop_working(dash: Dash) -> None:
    admin = enrol(dash.container, "budi", "pupr")
    browser = dash.browser()
    assert (await browser.login_with_link(link_secret(admin))).status_code == 303
    unused = link_secret(admin)
    with dash.container.engine.begin() as conn:
        conn.execute(text("UPDATE admins SET revoked_at = created_at"))
    assert (await browser.http.get("/dashboard")).status_code == 303
    other = dash.browser()
    await other.page(f"/dashboard/masuk/{unused}", 404)
    refused = await other.post(f"/dashboard/masuk/{unused}", {}, form_page="/dashboard/masuk")
    assert refused.status_code == 404


async def test_logout_ends_the_session_for_good(dash: Dash) -> None:
    browser = await dash.signed_in()
    cookie = browser.http.cookies["aduan_sesi"]
    response = await browser.post("/dashboard/keluar", {}, form_page="/dashboard")
    assert response.status_code == 303 and response.headers["location"] == "/dashboard/masuk"
    assert "aduan_sesi" not in browser.http.cookies
    replay = dash.browser()
    replay.http.cookies.set("aduan_sesi", cookie, domain="aduan.test", path="/dashboard")
    assert (await replay.http.get("/dashboard")).status_code == 303


async def test_logout_without_csrf_is_refused_and_the_session_stays(dash: Dash) -> None:
    browser = await dash.signed_in()
    forged = await browser.http.post("/dashboard/keluar", data={})
    assert forged.status_code == 403
    assert (await browser.http.get("/dashboard")).status_code == 200


async def test_a_session_ends_after_a_working_day_without_a_request(dash: Dash) -> None:
    browser = await dash.signed_in()
    dash.clock.advance(hours=7, minutes=59)
    await browser.page("/dashboard")  # activity keeps it alive
    dash.clock.advance(hours=7, minutes=59)
    await browser.page("/dashboard")
    dash.clock.advance(hours=8)
    assert (await browser.http.get("/dashboard")).status_code == 303


async def test_the_cookie_is_secure_behind_https(db_url: str, tmp_path: Path) -> None:
    settings = make_settings(db_url, tmp_path, public_base_url="https://aduan.kota.go.id")
    clock = FakeClock()
    container: Container = build_container(settings, clock=clock)
    seed_directory(settings, container.directories, clock)
    try:
        dash = Dash(container, clock, create_app(container))
        browser = dash.browser()
        response = await browser.login_with_token(dash.token("Rakor", Role.COORDINATOR))
        assert "Secure" in response.headers["set-cookie"]
        admin = enrol(container, "rina", "diskominfo", "coordinator")
        [reply] = admin.say("/dasbor")
        assert "https://aduan.kota.go.id/dashboard/masuk/" in reply.text
        await browser.http.aclose()
    finally:
        container.engine.dispose()


async def test_after_login_the_browser_returns_only_to_a_dashboard_page(dash: Dash) -> None:
    browser = dash.browser()
    for target, landing in (("/dashboard/sla", "/dashboard/sla"),
                            ("//evil.example/x", "/dashboard"), ("https://evil.example", "/dashboard")):
        fresh = dash.browser()
        response = await fresh.post("/dashboard/masuk", {"token": dash.token(), "next": target})
        assert response.headers["location"] == landing
    assert browser.http.cookies.get("aduan_sesi") is None


async def test_english_is_one_switch_away(dash: Dash) -> None:
    browser = await dash.signed_in()
    response = await browser.post("/dashboard/bahasa", {"lang": "en", "next": "/dashboard/sla"},
                                  form_page="/dashboard")
    assert response.headers["location"] == "/dashboard/sla"
    page = await browser.page("/dashboard/sla")
    assert "SLA compliance" in page and "Times are in WIB" in page
