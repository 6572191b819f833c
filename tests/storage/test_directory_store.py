from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlmodel import col

from core.directory.model import Category, Directory, Opd, SlaTier
from storage.directory_store import SqlDirectoryStore
from storage.tables import CategoryRow, OpdRow
from tests.storage.helpers import NOW

TIERS = (SlaTier("pengaduan", 14),)


def _directory(*categories: Category) -> Directory:
    opds = (Opd("dpupr", "Dinas PUPR", ("PU", "Pekerjaan Umum")), Opd("dlh", "Dinas LH"))
    return Directory(city="Kota Contoh", opds=opds, categories=categories, sla_tiers=TIERS)


JALAN = Category("jalan", "Jalan rusak", "Damaged road", "dpupr", "pengaduan", ("lubang",))
SAMPAH = Category("sampah", "Sampah", "Waste", "dlh", "pengaduan", location_required=False,
                  auto_dispose=True)


def test_empty_store_has_no_version(engine: Engine) -> None:
    store = SqlDirectoryStore(engine)
    assert store.latest() is None
    assert store.latest_version_id() is None


def test_saved_directory_is_latest_and_mirrored(engine: Engine) -> None:
    store = SqlDirectoryStore(engine)
    v1 = store.save(_directory(JALAN, SAMPAH), "bundled.yaml", "city: Kota Contoh\n", NOW)
    assert store.latest() == (v1, "bundled.yaml", "city: Kota Contoh\n")
    with Session(engine) as session:
        opd = session.get_one(OpdRow, "dpupr")
        assert (opd.name, json.loads(opd.aliases)) == ("Dinas PUPR", ["PU", "Pekerjaan Umum"])
        sampah = session.get_one(CategoryRow, "sampah")
        assert (sampah.opd_slug, sampah.location_required, sampah.auto_dispose) == (
            "dlh", False, True
        )
        assert json.loads(session.get_one(CategoryRow, "jalan").synonyms) == ["lubang"]
        assert sampah.updated_at == NOW


def test_new_version_updates_categories_and_keeps_retired_ones(engine: Engine) -> None:
    store = SqlDirectoryStore(engine)
    v1 = store.save(_directory(JALAN, SAMPAH), "a.yaml", "v1", NOW)
    renamed = Category("jalan", "Jalan dan trotoar", "Roads", "dpupr", "pengaduan")
    later = NOW + timedelta(days=1)
    v2 = store.save(_directory(renamed), "b.yaml", "v2", later)
    assert v2 > v1
    assert store.latest_version_id() == v2
    assert store.latest() == (v2, "b.yaml", "v2")
    with Session(engine) as session:
        rows = session.scalars(select(CategoryRow).order_by(col(CategoryRow.code))).all()
        assert [(c.code, c.name_id, c.updated_at) for c in rows] == [
            ("jalan", "Jalan dan trotoar", later),
            ("sampah", "Sampah", NOW),  # retired, still named for old reports
        ]
        assert session.get(OpdRow, "dlh") is not None
