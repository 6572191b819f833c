"""A whole report in one request is checked by the chat form's rules (pure: no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from core.intake.api_report import Contact, Invalid, ReportRequest, check, reporter_chat
from core.intake.context import Context
from core.messages import Location
from core.reports.actors import Actor, Role
from core.reports.model import Draft, Privacy, ReportType
from tests.dialog import NOW, sample_city

TODAY = date(2026, 11, 22)  # NOW in the city's time zone
TEXT = "Sampah menumpuk di depan pasar sejak tiga hari. Baunya sampai ke sekolah."
OK = ReportRequest(category="sampah", description=TEXT, latitude=-0.9140, longitude=100.3490)


def checked(**changes: object) -> Draft | Invalid:
    return check(replace(OK, **changes), Context(sample_city(), NOW))  # type: ignore[arg-type]


def keys(result: Draft | Invalid) -> list[str]:
    assert isinstance(result, Invalid), result
    return [p.key for p in result.problems]


def test_a_good_request_makes_the_draft_the_chat_would() -> None:
    draft = checked()
    assert isinstance(draft, Draft)
    assert (draft.type, draft.category, draft.privacy, draft.event_date) == (
        ReportType.PENGADUAN, "sampah", Privacy.RAHASIA, TODAY)
    assert draft.title == "Sampah menumpuk di depan pasar sejak tiga hari"  # derive_title
    assert draft.location == Location(-0.9140, 100.3490)
    assert draft.kelurahan == "Ujung Karang"  # nearest_kelurahan of the pin


def test_an_address_alone_is_matched_to_its_kelurahan() -> None:
    draft = checked(latitude=None, longitude=None, address="Jl. Pasar Baru 3, Pasa Gadang")
    assert isinstance(draft, Draft)
    assert (draft.location, draft.address, draft.kelurahan) == (
        None, "Jl. Pasar Baru 3, Pasa Gadang", "Pasa Gadang")


def test_an_unknown_service_is_the_only_problem_reported() -> None:
    result = checked(category="nope", description="x")
    assert isinstance(result, Invalid) and result.unknown_service
    assert keys(result) == ["o311.unknown_service"]


@pytest.mark.parametrize(("changes", "expected"), [
    ({"description": "terlalu pendek"}, ["o311.description_length"]),
    ({"description": "x" * 4001}, ["o311.description_length"]),
    ({"description": "   " + "y" * 19 + "   "}, ["o311.description_length"]),  # stripped
    ({"title": "abc"}, ["o311.title_length"]),
    ({"event_date": TODAY + timedelta(days=1)}, ["o311.date_future"]),
    ({"event_date": TODAY - timedelta(days=366)}, ["o311.date_too_old"]),
    ({"longitude": None}, ["o311.lat_long_pair"]),
    ({"latitude": 91.0}, ["o311.lat_long_range"]),
    ({"longitude": float("nan")}, ["o311.lat_long_range"]),
    ({"latitude": None, "longitude": None}, ["o311.location_required"]),
    ({"latitude": None, "longitude": None, "address": "Jl. X"}, ["o311.address_short"]),
    ({"latitude": None, "longitude": None, "address": "Jalan Mawar nomor 4"},
     ["o311.address_unmatched"]),
    ({"address": "a" * 301}, ["o311.address_long"]),
    ({"description": "pendek", "title": "abc", "longitude": None},
     ["o311.description_length", "o311.title_length", "o311.lat_long_pair"]),
])
def test_each_rule_of_the_form_is_a_problem(changes: dict[str, object],
                                            expected: list[str]) -> None:
    assert keys(checked(**changes)) == expected


def test_a_category_that_allows_it_needs_no_location() -> None:
    draft = checked(category="lainnya", latitude=None, longitude=None)
    assert isinstance(draft, Draft) and draft.location is None and draft.kelurahan is None


def test_the_edges_of_each_range_are_accepted() -> None:
    for changes in ({"description": "d" * 20}, {"description": "d" * 4000},
                    {"title": "a" * 5}, {"title": "a" * 150},
                    {"event_date": TODAY - timedelta(days=365)}, {"event_date": TODAY}):
        assert isinstance(checked(**changes), Draft), changes


def test_the_reporter_chat_is_per_token_and_email_or_device() -> None:
    token = Actor.of_token(7, "app", Role.COORDINATOR, None)
    assert reporter_chat(token, Contact(email="Sari@Example.ID")) == "open311:7:sari@example.id"
    assert reporter_chat(token, Contact(device_id="dev-1")) == "open311:7:dev-1"
    assert reporter_chat(token, Contact(first_name="Sari")) == "open311:7:anonim"
    assert Contact("Sari", "Wulandari").name == "Sari Wulandari" and Contact().name is None
