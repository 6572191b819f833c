"""`aduan export --format examples`: the directory's `examples:` section from verified reports."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session
from sqlmodel import col

from core.directory.loader import bundled_directory_path, parse_directory
from core.reports.model import Privacy, Status
from storage.tables import ReportRow
from tests.cli.helpers import CHAT_ID, Cli, add_report, run_usage_error
from tests.storage.helpers import NOW


def add_text(engine: Engine, description: str, status: Status = Status.DIPROSES,
             category: str = "jalan_rusak", **changes: Any) -> str:
    """A report in `category` (add_report files every report under jalan_rusak)."""
    tracking_no = add_report(engine, Privacy.RAHASIA, "Laporan", description=description,
                             status=status, **changes)
    with Session(engine) as session, session.begin():
        session.execute(update(ReportRow).where(col(ReportRow.tracking_no) == tracking_no)
                        .values(category=category))
    return tracking_no


def exported(cli: Cli, *argv: str) -> dict[str, list[str]]:
    result = cli("export", "--format", "examples", *argv)
    assert result.code == 0, result.err
    section = yaml.safe_load(result.out)
    assert list(section) == ["examples"]
    return dict(section["examples"])


def test_examples_come_only_from_reports_whose_category_was_verified(cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    for status in Status:
        add_text(engine, f"jalan rusak parah, status laporan {status.value}", status=status)

    result = cli("export", "--format", "examples")

    assert result.code == 0
    assert yaml.safe_load(result.out) == {"examples": {"jalan_rusak": [
        f"jalan rusak parah, status laporan {s}"
        for s in ("ditutup", "selesai", "diproses", "didisposisikan")]}}
    assert "exported 4 example text(s) in 1 categories" in result.err
    assert "laporan baru" not in result.out and "ditolak" not in result.out
    assert CHAT_ID not in result.out and "Sari" not in result.out


def test_examples_section_round_trips_any_text_and_replaces_the_directory_section(
        cli: Cli, engine: Engine, tmp_path: Path) -> None:
    cli("db", "upgrade")
    tricky = 'Lampu "PJU" mati: gang #3 gelap total 😡 - kata warga: \'tolong\''
    add_text(engine, "sampah di TPS pasar udah seminggu gak diangkut", category="sampah")
    add_text(engine, tricky, category="lampu_jalan")
    add_text(engine, "  aspal ngelupas\n\tsepanjang jl. melati  ", created_at=NOW - timedelta(days=1))
    add_text(engine, "jalan depan SD 5 berlubang besar, sudah 2 motor jatuh")
    target = tmp_path / "examples.yaml"

    result = cli("export", "--format", "examples", "--output", str(target))

    assert (result.code, result.out) == (0, "")
    assert "exported 4 example text(s) in 3 categories" in result.err
    text = target.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("# Contoh teks warga") and "bagian `examples:`" in lines[0]
    assert lines[1].startswith("# Resident texts") and "replaces the `examples:` section" in lines[1]
    assert lines[2] == "examples:"
    assert "😡" in text  # written as is, not escaped
    assert yaml.safe_load(text) == {"examples": {
        "jalan_rusak": ["jalan depan SD 5 berlubang besar, sudah 2 motor jatuh",
                        "aspal ngelupas sepanjang jl. melati"],
        "lampu_jalan": [tricky],
        "sampah": ["sampah di TPS pasar udah seminggu gak diangkut"],
    }}


def test_examples_mask_phone_numbers_nik_and_email(cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    add_text(engine, "Got tersumbat di RT 003 no 12, hubungi +62 812-3456-7890 atau 0812.3456.789 "
                     "atau budi.santoso+aduan@mail.example.co.id, NIK 3174012345678901 (warga)")
    add_text(engine, "081234567890", created_at=NOW - timedelta(days=1))  # nothing left but a mask

    assert exported(cli) == {"jalan_rusak": [
        "Got tersumbat di RT 003 no 12, hubungi … atau … atau …, NIK … (warga)"]}


def test_examples_cut_long_texts_at_a_word_and_skip_short_ones(cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    long = "jalan " + "berlubang " * 40  # 406 characters
    add_text(engine, long)
    add_text(engine, "x" * 400, created_at=NOW - timedelta(days=1))  # no word to cut at
    add_text(engine, "lubang  bsr", created_at=NOW - timedelta(days=2))  # 10 characters: kept
    add_text(engine, "jln rusak", created_at=NOW - timedelta(days=3))  # 9 characters: too short

    texts = exported(cli)["jalan_rusak"]

    assert texts == [("jalan " + "berlubang " * 40)[:296].rstrip(), "lubang bsr"]
    assert len(texts[0]) <= 300 and texts[0].endswith(" berlubang")
    assert long.startswith(texts[0] + " ")


def test_examples_keep_a_repeated_text_once(cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    add_text(engine, "Sampah menumpuk di  pasar baru", category="sampah",
             created_at=NOW - timedelta(days=1))
    add_text(engine, "sampah menumpuk DI PASAR BARU", category="sampah")
    # The directory refuses a text under two codes: the older report's code loses it.
    add_text(engine, "sampah menumpuk di pasar baru", category="pasar",
             created_at=NOW - timedelta(days=2))
    add_text(engine, "sampah menumpuk di pasar lama", category="sampah", status=Status.SELESAI,
             created_at=NOW - timedelta(days=3))

    assert exported(cli) == {"sampah": ["sampah menumpuk DI PASAR BARU",
                                        "sampah menumpuk di pasar lama"]}


def test_per_category_keeps_the_most_recent_texts(cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    for days in (3, 0, 5, 1):  # stored out of date order
        add_text(engine, f"jalan rusak sejak {days} hari lalu", created_at=NOW - timedelta(days=days))
    add_text(engine, "lampu jalan mati total", category="lampu_jalan")

    result = cli("export", "--format", "examples", "--per-category", "2")

    assert result.code == 0
    assert yaml.safe_load(result.out)["examples"] == {
        "jalan_rusak": ["jalan rusak sejak 0 hari lalu", "jalan rusak sejak 1 hari lalu"],
        "lampu_jalan": ["lampu jalan mati total"],
    }
    assert "exported 3 example text(s) in 2 categories" in result.err


def test_examples_since_counts_only_newer_reports(cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    add_text(engine, "jalan rusak bulan lalu", created_at=NOW - timedelta(days=30))
    add_text(engine, "jalan rusak hari ini")

    assert exported(cli, "--since", "2026-03-01") == {"jalan_rusak": ["jalan rusak hari ini"]}


def test_examples_without_verified_reports_is_still_a_valid_section(cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    add_text(engine, "jalan rusak belum diverifikasi", status=Status.BARU)

    result = cli("export", "--format", "examples")

    assert result.code == 0
    assert result.out.splitlines()[2:] == ["examples: {}"]
    assert yaml.safe_load(result.out) == {"examples": {}}
    assert "exported 0 example text(s)" in result.err
    assert "no verified report" in result.err


@pytest.mark.parametrize("value", ["0", "1001", "-5", "dua"])
def test_per_category_must_be_from_1_to_1000(capsys: pytest.CaptureFixture[str], value: str) -> None:
    result = run_usage_error(capsys, "export", "--format", "examples", "--per-category", value)
    assert result.code == 2
    assert f"argument --per-category: not a whole number from 1 to 1000: '{value}'" in result.err


def test_per_category_is_refused_for_other_formats(cli: Cli) -> None:
    result = cli("export", "--format", "csv", "--per-category", "5")
    assert (result.code, result.out) == (2, "")
    assert result.err_lines == ["aduan: --per-category only applies to --format examples"]


def test_exported_section_replaces_the_directory_examples_and_loads(cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    add_text(engine, 'Lampu "PJU" mati: gang #3 gelap total', category="lampu_jalan")
    add_text(engine, "got mampet, air masuk rumah warga", category="drainase_banjir")
    add_text(engine, "kategori yang sudah dihapus dari direktori", category="kategori_lama")
    sample = bundled_directory_path().read_text(encoding="utf-8")

    result = cli("export", "--format", "examples")

    assert "exported 2 example text(s) in 2 categories" in result.err  # not the dropped code
    directory = parse_directory(sample[: sample.index("\nexamples:")] + "\n" + result.out)
    assert [(e.category, e.text) for e in directory.examples] == [
        ("drainase_banjir", "got mampet, air masuk rumah warga"),
        ("lampu_jalan", 'Lampu "PJU" mati: gang #3 gelap total'),
    ]
