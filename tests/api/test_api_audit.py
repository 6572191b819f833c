"""Every API answer that shows a report's reporter is a line in the audit log (who: the
token's name; when), and so is every download of the rakor sheet with `publik` names in it;
answers without the reporter leave none (issue 22, "Audit")."""

from __future__ import annotations

from core.reports.actors import Role
from core.reports.model import Privacy
from storage.audit import AuditLine, SqlAuditLog
from tests.api.helpers import Api


def identity_reads(api: Api) -> list[AuditLine]:
    return [line for line in SqlAuditLog(api.container.engine).lines()
            if line.action == "identity_read"]


async def test_showing_a_reporter_to_a_token_is_audited_with_its_name_and_time(api: Api) -> None:
    kominfo = api.token("Sistem LAPOR Kominfo")
    number = api.file(privacy=Privacy.RAHASIA)
    assert (await api.get(f"/reports/{number}", kominfo)).json()["reporter"] is not None
    [line] = identity_reads(api)
    assert (line.actor_kind, line.actor) == ("token", f"Sistem LAPOR Kominfo (#{kominfo.id})")
    assert (line.subject, line.detail) == (f"report {number}", "api GET")
    assert line.at == api.container.clock.now()
    assert "Sari" not in f"{line.subject} {line.detail}"  # who was read, never their name


async def test_an_answer_without_the_reporter_leaves_no_audit_line(api: Api) -> None:
    kominfo = api.token()
    pupr = api.token("PUPR", Role.OFFICER, "pupr")
    secret = api.verified(kominfo, privacy=Privacy.RAHASIA)  # officers never see it
    anonymous = api.verified(kominfo, privacy=Privacy.ANONIM)  # nobody does
    before = len(identity_reads(api))
    assert (await api.get(f"/reports/{secret}", pupr)).json()["reporter"] is None
    assert (await api.get(f"/reports/{anonymous}", kominfo)).json()["reporter"] is None
    assert (await api.get("/reports", kominfo)).status_code == 200  # lists carry no reporter
    assert (await api.get("/reports/ADU-2026-000999", kominfo)).status_code == 404
    assert len(identity_reads(api)) == before


async def test_an_action_answering_with_the_reporter_is_audited(api: Api) -> None:
    kominfo = api.token("Kominfo")
    pupr = api.token("PUPR", Role.OFFICER, "pupr")
    number = api.verified(kominfo, privacy=Privacy.PUBLIK)
    answered = await api.post(f"/reports/{number}/balas", pupr, {"teks": "Sudah kami cek."})
    assert answered.status_code == 200 and answered.json()["reporter"] is not None
    [line] = identity_reads(api)
    assert (line.actor, line.subject, line.detail) == (
        f"PUPR (#{pupr.id})", f"report {number}", "api action")
    refused = await api.post(f"/reports/{number}/verifikasi", kominfo)
    assert refused.status_code == 409 and len(identity_reads(api)) == 1


async def test_a_sheet_with_publik_names_is_one_audit_line_per_download(api: Api) -> None:
    kominfo = api.token("Rakor")
    pupr = api.token("PUPR", Role.OFFICER, "pupr")
    api.verified(kominfo, privacy=Privacy.PUBLIK)
    assert (await api.get("/reports.csv", kominfo, opd="pupr")).status_code == 200
    assert (await api.get("/reports.xlsx", kominfo)).status_code == 200
    assert (await api.get("/reports.csv", pupr)).status_code == 200  # officers get no names
    lines = identity_reads(api)
    assert [(line.actor, line.subject, line.detail) for line in lines] == [
        (f"Rakor (#{kominfo.id})", "reports.csv", "api opd=pupr"),
        (f"Rakor (#{kominfo.id})", "reports.xlsx", "api no filters")]
