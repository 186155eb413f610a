"""R habits a formula keeps: ``y ~ .`` (every other column) and an ``offset(z)`` term.

Both are read from the formula's text before patsy sees it: :func:`expand_dot` rewrites each
``.`` term into the other columns, and :func:`offset_term` recognises ``offset(z)`` (a column,
or ``offset(Q('z'))``), which the design then takes as the model's offset.
"""

from __future__ import annotations

import ast
import io
import keyword
import tokenize
from collections.abc import Collection, Iterable
from typing import Any

from logitstats.design.formula import quoted_name, scan_factor
from logitstats.errors import FormulaError

__all__ = ["expand_dot", "offset_term"]


def offset_term(code: str) -> str | None:
    """The column of R's ``offset(z)`` / ``offset(Q('z'))`` term, or None for any other code.

    Only a column is supported (the model's offset is a column, reread from new data at predict
    time); ``offset(np.log(z))`` is refused by :func:`check_factors` with the advice to add the
    transformed column to the data.
    """
    try:
        node = ast.parse(code.strip(), mode="eval").body
    except SyntaxError:
        return None
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "offset"
        and len(node.args) == 1
        and not node.keywords
    ):
        return None
    arg = node.args[0]
    if isinstance(arg, ast.Name):
        return arg.id
    if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and arg.func.id == "Q":
        return quoted_name(code, arg)
    return None


def expand_dot(formula: str, columns: Iterable[Any], exclude: Collection[str]) -> str:
    """R's ``y ~ .``: each ``.`` term of the right-hand side becomes every other column.

    ``.`` stands for all columns of data, in column order, except those the outcome uses and
    ``exclude`` (the weights, offset and groups columns), as ``(a + b + Q('c d'))``, so that
    ``y ~ . - x`` drops ``x``. A formula without a ``.`` term is returned unchanged.
    """
    if "." not in formula or "~" not in formula:
        return formula
    lhs, rhs = formula.split("~", 1)
    try:
        toks = list(tokenize.generate_tokens(io.StringIO(rhs).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return formula
    dots = []
    prev: Any = None
    for tok in toks:
        if tok.type in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.COMMENT):
            continue
        after_value = prev is not None and (
            prev.type in (tokenize.NAME, tokenize.NUMBER, tokenize.STRING)
            or prev.string in (")", "]")
        )
        if tok.type == tokenize.OP and tok.string == "." and not after_value:
            dots.append(tok)
        prev = tok
    if not dots:
        return formula
    outcome_names = set(scan_factor(lhs.strip()).names) | set(scan_factor(lhs.strip()).quoted)
    terms = []
    for c in columns:
        if not isinstance(c, str):
            raise FormulaError(
                f"'y ~ .' needs string column names; got the column {c!r}; rename the columns "
                "or list the terms"
            )
        if c in outcome_names or c in exclude:
            continue
        terms.append(c if c.isidentifier() and not keyword.iskeyword(c) else f"Q({c!r})")
    if not terms:
        raise FormulaError(
            f"'.' in {formula!r} stands for every other column of data, but there is none; "
            "expected at least one predictor column"
        )
    expansion = "(" + " + ".join(terms) + ")"
    lines = rhs.split("\n")
    for tok in reversed(dots):  # positions are (row, col), rows 1-based
        row, col = tok.start
        line = lines[row - 1]
        lines[row - 1] = line[:col] + expansion + line[col + 1 :]
    return lhs + "~" + "\n".join(lines)
