"""GET requests and one request: who sees what, the spec's fields in JSON and XML, photos
of public reports only, token lookup, and no reporter identity anywhere."""

from __future__ import annotations

from core.reports import lifecycle
from core.reports.actors import Role
from core.reports.model import Privacy
from tests.open311.conftest import Open311, children, parse_xml
from tests.open311.helpers import JPEG, act, no_identity, numbers, with_photo

REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name",
                  "service_code", "description", "agency_responsible", "service_notice",
                  "requested_datetime", "updated_datetime", "expected_datetime", "address",
                  "lat", "long", "media_url"]

async def test_confidential_and_anonymous_reports_are_never_shown_without_a_key(
        o311: Open311) -> None:
    key = o311.key()
    public = await o311.file(key, **{"attribute[privacy]": "publik"})
    rahasia = await o311.file(key)
    anonim = await o311.file(key, **{"attribute[privacy]": "anonim"})
    listed = [await o311.get(f"requests.{fmt}") for fmt in ("json", "xml")]
    assert numbers(listed[0]) == [public]
    assert [children(r)["service_request_id"] for r in parse_xml(listed[1])] == [public]
    hidden = [await o311.get(f"requests/{n}.{fmt}") for n in (rahasia, anonim)
              for fmt in ("json", "xml")]
    assert [r.status_code for r in hidden] == [404] * 4
    assert hidden[0].json() == [{"code": 404, "description": f"Laporan tidak ditemukan: {rahasia}"}]
    with_key = [await o311.get(f"requests.{fmt}", api_key=key) for fmt in ("json", "xml")]
    assert numbers(with_key[0]) == [anonim, rahasia, public]
    one = [await o311.get(f"requests/{n}.{fmt}", api_key=key) for n in (rahasia, anonim)
           for fmt in ("json", "xml")]
    assert [r.status_code for r in one] == [200] * 4
    no_identity(*listed, *hidden, *with_key, *one)


async def test_an_officer_key_sees_public_reports_and_its_opds_disposed_ones(
        o311: Open311) -> None:
    coordinator = o311.key()
    public_road = await o311.file(coordinator, service_code="jalan_rusak",
                                  **{"attribute[privacy]": "publik"})
    road = await o311.file(coordinator, service_code="jalan_rusak")  # baru: not yet disposed
    waste = await o311.file(coordinator)  # sampah is auto-disposed to dlh
    dlh = o311.key("Aplikasi DLH", Role.OFFICER, "dlh")
    pupr = o311.key("Aplikasi PUPR", Role.OFFICER, "pupr")
    assert numbers(await o311.get("requests.json", api_key=dlh)) == [waste, public_road]
    assert numbers(await o311.get("requests.json", api_key=pupr)) == [public_road]
    assert (await o311.get(f"requests/{road}.json", api_key=pupr)).status_code == 404
    assert (await o311.get("requests.json", api_key="adu_salah")).status_code == 403


async def test_the_spec_fields_in_json_and_xml(o311: Open311) -> None:
    key = o311.key()
    number = await o311.file(key, **{"attribute[privacy]": "publik"})
    [item] = (await o311.get(f"requests/{number}.json")).json()
    assert list(item) == REQUEST_FIELDS
    assert {k: item[k] for k in REQUEST_FIELDS if k not in ("description",)} == {
        "service_request_id": number, "status": "open", "status_notes": None,
        "service_name": "Sampah", "service_code": "sampah",
        "agency_responsible": "Dinas Lingkungan Hidup",
        "service_notice": "Menunggu tanggapan pertama Dinas Lingkungan Hidup",
        "requested_datetime": "2026-11-22T10:00:00+07:00",
        "updated_datetime": "2026-11-22T10:00:00+07:00",
        "expected_datetime": "2026-11-27T23:59:59+07:00",
        "address": "Ujung Karang, Contoh Barat, Kota Contoh", "lat": -0.914, "long": 100.349,
        "media_url": None}
    root = parse_xml(await o311.get(f"requests/{number}.xml"))
    assert root.tag == "service_requests" and [r.tag for r in root] == ["request"]
    fields = children(root[0])
    assert list(fields) == REQUEST_FIELDS
    assert (fields["status"], fields["lat"], fields["status_notes"], fields["media_url"]) == (
        "open", "-0.914", None, None)


