"""Admin and follow commands as typed text or buttons → a parsed request (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.reports.model import LAPOR_ID_RE, parse_tracking_number

# Indonesian names first; English aliases are accepted everywhere.
ADMIN_COMMANDS = {
    "tugas": "tugas", "tasks": "tugas", "queue": "tugas",
    "lihat": "lihat", "view": "lihat", "show": "lihat",
    "balas": "balas", "reply": "balas", "answer": "balas",
    "selesai": "selesai", "done": "selesai", "resolve": "selesai",
    "alihkan": "alihkan", "forward": "alihkan", "assign": "alihkan",
    "verifikasi": "verifikasi", "verify": "verifikasi",
    "tolak": "tolak", "reject": "tolak",
    "gabung": "gabung", "merge": "gabung",
    "lapor_id": "lapor_id", "laporid": "lapor_id",
    "tunda": "tunda", "snooze": "tunda",
    "kategori": "kategori", "category": "kategori", "recategorise": "kategori",
}
ENROL_COMMANDS = {"daftar": "daftar", "enrol": "daftar", "enroll": "daftar", "register": "daftar"}
DASHBOARD_COMMANDS = {"dasbor": "dasbor", "dashboard": "dasbor"}  # a one-time login link
FOLLOW_COMMANDS = {"ikuti": "ikuti", "follow": "ikuti", "berhenti": "berhenti",
                   "unfollow": "berhenti"}
# What each command needs after the report reference: free text, one word, or nothing.
TEXT_ARG = {"balas", "selesai", "tolak", "alihkan", "kategori"}
OPTIONAL_ARG = {"verifikasi"}
WORD_ARG = {"gabung", "lapor_id"}
NO_REF = {"tugas"}
_SPLIT = re.compile(r"\s+")
_COMMAND = re.compile(r"/(\S+)\s*(.*)", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Request:
    """A command with its report reference (a tracking number) and the rest of the line."""

    name: str
    tracking_no: str | None = None
    arg: str = ""


@dataclass(frozen=True, slots=True)
class Usage:
    """The command was recognised but its arguments were not: show the usage line."""

    name: str


def command_name(text: str) -> tuple[str, str] | None:
    """`/Balas@AduanBot 12 teks` → ("balas", "12 teks"); None when not a command."""
    found = _COMMAND.match(text.strip())
    if found is None:
        return None
    return found[1].split("@", 1)[0].lower(), found[2].strip()


def parse(name: str, rest: str, year: int) -> Request | Usage:
    """Parse an admin or follow command's arguments (`name` already canonical)."""
    if name in NO_REF:
        return Request(name)
    ref, arg = _first_word(rest)
    tracking_no = parse_tracking_number(ref, year) if ref else None
    if tracking_no is None:
        return Usage(name)
    if name in WORD_ARG:
        words = _SPLIT.split(arg) if arg else []
        if len(words) != 1:
            return Usage(name)
        if name == "gabung":
            target = parse_tracking_number(words[0], year)
            if target is None:
                return Usage(name)
            return Request(name, tracking_no, target)
        if not LAPOR_ID_RE.match(words[0]):
            return Usage(name)
        return Request(name, tracking_no, words[0])
    if arg and name not in TEXT_ARG and name not in OPTIONAL_ARG:
        return Usage(name)
    return Request(name, tracking_no, arg)


def parse_option(option_id: str) -> Request | None:
    """Buttons: `adm:balas:ADU-2026-000001`, `adm:tugas`, `fl:ADU-2026-000001`."""
    parts = option_id.split(":")
    if parts[0] == "adm" and len(parts) == 2 and parts[1] in NO_REF:
        return Request(parts[1])
    if parts[0] == "adm" and len(parts) == 3 and parts[1] in ADMIN_COMMANDS.values():
        return Request(parts[1], parts[2])
    if parts[0] == "fl" and len(parts) == 2:
        return Request("ikuti", parts[1])
    return None


def _first_word(text: str) -> tuple[str, str]:
    """("12", "the rest, newlines kept") for "12 the rest…"."""
    parts = _SPLIT.split(text.strip(), maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""
