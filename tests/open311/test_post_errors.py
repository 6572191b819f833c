"""A POST that cannot be taken: the spec's error list with its status, and nothing stored."""

from __future__ import annotations

import json

import pytest

from bot.api.auth import TokenAuth
from storage.tokens import SqlTokenStore
from tests.open311.conftest import PIN, TEXT, Open311, children, parse_xml

GOOD = {"service_code": "jalan_rusak", "description": TEXT, **PIN}


@pytest.mark.parametrize(("fields", "status", "descriptions"), [
    ({"service_code": "nope"}, 404, ["service_code tidak dikenal: nope"]),
    ({"service_code": ""}, 400, ["service_code wajib diisi"]),
    ({"description": "Jalan rusak"}, 400, ["description 11 karakter; harus 20–4000 karakter"]),
    ({"lat": "abc"}, 400, ["lat harus berupa angka: abc"]),
    ({"lat": "95"}, 400, ["lat harus antara -90 dan 90, long antara -180 dan 180"]),
    ({"long": ""}, 400, ["lat dan long harus dikirim bersama"]),
    ({"lat": "", "long": ""}, 400,
     ["Layanan jalan_rusak memerlukan lokasi: lat dan long atau address_string"]),
    ({"lat": "", "long": "", "address_string": "Jalan Mawar nomor 4"}, 400,
     ["address_string tidak menyebut kelurahan di Kota Contoh (mis. Air Tawar Utara, Lapai "
      "Baru, Tabing Banda Gadang); sebutkan kelurahannya atau kirim lat dan long"]),
    ({"lat": "", "long": "", "address_id": "545483"}, 400,
     ["address_id tidak didukung; kirim lat dan long atau address_string"]),
    ({"attribute[privacy]": "rahasia-sekali"}, 400,
     ["attribute[privacy]: nilai tidak dikenal rahasia-sekali (pilihan: rahasia, anonim, "
      "publik)"]),
    ({"attribute[warna]": "merah"}, 400,
     ["attribute[warna] tidak dikenal (atribut: report_type, privacy, title, event_date)"]),
    ({"attribute[event_date]": "kemarin"}, 400,
     ["attribute[event_date]: bukan tanggal/waktu W3C, mis. 2026-03-01T08:00:00+07:00: "
      "kemarin"]),
    ({"attribute[event_date]": "2026-11-23"}, 400,
     ["attribute[event_date] tidak boleh di masa depan"]),
    ({"attribute[title]": "Rusak"}, 200, []),
    ({"attribute[title]": "Ru"}, 400, ["attribute[title] harus 5–150 karakter"]),
    ({"email": "bukan-email"}, 400, ["email tidak valid"]),
    ({"phone": "telepon saya"}, 400, ["phone tidak valid"]),
    ({"first_name": "x" * 101}, 400, ["first_name terlalu panjang (paling banyak 100 karakter)"]),
    ({"description": "Jalan rusak\x00 parah sekali di depan sekolah"}, 400,
     ["description harus berupa teks"]),
    ({"description": "Jalan", "lat": "x"}, 400, ["lat harus berupa angka: x"]),
])
async def test_bad_fields_are_refused_with_the_spec_errors(
        o311: Open311, fields: dict[str, str], status: int, descriptions: list[str]) -> None:
    key = o311.key()
    before = o311.counts()
    for fmt in ("json", "xml"):
        response = await o311.post({"api_key": key, **GOOD, **fields}, fmt)
        assert response.status_code == status, response.text
        if status == 200:
            continue
        if fmt == "json":
            assert response.json() == [{"code": status, "description": d} for d in descriptions]
        else:
            errors = parse_xml(response)
            assert errors.tag == "errors" and [e.tag for e in errors] == ["error"] * len(
                descriptions)
            assert [children(e) for e in errors] == [
                {"code": str(status), "description": d} for d in descriptions]
    if status != 200:
        assert o311.counts() == before


