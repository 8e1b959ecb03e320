"""The framework's shape: no import circles (type-only ones included), small modules, and
Slack's SDKs imported in one place only."""

from __future__ import annotations

import ast
from pathlib import Path

import adapter

ADAPTER = Path(adapter.__file__).parent
SOURCES = sorted(ADAPTER.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ADAPTER.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every adapter module ``path`` imports, wherever the import stands (in a function,
    under TYPE_CHECKING): each one is an arrow."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("adapter")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if not base.startswith("adapter"):
                continue
            for alias in node.names:  # `from . import checks` names a module
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in MODULES else base)
    return found - {here}


MODULES = {module_name(path) for path in SOURCES}
GRAPH = {module_name(path): imports(path) & MODULES for path in SOURCES}


def test_there_is_no_import_circle() -> None:
    circles = []
    state: dict[str, str] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(GRAPH[module]):
            if state.get(target) == "open":
                circles.append(" -> ".join(trail[trail.index(target):] + [target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_the_graph_is_read() -> None:
    """The check above can fail: it sees the engine's real arrows."""
    assert {"adapter.dialogs", "adapter.storage"} <= GRAPH["adapter.engine"]
    assert {"adapter.turn", "adapter.transfers", "adapter.storage"} <= GRAPH["adapter.dialogs"]
    assert "adapter.dialogs" not in GRAPH["adapter.turn"]


def test_no_module_is_over_300_lines() -> None:
    long = {str(p.relative_to(ADAPTER)): n for p in SOURCES
            if (n := len(p.read_text().splitlines())) > 300}
    assert long == {}


def test_only_adapter_slack_imports_bolt_and_the_sdk() -> None:
    importers = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n.split(".")[0] in ("slack_bolt", "slack_sdk") for n in names):
                importers.add(module_name(path))
    assert importers and all(name.startswith("adapter.slack") for name in importers), importers


def test_the_environment_is_read_in_one_place() -> None:
    readers = {module_name(p) for p in SOURCES
               if "os.environ" in p.read_text() or "getenv(" in p.read_text()}
    assert readers == {"adapter.settings"}
