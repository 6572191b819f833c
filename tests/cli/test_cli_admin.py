"""`aduan admin list` and `aduan admin revoke`, run in-process against each database backend."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.cli.admin import clean, mask
from storage.tables import AdminRow, InviteRow
from tests.cli.helpers import Cli, run_usage_error
from tests.storage.helpers import NOW

PHONE = "6281234567890"  # a WhatsApp chat id is the admin's phone number
TELEGRAM_ID = "99887766"


def add_admin(engine: Engine, name: str, opd: str = "pupr", role: str = "officer",
              channel: str | None = "whatsapp", chat_id: str | None = PHONE,
              revoked_at: datetime | None = None) -> int:
    """Enrolment over chat is another module's job: store the row as it would."""
    with Session(engine) as session, session.begin():
        row = AdminRow(name=name, opd_slug=opd, role=role, channel=channel, chat_id=chat_id,
                       created_at=NOW, revoked_at=revoked_at)
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def add_invite(engine: Engine, opd: str = "pupr", expires_at: datetime | None = None,
               used_at: datetime | None = None) -> int:
    with Session(engine) as session, session.begin():
        row = InviteRow(code_hash=f"h{datetime.now(UTC).timestamp()}{opd}{used_at}", opd_slug=opd,
                        role="officer", created_at=NOW,
                        expires_at=expires_at or datetime.now(UTC) + timedelta(hours=1),
                        used_at=used_at)
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def invite_row(engine: Engine, invite_id: int) -> InviteRow:
    with Session(engine) as session:
        row = session.get(InviteRow, invite_id)
        assert row is not None
        return row


def columns(line: str) -> list[str]:
    return re.split(r" {2,}", line.strip())


# --- admin list ---------------------------------------------------------------------------


def test_admin_list_without_admins_suggests_an_invite(cli: Cli) -> None:
    result = cli("admin", "list")
    assert (result.code, result.err) == (0, "")
    assert result.out == "no admins enrolled; create an invite with: aduan admin invite --opd SLUG\n"


