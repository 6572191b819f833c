"""The requests list written without dicts (`render.json_records`, `LocalTimes`) is byte for
byte what `json.dumps` of the renderer's dicts was, for any text, None, number and zone."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.open311.models import OPEN, REQUEST_FIELDS, RequestRenderer
from bot.open311.render import json_records, to_json
from bot.open311.times import LocalTimes
from core.city import CityContext
from core.i18n import t
from core.reports.model import Privacy, Status
from core.sla.policy import Step
from storage.read.open311 import ServiceRequest
from tests.dialog import sample_city

MEDIA = "https://aduan.example.id/open311/v2/media"
# Text a citizen or an officer may send: quotes, escapes, control and separator characters,
# lone surrogates (which become "?"), non-Latin scripts, emoji, and `%` (the item template).
PIECES = ["jalan", "berlubang", "Jl. Sudirman", '"kutip"', "\\", "/", "%s", "%", "{}", "\x00",
          "\x1f", "\x7f", "\n\t\r", "\u2028\u2029", "\ud800", "\udfff", "\ud83d", "é", "ñ",
          "日本語", "🚧", "\U0001f600", "null", "<b>&amp;</b>", "'", " ", ""]
FLOATS = [-0.914, 100.349, 0.0, -0.0, 1e-7, 123456789.123456789, 1e300, -1e-300,
          float("nan"), float("inf"), float("-inf")]
ZONES = ["Asia/Jakarta", "Asia/Makassar", "Asia/Kolkata", "America/New_York",
         "Australia/Lord_Howe", "Pacific/Chatham", "Europe/London", "America/St_Johns"]


def text(rng: random.Random) -> str:
    return "".join(rng.choices(PIECES, k=rng.randint(0, 8)))


def maybe(rng: random.Random, value: Any) -> Any:
    return None if rng.random() < 0.3 else value


def moment(rng: random.Random) -> datetime:
    at = datetime(1890, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randint(0, 170 * 365 * 86400),
                                                      microseconds=rng.randint(0, 999_999))
    if rng.random() < 0.05:  # not in UTC: the exact way
        return at.astimezone(timezone(timedelta(hours=rng.randint(-12, 12))))
    return at


def service_request(rng: random.Random, city: CityContext) -> ServiceRequest:
    codes = [c.code for c in city.directory.categories] + ["tidak_ada", text(rng)]
    opds = [o.slug for o in city.directory.opds] + ["opd_lain", text(rng)]
    areas = [k.name for k in city.directory.kelurahan] + [text(rng)]
    step = maybe(rng, rng.choice([s for s in Step if s.nudges_admins]))
    number = f"ADU-2026-{rng.randint(1, 999_999):06d}"
    return ServiceRequest(
        number, rng.choice(codes), maybe(rng, rng.choice(opds)), rng.choice(list(Status)),
        text(rng), rng.choice(list(Privacy)), maybe(rng, rng.choice(FLOATS)),
        maybe(rng, rng.uniform(-180, 180)), maybe(rng, text(rng)),
        maybe(rng, rng.choice(areas)), moment(rng), moment(rng),
        maybe(rng, f"ADU-2026-{rng.randint(1, 999):06d}"), step,
        moment(rng) if step and rng.random() < 0.9 else None, maybe(rng, text(rng)),
        rng.random() < 0.3)


def old_dict(render: RequestRenderer, row: ServiceRequest) -> dict[str, Any]:
    """The renderer's dict as written before the JSON fast path (`json.dumps` of a list of
    these was the answer): a literal in the spec's order, times by `astimezone`."""
    def w3c(at: datetime | None) -> str | None:
        return None if at is None else at.astimezone(render.city.tz).isoformat(
            timespec="seconds")

    is_open = row.status in OPEN
    agency = render.agencies.get(row.opd, row.opd) if row.opd else None
    notice = None
    if is_open and row.deadline_step is not None:
        notice = t(f"o311.step.{row.deadline_step.value}", render.language, opd=agency or "-")
    notes = (t("o311.merged", render.language, ref=row.duplicate_of) if row.duplicate_of
             else row.note)
    return {
        "service_request_id": row.tracking_no,
        "status": "open" if is_open else "closed",
        "status_notes": notes,
        "service_name": render.services.get(row.category, row.category),
        "service_code": row.category,
        "description": row.description,
        "agency_responsible": agency,
        "service_notice": notice,
        "requested_datetime": w3c(row.created_at),
        "updated_datetime": w3c(row.updated_at),
        "expected_datetime": w3c(row.deadline_due) if is_open else None,
        "address": render._address(row),
        "lat": row.latitude,
        "long": row.longitude,
        "media_url": f"{MEDIA}/{row.tracking_no}/1" if row.has_photo else None,
    }


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("zone", ["Asia/Jakarta", "America/New_York", "Australia/Lord_Howe"])
def test_a_page_of_requests_is_written_as_json_dumps_wrote_the_old_dicts(
        language: str, zone: str) -> None:
    city = replace(sample_city(), tz=ZoneInfo(zone))
    rng = random.Random(f"{language}{zone}")
    for size in (0, 1, 7, 1000):
        rows = [service_request(rng, city) for _ in range(size)]
        render = RequestRenderer(city, language, MEDIA)
        fast = json_records(REQUEST_FIELDS, map(render.values, rows))
        old = [old_dict(render, row) for row in rows]
        assert fast == to_json(old)  # the same bytes, so the same meaning too
        assert [render(row) for row in rows] == old  # what the XML answer is built from


