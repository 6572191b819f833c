"""`GET /api/v1/reports` and one report: filters, officer scope, cursor pages, the audit entry
of every look, what each role sees of the reporter, attachments."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.reports.actors import Role
from core.reports.model import Privacy
from tests.api.helpers import JPEG, Api, Token, reason
from tests.service.work_helpers import events


def numbers(body: dict[str, object]) -> list[str]:
    items = body["items"]
    assert isinstance(items, list)
    return [str(item["tracking_no"]) for item in items]


async def test_the_list_filters_by_status_opd_category_and_text(api: Api) -> None:
    kominfo = api.token()
    road = api.file(title="Jalan berlubang di Jl. Sudirman")
    api.container.clock.advance(minutes=1)
    trash = api.file("sampah", title="Sampah menumpuk di pasar")  # auto-disposed to dlh
    api.container.clock.advance(minutes=1)
    verified = api.verified(kominfo, title="Jalan amblas dekat jembatan")
    everything = await api.get("/reports", kominfo)
    assert everything.status_code == 200
    assert numbers(everything.json()) == [verified, trash, road]
    assert everything.json()["next_cursor"] is None
    item = everything.json()["items"][0]
    assert item["status"] == "didisposisikan" and item["opd"] == "pupr"
    assert item["url"] == f"/api/v1/reports/{verified}"
    assert item["deadline"]["step"] == "jawaban" and item["overdue"] is False
    cases = [({"status": "baru"}, [road]), ({"status": "didisposisikan, baru"}, [verified, trash, road]),
             ({"opd": "dlh"}, [trash]), ({"category": "jalan_rusak"}, [verified, road]),
             ({"q": "PASAR"}, [trash]), ({"q": road}, [road]),
             ({"status": "baru", "category": "sampah"}, []), ({"sort": "deadline"}, [road, trash, verified])]
    for params, expected in cases:
        got = await api.get("/reports", kominfo, **params)
        assert (params, numbers(got.json())) == (params, expected)


async def test_dates_are_whole_days_in_wib_and_times_may_carry_an_offset(api: Api) -> None:
    kominfo = api.token()
    clock = api.container.clock
    clock.current = datetime(2026, 11, 21, 16, 0, tzinfo=UTC)  # 21 Nov, 23:00 WIB
    late_on_21st = api.file()
    clock.current = datetime(2026, 11, 21, 18, 0, tzinfo=UTC)  # 22 Nov, 01:00 WIB
    early_on_22nd = api.file()
    clock.current = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
    assert numbers((await api.get("/reports", kominfo, since="2026-11-22")).json()) == [
        early_on_22nd]
    assert numbers((await api.get("/reports", kominfo, until="2026-11-21")).json()) == [
        late_on_21st]
    offset = await api.get("/reports", kominfo, since="2026-11-22T00:30:00+07:00")
    assert numbers(offset.json()) == [early_on_22nd]
    zulu = await api.get("/reports", kominfo, until="2026-11-21T17:00:00Z")
    assert numbers(zulu.json()) == [late_on_21st]
    # A client that left the "+" unencoded sends a space; it still means +07:00.
    raw = await api.http.get("/api/v1/reports?since=2026-11-22T00:30+07:00",
                             headers=kominfo.headers)
    assert numbers(raw.json()) == [early_on_22nd]


async def test_overdue_follows_the_current_deadline(api: Api) -> None:
    kominfo = api.token()
    waiting = api.file()
    api.container.clock.advance(days=10)
    fresh = api.file()
    assert numbers((await api.get("/reports", kominfo, overdue="true")).json()) == [waiting]
    assert numbers((await api.get("/reports", kominfo, overdue="FALSE")).json()) == [fresh]


BAD_FILTERS = [
    ({"statuss": "baru"}, "api.unknown_parameter"),
    ({"status": "open"}, "api.bad_status"),
    ({"status": "baru,,selesai"}, "api.bad_status"),
    ({"opd": "pln"}, "api.bad_opd"),
    ({"category": "listrik"}, "api.bad_category"),
    ({"since": "kemarin"}, "api.bad_date"),
    ({"until": "2026-02-30"}, "api.bad_date"),
    ({"until": "9999-12-31"}, "api.bad_date"),
    ({"since": "2026-11-22", "until": "2026-11-01"}, "api.bad_range"),
    ({"overdue": "yes"}, "api.bad_boolean"),
    ({"sort": "oldest"}, "api.bad_sort"),
    ({"limit": "0"}, "api.bad_limit"),
    ({"limit": "201"}, "api.bad_limit"),
    ({"limit": "١٠"}, "api.bad_limit"),  # Arabic-Indic digits: isdigit() but not ours
    ({"limit": "-5"}, "api.bad_limit"),
    ({"cursor": "not-a-cursor"}, "api.bad_cursor"),
    ({"q": "x" * 201}, "api.too_long"),
]


async def test_a_bad_filter_is_400_with_a_one_line_reason(api: Api) -> None:
    kominfo = api.token()
    for params, expected in BAD_FILTERS:
        response = await api.get("/reports", kominfo, **params)
        assert (params, response.status_code, reason(response)) == (params, 400, expected)


async def test_a_repeated_parameter_or_another_orders_cursor_is_400(api: Api) -> None:
    kominfo = api.token()
    for _ in range(3):
        api.file()
    repeated = await api.http.get("/api/v1/reports?status=baru&status=selesai",
                                  headers=kominfo.headers)
    assert (repeated.status_code, reason(repeated)) == (400, "api.repeated_parameter")
    page = (await api.get("/reports", kominfo, limit="1")).json()
    crossed = await api.get("/reports", kominfo, cursor=page["next_cursor"], sort="deadline")
    assert (crossed.status_code, reason(crossed)) == (400, "api.bad_cursor")
    english = await api.http.get("/api/v1/reports?sort=up", headers={
        **kominfo.headers, "Accept-Language": "en-US,en;q=0.8"})
    assert english.json()["detail"]["message"] == "sort must be newest or deadline, not up."


@pytest.mark.parametrize("sort", ["newest", "deadline"])
async def test_cursor_pages_return_every_report_once_while_new_ones_arrive(
        api: Api, sort: str) -> None:
    kominfo = api.token()
    before = []
    for n in range(23):
        before.append(api.verified(kominfo) if n % 3 == 0 else api.file())
        api.container.clock.advance(minutes=7)
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params = {"limit": "5", "sort": sort, **({"cursor": cursor} if cursor else {})}
        body = (await api.get("/reports", kominfo, **params)).json()
        seen += numbers(body)
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
        api.file()  # arrivals between pages
        api.container.clock.advance(minutes=1)
        assert pages < 20
    assert len(seen) == len(set(seen))
    assert set(before) <= set(seen)
    if sort == "newest":  # newer arrivals sort before the cursor: never on a later page
        assert seen == sorted(before, reverse=True)


async def test_an_officer_sees_only_its_opds_disposed_reports(api: Api) -> None:
    kominfo = api.token()
    pupr = api.token("Aplikasi PUPR", Role.OFFICER, "pupr")
    ours = api.verified(kominfo)
    new_of_ours = api.file()  # still baru: not the OPD's yet
    theirs = api.file("sampah")
    listed = await api.get("/reports", pupr)
    assert numbers(listed.json()) == [ours]
    assert numbers((await api.get("/reports", pupr, opd="pupr")).json()) == [ours]
    outside = await api.get("/reports", pupr, opd="dlh")
    assert (outside.status_code, reason(outside)) == (403, "api.opd_outside")
    missing = await api.get("/reports/ADU-2026-000999", pupr)
    for number in (new_of_ours, theirs):
        hidden = await api.get(f"/reports/{number}", pupr)
        assert (hidden.status_code, reason(hidden)) == (404, reason(missing)) == (
            404, "work.not_found")
        assert hidden.json()["detail"]["message"] == missing.json()["detail"]["message"].replace(
            "ADU-2026-000999", number)
    assert (await api.get(f"/reports/{ours}", pupr)).status_code == 200


async def test_every_look_at_a_report_is_an_audit_entry_by_the_token(api: Api) -> None:
    kominfo = api.token("Sistem LAPOR Kominfo")
    number = api.file()
    first = await api.get(f"/reports/{number}", kominfo)
    assert first.status_code == 200
    assert [e["kind"] for e in first.json()["timeline"]] == ["created"]
    await api.get(f"/reports/{number.lower()}", kominfo)  # any case
    assert events(api.container, number) == [
        ("created", "citizen", events(api.container, number)[0][2]),
        ("viewed", "token", kominfo.id), ("viewed", "token", kominfo.id)]
    audit = (await api.get(f"/reports/{number}", kominfo, include_viewed="true")).json()
    viewed = [e for e in audit["timeline"] if e["kind"] == "viewed"]
    assert len(viewed) == 3 and viewed[0]["actor"] == "Sistem LAPOR Kominfo"
    assert viewed[0]["actor_kind"] == "token"
    assert audit["timeline"][0]["actor"] == "citizen"  # never the citizen's name


VISIBILITY = [
    (Role.COORDINATOR, Privacy.PUBLIK, True), (Role.COORDINATOR, Privacy.RAHASIA, True),
    (Role.COORDINATOR, Privacy.ANONIM, False), (Role.OFFICER, Privacy.PUBLIK, True),
    (Role.OFFICER, Privacy.RAHASIA, False), (Role.OFFICER, Privacy.ANONIM, False),
]


async def test_the_reporter_is_shown_only_as_the_tokens_role_may_see(api: Api) -> None:
    kominfo = api.token()
    pupr = api.token("PUPR", Role.OFFICER, "pupr")
    for n, (role, privacy, shown) in enumerate(VISIBILITY):
        number = api.verified(kominfo, privacy=privacy, name="Sari Wulandari",
                              chat_id=f"6281255{n}")
        response = await api.get(f"/reports/{number}", kominfo if role is Role.COORDINATOR else pupr)
        body = response.json()
        assert body["privacy"] == privacy.value
        if shown:
            assert body["reporter"] == {"name": "Sari Wulandari", "channel": "web",
                                        "chat_id": f"6281255{n}", "language": "id"}
        else:
            assert body["reporter"] is None, (role, privacy)
            assert "Sari" not in response.text and f"6281255{n}" not in response.text


async def test_attachments_are_served_with_the_token_and_the_reports_visibility(
        api: Api) -> None:
    kominfo = api.token()
    number = api.verified(kominfo, photos=2)
    detail = (await api.get(f"/reports/{number}", kominfo)).json()
    assert [a["url"] for a in detail["attachments"]] == [
        f"/api/v1/reports/{number}/attachments/{n}" for n in (1, 2)]
    second = await api.http.get(detail["attachments"][1]["url"], headers=kominfo.headers)
    assert second.status_code == 200 and second.content == JPEG + b"\x01"
    assert second.headers["content-type"] == "image/jpeg"
    assert second.headers["x-content-type-options"] == "nosniff"
    assert (await api.http.get(detail["attachments"][0]["url"])).status_code == 401
    dlh = api.token("DLH", Role.OFFICER, "dlh")
    for path, who, expected in [(f"/reports/{number}/attachments/1", dlh, "work.not_found"),
                                (f"/reports/{number}/attachments/3", kominfo, "api.no_attachment"),
                                (f"/reports/{number}/attachments/x", kominfo, "api.no_attachment"),
                                ("/reports/ADU-2026-000404/attachments/1", kominfo, "work.not_found"),
                                ("/reports/bukan-nomor/attachments/1", kominfo, "work.not_found")]:
        response = await api.get(path, who)
        assert (path, response.status_code, reason(response)) == (path, 404, expected)
    pupr = api.token("PUPR", Role.OFFICER, "pupr")
    assert (await api.get(f"/reports/{number}/attachments/1", pupr)).status_code == 200


async def test_an_attachment_missing_on_disk_is_404_not_500(api: Api, tmp_path: object) -> None:
    kominfo = api.token()
    number = api.file(photos=1)
    for key in list(api.container.media.files.list_keys()):
        api.container.media.discard(key)
    gone = await api.get(f"/reports/{number}/attachments/1", kominfo)
    assert (gone.status_code, reason(gone)) == (404, "api.attachment_gone")


async def test_a_detail_takes_no_other_parameter(api: Api) -> None:
    kominfo: Token = api.token()
    number = api.file()
    bad = await api.get(f"/reports/{number}", kominfo, include_viewed="ya")
    assert (bad.status_code, reason(bad)) == (400, "api.bad_boolean")
    unknown = await api.get(f"/reports/{number}", kominfo, fields="all")
    assert (unknown.status_code, reason(unknown)) == (400, "api.unknown_parameter")
