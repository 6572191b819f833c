"""POST requests: a report filed exactly as a chat files one — stored, routed, deadlines
planned, the next admin told — and the answer in the spec's shape, without identity."""

from __future__ import annotations

import httpx
from sqlalchemy import text

from core.reports.actors import Role
from tests.open311.conftest import PIN, TEXT, WHO, Open311, children, fixture, parse_xml
from tests.service.work_helpers import enrol, events, report_row


def identity_absent(response: httpx.Response) -> None:
    body = response.text.lower()
    for value in (*WHO.values(), "sulastri", "wiraatmadja", "5550", "rahmat", "a1b2c3d4"):
        assert value.lower() not in body, value


def identity_of(o311: Open311, number: str) -> tuple[str | None, str, str | None]:
    with o311.container.engine.connect() as conn:
        row = conn.execute(text(
            "SELECT c.display_name, r.chat_id, i.user_id FROM reports r "
            "JOIN citizens c ON c.id = r.citizen_id JOIN channel_identities i "
            "ON i.channel = r.channel AND i.chat_id = r.chat_id WHERE r.tracking_no = :n"),
            {"n": number}).one()
    return row[0], row[1], row[2]


def open_deadlines(o311: Open311, number: str) -> list[tuple[str, str | None]]:
    with o311.container.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT d.step, d.opd FROM report_deadlines d JOIN reports r ON r.id = d.report_id "
            "WHERE r.tracking_no = :n AND d.closed_at IS NULL ORDER BY d.step"),
            {"n": number}).all()
    return [(r[0], r[1]) for r in rows]


async def test_a_report_is_stored_planned_and_the_coordinator_told_like_a_chat_report(
        o311: Open311) -> None:
    coordinator = enrol(o311.container, "koordinator-1", "diskominfo", "coordinator")
    key = o311.key("Aplikasi Kota")
    response = await o311.post({"api_key": key, "service_code": "jalan_rusak",
                                "description": TEXT, **PIN, **WHO})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    [answer] = response.json()
    number = answer["service_request_id"]
    assert list(answer) == ["token", "service_request_id", "service_notice", "account_id"]
    assert answer["token"] == number and answer["account_id"] is None
    assert answer["service_notice"].startswith(f"Laporan diterima dengan nomor {number}.")
    assert "Koordinator memverifikasi" in answer["service_notice"]
    assert "tidak tampil di daftar publik" in answer["service_notice"]  # rahasia by default
    identity_absent(response)
    row = report_row(o311.container, number)
    assert (row["channel"], row["status"], row["opd"], row["privacy"], row["kelurahan"]) == (
        "api", "baru", "pupr", "rahasia", "Ujung Karang")
    assert events(o311.container, number) == [("created", "token", 1)]
    assert open_deadlines(o311, number) == [("ombudsman", None), ("verifikasi", None)]
    [notice] = coordinator.replies()
    assert f"Laporan baru {number}" in notice.text and notice.report == number
    # The reporter is kept, as the chat keeps one, and has no chat to be pushed to.
    assert identity_of(o311, number) == ("Sulastri Wiraatmadja",
                                         "open311:1:sulastri.w@contoh.id", "+62 812 5550 1234")
    with o311.container.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM outbox WHERE channel = 'api'")
                            ).scalar_one() == 0


async def test_an_auto_disposed_category_goes_to_the_opds_officers(o311: Open311) -> None:
    officer = enrol(o311.container, "dlh-1", "dlh")
    response = await o311.post({"api_key": o311.key(), "service_code": "sampah",
                                "description": TEXT, **PIN}, fmt="xml")
    assert response.status_code == 200
    request = parse_xml(response)
    assert request.tag == "service_requests"
    [item] = list(request)
    fields = children(item)
    assert item.tag == "request" and list(fields) == [
        "token", "service_request_id", "service_notice", "account_id"]
    number = fields["service_request_id"]
    assert number is not None and fields["account_id"] is None
    assert "Diteruskan ke Dinas Lingkungan Hidup" in (fields["service_notice"] or "")
    assert report_row(o311.container, number)["status"] == "didisposisikan"
    assert open_deadlines(o311, number) == [("jawaban", "dlh"), ("ombudsman", None)]
    [notice] = officer.replies()
    assert f"Laporan {number} diteruskan ke Dinas Lingkungan Hidup" in notice.text


