"""The dashboard writes a line to the audit log each time a report's page shows the reporter
(who: the signed-in admin or token; when), and none when the page hides them (issue 22)."""

from __future__ import annotations

import pytest

from core.reports.actors import Role
from storage.audit import AuditLine, SqlAuditLog
from tests.dashboard.conftest import Dash
from tests.service.work_helpers import file_report


def identity_reads(dash: Dash) -> list[AuditLine]:
    return [line for line in SqlAuditLog(dash.container.engine).lines()
            if line.action == "identity_read"]


@pytest.mark.parametrize("privacy,audited", [("publik", True), ("rahasia", True),
                                              ("anonim", False)])
async def test_a_coordinator_opening_a_report_is_audited_when_the_reporter_shows(
        dash: Dash, privacy: str, audited: bool) -> None:
    _, number = file_report(dash.container, "sari", privacy=privacy)
    coordinator = await dash.signed_in("Kominfo")
    page = await coordinator.page(f"/dashboard/laporan/{number}")
    assert ("Sari Wulandari" in page) is audited
    lines = identity_reads(dash)
    if not audited:
        assert lines == []
        return
    [line] = lines
    assert line.actor_kind == "token" and line.actor.startswith("Kominfo (#")
    assert (line.subject, line.detail) == (f"report {number}", "dashboard")
    assert line.at == dash.clock.now()


async def test_an_officer_who_may_not_see_the_reporter_leaves_no_line(dash: Dash) -> None:
    _, number = file_report(dash.container, "sari", privacy="publik")
    coordinator = await dash.signed_in("Kominfo")
    page = f"/dashboard/laporan/{number}"
    assert (await coordinator.post(f"{page}/verifikasi", {"opd": "dlh"},
                                   form_page=page)).status_code == 303
    before = len(identity_reads(dash))  # the coordinator's looks (page and form)
    elsewhere = await dash.signed_in("PUPR", Role.OFFICER, "pupr")
    await elsewhere.page(page, 404)  # another OPD's report: not shown, not audited
    assert len(identity_reads(dash)) == before
    dlh = await dash.signed_in("DLH", Role.OFFICER, "dlh")
    assert "Sari Wulandari" in await dlh.page(page)  # publik: every admin sees it
    assert identity_reads(dash)[-1].actor.startswith("DLH (#")
