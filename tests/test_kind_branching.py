"""No branching on the kind of model (binary / multinomial / ordinal) outside the families.

What is kind-specific lives in the family implementations (``engine/binary.py``,
``engine/multinomial.py``, ``engine/ordinal*.py``), the parameter layout that owns the reshape
(``engine/layout.py``) and the vocabulary table (``render/vocabulary.py``). Everywhere else a
result, a report or a fit calls the family / layout / vocabulary and does not ask which kind it
has. This test reads every module with :mod:`ast` and lists the places that do ask:

- a comparison with the constant ``"binary"``, ``"multinomial"`` or ``"ordinal"``
  (``kind == "binary"``, ``kind in ("binary", ...)``);
- reading ``.is_multinomial`` (the layout's own flag);
- ``isinstance(x, LogitResult | MLogitResult | OrdinalResult | BinaryFamily | ...)``.

``KNOWN`` is the explicit allow-list of the places that remain, each with why; a count may only
go down (a new branch, or a branch in a new module, fails here).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "logitstats"
KINDS = {"binary", "multinomial", "ordinal"}
KIND_TYPES = {
    "LogitResult",
    "MLogitResult",
    "OLogitResult",
    "OrdinalResult",
    "BinaryFamily",
    "MultinomialFamily",
    "OrdinalFamily",
}

#: where kind-specific code belongs (not counted)
HOMES = {
    "engine/binary.py",
    "engine/multinomial.py",
    "engine/ordinal.py",
    "engine/ordinal_family.py",
    "engine/layout.py",
    "render/vocabulary.py",
    # the outcome coding per kind (design imports no engine, so it has its own table): build.py
    # and aliasing.py look the kind up there once and call the coding
    "design/codings.py",
}

#: the places that still branch, at most this many sites each, and why
KNOWN: dict[str, tuple[int, str]] = {
}


def kind_branches(tree: ast.AST) -> list[int]:
    """Line numbers of the places in ``tree`` that branch on the kind of model."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            consts = [c for o in operands for c in ast.walk(o) if isinstance(c, ast.Constant)]
            if any(c.value in KINDS for c in consts if isinstance(c.value, str)):
                lines.append(node.lineno)
        elif isinstance(node, ast.Attribute) and node.attr == "is_multinomial":
            lines.append(node.lineno)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "isinstance"
            and len(node.args) == 2
        ):
            names = {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)}
            names |= {n.attr for n in ast.walk(node.args[1]) if isinstance(n, ast.Attribute)}
            if names & KIND_TYPES:
                lines.append(node.lineno)
    return sorted(set(lines))


def _sites() -> dict[str, list[int]]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in HOMES:
            continue
        lines = kind_branches(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            out[rel] = lines
    return out


def test_no_kind_branching_outside_the_families_and_the_vocabulary():
    over = {
        rel: lines for rel, lines in _sites().items() if len(lines) > KNOWN.get(rel, (0, ""))[0]
    }
    assert over == {}, (
        "branching on binary/multinomial/ordinal outside the families: move the kind-specific "
        f"part into the family, the layout or render/vocabulary.py (file: lines): {over}"
    )


def test_the_results_base_and_tables_do_not_branch():
    # issue 11: the labels of results/base.py moved into the layout (results/labels.py)
    sites = _sites()
    for rel in (
        "results/base.py",
        "results/fit_statistics.py",
        "results/effect_methods.py",
        "results/labels.py",
        "results/tables.py",
        "results/state.py",
    ):
        assert rel not in sites, (rel, sites.get(rel))


def test_the_check_finds_each_form_of_branch():
    src = "\n".join(
        [
            'a = 1 if kind == "binary" else 2',
            'b = kind in ("multinomial", "ordinal")',
            "c = layout.is_multinomial",
            "d = isinstance(r, MLogitResult)",
            "e = isinstance(f, (fam.BinaryFamily, int))",
            'f = kind == "prob"',  # not a model kind
            "g = isinstance(x, float)",
        ]
    )
    assert kind_branches(ast.parse(src)) == [1, 2, 3, 4, 5]
