"""City directory loader: the bundled sample and the line-numbered validation of directory YAML."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from core.directory.loader import bundled_directory_path, load_directory_file, parse_directory
from core.directory.model import Directory, DirectoryError, Opd, SlaTier

BASE = """\
city: Kota Uji
opds:
  - slug: pupr
    name: Dinas Pekerjaan Umum
    aliases: [PUPR, Dinas PU]
  - slug: dlh
    name: Dinas Lingkungan Hidup
categories:
  - code: jalan_rusak
    name_id: Jalan rusak
    name_en: Damaged road
    opd: pupr
    sla_tier: lapangan
    synonyms: [jalan berlubang, aspal rusak]
  - code: sampah
    name_id: Sampah
    name_en: Waste
    opd: dlh
    sla_tier: pengaduan
    location_required: false
    auto_dispose: true
kelurahan:
  - {name: Pasa Gadang, kecamatan: Kota Lama, lat: -0.96, lon: 100.36}
  - {name: Purus, kecamatan: Kota Lama}
collective_leave: [2026-12-24, 2026-02-16]
out_of_authority:
  - code: pln
    patterns: [listrik padam, token listrik]
    institution_id: PLN
    institution_en: PLN (electricity company)
"""


def _edit(old: str, new: str, text: str = BASE) -> str:
    assert old in text, f"test setup: {old!r} not in the document"
    return text.replace(old, new, 1)


def _line(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _errors(text: str) -> list[str]:
    with pytest.raises(DirectoryError) as caught:
        parse_directory(text, "test.yaml")
    assert caught.value.source == "test.yaml"
    return caught.value.errors


def _assert_error(errors: list[str], line: int, fragment: str) -> None:
    prefix = f"line {line}: "
    assert any(e.startswith(prefix) and fragment in e for e in errors), errors


@pytest.fixture(scope="module")
def sample() -> Directory:
    return load_directory_file(bundled_directory_path())


def test_bundled_sample_parses_with_enough_opds_categories_and_kelurahan(
    sample: Directory,
) -> None:
    assert sample.city == "Kota Contoh"
    assert len(sample.opds) >= 18
    assert len(sample.categories) >= 20
    assert len(sample.kelurahan) >= 20
    assert len({k.kecamatan for k in sample.kelurahan}) >= 5
    assert {"pln", "bpjs", "polisi", "jalan_nasional"} <= {o.code for o in sample.out_of_authority}


def test_every_bundled_category_routes_to_a_defined_opd_and_tier(sample: Directory) -> None:
    for category in sample.categories:
        assert sample.opd(category.opd) is not None, category.code
        assert sample.tier(category.sla_tier) is not None, category.code
        # a list a city's editor can still read (pencemaran has 56 since the regional words)
        assert 5 <= len(category.synonyms) <= 80, category.code


def test_bundled_synonyms_point_to_one_category_only(sample: Directory) -> None:
    counts = Counter(s.casefold() for c in sample.categories for s in c.synonyms)
    assert [s for s, n in counts.items() if n > 1] == []


def test_bundled_category_labels_fit_a_whatsapp_list_row(sample: Directory) -> None:
    for category in sample.categories:
        assert len(category.name_id) <= 24 and len(category.name_en) <= 24, category.code


def test_bundled_paperwork_categories_do_not_require_a_location(sample: Directory) -> None:
    for code in ("adminduk", "bansos", "pendidikan", "perizinan", "lainnya"):
        category = sample.category(code)
        assert category is not None and category.location_required is False
    assert [c.code for c in sample.categories if c.auto_dispose] == [
        "lampu_jalan",
        "sampah",
        "pohon_tumbang",
    ]


def test_bundled_sample_defines_the_three_default_tiers_and_2026_leave(
    sample: Directory,
) -> None:
    tiers = {t.name: t.completion_days for t in sample.sla_tiers}
    assert tiers == {"informasi": 5, "pengaduan": 14, "lapangan": 60}
    assert date(2026, 12, 24) in sample.collective_leave
    assert list(sample.collective_leave) == sorted(sample.collective_leave)


def test_bundled_path_points_into_bot_data() -> None:
    path = bundled_directory_path()
    assert path.is_file()
    assert path.parts[-3:] == ("bot", "data", "sample_city.yaml")


def test_minimal_directory_parses_with_defaults() -> None:
    directory = parse_directory(BASE)
    road, waste = directory.categories
    assert road.synonyms == ("jalan berlubang", "aspal rusak")
    assert (road.location_required, road.auto_dispose) == (True, False)
    assert (waste.location_required, waste.auto_dispose) == (False, True)
    assert directory.opd("pupr") == Opd("pupr", "Dinas Pekerjaan Umum", ("PUPR", "Dinas PU"))
    assert directory.kelurahan[0].latitude == -0.96
    assert directory.kelurahan[1].latitude is None
    assert directory.collective_leave == (date(2026, 2, 16), date(2026, 12, 24))
    assert directory.out_of_authority[0].patterns == ("listrik padam", "token listrik")


def test_absent_sla_tiers_fall_back_to_design_defaults() -> None:
    tiers = {t.name: t for t in parse_directory(BASE).sla_tiers}
    assert {n: t.completion_days for n, t in tiers.items()} == {
        "informasi": 5,
        "pengaduan": 14,
        "lapangan": 60,
    }
    assert all(t.verification_days == 3 and t.first_answer_days == 5 for t in tiers.values())


def test_explicit_sla_tiers_replace_defaults_and_default_their_optional_days() -> None:
    text = _edit(
        "categories:",
        "sla_tiers:\n  lapangan: {completion_days: 30}\n  pengaduan:\n"
        "    completion_days: 10\n    verification_days: 2\ncategories:",
    )
    directory = parse_directory(text)
    assert directory.tier("lapangan") == SlaTier("lapangan", 30, 3, 5)
    assert directory.tier("pengaduan") == SlaTier("pengaduan", 10, 2, 5)
    assert directory.tier("informasi") is None


# (old text, new text, text on the offending line, fragment of the reason)
RULES = [
    ("opd: pupr", "opd: dinas-x", "opd: dinas-x", "opd 'dinas-x' is not a slug listed"),
    ("sla_tier: lapangan", "sla_tier: kilat", "sla_tier: kilat", "sla_tier 'kilat' is not defined"),
    (
        "    location_required: false",
        "    locaton_required: false",
        "locaton_required",
        "unknown key 'locaton_required' (did you mean 'location_required'?)",
    ),
    ("city: Kota Uji", "city: Kota Uji\ncolour: blue", "colour", "unknown key 'colour'"),
    ("  - slug: dlh", "  - slug: pupr  # again", "again", "duplicate OPD slug 'pupr' (first on line 3)"),
    ("code: sampah", "code: jalan_rusak  # again", "again", "duplicate category code"),
    ("slug: dlh", "slug: Dinas_LH", "Dinas_LH", "must match [a-z0-9-]+"),
    ("code: sampah", "code: Sampah-Kota", "Sampah-Kota", "must match [a-z0-9_]+"),
    ("name: Dinas Lingkungan Hidup", "name: ''", "name: ''", "must not be empty"),
    ("name_en: Waste", "name_en:  # blank", "blank", "name_en: expected text, got nothing"),
    ("location_required: false", "location_required: ya", "ya", "expected true or false"),
    (
        "synonyms: [jalan berlubang, aspal rusak]",
        "synonyms: jalan berlubang",
        "synonyms:",
        "expected a list, got text",
    ),
    (
        "synonyms: [jalan berlubang, aspal rusak]",
        "synonyms: [jalan berlubang, no]",
        "synonyms:",
        "expected text, got true/false (put it in quotes)",
    ),
    (
        "synonyms: [jalan berlubang, aspal rusak]",
        "synonyms: [aspal rusak, Aspal Rusak]",
        "synonyms:",
        "'Aspal Rusak' is listed twice",
    ),
    ("lat: -0.96", "lat: -96.0", "Pasa Gadang", "lat: -96.0 is outside -90..90"),
    ("lon: 100.36", "lon: 200", "Pasa Gadang", "lon: 200 is outside -180..180"),
    (
        "{name: Purus, kecamatan: Kota Lama}",
        "{name: Purus, kecamatan: Kota Lama, lat: -0.9}",
        "Purus",
        "give both lat and lon",
    ),
    (
        "{name: Purus, kecamatan: Kota Lama}",
        "{name: pasa gadang, kecamatan: Kota Lama}",
        "pasa gadang",
        "duplicate kelurahan 'pasa gadang' in kecamatan 'Kota Lama'",
    ),
    ("[2026-12-24, 2026-02-16]", "[2026-02-30]", "2026-02-30", "not a valid date"),
    ("[2026-12-24, 2026-02-16]", "[besok]", "besok", "'besok' is not a valid date"),
    ("[2026-12-24, 2026-02-16]", "[5]", "[5]", "expected a date (YYYY-MM-DD), got a number"),
    ("[2026-12-24, 2026-02-16]", "[2026-12-24, 2026-12-24]", "collective_leave", "listed twice"),
    ("    patterns: [listrik padam, token listrik]\n", "", "- code: pln", "missing required key 'patterns'"),
    ("patterns: [listrik padam, token listrik]", "patterns: []", "patterns: []", "must not be empty"),
    (
        "aliases: [PUPR, Dinas PU]",
        "aliases: [PUPR, dlh]",
        "aliases: [PUPR, dlh]",
        "alias 'dlh' already names opd 'dlh'",
    ),
    (
        "    name: Dinas Lingkungan Hidup",
        "    name: Dinas Lingkungan Hidup\n    aliases: [DLH, Dinas PU]",
        "aliases: [DLH, Dinas PU]",
        "alias 'Dinas PU' already names opd 'pupr'",
    ),
    (
        "name_id: Sampah",
        "name_id: Sampah\n    name_id: Kebersihan",
        "name_id: Kebersihan",
        "duplicate key 'name_id'",
    ),
    ("city: Kota Uji", "city: 42", "city: 42", "city: expected text, got a number"),
    ("opds:", "opds: {}\nold_opds:", "opds: {}", "opds: expected a list, got a mapping"),
]


@pytest.mark.parametrize(("old", "new", "needle", "fragment"), RULES)
def test_each_rule_reports_the_offending_line(old: str, new: str, needle: str, fragment: str) -> None:
    text = _edit(old, new)
    _assert_error(_errors(text), _line(text, needle), fragment)


@pytest.mark.parametrize(
    ("tier", "fragment"),
    [
        ("{completion_days: 0}", "must be greater than 0"),
        ("{completion_days: -3}", "must be greater than 0"),
        ("{completion_days: lima}", "expected a whole number, got text"),
        ("{completion_days: 2.5}", "expected a whole number, got a number"),
        ("{completion_days: 5, verification_days: 0}", "verification_days: must be greater"),
        ("{verification_days: 2}", "missing required key 'completion_days'"),
        ("{completion_days: 5, first_answer: 2}", "did you mean 'first_answer_days'?"),
    ],
)
def test_invalid_sla_tier_days_are_reported_on_their_line(tier: str, fragment: str) -> None:
    text = _edit(
        "categories:", f"sla_tiers:\n  lapangan: {{completion_days: 60}}\n  pengaduan: {tier}\ncategories:"
    )
    _assert_error(_errors(text), _line(text, "pengaduan: {"), fragment)


def test_empty_optional_section_counts_as_absent() -> None:
    text = _edit("collective_leave: [2026-12-24, 2026-02-16]", "collective_leave:\nsla_tiers:")
    directory = parse_directory(text)
    assert directory.collective_leave == ()
    assert [t.name for t in directory.sla_tiers] == ["informasi", "pengaduan", "lapangan"]


def test_empty_sla_tiers_mapping_is_rejected() -> None:
    text = _edit("categories:", "sla_tiers: {}\ncategories:")
    _assert_error(_errors(text), _line(text, "sla_tiers"), "must define at least one tier")


def test_same_kelurahan_name_is_allowed_in_another_kecamatan() -> None:
    text = _edit("{name: Purus, kecamatan: Kota Lama}", "{name: Pasa Gadang, kecamatan: Utara}")
    assert [k.kecamatan for k in parse_directory(text).kelurahan] == ["Kota Lama", "Utara"]


def test_all_problems_are_reported_at_once_in_file_order() -> None:
    text = _edit("opd: dlh", "opd: nowhere")
    text = _edit("slug: dlh", "slug: DLH", text)
    text = _edit("    location_required: false", "    locaton_required: false", text)
    text = _edit("lat: -0.96", "lat: 95", text)
    errors = _errors(text)
    assert len(errors) == 4, errors
    lines = [int(e.split(":")[0].removeprefix("line ")) for e in errors]
    assert lines == sorted(lines)
    assert lines == [
        _line(text, "slug: DLH"),
        _line(text, "opd: nowhere"),
        _line(text, "locaton_required"),
        _line(text, "lat: 95"),
    ]


def test_error_message_names_the_source_and_every_problem() -> None:
    text = _edit("opd: dlh", "opd: nowhere")
    text = _edit("sla_tier: lapangan", "sla_tier: kilat", text)
    with pytest.raises(DirectoryError) as caught:
        parse_directory(text, "kota.yaml")
    message = str(caught.value)
    assert message.startswith("kota.yaml: line ")
    assert "nowhere" in message and "kilat" in message


def test_missing_top_level_sections_are_reported_once_each() -> None:
    errors = _errors(
        "city: Kota Uji\ncategories:\n  - code: a\n    name_id: A\n    name_en: A\n"
        "    opd: pupr\n    sla_tier: pengaduan\n"
    )
    assert errors == ["line 1: directory: missing required key 'opds'"]


def test_malformed_opds_section_does_not_flag_every_category() -> None:
    text = _edit("opds:", "opds: none\nunused:")
    errors = _errors(text)
    assert not any("is not a slug listed" in e for e in errors), errors


def test_invalid_yaml_syntax_reports_the_line_of_the_yaml_error() -> None:
    text = _edit("    name_en: Waste", "    name_en: [Waste")
    errors = _errors(text)
    assert len(errors) == 1
    assert errors[0].startswith("line ") and "invalid YAML" in errors[0]
    assert int(errors[0].split(":")[0].removeprefix("line ")) >= _line(text, "[Waste")


def test_bad_indentation_names_its_line() -> None:
    text = _edit("    name: Dinas Lingkungan Hidup", "   name: Dinas Lingkungan Hidup")
    [error] = _errors(text)
    assert error.startswith(f"line {_line(text, '   name: Dinas Lingkungan')}: invalid YAML")


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_empty_file_is_a_clear_error(text: str) -> None:
    assert _errors(text) == ["line 1: the file is empty; expected a mapping with city, opds and categories"]


def test_top_level_must_be_a_mapping() -> None:
    assert _errors("- city\n- opds\n") == ["line 1: directory: expected a mapping, got a list"]


def test_several_yaml_documents_are_rejected() -> None:
    text = BASE + "---\ncity: Kota Lain\n"
    [error] = _errors(text)
    assert error.startswith(f"line {_line(text, '---')}: invalid YAML")


def test_load_directory_file_uses_the_path_as_source(tmp_path: Path) -> None:
    path = tmp_path / "kota.yaml"
    path.write_text(BASE, encoding="utf-8")
    assert load_directory_file(path).city == "Kota Uji"
    path.write_text(_edit("opd: dlh", "opd: nowhere"), encoding="utf-8")
    with pytest.raises(DirectoryError) as caught:
        load_directory_file(str(path))
    assert caught.value.source == str(path)


def test_missing_file_raises_directory_error(tmp_path: Path) -> None:
    with pytest.raises(DirectoryError, match="cannot read the file"):
        load_directory_file(tmp_path / "absent.yaml")


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(BASE.replace("Kota Lama", "Kota L\xe0ma").encode("latin-1"))
    with pytest.raises(DirectoryError) as caught:
        load_directory_file(path)
    assert caught.value.errors == [f"line {_line(BASE, 'Kota Lama')}: the file is not UTF-8 text"]


EXAMPLES = """\
examples:
  jalan_rusak:
    - "aspal ngelupas sepanjang jl. melati: motor sering jatuh"
    - jalan depan SD berlubang besar
  sampah:
    - sampah di TPS pasar udah seminggu gak diangkut