async def test_status_notes_are_the_latest_answer_the_reason_or_the_merge(
        o311: Open311) -> None:
    key = o311.key()
    answered = await o311.file(key, **{"attribute[privacy]": "publik"})
    act(o311, lifecycle.answer, answered, "Petugas mengangkut sampah besok pagi.")
    rejected = await o311.file(key, service_code="jalan_rusak", email="x@contoh.id",
                               **{"attribute[privacy]": "publik"})
    act(o311, lifecycle.reject, rejected, "Lokasi di luar wilayah kota.")
    merged = await o311.file(key, email="y@contoh.id", **{"attribute[privacy]": "publik"})
    act(o311, lifecycle.merge, merged, answered)
    items = {i["service_request_id"]: i for i in (await o311.get("requests.json")).json()}
    assert (items[answered]["status"], items[answered]["status_notes"]) == (
        "open", "Petugas mengangkut sampah besok pagi.")
    assert items[answered]["service_notice"] == "Sedang ditindaklanjuti Dinas Lingkungan Hidup"
    assert (items[rejected]["status"], items[rejected]["status_notes"],
            items[rejected]["expected_datetime"]) == ("closed", "Lokasi di luar wilayah kota.",
                                                      None)
    assert (items[merged]["status"], items[merged]["status_notes"]) == (
        "closed", f"Digabung dengan laporan {answered}")


async def test_photos_of_public_reports_only_are_linked_and_served(o311: Open311) -> None:
    public, hidden = with_photo(o311, Privacy.PUBLIK), with_photo(o311, Privacy.RAHASIA)
    listed = (await o311.get("requests.json", api_key=o311.key())).json()
    urls = {i["service_request_id"]: i["media_url"] for i in listed}
    assert urls == {hidden: None, public: f"http://aduan.test/open311/v2/media/{public}/1"}
    photo = await o311.http.get(urls[public])
    assert (photo.status_code, photo.content, photo.headers["content-type"]) == (
        200, JPEG, "image/jpeg")
    for url in (f"/open311/v2/media/{hidden}/1", f"/open311/v2/media/{public}/2",
                f"/open311/v2/media/{public}/x", "/open311/v2/media/ADU-2026-999999/1"):
        refused = await o311.http.get(url)
        assert refused.status_code == 404 and refused.content != JPEG, url
    no_identity(await o311.get("requests.xml"))


async def test_a_token_answers_its_request_id(o311: Open311) -> None:
    number = await o311.file(o311.key())
    assert (await o311.get(f"tokens/{number}.json")).json() == [
        {"service_request_id": number, "token": number}]
    root = parse_xml(await o311.get(f"tokens/{number}.xml"))
    assert root.tag == "service_requests" and children(root[0]) == {
        "service_request_id": number, "token": number}
    chat_report = with_photo(o311, Privacy.PUBLIK)
    for token in (chat_report, "ADU-2026-999999", "sembarang"):
        response = await o311.get(f"tokens/{token}.json")
        assert response.status_code == 404
        assert response.json() == [{"code": 404, "description": f"Token tidak ditemukan: {token}"}]


async def test_characters_xml_cannot_carry_are_dropped_and_the_rest_escaped(
        o311: Open311) -> None:
    number = await o311.file(o311.key(), description="Sampah <b>&</b> menumpuk\x07\x1b di pasar "
                             "🗑️ sejak tiga hari, baunya sampai ke sekolah.",
                             **{"attribute[privacy]": "publik"})
    root = parse_xml(await o311.get(f"requests/{number}.xml"))
    assert children(root[0])["description"] == (
        "Sampah <b>&</b> menumpuk di pasar 🗑️ sejak tiga hari, baunya sampai ke sekolah.")
    [item] = (await o311.get(f"requests/{number}.json")).json()
    assert "\x07\x1b" in item["description"]  # JSON escapes them; nothing is lost there
