"""One catalog, two languages: every text exists in both with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from core.i18n import format_date, normalise_language, t
from core.i18n.catalog import CATALOG
from core.reports.model import Privacy, ReportType, Status

ROOT = Path(__file__).resolve().parents[2]


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_both_languages_are_present_with_the_same_placeholders(key: str) -> None:
    indonesian, english = CATALOG[key]
    assert indonesian.strip() and english.strip()
    assert fields(indonesian) == fields(english)


def test_every_literal_key_used_in_the_code_exists() -> None:
    used: set[str] = set()
    for path in [*ROOT.glob("core/**/*.py"), *ROOT.glob("bot/**/*.py"),
                 *ROOT.glob("bot/dashboard/templates/*.html")]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_.]+)["']""", path.read_text()))
    assert used, "the scan found no keys: the pattern is broken"
    assert sorted(used - set(CATALOG)) == []


@pytest.mark.parametrize(("prefix", "values"), [
    ("status", [s.value for s in Status]), ("type", [r.value for r in ReportType]),
    ("privacy", [p.value for p in Privacy]),
])
def test_keys_built_from_enums_exist(prefix: str, values: list[str]) -> None:
    assert [v for v in values if f"{prefix}.{v}" not in CATALOG] == []


def test_unknown_language_falls_back_to_indonesian() -> None:
    assert t("menu.lapor", "fr") == "Buat laporan"
    assert normalise_language("en-US") == "en" and normalise_language("ms") == "id"
    assert normalise_language(None, "en") == "en"


def test_dates_are_written_for_people() -> None:
    from datetime import date

    assert format_date(date(2026, 8, 17), "id") == "17 Agustus 2026"
    assert format_date(date(2026, 8, 17), "en") == "17 August 2026"