def test_admin_list_masks_chat_ids_and_shows_local_times(cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    budi = add_admin(engine, "Budi Santoso", role="coordinator")
    sari = add_admin(engine, "Sari", opd="dlh", channel="telegram", chat_id=TELEGRAM_ID)
    add_admin(engine, "Mantan", revoked_at=NOW + timedelta(days=1))

    result = cli("admin", "list")

    assert result.code == 0
    header, *rows, hint = result.out.splitlines()
    assert columns(header) == ["ID", "NAME", "OPD", "ROLE", "CHANNEL", "CHAT", "ENROLLED", "STATUS"]
    assert [columns(r) for r in rows] == [  # by OPD, then id
        [str(sari), "Sari", "dlh", "officer", "telegram", "••••7766", "2026-03-02 10:00 WIB",
         "active"],
        [str(budi), "Budi Santoso", "pupr", "coordinator", "whatsapp", "••••••••7890",
         "2026-03-02 10:00 WIB", "active"],
    ]
    assert hint == "(1 revoked admin(s) not shown; add --all to see them)"
    assert PHONE not in result.out and TELEGRAM_ID not in result.out
    assert "Mantan" not in result.out


def test_admin_list_all_shows_revoked_admins_with_the_date(cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    gone = add_admin(engine, "Mantan", revoked_at=NOW + timedelta(days=1))

    only_active = cli("admin", "list")
    everyone = cli("admin", "list", "--all")

    assert only_active.out.splitlines()[0].startswith("no admins enrolled; ")
    [row] = everyone.out.splitlines()[1:]
    assert columns(row)[0] == str(gone)
    assert columns(row)[-1] == "revoked 2026-03-03 10:00 WIB"
    assert PHONE not in everyone.out


def test_admin_list_shows_pending_invites_but_never_a_code(cli: Cli, engine: Engine) -> None:
    code = cli("admin", "invite", "--opd", "pupr").out.strip()
    add_admin(engine, "Budi Santoso")
    expired = add_invite(engine, expires_at=datetime.now(UTC) - timedelta(minutes=1))
    used = add_invite(engine, used_at=NOW)
    other = add_invite(engine, opd="dlh")

    result = cli("admin", "list")

    lines = result.out.splitlines()
    start = lines.index("pending invites:")
    assert lines[start - 1] == ""
    assert columns(lines[start + 1]) == ["ID", "OPD", "ROLE", "EXPIRES"]
    pending = [columns(line) for line in lines[start + 2:]]
    assert sorted(p[1] for p in pending) == ["dlh", "pupr"]
    assert {p[0] for p in pending}.isdisjoint({str(expired), str(used)})
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d WIB", p[3]) for p in pending)
    assert code not in result.out and code.replace("-", "") not in result.out

    only_dlh = cli("admin", "list", "--opd", "dlh").out.splitlines()
    assert only_dlh[0] == "no admins enrolled in dlh; create an invite with: " \
                          "aduan admin invite --opd dlh"
    assert [columns(line)[0] for line in only_dlh[only_dlh.index("pending invites:") + 2:]] == [
        str(other)]


# --- admin revoke -------------------------------------------------------------------------


def test_admin_revoke_marks_the_admin_revoked(cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    budi = add_admin(engine, "Budi Santoso")
    keep = add_admin(engine, "Sari")
    before = datetime.now(UTC)

    result = cli("admin", "revoke", str(budi))

    assert result.code == 0
    assert result.out == f"revoked admin {budi} (Budi Santoso, officer of pupr)\n"
    with Session(engine) as session:
        revoked, kept = session.get(AdminRow, budi), session.get(AdminRow, keep)
    assert revoked is not None and kept is not None
    assert revoked.revoked_at is not None and revoked.revoked_at >= before - timedelta(seconds=1)
    assert kept.revoked_at is None
    assert "Budi" not in cli("admin", "list").out


def test_admin_revoke_of_an_unknown_id_fails_with_one_line(cli: Cli) -> None:
    result = cli("admin", "revoke", "999")
    assert (result.code, result.out) == (1, "")
    assert result.err_lines == ["aduan: no admin with id 999 (see: aduan admin list --all)"]


def test_admin_revoke_twice_fails_the_second_time(cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    budi = add_admin(engine, "Budi Santoso", revoked_at=NOW)

    result = cli("admin", "revoke", str(budi))

    assert (result.code, result.out) == (1, "")
    assert result.err_lines == [f"aduan: admin {budi} was already revoked on 2026-03-02 10:00 WIB"]
    with Session(engine) as session:
        row = session.get(AdminRow, budi)
    assert row is not None and row.revoked_at == NOW  # the first date stays


def test_admin_revoke_invite_expires_an_unused_code(cli: Cli, engine: Engine) -> None:
    cli("admin", "invite", "--opd", "pupr")
    [invite_id] = [int(columns(line)[0]) for line in cli("admin", "list").out.splitlines()[4:]]

    result = cli("admin", "revoke", "--invite", str(invite_id))

    assert result.code == 0
    assert result.out.startswith(f"cancelled invite {invite_id}; ")
    assert invite_row(engine, invite_id).expires_at <= datetime.now(UTC)  # /daftar refuses it
    assert "pending invites:" not in cli("admin", "list").out
    again = cli("admin", "revoke", "--invite", str(invite_id))
    assert again.code == 1
    [line] = again.err_lines
    assert line.startswith(f"aduan: invite {invite_id} already expired on ")


def test_admin_revoke_invite_refuses_used_and_unknown_invites(cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    used = add_invite(engine, used_at=NOW)

    used_result = cli("admin", "revoke", "--invite", str(used))
    unknown = cli("admin", "revoke", "--invite", "999")

    assert used_result.code == unknown.code == 1
    assert used_result.err_lines == [
        f"aduan: invite {used} was already used on 2026-03-02 10:00 WIB; revoke the admin instead"]
    assert unknown.err_lines == ["aduan: no invite with id 999 (see: aduan admin list)"]
    assert invite_row(engine, used).expires_at > datetime.now(UTC)


@pytest.mark.parametrize("argv", [(), ("3", "--invite", "4"), ("budi",)])
def test_admin_revoke_needs_exactly_one_numeric_id(
        cli: Cli, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    result = run_usage_error(capsys, "admin", "revoke", *argv)
    assert result.code == 2
    assert result.err_lines[-1].startswith("aduan admin revoke: error: ")


# --- formatting ---------------------------------------------------------------------------


@pytest.mark.parametrize(("chat_id", "shown"), [
    (PHONE, "••••••••7890"), ("12345678", "••••5678"), ("1234", "••34"), ("7", "•"),
    ("", "-"), (None, "-"),
])
def test_mask_never_shows_a_whole_chat_id(chat_id: str | None, shown: str) -> None:
    assert mask(chat_id) == shown


def test_clean_keeps_a_name_on_one_bounded_line() -> None:
    assert clean("Budi\nID  ROLE\x1b[2J") == "Budi ID  ROLE [2J"
    assert clean("x" * 40) == "x" * 29 + "…"
