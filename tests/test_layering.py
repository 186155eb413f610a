"""The layering of DESIGN.md ("Layout"), enforced from the import graph.

Every module of ``logitstats/`` is parsed with :mod:`ast` (nothing is imported); every import is
collected, including function-level and ``TYPE_CHECKING`` ones, with relative imports resolved.
The rules:

- ``LAYERS``: which layers a layer may import (its own modules are always allowed). A layer is a
  subpackage (``engine``) or a top-level module (``cli``); the package ``__init__`` is the layer
  ``logitstats``.
- ``THIRD_PARTY``: pandas stays out of the array layers; only ``design/`` imports patsy;
  matplotlib only in ``render/`` and ``reporting/plots/``.
- Only ``cli/`` reads ``sys.argv``.
- No import cycles among modules, counting the imports that run when a module is imported
  (module level, not under ``if TYPE_CHECKING:``); a cycle is reported with its path.

:func:`check_tree` returns the violations as sentences; the tests at the bottom run it on the
package and, to show that it bites, on small synthetic trees with a forbidden import.
"""

from __future__ import annotations

import ast
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parent.parent / "logitstats"

_BASE = {"errors", "options"}
_ARRAYS = _BASE | {"numerics", "engine", "backends", "inference"}
_MODEL = _ARRAYS | {"design", "fit", "results", "io", "reporting", "render"}

# layer -> the layers it may import (the arrows of DESIGN.md point from a key to its values).
LAYERS: dict[str, frozenset[str]] = {
    "errors": frozenset(),
    "options": frozenset({"errors"}),
    "numerics": frozenset({"errors"}),
    "design": frozenset(_BASE | {"numerics"}),
    "engine": frozenset(_BASE | {"numerics"}),
    "backends": frozenset(_BASE | {"numerics", "engine"}),
    "inference": frozenset(_BASE | {"numerics", "engine"}),
    "render": frozenset(_BASE),  # pure functions of report data: no engine/design/fit/results
    "reporting": frozenset(_BASE | {"numerics", "inference", "render"}),
    # results -> io only inside FitResult.save() (io imports results at module level)
    "results": frozenset(_ARRAYS | {"design", "reporting", "render", "io"}),
    "io": frozenset(_ARRAYS | {"design", "results"}),
    "fit": frozenset(_ARRAYS | {"design", "results", "io"}),
    "datasets": frozenset({"errors"}),
    "examples": frozenset(_MODEL | {"datasets", "logitstats"}),
    "cli": frozenset(_MODEL | {"datasets", "examples", "logitstats"}),
    # `python -m logitstats`: runs the console script, nothing else
    "__main__": frozenset({"cli"}),
    "logitstats": frozenset(_MODEL | {"numerics", "datasets"}),  # the public surface
    "sklearn": frozenset(_MODEL | {"logitstats"}),  # an adapter over the public surface
}

# third-party top-level package -> the layers (or "layer.module" names) allowed to import it.
THIRD_PARTY: dict[str, frozenset[str]] = {
    "pandas": frozenset(LAYERS) - {"errors", "options", "numerics", "engine", "inference"},
    "patsy": frozenset({"design"}),
    "matplotlib": frozenset({"render", "reporting.plots"}),
}

ARGV_READERS = frozenset({"cli"})


@dataclass(frozen=True)
class Import:
    """One import statement's target, as seen from the importing module."""

    source: str  # dotted module name, e.g. "logitstats.engine.newton"
    target: str  # dotted name: a module of the package, or a third-party top-level name
    line: int
    runtime: bool  # runs when the module is imported (module level, not under TYPE_CHECKING)


def module_name(path: Path, root: Path, package: str) -> str:
    """Dotted name of the module in ``path`` (``pkg/__init__.py`` -> ``pkg``)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([package, *parts])


def layer_of(module: str, package: str) -> str:
    """``logitstats.engine.newton`` -> ``engine``; ``logitstats`` -> ``logitstats``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else package


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, runtime: bool) -> Iterator[tuple[ast.AST, bool]]:
    """Every node below ``node`` with whether it runs at import time."""
    for child in ast.iter_child_nodes(node):
        child_runtime = runtime and not isinstance(
            child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        )
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            yield child, child_runtime
            for stmt in child.body:
                yield stmt, False
                yield from _walk(stmt, False)
            for stmt in child.orelse:
                yield stmt, child_runtime
                yield from _walk(stmt, child_runtime)
            continue
        yield child, child_runtime
        yield from _walk(child, child_runtime)


