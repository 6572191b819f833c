"""What the admin-side end-to-end tests share: invite codes and a citizen's report as steps."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from storage.admin_store import SqlAdminStore
from storage.engine import make_engine

# A pothole report (jalan_rusak belongs to PUPR, and waits in status baru for the coordinator),
# as the steps a citizen takes: ("text", words), ("option", button id) or ("pin", (lat, lon)).
REPORT_STEPS: list[tuple[str, object]] = [
    ("text", "/lapor"),
    ("option", "type:pengaduan"),
    ("option", "cat:jalan_rusak"),
    ("text", "Jalan di depan SD 12 berlubang besar sejak dua minggu, motor sering jatuh."),
    ("option", "date:today"),
    ("pin", (-0.9140, 100.3490)),
    ("option", "photos:done"),
    ("option", "privacy:rahasia"),
    ("option", "summary:confirm"),
]
COORDINATOR_OPD = "Dinas Komunikasi dan Informatika (Koordinator SP4N-LAPOR!)"
PUPR = "Dinas Pekerjaan Umum dan Penataan Ruang"


def invite(db_url: str, opd: str, role: str = "officer") -> str:
    """A fresh code, as `aduan admin invite --opd OPD --role ROLE` prints it."""
    engine = make_engine(db_url)
    try:
        code, _ = SqlAdminStore(engine).create_invite(opd, role, datetime.now(UTC))
    finally:
        engine.dispose()
    return code


def tracking_number(text: str) -> str:
    found = re.search(r"ADU-\d{4}-\d{6}", text)
    assert found, text
    return found.group(0)


def short_number(number: str) -> str:
    """ADU-2026-000042 → 42, the form admins may type."""
    return number.rsplit("-", 1)[-1].lstrip("0")


def answer(opd: str, text: str) -> str:
    """What the reporter reads when an admin of `opd` answers."""
    return f"Tanggapan dari {opd}:\n{text}"
