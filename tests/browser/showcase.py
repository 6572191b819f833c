"""A few months of a city's reports, lived through the lifecycle use cases (tokens acting at
past moments), so the dashboard's pages have something to show in screenshots: deadlines
met and missed, a rising category, a street that floods again and again."""

from __future__ import annotations

import random
import struct
import zlib
from datetime import datetime, timedelta
from pathlib import Path

from bot.bootstrap import Container, build_container, seed_directory
from bot.settings import Settings
from core.messages import Channel, Location, Media
from core.reports import lifecycle
from core.reports.actors import Actor, Role
from core.reports.model import Privacy, ReportType
from core.reports.results import Refused, Submitted
from storage.tokens import SqlTokenStore

TEXTS = {
    "jalan_rusak": "Jalan di depan sekolah berlubang besar, motor sering jatuh saat hujan.",
    "drainase_banjir": "Got mampet, air meluap ke jalan dan masuk rumah warga setiap hujan deras.",
    "sampah": "Sampah menumpuk di pinggir jalan sudah seminggu tidak diangkut, bau sekali.",
    "lampu_jalan": "Lampu jalan di gang mati sejak dua minggu, gelap dan rawan kejahatan.",
    "parkir_liar": "Parkir liar di depan pasar membuat macet setiap pagi dan sore hari.",
    "adminduk": "KTP elektronik saya belum jadi padahal sudah rekam tiga bulan yang lalu.",
    "air_bersih": "Air PDAM tidak mengalir sudah tiga hari di komplek perumahan kami.",
}
WEIGHTS = {"jalan_rusak": 5, "drainase_banjir": 3, "sampah": 4, "lampu_jalan": 3,
           "parkir_liar": 2, "adminduk": 2, "air_bersih": 2}
FLOODED = (-0.8880, 100.3640)  # Lapai Baru: the same drain overflows all season


def photo(width: int = 480, height: int = 300, seed: int = 0) -> bytes:
    """A PNG of a grey road under a pale sky, with a dark pothole: something to show."""
    rng = random.Random(seed)
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            if y < height // 3:
                pixel = (170 + y // 4, 200 + y // 8, 235)
            elif ((x - width / 2) / 70) ** 2 + ((y - height * .7) / 28) ** 2 < 1:
                pixel = (40, 36, 30)
            else:
                shade = 105 + rng.randint(-12, 12)
                pixel = (shade, shade, shade + 4)
            row += bytes(pixel)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + chunk(b"IEND", b""))


def populate(db_url: str, data_dir: Path, now: datetime, reports: int = 70,
             seed: int = 18) -> None:
    """Store `reports` reports filed over the last 150 days and worked on since; a road
    report now and then carries a photo (saved under `data_dir`, where the server looks)."""
    rng = random.Random(seed)
    settings = Settings(_env_file=None, database_url=db_url,  # type: ignore[call-arg]
                        data_dir=data_dir)
    container = build_container(settings)
    seed_directory(settings, container.directories, container.clock)
    city = container.city()
    tokens = SqlTokenStore(container.engine)
    coordinator = tokens.create("Sekretariat Diskominfo", now)[0].actor
    officers: dict[str, Actor] = {}
    places = [k for k in city.directory.kelurahan if k.latitude is not None]
    codes = [c for c, w in WEIGHTS.items() for _ in range(w)]
    try:
        for n in range(reports):
            flood = n % 9 == 0
            rising = n >= reports - 12 and n % 2 == 0
            category = "drainase_banjir" if flood or rising else rng.choice(codes)
            place = places[1] if flood else rng.choice(places)
            assert place.latitude is not None and place.longitude is not None
            pin = FLOODED if flood else (place.latitude + rng.uniform(-.004, .004),
                                         place.longitude + rng.uniform(-.004, .004))
            filed = now - timedelta(days=150 * (reports - n) / reports, hours=rng.uniform(0, 8))
            photos = (container.media.save(photo(seed=n), "image/png", "png", "lubang.png"),) \
                if category == "jalan_rusak" else ()
            number = _submit(container, coordinator, n, category, place.name, pin, filed, photos)
            if number is None:
                continue
            report_opd = city.directory.category(category)
            opd = report_opd.opd if report_opd else "pupr"
            if opd not in officers:
                officers[opd] = tokens.create(f"Admin {opd.upper()}", now, Role.OFFICER,
                                              opd)[0].actor
            _work(container, rng, coordinator, officers[opd], number, filed, now)
    finally:
        container.engine.dispose()


def _submit(container: Container, actor: Actor, n: int, category: str, kelurahan: str,
            pin: tuple[float, float], at: datetime, photos: tuple[Media, ...]) -> str | None:
    with container.uow() as uow:
        citizen = uow.citizens.get_or_create(Channel.WEB, f"warga-{n}", None, f"Warga {n}",
                                             "id", at)
        done = lifecycle.submit(uow, container.city(), actor, lifecycle.Submission(
            citizen_id=citizen.id, channel=Channel.WEB, chat_id=f"warga-{n}",
            type=ReportType.PENGADUAN, category=category, description=TEXTS[category],
            event_date=at.date(), location=Location(*pin),
            kelurahan=kelurahan, privacy=Privacy.PUBLIK if n % 3 == 0 else Privacy.RAHASIA,
            photos=photos), at)
        uow.commit()
    return done.tracking_no if isinstance(done, Submitted) else None


def _work(container: Container, rng: random.Random, coordinator: Actor, officer: Actor,
          number: str, filed: datetime, now: datetime) -> None:
    """Verify, answer and resolve some of it, each step late or on time at random."""
    city = container.city()
    at = filed + timedelta(days=rng.choice((0.3, 1, 2, 4, 6)))
    steps = [
        lambda uow, when: lifecycle.verify(uow, city, coordinator, number, None, when),
        lambda uow, when: lifecycle.answer(uow, city, officer, number,
                                           "Tim kami sudah menjadwalkan peninjauan lokasi.", when),
        lambda uow, when: lifecycle.resolve(uow, city, officer, number,
                                            "Sudah ditangani di lapangan, terima kasih.", when),
    ]
    for index, step in enumerate(steps):
        if at >= now or rng.random() < (0.15, 0.2, 0.35)[index]:
            return
        with container.uow() as uow:
            if isinstance(step(uow, at), Refused):
                return
            uow.commit()
        at += timedelta(days=rng.choice((0.5, 1, 3, 5, 9, 12)))
