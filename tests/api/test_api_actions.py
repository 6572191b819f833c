"""`POST /api/v1/reports/{tracking}/{action}`: each action's 200, 409, 422, 403 and 404, the
token's name on the timeline, the citizen's update, nothing stored when refused."""

from __future__ import annotations

from typing import Any

import pytest

from core.messages import Channel
from core.reports.actors import Role
from tests.api.helpers import Api, Token, reason
from tests.service.work_helpers import events

TEXT = "Tim kami meninjau lokasi besok pagi."
REASON = "Jalan provinsi, bukan kewenangan kota."


class Desk:
    """A coordinator token and two officer tokens over one app."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.kominfo = api.token("Sistem LAPOR Kominfo")
        self.pupr = api.token("Aplikasi PUPR", Role.OFFICER, "pupr")
        self.dlh = api.token("Aplikasi DLH", Role.OFFICER, "dlh")

    async def act(self, token: Token, number: str, action: str, body: Any = None,
                  status: int = 200) -> dict[str, Any]:
        response = await self.api.post(f"/reports/{number}/{action}", token, body)
        assert response.status_code == status, response.text
        result: dict[str, Any] = response.json()
        return result

    async def refused(self, token: Token, number: str, action: str, body: Any,
                      status: int) -> str:
        before = events(self.api.container, number) if number.startswith("ADU") else None
        outbox = self.api.container.outbox.fetch_for_chat(Channel.WEB, "warga-x", 0, 10)
        response = await self.api.post(f"/reports/{number}/{action}", token, body)
        assert response.status_code == status, response.text
        if before is not None:  # nothing recorded, nothing sent
            assert events(self.api.container, number) == before
        assert self.api.container.outbox.fetch_for_chat(Channel.WEB, "warga-x", 0, 10) == outbox
        return reason(response)


@pytest.fixture
def desk(api: Api) -> Desk:
    return Desk(api)


def citizen_texts(api: Api, chat_id: str) -> list[str]:
    return [m.text for _, m, _ in api.container.outbox.fetch_for_chat(Channel.WEB, chat_id, 0, 100)]


async def test_verifikasi(api: Api, desk: Desk) -> None:
    number = api.file(chat_id="warga-x")
    assert await desk.refused(desk.pupr, number, "verifikasi", {}, 404) == "work.not_found"
    done = await desk.act(desk.kominfo, number, "verifikasi", {"opd": "dlh"})
    assert (done["status"], done["opd"]) == ("didisposisikan", "dlh")
    last = done["timeline"][-1]
    assert (last["kind"], last["actor"], last["actor_kind"]) == (
        "verified", "Sistem LAPOR Kominfo", "token")
    assert events(api.container, number)[-1] == ("verified", "token", desk.kominfo.id)
    assert "Dinas Lingkungan Hidup" in citizen_texts(api, "warga-x")[-1]
    assert await desk.refused(desk.kominfo, number, "verifikasi", {}, 409) == "work.bad_status"
    assert await desk.refused(desk.dlh, number, "verifikasi", None, 403) == "work.coordinator_only"
    plain = api.file()
    assert (await desk.act(desk.kominfo, plain, "verifikasi"))["opd"] == "pupr"  # no body at all
    other = api.file(chat_id="warga-x")
    assert await desk.refused(desk.kominfo, other, "verifikasi", {"opd": "pln"}, 422) == \
        "work.opd_unknown"
    assert await desk.refused(desk.kominfo, other, "verifikasi", {"opd": 7}, 422) == \
        "api.invalid_body"
    assert await desk.refused(desk.kominfo, other, "verifikasi", {"opd": "dlh", "x": 1}, 422) == \
        "api.invalid_body"
    assert await desk.refused(desk.kominfo, "ADU-2026-000999", "verifikasi", {}, 404) == \
        "work.not_found"


async def test_alihkan_forwards_for_a_coordinator_and_hands_back_for_an_officer(
        api: Api, desk: Desk) -> None:
    number = api.verified(desk.kominfo, chat_id="warga-x")
    assert await desk.refused(desk.pupr, number, "alihkan", {"opd": "dlh"}, 403) == \
        "work.coordinator_only"
    assert await desk.refused(desk.kominfo, number, "alihkan", {"alasan": REASON}, 403) == \
        "work.officer_only"
    assert await desk.refused(desk.dlh, number, "alihkan", {"alasan": REASON}, 404) == \
        "work.not_found"
    for body in ({}, {"opd": "dlh", "alasan": REASON}):
        assert await desk.refused(desk.kominfo, number, "alihkan", body, 422) == \
            "api.alihkan_body"
    assert await desk.refused(desk.kominfo, number, "alihkan", {"opd": "pupr"}, 409) == \
        "work.opd_same"
    moved = await desk.act(desk.kominfo, number, "alihkan", {"opd": "perkim"})
    assert (moved["status"], moved["opd"], moved["timeline"][-1]["kind"]) == (
        "didisposisikan", "perkim", "disposed")
    perkim = api.token("Aplikasi Perkim", Role.OFFICER, "perkim")
    back = await desk.act(perkim, number, "alihkan", {"alasan": REASON})
    # The answer shows the report as the hand-back left it, though perkim no longer sees it.
    assert (back["status"], back["opd"], back["timeline"][-1]["note"]) == ("baru", None, REASON)
    assert (await api.get(f"/reports/{number}", perkim)).status_code == 404
    too_long = {"alasan": "x" * 1001}
    assert await desk.refused(perkim, number, "alihkan", too_long, 422) == "api.invalid_body"


async def test_balas_and_selesai(api: Api, desk: Desk) -> None:
    fresh = api.file(chat_id="warga-x")
    assert await desk.refused(desk.kominfo, fresh, "selesai", {"teks": TEXT}, 409) == \
        "work.bad_status"
    number = api.verified(desk.kominfo, chat_id="warga-y")
    for body, key in [({}, "api.invalid_body"), ({"teks": 42}, "api.invalid_body"),
                      ({"teks": "x" * 4001}, "api.invalid_body"),
                      ({"teks": TEXT, "lampiran": []}, "api.invalid_body"),
                      ({"teks": "ok"}, "work.text_too_short"), ([TEXT], "api.invalid_body")]:
        assert await desk.refused(desk.pupr, number, "balas", body, 422) == key
    assert await desk.refused(desk.dlh, number, "balas", {"teks": TEXT}, 404) == "work.not_found"
    answered = await desk.act(desk.pupr, number, "balas", {"teks": TEXT})
    assert answered["status"] == "diproses"
    assert (answered["timeline"][-1]["actor"], answered["timeline"][-1]["note"]) == (
        "Aplikasi PUPR", TEXT)
    assert TEXT in citizen_texts(api, "warga-y")[-1]
    done = await desk.act(desk.pupr, number, "selesai", {"teks": "Jalan sudah ditambal."})
    assert done["status"] == "selesai" and done["deadline"] is None
    assert "Jalan sudah ditambal." in citizen_texts(api, "warga-y")[-1]
    assert await desk.refused(desk.pupr, number, "selesai", {"teks": TEXT}, 409) == \
        "work.bad_status"


async def test_tolak(api: Api, desk: Desk) -> None:
    number = api.file(chat_id="warga-x")
    assert await desk.refused(desk.kominfo, number, "tolak", {}, 422) == "api.invalid_body"
    assert await desk.refused(desk.kominfo, number, "tolak", {"alasan": "spam"}, 422) == \
        "work.text_too_short"
    done = await desk.act(desk.kominfo, number, "tolak", {"alasan": "Laporan tidak lengkap."})
    assert done["status"] == "ditolak" and done["deadline"] is None
    assert "Laporan tidak lengkap." in citizen_texts(api, "warga-x")[-1]
    assert await desk.refused(desk.kominfo, number, "tolak", {"alasan": "Lagi, tidak lengkap."},
                              409) == "work.bad_status"
    theirs = api.verified(desk.kominfo)
    assert await desk.refused(desk.pupr, theirs, "tolak", {"alasan": REASON}, 403) == \
        "work.coordinator_only"


async def test_gabung(api: Api, desk: Desk) -> None:
    original = api.verified(desk.kominfo)
    duplicate = api.verified(desk.kominfo, chat_id="warga-x")
    for body, key in [({"ke": duplicate}, "work.merge_self"),
                      ({"ke": "ADU-2026-000999"}, "work.merge_target"),
                      ({"ke": "x" * 41}, "api.invalid_body")]:
        assert await desk.refused(desk.pupr, duplicate, "gabung", body, 422) == key
    merged = await desk.act(desk.pupr, duplicate, "gabung", {"ke": original.lower()})
    assert (merged["status"], merged["duplicate_of"]) == ("ditutup", original)
    shown = (await api.get(f"/reports/{original}", desk.kominfo)).json()
    assert shown["merged"] == [duplicate] and shown["timeline"][-1]["kind"] == "merged_in"
    assert await desk.refused(desk.kominfo, duplicate, "gabung", {"ke": original}, 409) == \
        "work.bad_status"


async def test_lapor_id(api: Api, desk: Desk) -> None:
    number = api.verified(desk.kominfo)
    assert await desk.refused(desk.pupr, number, "lapor_id", {"nomor": "!!"}, 422) == \
        "work.bad_lapor_id"
    assert await desk.refused(desk.dlh, number, "lapor_id", {"nomor": "LAPOR-1"}, 404) == \
        "work.not_found"
    done = await desk.act(desk.pupr, number, "lapor_id", {"nomor": "LAPOR-8812345"})
    assert done["lapor_id"] == "LAPOR-8812345" and done["timeline"][-1]["kind"] == "lapor_id"


async def test_tunda(api: Api, desk: Desk) -> None:
    number = api.verified(desk.kominfo)
    snoozed = await desk.act(desk.pupr, number, "tunda", {})
    assert snoozed["timeline"][-1]["kind"] == "snoozed"
    assert snoozed["deadline"]["snoozed_until"] is not None
    assert (await desk.act(desk.pupr, number, "tunda"))["status"] == "didisposisikan"  # no body
    assert await desk.refused(desk.pupr, number, "tunda", {"hari": 3}, 422) == "api.invalid_body"
    rejected = api.file()
    await desk.act(desk.kominfo, rejected, "tolak", {"alasan": "Laporan tidak lengkap."})
    assert await desk.refused(desk.kominfo, rejected, "tunda", {}, 409) == "work.bad_status"


async def test_bad_requests_never_reach_the_use_case(api: Api, desk: Desk) -> None:
    number = api.file()
    path = f"/api/v1/reports/{number}/balas"
    malformed = await api.http.post(path, content=b'{"teks": ', headers={
        **desk.kominfo.headers, "content-type": "application/json"})
    assert (malformed.status_code, reason(malformed)) == (400, "api.malformed_json")
    huge = await api.http.post(path, json={"teks": "x" * (1024 * 1024 + 1)},
                               headers=desk.kominfo.headers)
    assert huge.status_code == 413
    unknown = await api.post(f"/reports/{number}/hapus", desk.kominfo, {})
    assert (unknown.status_code, reason(unknown)) == (404, "api.unknown_action")
    anonymous = await api.post(f"/reports/{number}/balas", None, {"teks": TEXT})
    assert (anonymous.status_code, reason(anonymous)) == (401, "api.unauthorized")
    assert events(api.container, number) == events(api.container, number)[:1]  # created only


async def test_hostile_input_is_refused_never_a_500(api: Api, desk: Desk) -> None:
    number = api.verified(desk.kominfo)
    json_type = {**desk.kominfo.headers, "content-type": "application/json"}
    for raw, action, status, key in [
            (b'{"teks": "aman\\u0000 sekali ya"}', "balas", 422, "api.invalid_body"),
            (b'{"teks": "aman \\ud800 sekali ya"}', "balas", 422, "api.invalid_body"),
            (b'{"ke": "ADU-2026-\\u0000"}', "gabung", 422, "api.invalid_body"),
            (b"[" * 50_000 + b"]" * 50_000, "balas", 400, "api.malformed_json"),
            (b"\xff\xfe\x00", "balas", 400, "api.malformed_json"),
            (b'"teks"', "balas", 422, "api.invalid_body")]:
        response = await api.http.post(f"/api/v1/reports/{number}/{action}", content=raw,
                                       headers=json_type)
        assert (raw[:20], response.status_code, reason(response)) == (raw[:20], status, key)
    for headers in (desk.kominfo.headers, {**desk.kominfo.headers,
                                           "content-type": "application/x-www-form-urlencoded"}):
        form = await api.http.post(f"/api/v1/reports/{number}/balas", headers=headers,
                                   content=b'{"teks": "Tim kami meninjau lokasi."}')
        assert (form.status_code, reason(form)) == (415, "api.json_only")
    nul = await api.http.get("/api/v1/reports?q=a%00b", headers=desk.kominfo.headers)
    assert (nul.status_code, reason(nul)) == (400, "api.bad_parameter")
    odd = await api.http.get("/api/v1/reports/ADU%00%ED%A0%80", headers=desk.kominfo.headers)
    assert (odd.status_code, reason(odd)) == (404, "work.not_found")
    assert events(api.container, number)[-1][0] == "verified"  # nothing got through
