"""Running `aduan` in-process and building its data, shared by the CLI tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from bot.cli import main
from core.reports.model import Privacy
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import make_citizen, new_report

CHAT_ID = "tg-chat-8812345"  # the reporter's identity must never reach an export


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


Cli = Callable[..., Run]


def run_usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    captured = capsys.readouterr()
    return Run(int(exited.value.code or 0), captured.out, captured.err)


def add_report(engine: Engine, privacy: Privacy, title: str, **changes: Any) -> str:
    citizen_id = make_citizen(engine, CHAT_ID)
    report = replace(
        new_report(citizen_id, title=title), chat_id=CHAT_ID, category="jalan_rusak", opd="pupr",
        privacy=privacy, **changes,
    )
    with SqlUnitOfWork(engine) as uow:
        tracking_no = uow.reports.add(report)
        uow.commit()
    return tracking_no


def all_values(engine: Engine, table: str) -> list[str]:
    with Session(engine) as session:
        return [str(v) for row in session.execute(text(f"SELECT * FROM {table}")) for v in row]