def test_json_records_writes_any_value_as_json_dumps_does() -> None:
    rng = random.Random(17)
    scalars: list[Any] = [None, True, False, 0, -1, 2**70, *FLOATS, Status.BARU, "open"]
    for _ in range(300):
        keys = [text(rng) or "k" for _ in range(rng.randint(1, 6))]
        records = [[rng.choice([*scalars, text(rng), [1, "a", None], {"x": text(rng)}])
                    for _ in keys] for _ in range(rng.randint(0, 5))]
        expected = to_json([dict(zip(keys, r, strict=True)) for r in records])
        if len(set(keys)) == len(keys):  # a dict keeps one of a repeated key
            assert json_records(keys, records) == expected


def test_a_lone_surrogate_becomes_a_question_mark_and_the_rest_stays_utf8() -> None:
    written = json_records(["a", "b"], [["x\ud800y", "é 日本 🚧 \"q\" \\ \x01"]])
    assert written == '[{"a": "x?y", "b": "é 日本 🚧 \\"q\\" \\\\ \\u0001"}]'.encode()


@pytest.mark.parametrize("zone", ZONES)
def test_local_times_are_astimezone_in_w3c_in_every_zone(zone: str) -> None:
    tz, rng = ZoneInfo(zone), random.Random(zone)
    times = LocalTimes(tz)
    # Random moments from 1890 on (local mean times, odd historical offsets), and from 2020
    # to 2027 one a day plus one every 97 seconds over the two days around each transition.
    moments = [moment(rng) for _ in range(3000)]
    days = [datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days=n) for n in range(8 * 365)]
    moments += [day + timedelta(seconds=rng.randrange(86400)) for day in days]
    for day, after in zip(days, days[1:], strict=False):
        if day.astimezone(tz).utcoffset() != after.astimezone(tz).utcoffset():
            moments += [day + timedelta(seconds=97 * n) for n in range(2 * 86400 // 97)]
    for at in [*moments, *moments[:500]]:  # again: from the remembered hours
        assert times(at) == at.astimezone(tz).isoformat(timespec="seconds"), at
    assert times(None) is None


class HalfPastChange(tzinfo):
    """+07:00 until 2026-03-01 10:30 UTC, +08:00 from then on: a change inside a UTC hour."""

    CHANGE = datetime(2026, 3, 1, 10, 30)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        assert dt is not None
        before = dt.replace(tzinfo=None) < self.CHANGE + timedelta(hours=7)
        return timedelta(hours=7 if before else 8)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def fromutc(self, dt: datetime) -> datetime:
        utc = dt.replace(tzinfo=None)
        return (utc + timedelta(hours=7 if utc < self.CHANGE else 8)).replace(tzinfo=self)


def test_an_hour_in_which_the_offset_changes_is_not_remembered() -> None:
    zone = HalfPastChange()
    times = LocalTimes(zone)
    hour = datetime(2026, 3, 1, 10, tzinfo=UTC)
    for at in [hour + timedelta(minutes=m) for m in range(0, 120, 7)] * 2:
        assert times(at) == at.astimezone(zone).isoformat(timespec="seconds"), at
    assert times(hour + timedelta(minutes=40)) == "2026-03-01T18:40:00+08:00"