async def test_a_fixmystreet_style_form_is_understood(o311: Open311) -> None:
    key = o311.key("FixMyStreet")
    pairs = [(name, key if value == "API_KEY" else value)
             for name, value in fixture("fixmystreet_post.json")["pairs"]]
    response = await o311.post(pairs, fmt="xml")
    assert response.status_code == 200, response.text
    identity_absent(response)
    number = children(parse_xml(response)[0])["service_request_id"]
    assert number is not None
    row = report_row(o311.container, number)
    assert (row["category"], row["privacy"], row["type"], str(row["event_date"])) == (
        "jalan_rusak", "publik", "pengaduan", "2026-11-20")
    assert (row["address"], row["kelurahan"]) == ("Jl. Pasar Raya 12, Pasa Gadang", "Pasa Gadang")
    assert str(row["description"]).startswith("Lubang besar di depan Pasar Raya")


async def test_a_json_body_with_attributes_as_an_object_is_understood(o311: Open311) -> None:
    key = o311.key("Aplikasi Kota")
    body = {**fixture("city_app_post.json")["body"], "api_key": key}
    response = await o311.http.post("/open311/v2/requests.json", json=body)
    assert response.status_code == 200, response.text
    identity_absent(response)
    number = response.json()[0]["service_request_id"]
    row = report_row(o311.container, number)
    assert (row["privacy"], row["title"], row["kelurahan"], row["latitude"]) == (
        "anonim", "Lampu gang Mawar mati", "Kubu Dalam", None)
    assert identity_of(o311, number) == ("Rahmat", "open311:1:a1b2c3d4-android", None)


async def test_a_multipart_form_is_accepted_too(o311: Open311) -> None:
    fields = {"api_key": o311.key(), "service_code": "sampah", "description": TEXT, **PIN}
    response = await o311.http.post("/open311/v2/requests.json", files={
        name: (None, value) for name, value in fields.items()})
    assert response.status_code == 200, response.text


async def test_similar_open_public_reports_are_named_and_confidential_ones_are_not(
        o311: Open311) -> None:
    key = o311.key()
    public = await o311.file(key, email="a@contoh.id", **{"attribute[privacy]": "publik"})
    hidden = await o311.file(key, email="b@contoh.id")
    response = await o311.post({"api_key": key, "service_code": "sampah", "description": TEXT,
                                **PIN, "email": "c@contoh.id"})
    notice = response.json()[0]["service_notice"]
    assert f"Laporan serupa yang masih terbuka: {public}." in notice and hidden not in notice
    assert o311.counts()["reports"] == 3  # stored anyway: a client cannot be asked to choose


async def test_a_reporter_files_at_most_the_daily_limit_but_anonymous_ones_are_not_counted(
        o311: Open311) -> None:
    key = o311.key()
    for _ in range(5):
        await o311.file(key, email="rajin@contoh.id")
    response = await o311.post({"api_key": key, "service_code": "sampah", "description": TEXT,
                                **PIN, "email": "RAJIN@contoh.id"})
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description":
                                "Pelapor ini sudah mengirim 5 laporan hari ini; coba lagi besok"}]
    for _ in range(6):
        await o311.file(key, email="", first_name="", last_name="", phone="", device_id="")
    assert o311.counts()["reports"] == 11


async def test_an_officer_key_files_too_and_is_the_first_events_actor(o311: Open311) -> None:
    number = await o311.file(o311.key("Aplikasi DLH", Role.OFFICER, "dlh"))
    assert events(o311.container, number) == [("created", "token", 1)]
