"""Never a 5xx for bad input on the web chat, `/api/v1` and `/open311/v2` (DESIGN.md "HTTP
surface"): hostile JSON bodies, form fields and query strings (invalid UTF-8, encoded lone
surrogates, NUL, zero-width and RTL marks, huge numbers, oversize text). Each answer is a 4xx
or a 2xx; a refused request stores nothing; the service stays healthy."""

from __future__ import annotations

import itertools
from typing import Any
from urllib.parse import quote_from_bytes

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.conftest import Edge
from tests.fuzz.hostile import BAD_UTF8, EDGE_INTS, budget, encode, oversize, paths, raw_bodies, replaced
from tests.fuzz.hostile import texts as hostile_texts
from tests.fuzz.hostile import values as hostile_values
from tests.fuzz.tally import TRIED

FUZZ = settings(max_examples=budget(40), deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
_ids = itertools.count(1)
API_ACTIONS = ("balas", "verifikasi", "alihkan", "tolak", "selesai", "gabung", "lapor_id", "tunda")


def as_bytes(value: Any) -> bytes:
    """A query or form value as the raw bytes a client could send (surrogates kept as such)."""
    text = value if isinstance(value, str) else str(value)
    return text.encode("utf-8", "surrogatepass").replace(BAD_UTF8.encode(), b"\xff\xfe\xc3(")


def query_values() -> st.SearchStrategy[bytes]:
    return st.one_of(hostile_texts(), st.sampled_from(EDGE_INTS), st.floats(),
                     st.sampled_from(["", "0", "-1", "true", "2026-13-45", "1e999", "nan"]),
                     oversize().map(lambda s: s[:600])).map(as_bytes)


def query(params: dict[str, bytes]) -> str:
    return "&".join(f"{name}={quote_from_bytes(value)}" for name, value in params.items())


def request(edge: Edge, method: str, url: str, route: str, **kwargs: Any) -> int:
    before = edge.counts()
    code = edge.http.request(method, url, **kwargs).status_code
    TRIED[(route, code)] += 1
    assert code < 500, f"{method} {url[:300]} answered {code}"
    if code >= 400:
        assert edge.counts() == before, f"{method} {url[:300]} refused but stored part of it"
    return code


@st.composite
def mutated(draw: st.DrawFn, seed: dict[str, Any]) -> bytes:
    where = draw(st.sampled_from(list(paths(seed))))
    # Mostly text of the right type with hostile content (NUL, surrogates, RTL), so the body
    # gets past type validation to the use case and the database.
    value = draw(st.one_of(hostile_texts(), hostile_texts(), hostile_values()))
    how = draw(st.sampled_from(["replace", "replace", "delete", "duplicate"]))
    if how == "duplicate":
        return encode(seed, duplicate=where, dup_value=value)
    return encode(replaced(seed, where, value, delete=how == "delete"))


def new_session(edge: Edge) -> str:
    response = edge.http.post("/chat/session", json={"lang": "id"})
    assert response.status_code == 200, response.text
    return str(response.json()["session"])


def test_web_chat_never_answers_5xx_to_hostile_input(edge: Edge) -> None:
    session = new_session(edge)
    send_seed = {"session": session, "client_id": "c1", "text": "Jalan rusak di depan pasar",
                 "after": 0}
    json_headers = {"content-type": "application/json"}

    def saying(text: str) -> bytes:
        return encode({**send_seed, "text": text or "x"})

    said = hostile_texts().map(saying)

    @FUZZ
    @given(st.one_of(raw_bodies(), mutated(send_seed), said, said, mutated({"lang": "id"})),
           st.sampled_from(["/chat/send", "/chat/send", "/chat/session"]))
    def post_bodies(raw: bytes, route: str) -> None:
        if route == "/chat/send":
            raw = raw.replace(b'"c1"', f'"c{next(_ids)}"'.encode())
        request(edge, "POST", route, route, content=raw, headers=json_headers)

    @FUZZ
    @given(st.dictionaries(st.sampled_from(["session", "after", "wait", "lang"]), query_values(),
                           max_size=4),
           st.sampled_from(["/chat/messages", "/chat/texts"]))
    def get_queries(params: dict[str, bytes], route: str) -> None:
        params.setdefault("session", session.encode())
        request(edge, "GET", f"{route}?{query(params)}", route)

    @FUZZ
    @given(st.dictionaries(st.sampled_from(["session", "client_id", "after"]), query_values(),
                           max_size=3), st.binary(max_size=64))
    def uploads(fields: dict[str, bytes], data: bytes) -> None:
        fields.setdefault("session", session.encode())
        fields.setdefault("client_id", f"u{next(_ids)}".encode())
        request(edge, "POST", "/chat/upload", "/chat/upload",
                content=query(fields).encode(),
                headers={"content-type": "application/x-www-form-urlencoded"})
        request(edge, "POST", "/chat/upload", "/chat/upload",
                data={k: v.decode("utf-8", "replace") for k, v in fields.items()},
                files={"file": ("x.jpg", data, "image/jpeg")})

    post_bodies()
    get_queries()
    uploads()
    assert edge.http.post("/chat/send", json={**send_seed, "client_id": "last"}).status_code == 200
    assert edge.http.get("/healthz").status_code == 200


def test_api_and_open311_never_answer_5xx_to_hostile_input(edge: Edge) -> None:
    auth = {"Authorization": f"Bearer {edge.api_token}"}
    filed = edge.http.post("/open311/v2/requests.json", data={
        "api_key": edge.api_token, "service_code": "jalan_rusak",
        "description": "Jalan berlubang besar di depan pasar, membahayakan pengendara motor.",
        "address_string": "Jl. Sudirman 1, Air Tawar Utara"})
    assert filed.status_code in (200, 201), filed.text
    tracking = filed.json()[0]["service_request_id"]

    @FUZZ
    @given(st.one_of(raw_bodies(), mutated({"teks": "Tim kami meninjau lokasi besok pagi."}),
                     mutated({"opd": "pupr", "alasan": "Bukan kewenangan kota."})),
           st.sampled_from(API_ACTIONS))
    def api_actions(raw: bytes, action: str) -> None:
        route = "/api/v1/reports/{tracking}/{action}"
        request(edge, "POST", f"/api/v1/reports/{tracking}/{action}", route, content=raw,
                headers={**auth, "content-type": "application/json"})

    @FUZZ
    @given(st.dictionaries(st.sampled_from(["status", "opd", "category", "since", "until", "q",
                                            "overdue", "cursor", "limit", "sort"]),
                           query_values(), max_size=4),
           st.sampled_from(["/api/v1/reports", "/api/v1/reports.csv", "/api/v1/stats/sla",
                            "/open311/v2/requests.json", "/open311/v2/requests.xml"]),
           query_values())
    def get_queries(params: dict[str, bytes], route: str, name: bytes) -> None:
        if route.startswith("/open311"):
            params = {"service_request_id": name, "service_code": name, "start_date": name,
                      "end_date": name, "page": name, "status": name, **params}
        request(edge, "GET", f"{route}?{query(params)}", route, headers=auth)
        request(edge, "GET", f"/api/v1/reports/{quote_from_bytes(name)}",
                "/api/v1/reports/{tracking}", headers=auth)
        request(edge, "GET", f"/open311/v2/requests/{quote_from_bytes(name)}.json",
                "/open311/v2/requests/{id}.json")

    @FUZZ
    @given(st.dictionaries(st.sampled_from(["service_code", "description", "lat", "long",
                                            "address_string", "email", "first_name",
                                            "attribute[privacy]", "media_url", "device_id"]),
                           query_values(), max_size=5))
    def open311_posts(fields: dict[str, bytes]) -> None:
        # A valid request with up to five fields made hostile, so most reach the use case.
        fields = {"api_key": edge.api_token.encode(), "service_code": b"jalan_rusak",
                  "description": b"Jalan berlubang besar di depan pasar, bahaya.",
                  "address_string": b"Air Tawar Utara", **fields}
        request(edge, "POST", "/open311/v2/requests.json", "/open311/v2/requests.json (POST)",
                content=query(fields).encode(),
                headers={"content-type": "application/x-www-form-urlencoded"})

    api_actions()
    get_queries()
    open311_posts()
    assert edge.http.get("/api/v1/reports", headers=auth).status_code == 200
    assert edge.http.get("/healthz").status_code == 200


def test_web_chat_refuses_nul_ids_and_cursors_past_32_bits(edge: Edge) -> None:
    """Found by the fuzzer on PostgreSQL (500s before): a NUL in `client_id` reached the inbound
    id, and a cursor past 2**31 the outbox id comparison."""
    session = new_session(edge)
    nul_id = f'{{"session": "{session}", "client_id": "\\u0000", "text": "J"}}'.encode()
    assert request(edge, "POST", "/chat/send", "/chat/send", content=nul_id,
                   headers={"content-type": "application/json"}) == 422
    assert request(edge, "GET", f"/chat/messages?session={session}&after=2147483648",
                   "/chat/messages") == 422
    assert request(edge, "POST", "/chat/send", "/chat/send",
                   json={"session": session, "client_id": "x", "text": "J",
                         "after": 2**31}) == 422
