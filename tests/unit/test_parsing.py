"""Reading what citizens type: dates, tracking numbers, titles, places."""

from __future__ import annotations

from datetime import date

import pytest

from core.directory.model import Kelurahan
from core.intake.parsing import match_kelurahan, nearest_kelurahan, parse_event_date
from core.reports.model import parse_tracking_number, tracking_number
from core.reports.titles import derive_title

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(("text", "expected"), [
    ("hari ini", TODAY), ("Kemarin", date(2026, 11, 21)), ("3 hari lalu", date(2026, 11, 19)),
    ("21-11-2026", date(2026, 11, 21)), ("21/11/26", date(2026, 11, 21)),
    ("2026-11-01", date(2026, 11, 1)), ("5.11", date(2026, 11, 5)),
    ("21 November 2026", date(2026, 11, 21)), ("3 agt", date(2026, 8, 3)),
    ("17 Agustus 2026", date(2026, 8, 17)), ("1 Des 2025", date(2025, 12, 1)),
    ("31-02-2026", None), ("2026-11", None), ("besok lusa", None), ("12 foo 2026", None),
])
def test_event_dates_are_read_in_indonesian_and_english(text: str, expected: date | None) -> None:
    assert parse_event_date(text, TODAY) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("ADU-2026-000123", "ADU-2026-000123"), ("adu-2026-123", "ADU-2026-000123"),
    ("123", "ADU-2026-000123"), ("2025-7", "ADU-2025-000007"), ("ADU 2026 1", None),
    ("x", None), ("0", None), ("1234567", None),
])
def test_tracking_numbers_accept_the_short_forms(text: str, expected: str | None) -> None:
    assert parse_tracking_number(text, 2026) == expected


def test_tracking_number_format_is_fixed_width() -> None:
    assert tracking_number(2026, 42) == "ADU-2026-000042"
    with pytest.raises(ValueError):
        tracking_number(2026, 1_000_000)


def test_title_is_the_first_sentence_cut_at_a_word() -> None:
    assert derive_title("Lampu mati. Sudah lama.") == "Lampu mati"
    long = "kata " * 40
    title = derive_title(long)
    assert len(title) <= 80 and title.endswith("…") and " kat…" not in title


AREAS = (Kelurahan("Lapai Baru", "Utara", -0.888, 100.364),
         Kelurahan("Ujung Karang", "Barat", -0.914, 100.349), Kelurahan("Tanpa Titik", "Barat"))


def test_typed_addresses_find_their_kelurahan_despite_typos() -> None:
    assert match_kelurahan("jl. mawar 3 kel. lapai baruu", AREAS) == AREAS[0]
    assert match_kelurahan("dekat masjid raya", AREAS) is None


def test_pins_find_the_nearest_kelurahan_within_range() -> None:
    assert nearest_kelurahan(-0.913, 100.350, AREAS) == AREAS[1]
    assert nearest_kelurahan(-6.2, 106.8, AREAS) is None  # Jakarta is not in this city
