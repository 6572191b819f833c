"""Never a 5xx for bad input at the webhooks (DESIGN.md "HTTP surface"): whole hostile bodies,
and valid updates with one field made hostile (wrong type, null, huge or float id, invalid
Unicode, deep nesting, duplicate key, oversize text). Each answer is 400/413/422, or 200 with
the body ignored or handled whole; a refused body stores nothing; the service stays healthy."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fake_platforms.telegram_updates import TgUser
from tests.fuzz.conftest import TG_SECRET, Edge
from tests.fuzz.hostile import EDGE_INTS, budget, encode, paths, raw_bodies, replaced, texts, values
from tests.fuzz.tally import TRIED
from tests.whatsapp.payloads import envelope, signed, status, text
from tests.whatsapp.payloads import image as wa_image
from tests.whatsapp.payloads import location as wa_location

ALLOWED = {200, 400, 413, 422}
FUZZ = settings(max_examples=budget(120), deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
_ids = itertools.count(5_000_000)


def _telegram_seeds() -> list[dict[str, Any]]:
    siti = TgUser(4242, last_name="Rahma")
    shown = {"message_id": 9, "date": 1700000000, "chat": siti.chat, "text": "Pilih",
             "reply_markup": {"inline_keyboard": [[{"text": "Jalan", "callback_data": "cat:jalan"}]]}}
    return [siti.text("Jalan rusak di depan pasar", reply_to_message=shown),
            siti.command("/start"), siti.location(-6.2, 106.8),
            siti.photo("PHOTO1", caption="lubang"), siti.press(shown, "cat:jalan"),
            siti.document("DOC1", "a.pdf", "application/pdf", 100)]


def _whatsapp_seeds() -> list[dict[str, Any]]:
    wa = "6281234567890"
    return [envelope(text(wa, "Jalan rusak", reply_to="wamid.OUT1")),
            envelope(wa_location(wa, -6.2, 106.8)), envelope(wa_image(wa, "MEDIA1")),
            envelope(statuses=(status("wamid.OUT1", wa, "failed", 131047),
                               status("wamid.OUT2", wa, "delivered")))]


TG_SEEDS, WA_SEEDS = _telegram_seeds(), _whatsapp_seeds()


def _fresh(seed: dict[str, Any], telegram: bool) -> dict[str, Any]:
    """The seed under a new id, so that idempotency does not hide what the body would do."""
    body = replaced(seed, ("update_id",), next(_ids)) if telegram else replaced(
        seed, ("entry", 0, "id"), f"WABA-{next(_ids)}")
    if not telegram:
        for message in body["entry"][0]["changes"][0]["value"].get("messages", []):
            message["id"] = f"wamid.FUZZ{next(_ids)}"
    return body


@st.composite
def mutated(draw: st.DrawFn, seeds: list[dict[str, Any]], telegram: bool) -> bytes:
    body = _fresh(draw(st.sampled_from(seeds)), telegram)
    path = draw(st.sampled_from(list(paths(body))))
    how = draw(st.sampled_from(["replace", "replace", "replace", "delete", "duplicate"]))
    original = _at(body, path)
    # Half the time a value of the right type with hostile content (text: invalid Unicode,
    # zero-width and RTL marks, NUL; ids: huge), so the body gets past the type checks.
    same_type = (texts() if isinstance(original, str)
                 else st.sampled_from(EDGE_INTS) if isinstance(original, int) else values())
    value = draw(st.one_of(values(), same_type))
    if how == "duplicate":
        return encode(body, duplicate=path, dup_value=value)
    return encode(replaced(body, path, value, delete=how == "delete"))


def _at(body: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        body = body[key]
    return body


def post_telegram(edge: Edge, raw: bytes) -> int:
    return _post(edge, "/webhook/telegram", raw, {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET,
                                                 "content-type": "application/json"})


def post_whatsapp(edge: Edge, raw: bytes) -> int:
    raw, headers = signed(raw)
    return _post(edge, "/webhook/whatsapp", raw, headers)


def _post(edge: Edge, route: str, raw: bytes, headers: dict[str, str]) -> int:
    before = edge.counts()
    code = edge.http.post(route, content=raw, headers=headers).status_code
    TRIED[(route, code)] += 1
    assert code in ALLOWED, f"{route} answered {code} to {raw[:400]!r}"
    if code != 200:
        assert edge.counts() == before, f"{route} refused {raw[:400]!r} but stored part of it"
    return code


def assert_healthy(edge: Edge) -> None:
    assert edge.http.get("/healthz").status_code == 200
    fresh = TgUser(next(_ids))
    assert post_telegram(edge, encode(fresh.command("/start"))) == 200
    assert post_whatsapp(edge, encode(envelope(text(f"62811{next(_ids)}", "/start")))) == 200


def test_telegram_webhook_never_answers_5xx_to_hostile_bodies(edge: Edge) -> None:
    @FUZZ
    @given(st.one_of(raw_bodies(), mutated(TG_SEEDS, telegram=True),
                     mutated(TG_SEEDS, telegram=True)))
    def fuzz(raw: bytes) -> None:
        post_telegram(edge, raw)

    fuzz()
    assert_healthy(edge)


def test_whatsapp_webhook_never_answers_5xx_to_hostile_bodies(edge: Edge) -> None:
    @FUZZ
    @given(st.one_of(raw_bodies(), mutated(WA_SEEDS, telegram=False),
                     mutated(WA_SEEDS, telegram=False)))
    def fuzz(raw: bytes) -> None:
        post_whatsapp(edge, raw)

    fuzz()
    assert_healthy(edge)
