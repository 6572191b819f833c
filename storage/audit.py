"""The audit log (`audit_log`): written by the CLI, the retention job, erasures, and by the API
and dashboard each time they show a report's reporter; read by `aduan audit`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.orm import Session

from core.privacy.model import AuditEntry
from core.reports.actors import Actor
from storage.columns import table_of
from storage.engine import read_only
from storage.tables import AuditRow

_audit = table_of(AuditRow)


@dataclass(frozen=True, slots=True)
class AuditLine:
    id: int
    at: datetime
    actor_kind: str
    actor: str
    action: str
    subject: str | None
    detail: str | None


def actor_label(actor: Actor) -> str:
    """"Dinas PU (#3)": a staff actor's name and row id, as the audit log names them."""
    name = actor.name or actor.kind.value
    return f"{name} (#{actor.id})" if actor.id is not None else name


def record_identity_read(bind: Connection | Session | Engine, actor: Actor, tracking_no: str,
                         at: datetime, where: str = "api") -> None:
    """Record that `actor` was shown the reporter of `tracking_no` (call it wherever the API or
    the dashboard shows a report's identity). With a Connection or Session it joins the caller's
    transaction (which must commit); with an Engine it commits on its own."""
    _identity_read(bind, actor, f"report {tracking_no}", at, where)


def record_names_export(bind: Connection | Session | Engine, actor: Actor, sheet: str,
                        at: datetime, where: str) -> None:
    """Record that `actor` downloaded `sheet` (e.g. `reports.csv`) with reporters' names in
    it: one line per download, `where` saying which filters chose its rows."""
    _identity_read(bind, actor, sheet, at, where)


def _identity_read(bind: Connection | Session | Engine, actor: Actor, subject: str,
                   at: datetime, where: str) -> None:
    statement = insert(_audit).values(
        at=at, actor_kind=actor.kind.value, actor=actor_label(actor), action="identity_read",
        subject=subject, detail=where[:500])
    if isinstance(bind, Engine):
        with bind.begin() as connection:
            connection.execute(statement)
    else:
        bind.execute(statement)


class SqlAuditLog:
    """Writes one line per action in its own transaction; lists them oldest first."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def record(self, entry: AuditEntry, now: datetime) -> None:
        with self._engine.begin() as connection:
            connection.execute(insert(_audit).values(
                at=now, actor_kind=entry.actor_kind, actor=entry.actor, action=entry.action,
                subject=entry.subject, detail=entry.detail))

    def lines(self, since: datetime | None = None) -> list[AuditLine]:
        query = select(_audit).order_by(_audit.c.at, _audit.c.id)
        if since is not None:
            query = query.where(_audit.c.at >= since)
        with read_only(self._engine).connect() as connection:
            return [AuditLine(r.id, r.at, r.actor_kind, r.actor, r.action, r.subject, r.detail)
                    for r in connection.execute(query)]