"""


def test_examples_section_is_read_per_category_in_file_order() -> None:
    directory = parse_directory(BASE + EXAMPLES)
    assert [(e.category, e.text) for e in directory.examples] == [
        ("jalan_rusak", "aspal ngelupas sepanjang jl. melati: motor sering jatuh"),
        ("jalan_rusak", "jalan depan SD berlubang besar"),
        ("sampah", "sampah di TPS pasar udah seminggu gak diangkut"),
    ]


def test_bundled_sample_has_examples_for_every_category(sample: Directory) -> None:
    per_category = Counter(e.category for e in sample.examples)
    topics = {t.code for t in sample.out_of_authority}
    assert {c.code for c in sample.categories} | topics == set(per_category)
    assert min(n for code, n in per_category.items() if code not in topics) >= 10, per_category
    assert min(n for code, n in per_category.items() if code in topics) >= 5, per_category


@pytest.mark.parametrize(
    ("old", "new", "needle", "fragment"),
    [
        ("  sampah:", "  sampahh:", "sampahh:",
         "'sampahh' is not a category or out_of_authority code (did you mean 'sampah'?)"),
        ("    - jalan depan SD berlubang besar", "    - ''", "- ''", "entry: must not be empty"),
        ("    - jalan depan SD berlubang besar", "    - 42", "- 42", "entry: expected text, got a number"),
        ("    - jalan depan SD berlubang besar", "    - " + "x" * 501, "xxxx",
         "a text of 501 characters (at most 500)"),
        ("    - jalan depan SD berlubang besar", "    - Sampah di  TPS pasar udah seminggu gak diangkut",
         "- sampah di TPS", "examples of 'sampah': the same text is already an example of 'jalan_rusak'"),
        ("  sampah:\n    - sampah", "  sampah: sampah di TPS\n    # - sampah", "sampah: sampah di TPS",
         "examples of 'sampah': expected a list, got text"),
        ("examples:\n  jalan_rusak:", "examples: [jalan berlubang]\nold_examples:\n  jalan_rusak:",
         "examples: [", "examples: expected a mapping, got a list"),
    ],
)
def test_bad_examples_are_reported_on_their_line(old: str, new: str, needle: str, fragment: str) -> None:
    text = _edit(old, new, BASE + EXAMPLES)
    _assert_error(_errors(text), _line(text, needle), fragment)
