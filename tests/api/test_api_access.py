"""Tokens at the door (401, revoked at once, 429 with Retry-After), the directory, the SLA
statistics per role, and the OpenAPI description of it all."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.i18n.catalog import CATALOG
from core.reports.actors import Role
from storage.tokens import SqlTokenStore
from tests.api.helpers import Api, reason

TEXT = "Tim kami meninjau lokasi besok pagi."
PATHS = ["/reports", "/reports/ADU-2026-000001", "/reports/ADU-2026-000001/attachments/1",
         "/opds", "/categories", "/stats/sla", "/reports.csv", "/reports.xlsx"]


async def test_every_endpoint_wants_a_known_token(api: Api) -> None:
    number = api.file()
    for headers in ({}, {"Authorization": "Bearer adu_not-a-real-token"},
                    {"Authorization": "Basic a2F0YTpzYW5kaQ=="}, {"Authorization": "Bearer "}):
        for path in PATHS:
            response = await api.http.get(f"/api/v1{path}", headers=headers)
            assert (path, response.status_code, reason(response)) == (
                path, 401, "api.unauthorized")
            assert response.headers["www-authenticate"] == "Bearer"
        posted = await api.http.post(f"/api/v1/reports/{number}/tunda", json={},
                                     headers=headers)
        assert posted.status_code == 401


async def test_a_revoked_token_is_refused_at_once(api: Api) -> None:
    kominfo = api.token()
    assert (await api.get("/opds", kominfo)).status_code == 200
    assert SqlTokenStore(api.container.engine).revoke(kominfo.id, api.container.clock.now())
    refused = await api.get("/opds", kominfo)
    assert (refused.status_code, reason(refused)) == (401, "api.unauthorized")


@pytest.mark.parametrize("per_minute", [3])
async def test_each_token_is_paced_with_429_and_retry_after(api: Api) -> None:
    busy, other = api.token("Skrip rakor"), api.token("Dasbor")
    for _ in range(3):
        assert (await api.get("/categories", busy)).status_code == 200
    over = await api.get("/categories", busy)
    assert (over.status_code, reason(over)) == (429, "api.rate_limited")
    assert 1 <= int(over.headers["retry-after"]) <= 60
    assert over.headers["retry-after"] in over.json()["detail"]["message"]
    assert (await api.get("/categories", other)).status_code == 200  # per token


async def test_opds_and_categories_come_from_the_loaded_directory(api: Api) -> None:
    pupr = api.token("PUPR", Role.OFFICER, "pupr")
    opds = (await api.get("/opds", pupr)).json()
    assert opds["next_cursor"] is None
    slugs = [o["slug"] for o in opds["items"]]
    assert slugs == [o.slug for o in api.container.city().directory.opds]
    assert "pupr" in slugs and opds["items"][slugs.index("pupr")]["name"].startswith("Dinas")
    categories = (await api.get("/categories", pupr)).json()["items"]
    road = next(c for c in categories if c["code"] == "jalan_rusak")
    assert (road["opd"], road["auto_dispose"]) == ("pupr", False)
    assert next(c for c in categories if c["code"] == "sampah")["auto_dispose"] is True
    extra = await api.get("/opds", pupr, page="2")
    assert (extra.status_code, reason(extra)) == (400, "api.unknown_parameter")


async def test_sla_statistics_per_opd_for_the_coordinator_and_an_officers_own_row(
        api: Api) -> None:
    kominfo = api.token()
    pupr = api.token("PUPR", Role.OFFICER, "pupr")
    clock = api.container.clock
    clock.current = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB
    answered = api.verified(kominfo)
    waiting = api.verified(kominfo)
    api.file("sampah")  # auto-disposed to dlh
    clock.advance(hours=5)
    assert (await api.post(f"/reports/{answered}/balas", pupr, {"teks": TEXT})).status_code == 200
    clock.advance(days=14)  # the unanswered one is overdue by now
    whole = (await api.get("/stats/sla", kominfo)).json()
    assert whole["to"] == "2026-12-07T07:00:00Z" and whole["from"] == "2026-11-07T07:00:00Z"
    rows = {row["opd"]: row for row in whole["opds"]}
    assert len(rows) == len(api.container.city().directory.opds)
    assert rows["pupr"] | {"name": ""} == {
        "opd": "pupr", "name": "", "received": 2, "verified": 2, "verified_on_time": 2,
        "answered": 1, "answered_on_time": 1, "overdue_now": 1,
        "median_hours_to_first_answer": 5.0}
    assert (rows["dlh"]["received"], rows["dlh"]["verified"]) == (1, 0)
    assert rows["dinkes"]["received"] == 0  # quiet OPDs keep their row
    assert whole["city"]["received"] == 3 and whole["city"]["opd"] is None
    own = (await api.get("/stats/sla", pupr)).json()
    assert [row["opd"] for row in own["opds"]] == ["pupr"] and own["city"] is None
    assert own["opds"][0] == rows["pupr"]
    assert waiting not in str(own)
    period = (await api.get("/stats/sla", kominfo, **{"from": "2026-11-24", "to": "2026-11-30"}))
    assert period.json()["from"] == "2026-11-23T17:00:00Z"  # 24 Nov 00:00 WIB
    assert period.json()["to"] == "2026-11-30T17:00:00Z"  # the end of 30 Nov, WIB
    assert {row["opd"]: row["received"] for row in period.json()["opds"]}["pupr"] == 0
    for params, key in [({"from": "minggu lalu"}, "api.bad_date"),
                        ({"from": "2026-11-30", "to": "2026-11-01"}, "api.bad_range"),
                        ({"opd": "pupr"}, "api.unknown_parameter")]:
        bad = await api.get("/stats/sla", kominfo, **params)
        assert (params, bad.status_code, reason(bad)) == (params, 400, key)


async def test_openapi_describes_every_endpoint_with_tags_examples_and_error_codes(
        api: Api) -> None:
    schema = (await api.http.get("/openapi.json")).json()
    paths = {path: ops for path, ops in schema["paths"].items() if path.startswith("/api/v1/")}
    actions = ["verifikasi", "alihkan", "balas", "selesai", "tolak", "gabung", "lapor_id",
               "tunda"]
    assert set(paths) == {
        "/api/v1/reports", "/api/v1/reports/{tracking}",
        "/api/v1/reports/{tracking}/attachments/{n}", "/api/v1/opds", "/api/v1/categories",
        "/api/v1/stats/sla", "/api/v1/reports.csv", "/api/v1/reports.xlsx",
        *(f"/api/v1/reports/{{tracking}}/{action}" for action in actions)}
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert operation["tags"] and operation["summary"], (path, method)
            assert {"200", "401", "429"} <= set(operation["responses"]), (path, method)
            assert operation["security"] == [{"HTTPBearer": []}], (path, method)
    for action in actions:
        post = paths[f"/api/v1/reports/{{tracking}}/{action}"]["post"]
        assert {"403", "404", "409", "422"} <= set(post["responses"])
    listing = paths["/api/v1/reports"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "status", "opd", "category", "since", "until", "q", "overdue", "sort", "cursor", "limit"}
    bodies = schema["components"]["schemas"]
    for name in ("AnswerBody", "ForwardBody", "RejectBody", "MergeBody", "LaporIdBody",
                 "ReportItem", "TimelineEntryOut", "OpdOut", "CategoryOut"):
        assert bodies[name].get("examples"), name
    assert bodies["ErrorDetail"]["required"] == ["reason", "message"]
    docs = await api.http.get("/api/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_every_reason_the_api_gives_is_a_catalog_text_in_both_languages() -> None:
    api = Path(__file__).resolve().parents[2] / "bot" / "api"
    used = {key for path in api.glob("*.py")
            for key in re.findall(r'"((?:api|work|sheet)\.[a-z_.]+)"', path.read_text())}
    assert len(used) > 20 and sorted(used - set(CATALOG)) == []
