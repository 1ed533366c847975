"""The layout shows the architecture: a package per concern, dependencies pointing one way, no
import cycles, one convention for type tokens, and constructors split into named steps."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "components" / "pulumi_azureml"

# Which packages each may import (besides itself). The program -> stack -> components -> core;
# the command -> plan and policy, which never see a component.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    # Resource hooks: what `pulumi up` and `pulumi destroy` ask of Azure besides the provider.
    "lifecycle": {"core"},
    # The platform's network: virtual network, private endpoints, DNS, typed outbound rules.
    "network": {"core"},
    "dependents": {"core", "lifecycle"},
    "workspace": {"core", "dependents", "lifecycle", "network"},
    "compute": {"core", "dependents", "workspace", "lifecycle"},
    "datastore": {"core", "dependents", "workspace", "lifecycle", "network"},
    # An Azure ML registry lives in a stack of its own: it never sees a workspace.
    "registry": {"core", "network"},
    "connection": {"core", "workspace"},
    "policy": {"core", "plan"},
    "plan": {"core"},
    # Kubernetes compute and online endpoints: placed on a workspace like computes.
    "inference": {"core", "dependents", "workspace", "compute", "lifecycle"},
    "stack": {
        "core",
        "dependents",
        "workspace",
        "compute",
        "datastore",
        "policy",
        "network",
        "inference",
        "connection",
        "registry",
    },
    "connect": {"core"},
    "cli": {"core", "plan", "policy", "connect"},
    "__init__": {
        "core",
        "dependents",
        "workspace",
        "compute",
        "datastore",
        "stack",
        "network",
        "inference",
        "registry",
        "connection",
    },
}


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(p for p in parts if p != "__init__") or "__init__"
        found[name] = path
    return found


def imports_of(name: str, path: Path) -> set[str]:
    """Modules of the package ``name`` imports, anywhere in the file (lazy imports count)."""
    tree = ast.parse(path.read_text())
    is_package = path.name == "__init__.py"
    base = name.split(".") if name != "__init__" else []
    here = base if is_package else base[:-1]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                target = [*anchor, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.startswith("pulumi_azureml"):
                target = node.module.split(".")[1:]
            else:
                continue
            candidates = [".".join([*target, alias.name]) for alias in node.names] + [".".join(target)]
            out.update(c for c in candidates if c)
        elif isinstance(node, ast.Import):
            out.update(a.name.split(".", 1)[1] for a in node.names if a.name.startswith("pulumi_azureml."))
    known = modules()
    return {m for m in out if m in known and m != name}


def top(name: str) -> str:
    return name.split(".")[0]


def test_dependencies_point_one_way() -> None:
    broken = []
    for name, path in modules().items():
        for imported in imports_of(name, path):
            if top(imported) != top(name) and top(imported) not in ALLOWED[top(name)]:
                broken.append(f"{name} -> {imported}")
    assert broken == []


def test_no_import_cycles() -> None:
    graph = {name: imports_of(name, path) for name, path in modules().items()}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str], done: set[str]) -> None:
        if node in stack:
            cycles.append([*stack[stack.index(node) :], node])
            return
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            # A package's __init__ re-exporting its own modules is not a cycle of concerns.
            if nxt == node.rsplit(".", 1)[0] and (PACKAGE / node.replace(".", "/")).with_suffix(".py").exists():
                continue
            visit(nxt, [*stack, node], done)
        done.add(node)

    done: set[str] = set()
    for name in sorted(graph):
        visit(name, [], done)
    assert cycles == []


def test_no_function_over_sixty_lines() -> None:
    long = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 60:
                    long.append(f"{name}.{node.name}: {length} lines")
    assert long == []


COMPONENT_PACKAGES = {"workspace", "compute", "datastore", "registry", "inference", "connection"}


@pytest.mark.parametrize("name", sorted(n for n in modules() if top(n) in COMPONENT_PACKAGES))
def test_components_use_one_type_token_convention(name: str) -> None:
    source = modules()[name].read_text()
    assert "pulumi-azureml:index:" not in source, "type tokens come from core.tokens.component_type"
