"""The `Kepatuhan SLA` page's downloads work in the browser with the session (no bearer
token): the API's rakor sheet, an officer's OPD's rows only, a coordinator's download audited;
bad filters are a page saying why, never a 500."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

from core.reports.actors import Role
from storage.audit import SqlAuditLog
from tests.dashboard.conftest import Dash
from tests.service.work_helpers import file_report


async def test_the_sla_pages_download_links_work_with_the_session(dash: Dash) -> None:
    _, ours = file_report(dash.container, "sari", privacy="publik")
    _, theirs = file_report(dash.container, "joko", name="Joko", category="sampah")  # to dlh
    coordinator = await dash.signed_in("Rakor Kominfo")
    page = f"/dashboard/laporan/{ours}"
    assert (await coordinator.post(f"{page}/verifikasi", {"opd": "pupr"},
                                   form_page=page)).status_code == 303
    sla = await coordinator.page("/dashboard/sla")
    link = re.search(r'href="(/dashboard/rakor\.csv\?[^"]+)"', sla)
    assert link, sla[:500]
    response = await coordinator.http.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {ours, theirs} <= {cell for row in rows for cell in row}
    assert any("Sari Wulandari" in row for row in rows)  # publik, for the coordinator
    xlsx = await coordinator.http.get("/dashboard/rakor.xlsx")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert book.sheetnames == ["Laporan", "Ringkasan SLA"]
    audited = [(a.subject, a.detail) for a in SqlAuditLog(dash.container.engine).lines()
               if a.action == "identity_read" and a.subject and a.subject.startswith("reports.")]
    assert [subject for subject, _ in audited] == ["reports.csv", "reports.xlsx"]
    assert audited[0][1].startswith("dashboard since=")

    officer = await dash.signed_in("Admin DLH", Role.OFFICER, "dlh")
    mine = await officer.http.get("/dashboard/rakor.csv")
    cells = {cell for row in csv.reader(io.StringIO(mine.content.decode("utf-8-sig")))
             for cell in row}
    assert theirs in cells and ours not in cells and "Sari Wulandari" not in cells


async def test_a_bad_filter_is_a_page_saying_why_and_no_session_is_a_login(dash: Dash) -> None:
    coordinator = await dash.signed_in()
    bad = await coordinator.http.get("/dashboard/rakor.csv?since=kemarin")
    assert bad.status_code == 400 and "Unduhan tidak dapat dibuat" in bad.text
    officer = await dash.signed_in("Admin DLH", Role.OFFICER, "dlh")
    other = await officer.http.get("/dashboard/rakor.xlsx?opd=pupr")
    assert other.status_code == 403
    stranger = dash.browser()
    assert (await stranger.http.get("/dashboard/rakor.csv")).status_code == 303
