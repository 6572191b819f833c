"""GET requests' arguments: numbers, services, status, W3C date ranges (90 days by default
and at most), pages; a bad value is a 400 in the spec's shape."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.reports import lifecycle
from tests.dialog import NOW
from tests.open311.conftest import Open311, children, parse_xml
from tests.open311.helpers import act, numbers

PUBLIC = {"attribute[privacy]": "publik"}


@pytest.fixture
async def five(o311: Open311) -> dict[str, str]:
    """Public reports filed 100, 10, 5, 1 and 0 days ago; the one of 1 day ago rejected."""
    key, made = o311.key(), {}
    for days, name, code in [(100, "old", "sampah"), (10, "road", "jalan_rusak"),
                             (5, "waste", "sampah"), (1, "rejected", "jalan_rusak"),
                             (0, "today", "lampu_jalan")]:
        o311.clock.current = NOW - timedelta(days=days)
        made[name] = await o311.file(key, service_code=code, **PUBLIC)
    act(o311, lifecycle.reject, made["rejected"], "Bukan wewenang pemerintah kota.")
    return made


async def get(o311: Open311, query: str) -> list[str]:
    return numbers(await o311.http.get(f"/open311/v2/requests.json?{query}"))


async def test_the_last_90_days_by_default_newest_first(o311: Open311,
                                                        five: dict[str, str]) -> None:
    assert await get(o311, "") == [five[n] for n in ("today", "rejected", "waste", "road")]


async def test_a_date_range_includes_both_ends(o311: Open311, five: dict[str, str]) -> None:
    assert await get(o311, "start_date=2026-08-14T10:00:00%2B07:00"
                           "&end_date=2026-08-14T10:00:00%2B07:00") == [five["old"]]
    # Bare dates are the city's days; an end date includes its whole day.
    assert await get(o311, "start_date=2026-11-12&end_date=2026-11-17") == [
        five["waste"], five["road"]]
    assert await get(o311, "start_date=2026-11-12T03:00:00Z&end_date=2026-11-17") == [
        five["waste"], five["road"]]
    # A "+" left unencoded arrives as a space.
    assert await get(o311, "start_date=2026-11-21T00:00:00 07:00") == [
        five["today"], five["rejected"]]
    # Only an end: the 90 days before it; only a start: the 90 days after it.
    assert await get(o311, "end_date=2026-11-13") == [five["road"]]
    assert await get(o311, "start_date=2026-08-01") == [five["old"]]


async def test_status_service_code_and_numbers(o311: Open311, five: dict[str, str]) -> None:
    assert await get(o311, "status=closed") == [five["rejected"]]
    assert await get(o311, "status=open") == [five["today"], five["waste"], five["road"]]
    assert await get(o311, "status=open,closed") == await get(o311, "")
    assert await get(o311, "service_code=sampah") == [five["waste"]]
    assert await get(o311, "service_code=sampah,lampu_jalan") == [five["today"], five["waste"]]
    assert await get(o311, "service_code=sampah&service_code=jalan_rusak") == [
        five["rejected"], five["waste"], five["road"]]
    # service_request_id overrides every other argument (also the 90 days).
    wanted = f"{five['old']},{five['waste'][-6:].lstrip('0')}"
    assert await get(o311, f"service_request_id={wanted}&status=closed") == [
        five["waste"], five["old"]]


async def test_pages_of_a_chosen_size(o311: Open311, five: dict[str, str]) -> None:
    pages = [await get(o311, f"page_size=3&page={n}") for n in (1, 2, 3)]
    assert pages == [[five["today"], five["rejected"], five["waste"]], [five["road"]], []]
    xml = parse_xml(await o311.get("requests.xml", page_size="1", page="2"))
    assert [children(r)["service_request_id"] for r in xml] == [five["rejected"]]


@pytest.mark.parametrize(("query", "description"), [
    ("start_date=kemarin", "start_date: bukan tanggal/waktu W3C, mis. 2026-03-01T08:00:00+07:00: "
                           "kemarin"),
    ("end_date=2026-02-30", "end_date: bukan tanggal/waktu W3C, mis. 2026-03-01T08:00:00+07:00: "
                            "2026-02-30"),
    ("start_date=2026-11-01T08:00:00", "start_date: sertakan zona waktu (Z atau +07:00): "
                                       "2026-11-01T08:00:00"),
    ("start_date=2026-11-10&end_date=2026-11-01", "start_date harus sebelum end_date"),
    ("start_date=2026-01-01&end_date=2026-11-01",
     "Rentang start_date sampai end_date paling lama 90 hari"),
    ("start_date=9999-12-31", "start_date: bukan tanggal/waktu W3C, mis. "
                              "2026-03-01T08:00:00+07:00: 9999-12-31"),
    ("status=pending", "status: nilai tidak dikenal pending (pilihan: open, closed)"),
    ("service_code=nope", "service_code tidak dikenal: nope"),
    ("page=0", "page harus bilangan bulat 1–1000000: 0"),
    ("page=dua", "page harus bilangan bulat 1–1000000: dua"),
    ("page_size=1001", "page_size harus bilangan bulat 1–1000: 1001"),
    ("service_request_id=ADU-X", "Bukan nomor laporan: ADU-X (contoh: ADU-2026-000123)"),
    ("page=1&page=2", "page dikirim lebih dari sekali"),
])
async def test_bad_arguments_are_400(o311: Open311, query: str, description: str) -> None:
    for fmt in ("json", "xml"):
        response = await o311.http.get(f"/open311/v2/requests.{fmt}?{query}")
        assert response.status_code == 400, response.text
        if fmt == "json":
            assert response.json() == [{"code": 400, "description": description}]
        else:
            assert [children(e) for e in parse_xml(response)] == [
                {"code": "400", "description": description}]


async def test_empty_arguments_are_as_if_not_sent(o311: Open311, five: dict[str, str]) -> None:
    assert await get(o311, "status=&service_code=&start_date=&page=&api_key=") == await get(
        o311, "")