def _resolve(name: str, modules: set[str], package: str) -> str:
    """The most specific module of the package that ``name`` refers to, or its top-level name."""
    if name.split(".")[0] != package:
        return name.split(".")[0]
    while name not in modules and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def collect_imports(path: Path, module: str, is_package: bool, modules: set[str], package: str):
    """The imports of one module and the lines where it reads ``sys.argv``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    imports: list[Import] = []
    argv_lines: list[int] = []
    sys_names = {"sys"}
    for node, runtime in _walk(tree, True):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _resolve(alias.name, modules, package)
                imports.append(Import(module, target, node.lineno, runtime))
                if alias.name == "sys" and alias.asname:
                    sys_names.add(alias.asname)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                drop = node.level - 1 if is_package else node.level
                base = base[: len(base) - drop] if drop else base
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            if origin == "sys" and any(a.name == "argv" for a in node.names):
                argv_lines.append(node.lineno)
            for alias in node.names:
                candidate = f"{origin}.{alias.name}"
                target = candidate if candidate in modules else _resolve(origin, modules, package)
                imports.append(Import(module, target, node.lineno, runtime))
        elif (
            isinstance(node, ast.Attribute)
            and node.attr == "argv"
            and isinstance(node.value, ast.Name)
            and node.value.id in sys_names
        ):
            argv_lines.append(node.lineno)
    return imports, argv_lines


def _find_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a path ``a, b, ..., a``) per strongly connected component (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in edges.get(v, ()):
                components.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            connect(v)

    cycles = []
    for comp in components:
        members = set(comp)
        start = comp[0]
        # breadth-first search for the shortest path from start back to start inside the component
        parent: dict[str, str] = {}
        frontier = [start]
        found = None
        while frontier and found is None:
            nxt = []
            for v in frontier:
                for w in sorted(edges.get(v, ())):
                    if w == start:
                        found = v
                        break
                    if w in members and w not in parent:
                        parent[w] = v
                        nxt.append(w)
                if found is not None:
                    break
            frontier = nxt
        path = [start]
        v = found
        while v is not None and v != start:
            path.append(v)
            v = parent.get(v)
        cycles.append([start, *reversed(path[1:]), start])
    return cycles


def check_tree(root: Path, package: str = "logitstats") -> list[str]:
    """Every violation of the layering rules in the package rooted at ``root``, as sentences."""
    files = sorted(root.rglob("*.py"))
    names = {module_name(f, root, package): f for f in files}
    modules = set(names)
    violations: list[str] = []
    runtime_edges: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in names.items():
        rel = path.relative_to(root.parent).as_posix()
        layer = layer_of(module, package)
        if layer not in LAYERS:
            violations.append(
                f"{rel}: layer {layer!r} is not in the LAYERS table of tests/test_layering.py; "
                "add it with the layers it may import"
            )
            continue
        imports, argv_lines = collect_imports(
            path, module, path.name == "__init__.py", modules, package
        )
        for line in argv_lines:
            if layer not in ARGV_READERS:
                violations.append(f"{rel}:{line}: reads sys.argv; only cli/ reads argv")
        for imp in imports:
            if imp.target in modules:
                if imp.runtime and imp.target != module:
                    runtime_edges[module].add(imp.target)
                target_layer = layer_of(imp.target, package)
                if target_layer != layer and target_layer not in LAYERS[layer]:
                    allowed = ", ".join(sorted(LAYERS[layer])) or "nothing"
                    violations.append(
                        f"{rel}:{imp.line}: {layer}/ imports {imp.target} ({target_layer}/); "
                        f"{layer}/ may import only {allowed}"
                    )
            elif imp.target in THIRD_PARTY:
                short = module.split(".", 1)[1] if "." in module else package
                allowed_in = THIRD_PARTY[imp.target]
                # "layer.module" covers a module and, if it is a package, its submodules
                inside = any(short == a or short.startswith(f"{a}.") for a in allowed_in)
                if layer not in allowed_in and not inside:
                    where = ", ".join(sorted(allowed_in))
                    violations.append(
                        f"{rel}:{imp.line}: {layer}/ imports {imp.target}; "
                        f"{imp.target} is allowed only in {where}"
                    )
    violations = list(dict.fromkeys(violations))  # one per line and target, not per name
    for cycle in _find_cycles(runtime_edges):
        violations.append("import cycle: " + " -> ".join(cycle))
    return violations


# ----------------------------------------------------------------------------------------------


def test_package_follows_the_layering():
    violations = check_tree(PACKAGE_ROOT)
    assert not violations, "layering violations:\n" + "\n".join(violations)


def test_every_top_level_part_has_a_layer():
    modules = {p.stem for p in PACKAGE_ROOT.glob("*.py") if p.stem != "__init__"}
    packages = {p.parent.name for p in PACKAGE_ROOT.glob("*/__init__.py")}
    missing = (modules | packages) - set(LAYERS)
    assert not missing, f"add to LAYERS in tests/test_layering.py: {sorted(missing)}"


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "logitstats"
    for rel, text in {"__init__.py": "", **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(root).parents:
            init = root / parent / "__init__.py"
            if not init.exists():
                init.write_text("")
        path.write_text(text)
    return root


def test_clean_synthetic_tree_has_no_violations(tmp_path):
    root = _tree(
        tmp_path,
        {
            "errors.py": "",
            "numerics/softmax.py": "import numpy as np\nfrom logitstats.errors import X\n",
            "engine/newton.py": "from ..numerics import softmax\nfrom . import layout\n",
            "engine/layout.py": "import numpy\n",
            "cli.py": "import sys\nargs = sys.argv\nfrom logitstats.engine import newton\n",
        },
    )
    assert check_tree(root) == []


def test_forbidden_layer_import_is_reported(tmp_path):
    root = _tree(
        tmp_path,
        {
            "engine/newton.py": "def f():\n    from logitstats.render import text\n",
            "render/text.py": "",
        },
    )
    [violation] = check_tree(root)
    assert violation.startswith("logitstats/engine/newton.py:2: engine/ imports logitstats.render")
    assert "engine/ may import only errors, numerics, options" in violation


def test_relative_import_is_resolved(tmp_path):
    root = _tree(
        tmp_path, {"numerics/rank.py": "from ..engine import newton\n", "engine/newton.py": ""}
    )
    [violation] = check_tree(root)
    assert "numerics/ imports logitstats.engine.newton (engine/)" in violation


def test_type_checking_import_counts_for_layers(tmp_path):
    code = (
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        "    from logitstats.results import R\n"
    )
    root = _tree(tmp_path, {"render/text.py": code, "results/__init__.py": ""})
    [violation] = check_tree(root)
    assert "render/ imports logitstats.results (results/)" in violation


@pytest.mark.parametrize(
    ("rel", "code", "message"),
    [
        ("engine/binary.py", "import pandas as pd\n", "engine/ imports pandas"),
        ("inference/tests.py", "from pandas import DataFrame\n", "inference/ imports pandas"),
        ("fit/api.py", "import patsy.builtins\n", "fit/ imports patsy; patsy is allowed only"),
        ("results/base.py", "import matplotlib.pyplot\n", "results/ imports matplotlib"),
        ("reporting/plotsx.py", "import matplotlib\n", "reporting/ imports matplotlib"),
        ("design/build.py", "import sys\nx = sys.argv[1:]\n", "reads sys.argv; only cli/"),
        ("examples.py", "from sys import argv\n", "examples.py:1: reads sys.argv"),
    ],
)
def test_forbidden_third_party_or_argv_is_reported(tmp_path, rel, code, message):
    [violation] = check_tree(_tree(tmp_path, {rel: code}))
    assert message in violation


def test_allowed_third_party_is_not_reported(tmp_path):
    files = {
        "design/build.py": "import patsy\nimport pandas\n",
        "reporting/plots.py": "def f():\n    import matplotlib as mpl\n",
        "reporting/plots/forest.py": "def f():\n    from matplotlib.ticker import Formatter\n",
        "render/html.py": "import matplotlib\n",
    }
    assert check_tree(_tree(tmp_path, files)) == []


def test_unknown_layer_is_reported(tmp_path):
    [violation] = check_tree(_tree(tmp_path, {"helpers.py": ""}))
    assert "layer 'helpers' is not in the LAYERS table" in violation


def test_import_cycle_is_reported_with_its_path(tmp_path):
    files = {
        "results/base.py": "from logitstats.results.binary import B\n",
        "results/binary.py": "from logitstats.results import effects\n",
        "results/effects.py": "from logitstats.results.base import A\n",
    }
    [violation] = check_tree(_tree(tmp_path, files))
    assert violation == (
        "import cycle: logitstats.results.base -> logitstats.results.binary -> "
        "logitstats.results.effects -> logitstats.results.base"
    )


def test_function_level_and_type_checking_imports_make_no_cycle(tmp_path):
    files = {
        "results/base.py": "from logitstats.results.binary import B\n",
        "results/binary.py": "def f():\n    from logitstats.results.base import A\n",
        "results/effects.py": (
            "from typing import TYPE_CHECKING\nimport logitstats.results.base\n"
            "if TYPE_CHECKING:\n    from logitstats.results.binary import B\n"
        ),
    }
    assert check_tree(_tree(tmp_path, files)) == []


def test_forbidden_import_added_to_the_real_tree_is_reported(tmp_path):
    root = tmp_path / "logitstats"
    shutil.copytree(PACKAGE_ROOT, root, ignore=shutil.ignore_patterns("__pycache__", "data"))
    newton = root / "engine" / "newton.py"
    newton.write_text(
        newton.read_text() + "\nimport pandas as pd\nfrom logitstats.results import base\n"
    )
    violations = check_tree(root)
    # the pandas import, the upward import, and the cycle it closes (results/base imports engine)
    assert len(violations) == 3, violations
    assert all(v.startswith("logitstats/engine/newton.py:") for v in violations[:2])
    assert any("engine/ imports pandas; pandas is allowed only in" in v for v in violations)
    assert any("engine/ imports logitstats.results.base (results/)" in v for v in violations)
    assert violations[2].startswith("import cycle: logitstats.engine -> logitstats.engine.newton")


def test_one_violation_per_import_line_not_per_name(tmp_path):
    code = "from logitstats.render.text import a, b, c\nfrom logitstats.render.text import d\n"
    files = {"engine/binary.py": code, "render/text.py": ""}
    violations = check_tree(_tree(tmp_path, files))
    assert [v.split(": ", 1)[0] for v in violations] == [
        "logitstats/engine/binary.py:1",
        "logitstats/engine/binary.py:2",
    ]
