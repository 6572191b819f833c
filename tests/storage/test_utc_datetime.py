"""`UtcDateTime` writes SQLite's text in one step (storage/columns.py); it must be exactly what
this type's conversion followed by SQLAlchemy's SQLite DATETIME wrote before, and round-trip
on both databases."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, Table, insert, select
from sqlalchemy.dialects import sqlite

from storage.columns import UtcDateTime

SQLITE = sqlite.dialect()


def reference(value: datetime) -> str:
    """The two steps as they were: to naive UTC wall time, then DATETIME's own format."""
    naive = value.astimezone(UTC).replace(tzinfo=None)
    process = sqlite.DATETIME().bind_processor(SQLITE)
    assert process is not None
    return str(process(naive))


def values() -> list[datetime]:
    rng = random.Random(19)
    zones = [UTC, ZoneInfo("UTC"), ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Jayapura"),
             ZoneInfo("Europe/Berlin"), timezone(timedelta(hours=-9, minutes=-30))]
    found = [datetime(2026, 12, 6, 3, 4, 5, tzinfo=UTC),  # no microseconds
             datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=ZoneInfo("Asia/Jakarta")),
             datetime(1970, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 12, tzinfo=UTC),
             datetime(2026, 3, 29, 2, 30, tzinfo=ZoneInfo("Europe/Berlin"))]  # a DST gap
    for _ in range(300):
        seconds = rng.uniform(0, 3e9)
        moment = datetime(1990, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
        if rng.random() < 0.3:
            moment = moment.replace(microsecond=0)
        found.append(moment.astimezone(rng.choice(zones)))
    return found


def test_sqlites_text_is_what_datetime_wrote() -> None:
    process = UtcDateTime().bind_processor(SQLITE)
    assert process is not None
    for value in values():
        assert process(value) == reference(value), value
    assert process(None) is None


def test_a_naive_value_is_refused_on_every_database() -> None:
    from sqlalchemy.dialects import postgresql

    for dialect in (SQLITE, postgresql.dialect()):
        process = UtcDateTime().bind_processor(dialect)
        assert process is not None
        with pytest.raises(ValueError, match="naive"):
            process(datetime(2026, 12, 6, 3, 4, 5))


def test_values_come_back_as_the_same_instant(engine: Engine) -> None:
    metadata = MetaData()
    table = Table("utc_probe", metadata, Column("id", Integer, primary_key=True),
                  Column("at", UtcDateTime))
    metadata.create_all(engine)
    sample = values()[:60]
    try:
        with engine.begin() as conn:
            conn.execute(insert(table), [{"id": i, "at": v} for i, v in enumerate(sample)])
        with engine.connect() as conn:
            got = {i: at for i, at in conn.execute(select(table.c.id, table.c.at))}
            later = conn.execute(select(table.c.id).where(table.c.at > sample[0])).scalars()
            assert set(later) == {i for i, v in enumerate(sample) if v > sample[0]}
    finally:
        metadata.drop_all(engine)
    for i, value in enumerate(sample):
        # (compared in UTC: a time in a DST gap compares unequal across zones, PEP 495)
        assert got[i] == value.astimezone(UTC) and got[i].utcoffset() == timedelta(0)
