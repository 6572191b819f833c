"""Metadata out of citizens' photos: EXIF (GPS position, device, times), XMP, IPTC, comments.

Phones write where and with what a photo was taken into it; a report keeps only the pin the
citizen chose to share. The image data itself is kept byte for byte (nothing is decoded or
re-encoded, so nothing is lost): JPEG segments, PNG chunks and WebP chunks that carry metadata
are left out, and a JPEG keeps only its orientation, rewritten as a one-tag EXIF by Pillow, so
that it still shows the right way up. A file whose structure ends early keeps its unparsed
rest as it was (metadata comes first in all three formats).
"""

from __future__ import annotations

ORIENTATION = 0x0112
# JPEG application segments that describe the pixels, by marker and payload prefix; every
# other APPn (EXIF and XMP in APP1, MPF in APP2, IPTC in APP13, …) and every comment goes.
_JPEG_KEEP = {0xE0: (b"JFIF\0", b"JFXX\0"), 0xE2: (b"ICC_PROFILE\0",), 0xEE: (b"Adobe",)}
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_DROP = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}
_WEBP_DROP = {b"EXIF", b"XMP "}
_VP8X_METADATA_FLAGS = 0x08 | 0x04  # EXIF and XMP present


def strip_metadata(data: bytes, content_type: str) -> bytes:
    """The image without its metadata; other types are returned as they are."""
    match content_type:
        case "image/jpeg":
            return _jpeg(data)
        case "image/png":
            return _png(data)
        case "image/webp":
            return _webp(data)
    return data


def _jpeg(data: bytes) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        return data
    out, pos, exif_seen = bytearray(data[:2]), 2, False
    while pos + 2 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xFF:  # a fill byte before a marker
            pos += 1
            continue
        if marker == 0xD9:  # end of image: whatever follows (MPF's second image…) goes too
            return bytes(out + data[pos:pos + 2])
        if marker in _JPEG_STANDALONE:
            out += data[pos:pos + 2]
            pos += 2
            continue
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        end = pos + 2 + length
        if length < 2 or end > len(data):
            break
        payload = data[pos + 4:end]
        if marker == 0xDA:  # start of scan: the compressed data runs to the next marker
            end = _scan_end(data, end)
            out += data[pos:end]
        elif 0xE0 <= marker <= 0xEF or marker == 0xFE:
            if marker == 0xE1 and payload.startswith(b"Exif\0\0") and not exif_seen:
                exif_seen = True
                out += _orientation_segment(payload)
            elif payload.startswith(_JPEG_KEEP.get(marker, ())) and marker != 0xFE:
                out += data[pos:end]
        else:
            out += data[pos:end]
        pos = end
    return bytes(out + data[pos:])


def _scan_end(data: bytes, start: int) -> int:
    """Where a scan's entropy-coded data ends: the next marker that is not a stuffed 0xFF00,
    a restart marker or a fill byte."""
    pos = start
    while (pos := data.find(b"\xff", pos)) >= 0 and pos + 1 < len(data):
        if data[pos + 1] == 0x00 or data[pos + 1] == 0xFF or 0xD0 <= data[pos + 1] <= 0xD7:
            pos += 1
            continue
        return pos
    return len(data)


def _orientation_segment(payload: bytes) -> bytes:
    """An APP1 with only the orientation of `payload`'s EXIF; nothing when it is upright or
    unreadable."""
    from PIL import Image  # Pillow loads with the first photo, not at start-up

    try:
        exif = Image.Exif()
        exif.load(payload)
        orientation = exif.get(ORIENTATION)
    except Exception:  # a broken EXIF block: drop it whole
        return b""
    if not isinstance(orientation, int) or orientation in (0, 1) or orientation > 8:
        return b""
    kept = Image.Exif()
    kept[ORIENTATION] = orientation
    body = kept.tobytes()  # b"Exif\0\0" + TIFF header + one tag
    return b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body


def _png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        return data
    out, pos = bytearray(_PNG_SIGNATURE), len(_PNG_SIGNATURE)
    while pos + 12 <= len(data):
        length, kind = int.from_bytes(data[pos:pos + 4], "big"), data[pos + 4:pos + 8]
        end = pos + 12 + length  # length, type, data, CRC
        if end > len(data):
            break
        if kind not in _PNG_DROP:
            out += data[pos:end]
        pos = end
        if kind == b"IEND":
            return bytes(out)
    return bytes(out + data[pos:])


def _webp(data: bytes) -> bytes:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return data
    end = min(len(data), 8 + int.from_bytes(data[4:8], "little"))
    body, pos, changed = bytearray(b"WEBP"), 12, False
    while pos + 8 <= end:
        fourcc, length = data[pos:pos + 4], int.from_bytes(data[pos + 4:pos + 8], "little")
        stop = min(pos + 8 + length + (length & 1), end)  # chunks are padded to even sizes
        if pos + 8 + length > end:
            break
        chunk = bytearray(data[pos:stop])
        if fourcc == b"VP8X" and length >= 1:
            chunk[8] &= ~_VP8X_METADATA_FLAGS & 0xFF
        if fourcc in _WEBP_DROP:
            changed = True
        else:
            body += chunk
        pos = stop
    if not changed:
        return data
    body += data[pos:end]
    return b"RIFF" + len(body).to_bytes(4, "little") + bytes(body)
