"""The weekly rakor sheet, shown to OPDs: one row per report (CSV and the XLSX's first sheet)
and the SLA summary per OPD (the XLSX's second sheet). Headings in Indonesian, times in the
city's local time (people read it).

Identity: the reporter's name only for `publik` reports and only in a coordinator token's
download; `rahasia` and `anonim` reports never carry one, whoever downloads. Cells are
Excel-safe: in the CSV a text starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`
(OWASP's CSV-injection advice), in the XLSX every text is a typed string cell (never a
formula) with the characters XML cannot hold removed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import IO, TYPE_CHECKING, Any

from bot.api.models import SlaRowOut
from core.city import CityContext
from core.i18n import t
from core.reports.model import Privacy
from storage.read.sheet import SheetRow

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

LANG = "id"  # the sheet's columns stay the same whoever downloads it
COLUMNS = ("tracking_no", "created_at", "age_days", "type", "category", "opd", "status",
           "title", "description", "event_date", "kelurahan", "address", "deadline_step",
           "deadline", "overdue", "lapor_id", "duplicate_of", "privacy", "reporter",
           "updated_at")
WIDTHS = {"tracking_no": 17, "created_at": 17, "title": 40, "description": 60, "opd": 30,
          "category": 22, "deadline": 17, "updated_at": 17, "address": 30, "reporter": 20}
SUMMARY = ("opd", "opd_name", "received", "verified", "verified_on_time", "answered",
           "answered_on_time", "overdue_now", "median_hours")
RISKY_START = ("=", "+", "-", "@", "\t", "\r")
TIME_FORMAT = "yyyy-mm-dd hh:mm"
Cell = str | int | float | datetime | date | None


def headings(columns: Sequence[str]) -> list[str]:
    return [t(f"sheet.col.{name}", LANG) for name in columns]


def report_cells(row: SheetRow, city: CityContext, now: datetime, names: bool) -> list[Cell]:
    """One report's cells in COLUMNS order; the reporter's name only with `names` and only
    for a `publik` report."""
    item, directory = row.item, city.directory
    category = directory.category(item.category)
    opd = directory.opd(item.opd) if item.opd else None
    deadline = item.deadline
    reporter = row.reporter_name if names and item.privacy is Privacy.PUBLIK else None
    return [
        item.tracking_no, _local(item.created_at, city), (now - item.created_at).days,
        t(f"type.{item.type.value}", LANG), category.name_id if category else item.category,
        opd.name if opd else item.opd, item.status.value, item.title, row.description,
        row.event_date, item.kelurahan, item.address,
        t(f"deadline.{deadline.step.value}", LANG) if deadline else None,
        _local(deadline.due_at, city) if deadline else None,
        t("sheet.yes" if item.overdue else "sheet.no", LANG), item.lapor_id, item.duplicate_of,
        item.privacy.value, reporter, _local(item.updated_at, city),
    ]


def summary_cells(row: SlaRowOut) -> list[Cell]:
    return [row.opd, row.name, row.received, row.verified, row.verified_on_time, row.answered,
            row.answered_on_time, row.overdue_now, row.median_hours_to_first_answer]


def period_note(start: datetime, end: datetime, city: CityContext) -> str:
    zone = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(
        city.tz.key, city.tz.key)
    shown = [f"{_local(moment, city):%Y-%m-%d %H:%M}" for moment in (start, end)]
    return t("sheet.period", LANG, start=shown[0], end=shown[1], zone=zone)


def _local(moment: datetime, city: CityContext) -> datetime:
    """Local wall time without a zone: spreadsheets have no time zones."""
    return moment.astimezone(city.tz).replace(tzinfo=None)


# --- CSV --------------------------------------------------------------------------------------
def csv_safe(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if value.startswith(RISKY_START) else value
    return str(value)


def csv_lines(rows: Iterable[Sequence[Cell]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([csv_safe(value) for value in cells] for cells in rows)
    return out.getvalue()


# --- XLSX -------------------------------------------------------------------------------------
class Xlsx:
    """A write-only workbook: rows go to a temporary file as they come, not into memory.
    openpyxl is imported on the first download, not at start-up (it takes half a second)."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self.book = Workbook(write_only=True)
        self.reports = self._sheet(t("sheet.reports", LANG), COLUMNS, listing=True)

    def add_reports(self, rows: Iterable[Sequence[Cell]]) -> None:
        for cells in rows:
            self.reports.append([self._cell(self.reports, value) for value in cells])

    def finish(self, summary: Iterable[Sequence[Cell]], note: str, out: IO[bytes]) -> None:
        sheet = self._sheet(t("sheet.summary", LANG), SUMMARY)
        for cells in summary:
            sheet.append([self._cell(sheet, value) for value in cells])
        sheet.append([])
        sheet.append([self._cell(sheet, note)])
        self.book.save(out)  # a zip file: any seekable binary file will do

    def _sheet(self, title: str, columns: Sequence[str],
               listing: bool = False) -> WriteOnlyWorksheet:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        sheet: WriteOnlyWorksheet = self.book.create_sheet(title)
        _layout(sheet, columns, listing)
        bold = Font(bold=True)
        header = []
        for text in headings(columns):
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        return sheet

    @staticmethod
    def _cell(sheet: WriteOnlyWorksheet, value: Cell) -> object:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"  # openpyxl would make a text starting with "=" a formula
            return cell
        if isinstance(value, datetime):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = TIME_FORMAT
            return cell
        return value


def _layout(sheet: Any, columns: Sequence[str], listing: bool) -> None:
    """Column widths and, for a listing, the heading frozen and filtered. Set before the
    first row: a write-only sheet writes them out then (its type stubs do not declare
    them)."""
    from openpyxl.utils import get_column_letter

    for index, name in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(name, 14)
    if listing:
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"
