"""Photos as phones take them: EXIF with a GPS position, the device and an orientation."""

from __future__ import annotations

import io

from PIL import Image

GPS_IFD, MAKE, MODEL, ORIENTATION = 0x8825, 0x010F, 0x0110, 0x0112
# Where the photo was taken: near Padang's Masjid Raya, the kind of place a citizen's home is.
GPS = {1: "S", 2: (0.0, 54.0, 50.4), 3: "E", 4: (100.0, 20.0, 56.4)}


def phone_exif(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[MAKE], exif[MODEL], exif[ORIENTATION] = "Samsung", "Galaxy A15", orientation
    exif[GPS_IFD] = dict(GPS)
    return exif


def picture() -> Image.Image:
    image = Image.new("RGB", (64, 48))
    image.putdata([(x * 4, y * 5, (x + y) % 256) for y in range(48) for x in range(64)])
    return image


def phone_jpeg(orientation: int = 6, progressive: bool = False) -> bytes:
    out = io.BytesIO()
    picture().save(out, "JPEG", exif=phone_exif(orientation), quality=90,
                   progressive=progressive, comment=b"Rumah Sari, Jl. Melati 3")
    return out.getvalue()


def phone_png() -> bytes:
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Location", "-0.914, 100.349")
    out = io.BytesIO()
    picture().save(out, "PNG", exif=phone_exif(), pnginfo=text)
    return out.getvalue()


def phone_webp() -> bytes:
    out = io.BytesIO()
    picture().save(out, "WEBP", exif=phone_exif(), xmp=b"<x:xmpmeta>GPS -0.914</x:xmpmeta>",
                   lossless=True)
    return out.getvalue()


def metadata(data: bytes) -> dict[str, object]:
    """What a reader of the file learns besides the pixels."""
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    return {"exif": dict(exif), "gps": dict(exif.get_ifd(GPS_IFD)),
            "info": sorted(k for k in image.info if k in ("exif", "xmp", "comment", "Location"))}


def pixels(data: bytes) -> bytes:
    return Image.open(io.BytesIO(data)).tobytes()