async def test_several_problems_are_listed_together(o311: Open311) -> None:
    response = await o311.post({"api_key": o311.key(), "service_code": "jalan_rusak",
                                "description": "pendek", "long": "100.3",
                                "attribute[title]": "Ru"})
    assert [e["description"] for e in response.json()] == [
        "description 6 karakter; harus 20–4000 karakter", "attribute[title] harus 5–150 karakter",
        "lat dan long harus dikirim bersama"]


@pytest.mark.parametrize("key", [None, "", "adu_bukan-kunci", "sembarang"])
async def test_a_missing_or_unknown_key_is_403_and_nothing_is_stored(
        o311: Open311, key: str | None) -> None:
    before = o311.counts()
    fields = {**GOOD} if key is None else {"api_key": key, **GOOD}
    response = await o311.post(fields)
    assert response.status_code == 403
    expected = ("api_key wajib diisi untuk membuat laporan" if not key
                else "api_key tidak dikenal atau sudah dicabut")
    assert response.json() == [{"code": 403, "description": expected}]
    xml = await o311.post(fields, "xml")
    assert xml.status_code == 403 and children(parse_xml(xml)[0])["code"] == "403"
    assert o311.counts() == before


async def test_a_revoked_key_is_refused_at_once(o311: Open311) -> None:
    key = o311.key()
    assert (await o311.post({"api_key": key, **GOOD})).status_code == 200
    assert SqlTokenStore(o311.container.engine).revoke(1, o311.clock.now())
    before = o311.counts()
    response = await o311.post({"api_key": key, **GOOD})
    assert response.status_code == 403 and o311.counts() == before


async def test_the_key_may_come_in_the_query_string(o311: Open311) -> None:
    response = await o311.http.post("/open311/v2/requests.json",
                                    params={"api_key": o311.key()}, data=GOOD)
    assert response.status_code == 200


@pytest.mark.parametrize(("body", "content_type"), [
    (b"api_key=x&service_code=%FF%FE", "application/x-www-form-urlencoded"),
    (b"api_key=x&service_code", "application/x-www-form-urlencoded"),
    (b"\xff\xfe\x00", "application/x-www-form-urlencoded"),
    (b'{"api_key": "x", ', "application/json"),
    (b'["api_key", "x"]', "application/json"),
    (b"[" * 100_000 + b"]" * 100_000, "application/json"),
    (b'--x\r\nContent-Disposition: form-data; name="media"; filename="a.jpg"\r\n'
     b"Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\r\n--x--\r\n",
     "multipart/form-data; boundary=x"),  # files are not taken
    (b"api_key=x", "text/plain"),
])
async def test_a_malformed_body_is_400_and_nothing_is_stored(
        o311: Open311, body: bytes, content_type: str) -> None:
    before = o311.counts()
    response = await o311.http.post("/open311/v2/requests.json", content=body,
                                    headers={"content-type": content_type})
    assert response.status_code == 400, response.text
    [error] = response.json()
    assert error["code"] == 400 and "tidak dapat dibaca" in error["description"]
    assert o311.counts() == before


async def test_json_values_of_the_wrong_shape_are_refused(o311: Open311) -> None:
    body = {"api_key": o311.key(), **GOOD, "description": {"text": TEXT}, "lat": True}
    response = await o311.http.post("/open311/v2/requests.json", content=json.dumps(body),
                                    headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert [e["description"] for e in response.json()] == [
        "description harus berupa teks", "lat harus berupa teks"]


async def test_a_body_over_one_mebibyte_is_413(o311: Open311) -> None:
    before = o311.counts()
    response = await o311.post({"api_key": o311.key(), **GOOD,
                                "description": "x" * (1024 * 1024)})
    assert response.status_code == 413 and o311.counts() == before


async def test_a_key_over_its_rate_gets_429_with_retry_after(o311: Open311) -> None:
    container = o311.container
    container.token_auth = TokenAuth(SqlTokenStore(container.engine), container.clock, 2)
    key = o311.key()
    for _ in range(2):
        assert (await o311.get("requests.json", api_key=key)).status_code == 200
    response = await o311.post({"api_key": key, **GOOD}, "xml")
    assert response.status_code == 429 and response.headers["retry-after"].isdigit()
    assert children(parse_xml(response)[0])["code"] == "429"
