"""The layers of core/: every import points down (or within its own layer), and none loops.

core/ is stacked as nn → data → labs → render → figures → exchange → settings/experiment
(README, "Architecture"). A module may import from its own layer or a lower one; an import
from a higher layer, a cycle between modules, or Streamlit anywhere in core/ fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "core"
LAYERS = ("nn", "data", "labs", "render", "figures", "exchange", "top")


def _module_name(path: Path) -> str:
    parts = path.relative_to(CORE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) >= 3 and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return LAYERS.index("top")  # core.settings, core.experiment, core (the package)


def _imports(path: Path) -> set[str]:
    """Every module this file imports, resolved to a module name (``from a import b`` → a.b
    when a.b is a module, else a)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in MODULES else node.module)
    return found


MODULES = {_module_name(p): p for p in CORE.rglob("*.py")}
GRAPH = {name: {m for m in _imports(p) if m in MODULES} for name, p in MODULES.items()}


def test_every_core_module_is_in_a_known_layer():
    for name in MODULES:
        parts = name.split(".")
        assert len(parts) <= 2 or parts[1] in LAYERS, f"{name} is in no layer"
        if len(parts) == 2:  # top-level modules of core/ sit above every layer
            assert parts[1] in LAYERS or parts[1] in ("settings", "experiment"), name


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down(name):
    upward = sorted(m for m in GRAPH[name] if _layer(m) > _layer(name))
    assert not upward, f"{name} (layer {LAYERS[_layer(name)]}) imports from above: {upward}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_core_never_imports_streamlit(name):
    assert not any(m.split(".")[0] == "streamlit" for m in _imports(MODULES[name])), name


def test_no_import_cycles():
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == "open":
                cycle = path[path.index(nxt) :] + [nxt] if nxt in path else [node, nxt]
                raise AssertionError("import cycle: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = "done"

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])


def test_the_checker_sees_an_upward_import(tmp_path):
    # The checker itself must fail on what it guards against.
    bad = tmp_path / "bad.py"
    bad.write_text("from core.figures.theme import INK\nimport core.experiment\n")
    assert {"core.experiment"} <= _imports(bad)
    assert _layer("core.experiment") > _layer("core.nn.network")
    assert _layer("core.figures.transform") > _layer("core.labs.probes")
