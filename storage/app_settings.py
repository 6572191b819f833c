"""Values the service generates once and keeps across restarts (e.g. the Telegram webhook secret)."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlmodel import col

from storage.columns import insert_for
from storage.engine import read_only
from storage.tables import AppSettingRow


class SqlAppSettings:
    """get / set-if-absent over `app_settings`; concurrent writers agree on one value."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._reader = read_only(engine)

    def get(self, key: str) -> str | None:
        with Session(self._reader) as session, session.begin():
            return session.execute(
                select(col(AppSettingRow.value)).where(col(AppSettingRow.key) == key)
            ).scalar_one_or_none()

    def set_if_absent(self, key: str, value: str) -> str:
        """Store `value` unless the key exists; return whichever value is stored now."""
        with Session(self._engine) as session, session.begin():
            # ON CONFLICT DO NOTHING: two processes starting at once both succeed, and the
            # first insert wins for both of them.
            session.execute(
                insert_for(session, AppSettingRow)
                .values(key=key, value=value)
                .on_conflict_do_nothing(index_elements=["key"])
            )
            stored = session.execute(
                select(col(AppSettingRow.value)).where(col(AppSettingRow.key) == key)
            ).scalar_one()
        return str(stored)
