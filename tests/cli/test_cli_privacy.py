"""`aduan purge`, `aduan citizen erase`, `aduan audit`, and the audit line of every operator
action, run in-process against each database backend."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from core.messages import Channel, Outbound
from core.reports.actors import Actor, Role
from core.reports.model import Privacy
from storage.audit import SqlAuditLog, record_identity_read
from storage.outbox_store import SqlOutboxStore
from storage.uow import SqlUnitOfWork
from tests.cli.helpers import CHAT_ID, Cli, add_report, run_usage_error
from tests.personal_data import holding
from tests.storage.helpers import make_citizen

PHONE = "6281377665544"


def test_purge_prints_one_line_and_is_audited(cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    result = cli("purge")
    assert result.code == 0
    assert result.out.splitlines() == [
        "removed 0 delivered message(s) and 0 inbound id(s) past retention, the reporter "
        "identity of 0 closed report(s), 0 inactive citizen(s); 0 farewell(s) forgot their chat"]
    [line] = SqlAuditLog(engine).lines()
    assert (line.actor_kind, line.action, line.detail) == ("operator", "purge", result.out.strip())
    assert line.actor  # the operator's login


def test_citizen_erase_removes_a_telegram_reporter_and_keeps_the_report(
        cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    number = add_report(engine, Privacy.RAHASIA, "Jalan berlubang")
    assert any(f.startswith("citizens.display_name") for f in holding(engine, "Sari"))
    result = cli("citizen", "erase", "--chat", f"telegram:{CHAT_ID}")
    assert result.code == 0, result.err
    assert result.out.startswith("erased citizen ") and CHAT_ID not in result.out
    assert "1 report(s) anonymised" in result.out
    assert holding(engine, CHAT_ID) == []  # the chat id, and the user id "u-" + it
    assert not any(f.startswith(("citizens", "channel_identities")) for f in holding(engine, "Sari"))
    with SqlUnitOfWork(engine) as uow:
        report = uow.work.get(number)
        assert report is not None and report.reporter.erased == "request"
    assert [a.action for a in SqlAuditLog(engine).lines()] == ["erase"]
    again = cli("citizen", "erase", "--chat", f"telegram:{CHAT_ID}")
    assert again.code == 1 and again.err.startswith("aduan: no citizen is known")


def test_citizen_erase_takes_a_whatsapp_number_as_people_write_it_and_drops_held_texts(
        cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    make_citizen(engine, PHONE, Channel.WHATSAPP)
    with SqlUnitOfWork(engine) as uow:
        row = uow.outbox.put(Channel.WHATSAPP, PHONE, Outbound("Ada kabar terbaru"),
                             datetime.now(UTC))
        uow.commit()
    SqlOutboxStore(engine).mark_held(row, "wamid.TEMPLATE", "outside the window",
                                     datetime.now(UTC))
    assert any(f.startswith("outbox.chat_id") for f in holding(engine, PHONE))
    result = cli("citizen", "erase", "--chat", "WhatsApp:+62 813-7766-5544")
    assert result.code == 0, result.err
    assert holding(engine, PHONE) == []


def test_citizen_erase_arguments_are_checked(cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    bad = run_usage_error(capsys, "citizen", "erase", "--chat", "sms:0812")
    assert bad.code == 2 and "CHANNEL:ID" in bad.err


def test_operator_actions_are_audited_and_aduan_audit_prints_them(cli: Cli, engine: Engine) -> None:
    cli("db", "upgrade")
    assert cli("admin", "invite", "--opd", "pupr").code == 0
    assert cli("admin", "token", "--name", "Dasbor Kominfo").code == 0
    assert cli("admin", "token", "--revoke", "1").code == 0
    add_report(engine, Privacy.PUBLIK, "Lampu mati")
    assert cli("export", "--format", "csv").code == 0
    record_identity_read(engine, Actor.of_token(1, "Dasbor Kominfo", Role.COORDINATOR, None),
                         "ADU-2026-000001", datetime.now(UTC), "dashboard")

    result = cli("audit")

    assert result.code == 0
    lines = result.out.splitlines()
    actions = [line.split("  ")[2] for line in lines]
    assert actions == ["invite", "token", "revoke", "export", "identity_read"]
    assert "operator:" in lines[0] and "invite for pupr" in lines[0]
    assert "officer of pupr" in lines[0]
    assert "token 1" in lines[1] and "'Dasbor Kominfo', coordinator" in lines[1]
    assert "--format csv, 1 report(s) to stdout" in lines[3]
    assert "token:Dasbor Kominfo (#1)" in lines[4] and "report ADU-2026-000001" in lines[4]
    assert CHAT_ID not in result.out
    assert cli("audit", "--since", "2999-01-01").out == ""


def test_revoking_an_admin_or_an_invite_is_audited(cli: Cli, engine: Engine) -> None:
    from tests.cli.test_cli_admin import add_admin, add_invite

    cli("db", "upgrade")
    admin_id, invite_id = add_admin(engine, "Budi"), add_invite(engine)
    assert cli("admin", "revoke", str(admin_id)).code == 0
    assert cli("admin", "revoke", "--invite", str(invite_id)).code == 0
    assert cli("admin", "revoke", str(admin_id)).code == 1  # refused: nothing to audit
    assert [(a.action, a.subject) for a in SqlAuditLog(engine).lines()] == [
        ("revoke", f"admin {admin_id}"), ("revoke", f"invite {invite_id}")]
