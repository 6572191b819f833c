"""Derived titles say what and where, never cut at an abbreviation's dot (issue 21)."""

from __future__ import annotations

import re
from functools import cache

import pytest

from bench.category_sets import sets
from core.city import CityContext, IntakeConfig
from core.directory.loader import bundled_directory_path, load_directory_file
from core.reports.titles import TITLE_MAX, derive_title, first_sentence, title_for

ABBREVIATION_END = re.compile(r"\b(Jl|Jln|Gg|No|RT|RW|Kel|Kec|Komp|Perum)\.?$", re.IGNORECASE)
STREET = re.compile(r"\b(Jl\.|Jalan|Gg\.|Gang) ([A-Z][A-Za-z]+)")  # "Jalan AH Nasution" too


@cache
def _city() -> CityContext:
    from zoneinfo import ZoneInfo
    return CityContext.build(load_directory_file(bundled_directory_path()), IntakeConfig(),
                             ZoneInfo("Asia/Jakarta"))


@pytest.mark.parametrize(("description", "what", "title"), [
    ("Di Jl. Imam Bonjol No. 115 RT 11, jalan berlubang cukup dalam, sudah 2 motor jatuh.",
     "jalan berlubang", "Jalan berlubang di Jl. Imam Bonjol"),
    ("Sampah numpuk di Gg. Mawar 3 RT 04 sudah seminggu", "sampah menumpuk",
     "Sampah menumpuk di Gg. Mawar 3"),
    ("Kami warga RT 03 Kelurahan Sukamaju melaporkan aspal di Jalan Merdeka yang mengelupas",
     "aspal mengelupas", "Aspal mengelupas di Jalan Merdeka"),
    ("Kami warga Kel. Sukamaju mohon bantuan.", "bansos", "Bansos di Kel. Sukamaju"),
    ("Di Jl. Imam Bonjol No. 115 RT 11, jalan berlubang. Mohon diperbaiki", None,
     "Di Jl. Imam Bonjol No. 115 RT 11, jalan berlubang"),
    ("Lampu mati. Sudah lama.", None, "Lampu mati"),
])
def test_titles_name_the_problem_and_the_place(description: str, what: str | None, title: str) -> None:
    assert derive_title(description, what) == title


def test_an_abbreviation_or_a_number_never_ends_the_first_sentence() -> None:
    assert first_sentence("Di Jl. A. Yani No. 5 Kel. Air Tawar lampu mati. Gelap.") == (
        "Di Jl. A. Yani No. 5 Kel. Air Tawar lampu mati")
    assert first_sentence("Tgl. 3 jam 7.30 banjir lagi! Tolong") == "Tgl. 3 jam 7.30 banjir lagi"


def test_titles_of_every_labelled_text_fit_and_say_where() -> None:
    city = _city()
    rows = [row for found in sets(city.directory).values() for row in found if row.category]
    assert len(rows) > 1500
    for row in rows:
        title = title_for(row.text, row.category, city)
        assert 0 < len(title) <= TITLE_MAX, (row.text, title)
        # "… sak RT" may end a text; a title never stops at an abbreviation the text goes past.
        ends_there = row.text.rstrip(" .!?").endswith(title.split(" ")[-1])
        assert not ABBREVIATION_END.search(title) or ends_there, (row.text, title)
        if street := STREET.search(row.text):
            assert street.group(0) in title or len(title) == TITLE_MAX or title.endswith("…"), (
                row.text, title)
