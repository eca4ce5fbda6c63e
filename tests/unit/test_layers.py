"""The backend's imports only point down its layers, and no two modules import each other.

Reads every module under backend/ with `ast` (imports inside functions count too: a function-level
import hides a cycle, it does not remove it) and checks:

* no import cycle between backend modules;
* each module imports only from its own layer or lower ones:

    entry points   backend (the app factory), backend.api.*, backend.commands, backend.serve,
                   backend.reminders.dispatch, backend.reminders.runner, backend.reminders.push_tests,
                   backend.reminders.file_jobs
    services       backend.services.*
    infrastructure backend.models.*, backend.extensions, backend.config, backend.errors, backend.auth,
                   backend.push.*, backend.events
    pure domain    backend.course.*, backend.record.*, backend.i18n.*,
                   backend.reminders.{occurrences,schedule,texts}
                   (and no Flask, SQLAlchemy or marshmallow either)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BACKEND = Path(__file__).resolve().parents[2] / "backend"

ENTRY, SERVICES, INFRA, PURE = 3, 2, 1, 0
PURE_MODULES = ("backend.reminders.occurrences", "backend.reminders.schedule", "backend.reminders.texts")
ENTRY_MODULES = (
    "backend",
    "backend.commands",
    "backend.serve",
    "backend.reminders.dispatch",
    "backend.reminders.runner",
    "backend.reminders.push_tests",
    "backend.reminders.file_jobs",
)
FRAMEWORKS = ("flask", "flask_sqlalchemy", "flask_smorest", "sqlalchemy", "marshmallow")


def module_name(path: Path) -> str:
    parts = path.relative_to(BACKEND.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    if module in ENTRY_MODULES or module.startswith("backend.api"):
        return ENTRY
    if module.startswith("backend.services"):
        return SERVICES
    if module in PURE_MODULES or module.startswith(("backend.course", "backend.record", "backend.i18n")):
        return PURE
    return INFRA


def _modules() -> dict[str, Path]:
    return {module_name(p): p for p in BACKEND.rglob("*.py")}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Every module this file imports (absolute and relative, at any depth), as dotted names."""
    tree = ast.parse(path.read_text(), str(path))
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in known else base)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: imports_of(path, known) for name, path in modules.items()}


def _internal(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    return {m: {i for i in deps if i in graph and i != m} for m, deps in graph.items()}


def find_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return cycles


def test_the_checker_sees_a_cycle_and_an_upward_import() -> None:
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert layer("backend.services.accounts") > layer("backend.models") > layer("backend.course.plan")
    assert layer("backend.api.schemas.courses") > layer("backend.services.courses")


def test_no_import_cycles_between_backend_modules(graph) -> None:
    # A package's __init__ that re-exports its own modules is not a cycle of the design.
    edges = {
        m: {d for d in deps if not (m.startswith(d + ".") and d + ".__init__" not in graph)}
        for m, deps in _internal(graph).items()
    }
    assert find_cycles(edges) == []


def test_imports_only_point_down_the_layers(graph) -> None:
    upward = sorted(
        f"{module} ({layer(module)}) imports {dep} ({layer(dep)})"
        for module, deps in _internal(graph).items()
        for dep in deps
        if layer(dep) > layer(module)
    )
    assert upward == []


def test_pure_domain_modules_use_no_framework(graph) -> None:
    offenders = sorted(
        f"{module} imports {dep}"
        for module, deps in graph.items()
        if layer(module) == PURE
        for dep in deps
        if dep.split(".")[0] in FRAMEWORKS
    )
    assert offenders == []


def test_services_live_in_backend_services() -> None:
    """One home: no `service(s).py` outside backend/services."""
    strays = sorted(
        str(p.relative_to(BACKEND))
        for p in BACKEND.rglob("*.py")
        if "service" in p.stem and "services" not in p.parts
    )
    assert strays == []
