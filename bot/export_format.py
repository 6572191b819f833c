"""Writes export rows as CSV, JSON lines, or LAPOR's form fields (for re-entry in SP4N-LAPOR!)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.media import MediaStore
from storage.export import ExportRow

LAPOR_TYPES = {"pengaduan": "Pengaduan", "aspirasi": "Aspirasi",
               "permintaan_informasi": "Permintaan Informasi"}
# LAPOR's form fields, plus our tracking number so `/lapor_id` can record LAPOR's own id back.
LAPOR_COLUMNS = ("nomor_aduan", "judul", "isi_laporan", "tanggal_kejadian", "latitude",
                 "longitude", "alamat", "kelurahan", "kategori", "klasifikasi", "anonim",
                 "rahasia", "instansi_tujuan", "lampiran")


def plain(row: ExportRow, tz: ZoneInfo) -> dict[str, Any]:
    data = asdict(row)
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
        "anonim": "ya" if row.privacy == "anonim" else "tidak",
        # In LAPOR "rahasia" means not public: true for both of our non-public levels.
        "rahasia": "tidak" if row.privacy == "publik" else "ya",
        "instansi_tujuan": row.opd_name or row.opd or "",
        # One absolute path per line: DATA_DIR may contain spaces, file names never hold newlines.
        "lampiran": "\n".join(str(media.path_of(key)) for key in row.attachments),
    }


def write(rows: Iterable[ExportRow], fmt: str, out: TextIO, tz: ZoneInfo, media_dir: Path) -> int:
    """Write every row; returns the count. `media_dir` should be absolute: paths are for people."""
    count, media = 0, MediaStore(media_dir)
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
        header = LAPOR_COLUMNS if fmt == "lapor" else tuple(ExportRow.__dataclass_fields__)
        csv.writer(out).writerow(header)
    return count
