"""Writes export rows as CSV, JSON lines, or LAPOR's form fields (for re-entry in SP4N-LAPOR!)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from storage.export import ExportRow

LAPOR_TYPES = {"pengaduan": "Pengaduan", "aspirasi": "Aspirasi",
               "permintaan_informasi": "Permintaan Informasi"}
LAPOR_COLUMNS = ("nomor_aduan", "judul", "isi_laporan", "tanggal_kejadian", "lokasi",
                 "kategori", "klasifikasi", "anonim", "rahasia", "instansi_tujuan", "lampiran")


def plain(row: ExportRow, tz: ZoneInfo) -> dict[str, Any]:
    data = asdict(row)
    data["event_date"] = row.event_date.isoformat()
    data["created_at"] = row.created_at.astimezone(tz).isoformat()
    data["updated_at"] = row.updated_at.astimezone(tz).isoformat()
    data["attachments"] = list(row.attachments)
    return data


def lapor(row: ExportRow, media_dir: Path) -> dict[str, Any]:
    place = [p for p in (row.address, f"Kel. {row.kelurahan}" if row.kelurahan else None) if p]
    if row.latitude is not None and row.longitude is not None:
        place.append(f"{row.latitude:.6f},{row.longitude:.6f}")
    return {
        "nomor_aduan": row.tracking_no,
        "judul": row.title,
        "isi_laporan": row.description,
        "tanggal_kejadian": row.event_date.isoformat(),
        "lokasi": "; ".join(place),
        "kategori": row.category_name or row.category,
        "klasifikasi": LAPOR_TYPES.get(row.type, row.type),
        "anonim": "ya" if row.privacy == "anonim" else "tidak",
        # In LAPOR "rahasia" means not public: true for both of our non-public levels.
        "rahasia": "tidak" if row.privacy == "publik" else "ya",
        "instansi_tujuan": row.opd_name or row.opd or "",
        "lampiran": " ".join(str(media_dir / k[:2] / k[2:4] / k) for k in row.attachments),
    }


def write(rows: Iterable[ExportRow], fmt: str, out: TextIO, tz: ZoneInfo, media_dir: Path) -> int:
    """Write every row; returns the count."""
    count = 0
    if fmt == "json":
        for row in rows:
            out.write(json.dumps(plain(row, tz), ensure_ascii=False) + "\n")
            count += 1
        return count
    writer: csv.DictWriter[str] | None = None
    for row in rows:
        record = lapor(row, media_dir) if fmt == "lapor" else plain(row, tz)
        if fmt == "csv":
            record["attachments"] = " ".join(record["attachments"])
        if writer is None:
            fields = LAPOR_COLUMNS if fmt == "lapor" else tuple(record)
            writer = csv.DictWriter(out, fieldnames=fields)
            writer.writeheader()
        writer.writerow(record)
        count += 1
    if writer is None:  # no rows: still a valid file with its header
        header = LAPOR_COLUMNS if fmt == "lapor" else tuple(ExportRow.__dataclass_fields__)
        csv.writer(out).writerow(header)
    return count
