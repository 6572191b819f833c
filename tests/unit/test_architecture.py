"""`core/` stays plain Python: no web, chat, ORM, scheduler or HTTP library (STYLE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "core"
FORBIDDEN = {"fastapi", "starlette", "telegram", "sqlmodel", "sqlalchemy", "apscheduler",
             "httpx", "uvicorn", "psycopg", "alembic", "pydantic", "pydantic_settings", "bot",
             "storage", "PIL"}


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


@pytest.mark.parametrize("path", sorted((CORE.parent / "storage").rglob("*.py")),
                         ids=lambda p: p.name)
def test_pillow_is_used_only_by_the_delivery_side(path: Path) -> None:
    assert "PIL" not in imported_roots(path)  # photos are bytes to core and storage


def test_the_import_walker_sees_nested_and_aliased_imports(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    import sqlalchemy.orm as o\n    from fastapi import X\n")
    assert {"sqlalchemy", "fastapi"} <= imported_roots(sample)


ROOT = CORE.parent
PACKAGES = ("core", "bot", "storage")
# Front-ends (the intake form, chat admin commands; the API and dashboard in bot/) call the
# lifecycle; the lifecycle, the SLA clock, the directory and matching never call them back.
LOWER_LAYERS = {"core.reports": {"core.intake", "core.work"},
                "core.sla": {"core.intake", "core.work"},
                "core.directory": {"core.intake", "core.work", "core.reports", "core.sla"},
                "core.matching": {"core.work"}}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_imports(path: Path) -> set[str]:
    """Modules of core/bot/storage this file imports at run time (TYPE_CHECKING aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skipped = {id(n) for node in ast.walk(tree)
               if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
               for branch in node.body for n in ast.walk(branch)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from pkg import submodule` needs the submodule; `from pkg import name`, pkg.
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                is_module = any((ROOT / (submodule.replace(".", "/") + suffix)).exists()
                                for suffix in (".py", "/__init__.py"))
                found.add(submodule if is_module else node.module)
    return {name for name in found if name.split(".")[0] in PACKAGES}


def sources() -> list[Path]:
    return [p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))
            if "migrations" not in p.parts]


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in sources()}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in project_imports(path):
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def test_core_is_organised_by_use_case() -> None:
    packages = {p.parent.name for p in CORE.glob("*/__init__.py")}
    assert {"intake", "work", "reports", "sla", "directory", "matching", "i18n"} <= packages


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_over_300_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 300


def test_there_are_no_import_circles() -> None:
    graph = import_graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    circles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                circles.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_lower_layers_never_import_the_front_ends() -> None:
    graph = import_graph()
    wrong = sorted((module, target) for module, targets in graph.items()
                   for layer, banned in LOWER_LAYERS.items() if module.startswith(layer + ".")
                   for target in targets
                   if any(target == b or target.startswith(b + ".") for b in banned))
    assert wrong == []


def test_the_circle_finder_sees_a_circle(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from core.x import y\n"
                      "from core.reports import lifecycle\nimport bot.app\n")
    assert project_imports(sample) == {"core.reports.lifecycle", "bot.app"}
