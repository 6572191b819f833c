"""Writes export rows as CSV, JSON lines, LAPOR's form fields (for re-entry in SP4N-LAPOR!), or
the `examples:` section of the city directory (resident texts of verified reports)."""

from __future__ import annotations

import csv
import heapq
import json
import math
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import asdict
from datetime import datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import yaml

from bot.media import MediaStore
from core.i18n import t
from core.matching.learning import example_text
from core.reports.model import Status
from storage.export import ExportRow

LAPOR_TYPES = {"pengaduan": "Pengaduan", "aspirasi": "Aspirasi",
               "permintaan_informasi": "Permintaan Informasi"}
# LAPOR's form fields, plus our tracking number so `/lapor_id` can record LAPOR's own id back.
LAPOR_COLUMNS = ("nomor_aduan", "judul", "isi_laporan", "tanggal_kejadian", "latitude",
                 "longitude", "alamat", "kelurahan", "kategori", "klasifikasi", "anonim",
                 "rahasia", "instansi_tujuan", "lampiran")

PLAIN_COLUMNS = (*(f for f in ExportRow.__dataclass_fields__ if f != "reporter_erased"),
                 "reporter")

# A coordinator confirmed the category of these; `baru` is unverified, `ditolak` was turned down.
EXAMPLE_STATUSES = frozenset({Status.DIDISPOSISIKAN, Status.DIPROSES, Status.SELESAI, Status.DITUTUP})
PER_CATEGORY = 200
EXAMPLES_HEADER = (
    "# Contoh teks warga dari laporan yang kategorinya sudah diverifikasi koordinator;"
    " menggantikan bagian `examples:` di file direktori kota.\n"
    "# Resident texts from reports whose category a coordinator verified;"
    " replaces the `examples:` section of the city directory file.\n"
)


def plain(row: ExportRow, tz: ZoneInfo) -> dict[str, Any]:
    data = asdict(row)
    # The reporter is never exported; a removed one is named as removed (DESIGN "Personal data").
    erased = data.pop("reporter_erased")
    data["reporter"] = t(f"reporter.erased.{erased}", "id") if erased else ""
    data["event_date"] = row.event_date.isoformat()
    data["created_at"] = row.created_at.astimezone(tz).isoformat()
    data["updated_at"] = row.updated_at.astimezone(tz).isoformat()
    data["attachments"] = list(row.attachments)
    return data


def lapor(row: ExportRow, media: MediaStore) -> dict[str, Any]:
    return {
        "nomor_aduan": row.tracking_no,
        "judul": row.title,
        "isi_laporan": row.description,
        "tanggal_kejadian": row.event_date.isoformat(),
        "latitude": "" if row.latitude is None else f"{row.latitude:.6f}",
        "longitude": "" if row.longitude is None else f"{row.longitude:.6f}",
        "alamat": row.address or "",
        "kelurahan": row.kelurahan or "",
        "kategori": row.category_name or row.category,
        "klasifikasi": LAPOR_TYPES.get(row.type, row.type),
        # A reporter whose identity was removed is anonymous from then on, as in LAPOR.
        "anonim": "ya" if row.privacy == "anonim" or row.reporter_erased else "tidak",
        # In LAPOR "rahasia" means not public: true for both of our non-public levels.
        "rahasia": "tidak" if row.privacy == "publik" else "ya",
        "instansi_tujuan": row.opd_name or row.opd or "",
        # One location per line (an absolute path under DATA_DIR, or the database's or the
        # bucket's name for it): paths may contain spaces, file names never hold newlines.
        "lampiran": "\n".join(media.describe(key) for key in row.attachments),
    }


def examples(rows: Iterable[ExportRow], per_category: int = PER_CATEGORY,
             known: Collection[str] | None = None) -> dict[str, list[str]]:
    """Category code -> texts of its verified reports, most recent first, codes in order. A text
    is written once, for its most recent report: the directory refuses a repeat under any code.
    Only codes in `known` (the current directory's) when given. Memory stays bounded: each
    category keeps its most recent texts (twice the cap, room for repeats) while rows stream."""
    recent: dict[str, list[tuple[datetime, int, str]]] = defaultdict(list)
    for order, row in enumerate(rows):
        if row.status not in EXAMPLE_STATUSES or (known is not None and row.category not in known):
            continue
        if text := example_text(row.description):
            heap = recent[row.category]
            item = (row.created_at, order, text)
            if len(heap) < 2 * per_category:
                heapq.heappush(heap, item)
            else:
                heapq.heappushpop(heap, item)
    chosen: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    newest_first = sorted(((at, order, code, text) for code, heap in recent.items()
                           for at, order, text in heap), reverse=True)
    for _, _, code, text in newest_first:
        if len(chosen[code]) < per_category and text.casefold() not in seen:
            seen.add(text.casefold())
            chosen[code].append(text)
    return {code: chosen[code] for code in sorted(chosen) if chosen[code]}


def write_examples(rows: Iterable[ExportRow], out: TextIO, per_category: int = PER_CATEGORY,
                   known: Collection[str] | None = None) -> tuple[int, int]:
    """Write the `examples:` section; returns (texts, categories)."""
    chosen = examples(rows, per_category, known)
    out.write(EXAMPLES_HEADER)
    yaml.safe_dump({"examples": chosen}, out, allow_unicode=True, sort_keys=False, width=math.inf)
    return sum(len(texts) for texts in chosen.values()), len(chosen)


def write(rows: Iterable[ExportRow], fmt: str, out: TextIO, tz: ZoneInfo,
          media: MediaStore) -> int:
    """Write every row; returns the count (attachments named where `media` keeps them)."""
    count = 0
    if fmt == "json":
        for row in rows:
            out.write(json.dumps(plain(row, tz), ensure_ascii=False) + "\n")
            count += 1
        return count
    writer: csv.DictWriter[str] | None = None
    for row in rows:
        record = lapor(row, media) if fmt == "lapor" else plain(row, tz)
        if fmt == "csv":
            record["attachments"] = " ".join(record["attachments"])
        if writer is None:
            fields = LAPOR_COLUMNS if fmt == "lapor" else tuple(record)
            writer = csv.DictWriter(out, fieldnames=fields)
            writer.writeheader()
        writer.writerow(record)
        count += 1
    if writer is None:  # no rows: still a valid file with its header
        header = LAPOR_COLUMNS if fmt == "lapor" else PLAIN_COLUMNS
        csv.writer(out).writerow(header)
    return count
