"""The `aduan` command line, run in-process against each database backend."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.directory.loader import bundled_directory_path
from storage.directory_store import SqlDirectoryStore
from storage.tables import ApiTokenRow, InviteRow
from tests.cli.helpers import Cli, all_values, run_usage_error

SAMPLE = bundled_directory_path().read_text(encoding="utf-8")
CODE_RE = re.compile(r"[A-Z2-9]{5}-[A-Z2-9]{5}")


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
