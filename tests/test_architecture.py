"""The repository's import architecture.

- No module of ours imports another that imports it back, directly or through a longer circle, counting
  imports under ``TYPE_CHECKING`` and imports inside functions.
- The Venstar client library and the emulators never import Home Assistant, not even through a module of ours.
- The household alarm model never imports Home Assistant or zwave-js; the presence eco decisions
  and the recovery-rate learner never import Home Assistant.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("custom_components", "emulators", "devstack", "distribution")
HOME_ASSISTANT = ("homeassistant", "pytest_homeassistant_custom_component")
ZWAVE = ("zwave_js_server", "voluptuous")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


@cache
def _modules() -> dict[str, Path]:
    """Map every module of ours to its file."""
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """Return the absolute module an ``ImportFrom`` names."""
    if not node.level:
        return node.module or ""
    package = module if is_package else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def _scan(
    module: str, is_package: bool, source: str
) -> tuple[frozenset[str], frozenset[str]]:
    """Return (modules of ours, outside top-level packages) that `source` imports anywhere."""
    modules = _modules()
    ours: set[str] = set()
    outside: set[str] = set()

    def add(name: str) -> None:
        if name in modules:
            ours.add(name)
        elif name.split(".", maxsplit=1)[0] in PACKAGES:
            # ``import a.b.c`` where only ``a.b`` is a module: the closest module of ours.
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                ours.add(name)
        else:
            outside.add(name.split(".")[0])

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, is_package, node)
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:
                    add(f"{base}.{alias.name}")
                else:
                    add(base)
    ours.discard(module)
    return frozenset(ours), frozenset(outside)


@cache
def _imports(module: str) -> tuple[frozenset[str], frozenset[str]]:
    """Return (modules of ours, outside top-level packages) that `module` imports anywhere."""
    path = _modules()[module]
    return _scan(module, path.name == "__init__.py", path.read_text())


def _reachable(module: str) -> set[str]:
    """Return every module of ours that importing ``module`` can import, itself included."""
    seen = {module}
    todo = [module]
    while todo:
        for imported in _imports(todo.pop())[0]:
            if imported not in seen:
                seen.add(imported)
                todo.append(imported)
    return seen


def _circles() -> list[list[str]]:
    """Return the strongly connected groups of more than one module (Tarjan)."""
    graph = {module: sorted(_imports(module)[0]) for module in _modules()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph[module]:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return groups


def _under(prefix: str) -> list[str]:
    return [m for m in _modules() if m == prefix or m.startswith(f"{prefix}.")]


def test_the_scan_sees_every_package() -> None:
    modules = _modules()
    for expected in (
        "custom_components.venstar_local",
        "custom_components.venstar_local.api.client",
        "custom_components.firstalert_zwave.model",
        "emulators.venstar.emulator",
        "devstack.stack",
        "distribution.publish",
    ):
        assert expected in modules
    # The scan resolves relative imports to modules of ours.
    assert (
        "custom_components.venstar_local.const"
        in _imports("custom_components.venstar_local.coordinator")[0]
    )


def test_the_scan_counts_imports_under_type_checking_and_inside_functions() -> None:
    source = """
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from .emulator import VenstarEmulator


def later() -> None:
    from . import tls
    import homeassistant.core
"""
    ours, outside = _scan("emulators.venstar.pipeline", False, source)
    assert ours == {"emulators.venstar.emulator", "emulators.venstar.tls"}
    assert outside == {"typing", "aiohttp", "homeassistant"}


def test_no_module_imports_one_that_imports_it_back() -> None:
    assert _circles() == []


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        # The household alarm raises the repairs; the repairs know only the model.
        ("firstalert_zwave.issues", "firstalert_zwave.household_alarm"),
        # The household alarm knows detectors, not how zwave_js reports them (the adapter).
        ("firstalert_zwave.household_alarm", "firstalert_zwave.adapter"),
    ],
)
def test_layers_stay_apart(importer: str, imported: str) -> None:
    assert f"custom_components.{imported}" not in _reachable(
        f"custom_components.{importer}"
    )


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("custom_components.venstar_local.api", HOME_ASSISTANT),
        ("emulators", HOME_ASSISTANT),
        ("custom_components.firstalert_zwave.model", HOME_ASSISTANT + ZWAVE),
        # The decisions of presence eco and the learned recovery rates are pure too.
        ("custom_components.venstar_local.presence.model", HOME_ASSISTANT),
        ("custom_components.venstar_local.thermal_learning", HOME_ASSISTANT),
    ],
)
def test_home_assistant_free_parts(package: str, forbidden: tuple[str, ...]) -> None:
    modules = _under(package)
    assert modules
    for module in modules:
        for reached in _reachable(module):
            # Importing a module of another package runs that package's ``__init__`` too.
            assert reached.startswith(package), f"{module} reaches {reached}"
            outside = _imports(reached)[1] & set(forbidden)
            assert not outside, (
                f"{module} reaches {reached}, which imports {sorted(outside)}"
            )
