"""Duplicate detection (pure): distance within the radius, or kelurahan plus similar text."""

from __future__ import annotations

from datetime import UTC, datetime

from core.matching.duplicates import BoundingBox, Candidate, DuplicateRules, distance_m, find_duplicates
from core.messages import Location
from core.reports.model import Draft, Privacy, Status

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
PIN = (-0.9140, 100.3490)
RULES = DuplicateRules()


def candidate(ref: int, lat: float | None = None, lon: float | None = None,
              text: str = "Jalan berlubang besar di depan sekolah dasar membahayakan pengendara",
              kelurahan: str | None = "Kampung Jao") -> Candidate:
    return Candidate(f"ADU-2026-{ref:06d}", 50 + ref, Status.BARU, Privacy.PUBLIK, "Jalan rusak",
                     text, lat, lon, kelurahan, NOW)


def test_pins_within_the_radius_match_nearest_first_and_at_most_three() -> None:
    draft = Draft(location=Location(*PIN))
    near = [candidate(1, -0.9150, 100.3490), candidate(2, -0.9141, 100.3491),
            candidate(3, -0.9155, 100.3490), candidate(4, -0.9145, 100.3495),
            candidate(5, -0.9200, 100.3490), candidate(6)]  # 670 m away; no pin
    found = find_duplicates(draft, near, RULES)
    assert [d.candidate.tracking_no[-1] for d in found] == ["2", "4", "1"]
    assert all(d.distance_m is not None and d.distance_m <= 200 for d in found)


def test_the_bounding_box_contains_the_whole_radius() -> None:
    box = BoundingBox.around(*PIN, 200)
    assert distance_m(PIN[0], PIN[1], box.north, PIN[1]) >= 199.9
    assert distance_m(PIN[0], PIN[1], PIN[0], box.east) >= 199.9


def test_without_a_pin_similar_text_in_the_kelurahan_matches() -> None:
    draft = Draft(description="Ada jalan berlubang besar depan sekolah dasar, bahaya buat "
                              "pengendara motor", kelurahan="Kampung Jao")
    similar = candidate(1)
    different = candidate(2, text="Lampu penerangan jalan di taman kota mati sudah seminggu")
    found = find_duplicates(draft, [different, similar], RULES)
    assert [d.candidate for d in found] == [similar]
    assert found[0].score >= RULES.text_cutoff


def test_short_texts_are_never_compared_by_text() -> None:
    assert find_duplicates(Draft(description="jalan rusak"), [candidate(1)], RULES) == []
    short = candidate(2, text="jalan rusak")
    draft = Draft(description="Jalan rusak parah di depan sekolah dasar dekat pasar")
    assert find_duplicates(draft, [short], RULES) == []
