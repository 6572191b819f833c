"""`core/` stays plain Python: no web, chat, ORM, scheduler or HTTP library (STYLE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "core"
FORBIDDEN = {"fastapi", "starlette", "telegram", "sqlmodel", "sqlalchemy", "apscheduler",
             "httpx", "uvicorn", "psycopg", "alembic", "pydantic", "pydantic_settings", "bot",
             "storage"}


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: p.name)
def test_core_module_imports_no_framework(path: Path) -> None:
    assert imported_roots(path).isdisjoint(FORBIDDEN), imported_roots(path) & FORBIDDEN


def test_the_import_walker_sees_nested_and_aliased_imports(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    import sqlalchemy.orm as o\n    from fastapi import X\n")
    assert {"sqlalchemy", "fastapi"} <= imported_roots(sample)
