"""Report domain: types, lifecycle states, the draft the intake form fills, tracking numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from core.matching.explain import CategoryReason
from core.messages import Channel, Location, Media
from core.reports.actors import Actor


class ReportType(StrEnum):
    PENGADUAN = "pengaduan"
    ASPIRASI = "aspirasi"
    INFORMASI = "permintaan_informasi"


class Privacy(StrEnum):
    RAHASIA = "rahasia"  # default: not public, identity hidden from OPD officers
    ANONIM = "anonim"  # identity hidden from everyone but the system
    PUBLIK = "publik"


class Status(StrEnum):
    BARU = "baru"
    DIDISPOSISIKAN = "didisposisikan"
    DIPROSES = "diproses"
    SELESAI = "selesai"
    DITUTUP = "ditutup"
    DITOLAK = "ditolak"

    @property
    def is_open(self) -> bool:
        return self in (Status.BARU, Status.DIDISPOSISIKAN, Status.DIPROSES)


TRACKING_RE = re.compile(r"^ADU-(\d{4})-(\d{6})$")
LAPOR_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{2,39}$")  # SP4N-LAPOR!'s tracking id


def tracking_number(year: int, sequence: int) -> str:
    """Format `ADU-YYYY-NNNNNN`; the sequence restarts every year."""
    if not 1 <= sequence <= 999_999:
        raise ValueError(f"tracking sequence out of range: {sequence}")
    return f"ADU-{year:04d}-{sequence:06d}"


def parse_tracking_number(text: str, default_year: int) -> str | None:
    """Accept `ADU-2026-000012`, `adu-2026-12`, `2026-12` or `12` (this year)."""
    cleaned = text.strip().upper().replace(" ", "")
    if cleaned.startswith("ADU-"):
        cleaned = cleaned[4:]
    parts = cleaned.split("-")
    try:
        if len(parts) == 2 and len(parts[0]) == 4:
            year, seq = int(parts[0]), int(parts[1])
        elif len(parts) == 1 and parts[0].isdigit():
            year, seq = default_year, int(parts[0])
        else:
            return None
        return tracking_number(year, seq)
    except ValueError:
        return None


@dataclass(slots=True)
class Draft:
    """LAPOR's field set as the citizen fills it in."""

    type: ReportType | None = None
    category: str | None = None  # category code from the directory
    description: str | None = None
    title: str | None = None
    event_date: date | None = None
    location: Location | None = None
    location_skipped: bool = False
    address: str | None = None
    kelurahan: str | None = None
    photos: list[Media] = field(default_factory=list)
    privacy: Privacy | None = None
    duplicates_seen: bool = False  # similar open reports were offered; submit stores it
    category_text: str | None = None  # what the citizen typed at the category question
    outside_authority: str | None = None  # code of a topic the city does not handle

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (`dataclasses.asdict`'s deep copy cost a step 2 % of the
        server's time: issue 19)."""
        loc = self.location
        return {
            "type": self.type, "category": self.category, "description": self.description,
            "title": self.title,
            "event_date": self.event_date.isoformat() if self.event_date else None,
            "location": None if loc is None else {"latitude": loc.latitude,
                                                  "longitude": loc.longitude,
                                                  "address": loc.address},
            "location_skipped": self.location_skipped, "address": self.address,
            "kelurahan": self.kelurahan,
            "photos": [{"storage_key": m.storage_key, "content_type": m.content_type,
                        "size": m.size, "filename": m.filename} for m in self.photos],
            "privacy": self.privacy, "duplicates_seen": self.duplicates_seen,
            "category_text": self.category_text, "outside_authority": self.outside_authority,
        }

    def copy(self) -> Draft:
        """An equal draft that shares nothing mutable with this one."""
        return replace(self, photos=list(self.photos))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        loc = data.get("location")
        return cls(
            type=ReportType(data["type"]) if data.get("type") else None,
            category=data.get("category"),
            description=data.get("description"),
            title=data.get("title"),
            event_date=date.fromisoformat(data["event_date"]) if data.get("event_date") else None,
            location=Location(**loc) if loc else None,
            location_skipped=bool(data.get("location_skipped", False)),
            address=data.get("address"),
            kelurahan=data.get("kelurahan"),
            photos=[Media(**m) for m in data.get("photos", [])],
            privacy=Privacy(data["privacy"]) if data.get("privacy") else None,
            duplicates_seen=bool(data.get("duplicates_seen", False)),
            category_text=data.get("category_text"),
            outside_authority=data.get("outside_authority"),
        )


@dataclass(frozen=True, slots=True)
class NewReport:
    """A completed draft ready to be stored, with routing already decided."""

    citizen_id: int
    channel: Channel
    chat_id: str
    type: ReportType
    category: str
    opd: str | None
    status: Status
    title: str
    description: str
    event_date: date
    location: Location | None
    address: str | None
    kelurahan: str | None
    privacy: Privacy
    photos: tuple[Media, ...]
    created_at: datetime
    submitted_by: Actor | None = None  # the first timeline event's actor; None: the citizen
    out_of_authority: str | None = None  # code of a topic the city does not handle
    category_reason: CategoryReason | None = None  # why the category was proposed


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """What a citizen sees in `/status`."""

    tracking_no: str
    title: str
    category: str
    status: Status
    created_at: datetime
    updated_at: datetime
    opd: str | None
