"""The `aduan` command line, run in-process against each database backend."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.cli import main
from bot.settings import Settings
from core.directory_loader import bundled_directory_path
from core.messages import Media
from core.reports import Privacy, ReportType
from storage.directory_store import SqlDirectoryStore
from storage.tables import ApiTokenRow, InviteRow, ReportRow
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import NOW, make_citizen, new_report

SAMPLE = bundled_directory_path().read_text(encoding="utf-8")
CHAT_ID = "tg-chat-8812345"  # the reporter's identity must never reach an export
CODE_RE = re.compile(r"[A-Z2-9]{5}-[A-Z2-9]{5}")


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


Cli = Callable[..., Run]


@pytest.fixture
def cli(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Cli:
    """`cli("opd", "list")` runs `aduan opd list` with only this test's configuration."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # Settings also reads ./.env
    capsys.readouterr()

    def run(*argv: str) -> Run:
        code = main(list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def run_usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    captured = capsys.readouterr()
    return Run(int(exited.value.code or 0), captured.out, captured.err)


def add_report(engine: Engine, privacy: Privacy, title: str, **changes: object) -> str:
    citizen_id = make_citizen(engine, CHAT_ID)
    report = replace(
        new_report(citizen_id, title=title), chat_id=CHAT_ID, category="jalan_rusak", opd="pupr",
        privacy=privacy, **changes,
    )
    with SqlUnitOfWork(engine) as uow:
        tracking_no = uow.reports.add(report)
        uow.commit()
    return tracking_no


def all_values(engine: Engine, table: str) -> list[str]:
    with Session(engine) as session:
        return [str(v) for row in session.execute(text(f"SELECT * FROM {table}")) for v in row]


# --- db upgrade and the directory ---------------------------------------------------------


def test_db_upgrade_is_idempotent_and_stores_the_bundled_directory(cli: Cli, engine: Engine) -> None:
    for _ in range(2):
        result = cli("db", "upgrade")
        assert (result.code, result.out) == (0, "database is up to date\n")
    assert SqlDirectoryStore(engine).latest_version_id() == 1

    listing = cli("opd", "list")
    assert listing.code == 0
    first, *rest = listing.out.splitlines()
    assert first.startswith("Kota Contoh — directory version 1")
    slugs = {line.split()[0] for line in rest if not line.startswith(" ")}
    assert {"pupr", "dlh", "dishub", "satpol-pp", "perumda-air-minum"} <= slugs
    assert "categories: jalan_rusak, drainase_banjir" in listing.out


def test_opd_import_of_a_valid_file_makes_it_current(cli: Cli, tmp_path: Path) -> None:
    cli("db", "upgrade")
    city = tmp_path / "kota.yaml"
    city.write_text(SAMPLE.replace("city: Kota Contoh", "city: Kota Baru"), encoding="utf-8")

    result = cli("opd", "import", str(city))
    assert result.code == 0
    assert f"imported {city} as directory version 2" in result.out
    assert cli("opd", "list").out.startswith("Kota Baru — directory version 2")


def test_opd_import_reports_every_problem_by_line_and_imports_nothing(cli: Cli, tmp_path: Path) -> None:
    cli("db", "upgrade")
    before = cli("opd", "list").out
    broken = SAMPLE.replace("  - slug: dlh\n", "  - slug: dlh\n    colour: green\n", 1).replace(
        "    opd: pupr\n    sla_tier: lapangan\n    synonyms: [jalan rusak",
        "    opd: pupr-typo\n    sla_tier: lapangan\n    synonyms: [jalan rusak", 1)
    lines = broken.splitlines()
    unknown_key = 1 + next(i for i, line in enumerate(lines) if "colour:" in line)
    bad_opd = 1 + next(i for i, line in enumerate(lines) if "pupr-typo" in line)
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")

    result = cli("opd", "import", str(path))

    assert result.code != 0
    assert result.out == ""
    problems = [line for line in result.err_lines if ": line " in line]
    assert problems == [
        f"{path}: line {unknown_key}: opd 'dlh': unknown key 'colour' (allowed: slug, name, aliases)",
        f"{path}: line {bad_opd}: category 'jalan_rusak': opd 'pupr-typo' is not a slug listed "
        "under opds",
    ]
    assert result.err_lines[-1] == f"aduan: {path}: 2 problem(s); nothing imported"
    assert "Traceback" not in result.err
    assert cli("opd", "list").out == before


def test_opd_import_of_a_missing_file_is_a_one_line_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("opd", "import", str(tmp_path / "nowhere.yaml"))
    assert result.code == 2
    assert len(result.err_lines) == 1
    assert result.err.startswith(f"aduan: cannot read {tmp_path / 'nowhere.yaml'}")


# --- admin invites and tokens -------------------------------------------------------------


def test_admin_invite_prints_a_code_and_stores_only_its_hash(cli: Cli, engine: Engine) -> None:
    result = cli("admin", "invite", "--opd", "pupr", "--role", "coordinator")
    assert result.code == 0
    code = result.out.strip()
    assert CODE_RE.fullmatch(code), code
    assert f"/daftar {code}" in result.err

    with Session(engine) as session:
        [invite] = session.scalars(select(InviteRow)).all()
    assert (invite.opd_slug, invite.role) == ("pupr", "coordinator")
    assert invite.code_hash == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    assert invite.expires_at - invite.created_at == timedelta(hours=72)
    stored = all_values(engine, "invites")
    assert not [v for v in stored if code in v or code.replace("-", "") in v]


def test_admin_invite_for_an_unknown_opd_lists_the_known_ones(cli: Cli, engine: Engine) -> None:
    result = cli("admin", "invite", "--opd", "nope")
    assert (result.code, result.out) == (2, "")
    [line] = result.err_lines
    assert line.startswith("aduan: unknown OPD 'nope'; known: diskominfo, pupr, ")
    assert all_values(engine, "invites") == []


def test_admin_invite_with_an_unknown_role_is_a_usage_error(
        cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_usage_error(capsys, "admin", "invite", "--opd", "pupr", "--role", "boss")
    assert result.code == 2
    assert "invalid choice: 'boss'" in result.err


def test_admin_token_prints_a_token_and_stores_only_its_hash(cli: Cli, engine: Engine) -> None:
    result = cli("admin", "token", "--name", "dashboard")
    assert result.code == 0
    token = result.out.strip()
    assert token.startswith("adu_") and len(token) > 40

    with Session(engine) as session:
        [row] = session.scalars(select(ApiTokenRow)).all()
    assert (row.name, row.revoked_at) == ("dashboard", None)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not [v for v in all_values(engine, "api_tokens") if token[4:] in v]


# --- export -------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "expected"), [
    ("csv", "tracking_no,status,type,category,"),
    ("lapor", "nomor_aduan,judul,isi_laporan,tanggal_kejadian,lokasi,"),
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
    anonim = add_report(engine, Privacy.ANONIM, "Lampu mati")
    rahasia = add_report(engine, Privacy.RAHASIA, "Jalan berlubang")
    publik = add_report(engine, Privacy.PUBLIK, "Info PBB", type=ReportType.INFORMASI)
    entered = add_report(engine, Privacy.PUBLIK, "Sudah di LAPOR")
    with Session(engine) as session, session.begin():
        session.execute(update(ReportRow).where(col(ReportRow.tracking_no) == entered)
                        .values(lapor_id="LAPOR-123"))

    result = cli("export", "--format", "lapor")

    assert result.code == 0
    records = {r["nomor_aduan"]: r for r in csv.DictReader(io.StringIO(result.out))}
    assert list(records) == [anonim, rahasia, publik]  # already in LAPOR: not again
    flags = {no: (r["anonim"], r["rahasia"]) for no, r in records.items()}
    assert flags == {anonim: ("ya", "ya"), rahasia: ("tidak", "ya"), publik: ("tidak", "tidak")}
    row = records[rahasia]
    assert (row["judul"], row["klasifikasi"], row["kategori"]) == (
        "Jalan berlubang", "Pengaduan", "Jalan rusak")
    assert row["isi_laporan"].startswith("Jalan di depan pasar berlubang")
    assert row["instansi_tujuan"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
    assert row["lokasi"] == "Jl. Merdeka 1; Kel. Menteng; -6.200000,106.800000"
    assert records[publik]["klasifikasi"] == "Permintaan Informasi"
    assert CHAT_ID not in result.out


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


# --- configuration and serve --------------------------------------------------------------


@pytest.mark.parametrize("source", ["environment", ".env"])
def test_bad_configuration_is_one_line_without_traceback(
        cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, source: str) -> None:
    if source == ".env":
        (tmp_path / ".env").write_text("TIMEZONE=Mars/Olympus\n", encoding="utf-8")
    else:
        monkeypatch.setenv("TIMEZONE", "Mars/Olympus")

    result = cli("opd", "list")

    assert result.code != 0
    [line] = result.err_lines
    assert line.startswith("aduan: configuration error: TIMEZONE: ")
    assert "Mars/Olympus" in line


def test_serve_with_no_workers_is_refused_before_starting(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    def must_not_serve(*args: object, **kwargs: object) -> None:
        raise AssertionError("a server was started")

    monkeypatch.setattr(uvicorn, "run", must_not_serve)
    result = cli("serve", "--workers", "0")
    assert result.code == 2
    assert result.err_lines == ["aduan: --workers must be at least 1"]


def test_running_as_a_module_reports_user_errors_the_same_way(tmp_path: Path) -> None:
    """`python -m bot.cli` loads the module twice; errors must still be recognised."""
    env = {"PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve", "--workers", "0"], cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == "aduan: --workers must be at least 1"
