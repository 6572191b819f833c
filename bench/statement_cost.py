"""What one hot-path statement costs SQLAlchemy, three ways (issue 19):

    python -m bench.statement_cost [--runs 5000]

The replay log's INSERT … ON CONFLICT DO NOTHING … RETURNING on SQLite in memory, in one
transaction: built anew on every call (what the hot path did), built once with its values bound
at execution (what it does now), and as driver SQL. Prints CPU microseconds per call.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import create_engine
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session
from sqlmodel import SQLModel

from storage.columns import table_of
from storage.tables import InboundIdRow


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5000)
    args = parser.parse_args()
    engine = create_engine("sqlite:///:memory:")
    SQLModel.metadata.create_all(engine)
    table, now = table_of(InboundIdRow), datetime.now(UTC)
    once = (insert(table).on_conflict_do_nothing(index_elements=["channel", "external_id"])
            .returning(table.c.external_id))
    raw = ("INSERT INTO inbound_ids (channel, external_id, received_at) VALUES (?, ?, ?) "
           "ON CONFLICT (channel, external_id) DO NOTHING RETURNING external_id")

    def built(session: Session, key: str) -> object:
        return session.execute(
            insert(table).values(channel="telegram", external_id=key, received_at=now)
            .on_conflict_do_nothing(index_elements=["channel", "external_id"])
            .returning(table.c.external_id)).scalar_one_or_none()

    def prebuilt(session: Session, key: str) -> object:
        return session.execute(once, {"channel": "telegram", "external_id": key,
                                      "received_at": now}).scalar_one_or_none()

    def driver(session: Session, key: str) -> object:
        return session.connection().exec_driver_sql(
            raw, ("telegram", key, now.isoformat(" "))).scalar_one_or_none()

    ways: list[tuple[str, Callable[[Session, str], object]]] = [
        ("built per call", built), ("built once", prebuilt), ("driver SQL", driver)]
    for name, way in ways:
        with Session(engine) as session:
            for n in range(200):  # warm the caches
                way(session, f"{name}-warm-{n}")
            started = time.process_time()
            for n in range(args.runs):
                way(session, f"{name}-{n}")
            session.commit()
            spent = time.process_time() - started
        print(f"{name}: {spent / args.runs * 1e6:.1f} µs per call")


if __name__ == "__main__":
    main()
