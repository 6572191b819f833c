"""`aduan export`: CSV, JSON lines, and LAPOR's form fields; never the reporter's identity."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.media import MediaStore
from core.messages import Media
from core.reports.model import Privacy, ReportType
from storage.tables import ReportRow
from tests.cli.helpers import CHAT_ID, Cli, add_report, run_usage_error
from tests.storage.helpers import NOW

JPEG = b"\xff\xd8\xff\xe0" + bytes(60)

@pytest.mark.parametrize(("fmt", "expected"), [
    ("csv", "tracking_no,status,type,category,"),
    ("lapor", "nomor_aduan,judul,isi_laporan,tanggal_kejadian,latitude,longitude,alamat,"),
    ("json", ""),
])
def test_export_without_reports_writes_only_the_header(cli: Cli, fmt: str, expected: str) -> None:
    result = cli("export", "--format", fmt)
    assert result.code == 0
    assert len(result.out.splitlines()) == (1 if expected else 0)
    assert result.out.startswith(expected)
    assert "exported 0 report(s)" in result.err


def test_csv_and_json_exports_carry_reports_but_never_the_reporter(cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    photo = Media("ab" * 32 + ".jpg", "image/jpeg", 1234, "lubang.jpg")
    first = add_report(engine, Privacy.RAHASIA, "Jalan berlubang", photos=(photo,))
    second = add_report(engine, Privacy.PUBLIK, "Aspal mengelupas", type=ReportType.ASPIRASI)

    as_csv = cli("export", "--format", "csv")
    as_json = cli("export", "--format", "json")

    assert (as_csv.code, as_json.code) == (0, 0)
    csv_rows = list(csv.DictReader(io.StringIO(as_csv.out)))
    json_rows = [json.loads(line) for line in as_json.out.splitlines()]
    for records in (csv_rows, json_rows):
        assert [r["tracking_no"] for r in records] == [first, second]
        assert [r["privacy"] for r in records] == ["rahasia", "publik"]
        assert {r["category_name"] for r in records} == {"Jalan rusak"}
        assert {r["opd_name"] for r in records} == {"Dinas Pekerjaan Umum dan Penataan Ruang"}
        assert not {"chat_id", "citizen_id"} & set(records[0])
    assert csv_rows[0]["attachments"] == photo.storage_key
    assert json_rows[0]["attachments"] == [photo.storage_key]
    assert json_rows[0]["created_at"] == "2026-03-02T10:00:00+07:00"  # local time for people
    for output in (as_csv.out, as_json.out):
        assert CHAT_ID not in output
        assert "u-" + CHAT_ID not in output and "Sari" not in output


def test_lapor_export_fills_laporan_fields_and_privacy_flags(cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    anonim = add_report(engine, Privacy.ANONIM, "Lampu mati", location=None, address=None)
    rahasia = add_report(engine, Privacy.RAHASIA, "Jalan berlubang")
    publik = add_report(engine, Privacy.PUBLIK, "Info PBB", type=ReportType.INFORMASI)
    entered = add_report(engine, Privacy.PUBLIK, "Sudah di LAPOR")
    with Session(engine) as session, session.begin():
        session.execute(update(ReportRow).where(col(ReportRow.tracking_no) == entered)
                        .values(lapor_id="LAPOR-123"))

    result = cli("export", "--format", "lapor")

    assert result.code == 0
    reader = csv.DictReader(io.StringIO(result.out))
    records = {r["nomor_aduan"]: r for r in reader}
    assert reader.fieldnames == [
        "nomor_aduan", "judul", "isi_laporan", "tanggal_kejadian", "latitude", "longitude",
        "alamat", "kelurahan", "kategori", "klasifikasi", "anonim", "rahasia", "instansi_tujuan",
        "lampiran"]
    assert list(records) == [anonim, rahasia, publik]  # already in LAPOR: not again
    assert entered not in result.out and "Sudah di LAPOR" not in result.out
    flags = {no: (r["anonim"], r["rahasia"]) for no, r in records.items()}
    assert flags == {anonim: ("ya", "ya"), rahasia: ("tidak", "ya"), publik: ("tidak", "tidak")}
    row = records[rahasia]
    assert (row["judul"], row["klasifikasi"], row["kategori"], row["tanggal_kejadian"]) == (
        "Jalan berlubang", "Pengaduan", "Jalan rusak", "2026-03-01")
    assert row["isi_laporan"].startswith("Jalan di depan pasar berlubang")
    assert row["instansi_tujuan"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
    assert (row["latitude"], row["longitude"], row["alamat"], row["kelurahan"]) == (
        "-6.200000", "106.800000", "Jl. Merdeka 1", "Menteng")
    no_place = records[anonim]
    assert (no_place["latitude"], no_place["longitude"], no_place["alamat"]) == ("", "", "")
    assert records[publik]["klasifikasi"] == "Permintaan Informasi"
    assert CHAT_ID not in result.out and "Sari" not in result.out


def test_lapor_export_lists_absolute_paths_of_the_stored_photos(
        cli: Cli, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli("db", "upgrade")
    media = MediaStore(tmp_path / "data" / "media")  # where the service keeps them for DATA_DIR
    photos = tuple(media.save(JPEG + bytes([i]), "image/jpeg", "jpg", f"p{i}.jpg") for i in range(2))
    with_photos = add_report(engine, Privacy.RAHASIA, "Jalan berlubang", photos=photos)
    add_report(engine, Privacy.RAHASIA, "Tanpa foto")
    monkeypatch.chdir(tmp_path / "data")  # a relative DATA_DIR must still give absolute paths
    monkeypatch.setenv("DATA_DIR", ".")
    monkeypatch.setenv("MEDIA_STORE", "file")  # paths are what a file store lists

    result = cli("export", "--format", "lapor")

    assert result.code == 0
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert [r["lampiran"] for r in rows[1:]] == [""]
    assert rows[0]["nomor_aduan"] == with_photos
    paths = [Path(line) for line in rows[0]["lampiran"].splitlines()]
    assert paths == [media.path_of(p.storage_key).resolve() for p in photos]
    assert all(path.is_absolute() and path.is_file() for path in paths)


def test_export_since_counts_days_in_local_time(cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    late = add_report(engine, Privacy.RAHASIA, "Malam", created_at=NOW.replace(day=1, hour=16))
    # 18:00 UTC on 1 March is already 01:00 on 2 March in Jakarta.
    early = add_report(engine, Privacy.RAHASIA, "Dini hari", created_at=NOW.replace(day=1, hour=18))
    morning = add_report(engine, Privacy.RAHASIA, "Pagi", created_at=NOW)

    def exported(since: str) -> list[str]:
        result = cli("export", "--format", "json", "--since", since)
        assert result.code == 0
        return [json.loads(line)["tracking_no"] for line in result.out.splitlines()]

    assert exported("2026-03-01") == [late, early, morning]
    assert exported("2026-03-02") == [early, morning]
    assert exported("2099-01-01") == []


def test_export_since_must_be_a_date(cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_usage_error(capsys, "export", "--since", "notadate")
    assert result.code == 2
    assert "not a date (YYYY-MM-DD): 'notadate'" in result.err


def test_export_to_a_file_leaves_stdout_empty(cli: Cli, engine: Engine, tmp_path: Path) -> None:
    cli("db", "upgrade")
    tracking_no = add_report(engine, Privacy.RAHASIA, "Jalan berlubang")
    target = tmp_path / "out" / "laporan.csv"
    target.parent.mkdir()

    result = cli("export", "--format", "lapor", "--output", str(target))

    assert (result.code, result.out) == (0, "")
    assert "exported 1 report(s)" in result.err
    [row] = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert row["nomor_aduan"] == tracking_no


def test_export_to_an_unwritable_path_is_a_one_line_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("export", "--output", str(tmp_path / "missing-dir" / "x.csv"))
    assert result.code == 2
    [line] = result.err_lines
    assert line.startswith(f"aduan: cannot write {tmp_path / 'missing-dir' / 'x.csv'}")
