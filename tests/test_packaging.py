"""pyproject.toml declares what the package imports, and the repository holds what it declares.

``pip install .`` alone must give a working install: every third-party module that
``logitstats`` imports is a runtime dependency, unless the import is optional, i.e. inside a
``try`` that handles ImportError in each file that uses it (python-docx, with a message naming
the extra; threadpoolctl, an optional speed-up).
"""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "logitstats"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

#: modules imported only inside ``try: ... except ImportError`` (checked below)
OPTIONAL = {"docx", "threadpoolctl", "pyarrow", "sklearn", "dask"}  # dask: extra "dask", reached
# only for a Dask DataFrame (whose user has dask installed)


def _handles_import_error(node: ast.Try) -> bool:
    for h in node.handlers:
        types = h.type.elts if isinstance(h.type, ast.Tuple) else [h.type]
        if any(
            isinstance(t, ast.Name) and t.id in ("ImportError", "ModuleNotFoundError")
            for t in types
        ):
            return True
    return False


def third_party_imports() -> dict[str, list[tuple[str, int, bool]]]:
    """Top-level module -> (file, line, guarded by an ImportError handler) of each import."""
    found: dict[str, list[tuple[str, int, bool]]] = {}

    def visit(node: ast.AST, path: Path, guarded: bool) -> None:
        if isinstance(node, ast.Try):
            inner = guarded or _handles_import_error(node)
            for child in node.body:
                visit(child, path, inner)
            for child in [*node.handlers, *node.orelse, *node.finalbody]:
                visit(child, path, guarded)
            return
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            if top not in sys.stdlib_module_names and top != "logitstats":
                rel = str(path.relative_to(ROOT))
                found.setdefault(top, []).append((rel, getattr(node, "lineno", 0), guarded))
        for child in ast.iter_child_nodes(node):
            visit(child, path, guarded)

    for path in sorted(PACKAGE.rglob("*.py")):
        visit(ast.parse(path.read_text(encoding="utf-8")), path, False)
    return found


def _runtime_dependencies() -> set[str]:
    return {canonicalize_name(Requirement(r).name) for r in PYPROJECT["project"]["dependencies"]}


def _distribution(module: str) -> str:
    return canonicalize_name(metadata.packages_distributions().get(module, [module])[0])


def test_every_required_import_is_a_declared_runtime_dependency():
    declared = _runtime_dependencies()
    imports = third_party_imports()
    assert "matplotlib" in imports  # reports draw figures: the regression this test guards
    missing = {
        module: sites
        for module, sites in imports.items()
        if module not in OPTIONAL and _distribution(module) not in declared
    }
    assert missing == {}, (
        f"expected every module imported by logitstats in [project].dependencies; got "
        f"undeclared {missing}: add them to pyproject.toml or import them optionally"
    )


def test_optional_imports_are_guarded_and_extras_are_declared():
    # each file that imports an optional module first tries it inside an ImportError handler
    imports = third_party_imports()
    unguarded = sorted(
        (m, f)
        for m in OPTIONAL
        for f in {site[0] for site in imports.get(m, [])}
        if not any(site[2] for site in imports[m] if site[0] == f)
    )
    assert unguarded == []
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert [Requirement(r).name for r in extras["docx"]] == ["python-docx"]
    assert [Requirement(r).name for r in extras["sklearn"]] == ["scikit-learn"]
    assert [Requirement(r).name for r in extras["dask"]] == ["dask", "pyarrow"]
    assert extras["plot"] == []  # compatibility alias: matplotlib is a runtime dependency


def test_the_declared_license_file_exists():
    assert PYPROJECT["project"]["license"] == {"text": "BSD-3-Clause"}
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("BSD 3-Clause License\n\nCopyright (c) 2026, logitstats developers\n")
    assert "Neither the name of the copyright holder" in text
