r"""Nonlinear functions of the coefficients: a safe expression language with exact derivatives.

An expression such as ``"exp(GPA) - exp(TUCE)"`` or ``"`C(rank)[T.2]` / `C(rank)[T.3]`"`` is
parsed with :mod:`ast` and checked against an allow-list before anything is computed (as the
formula allow-list of :mod:`logitstats.design.formula`): names are coefficient names (a name that
is not a Python identifier is written between backticks), numbers, the constants ``pi`` and
``e``, ``+ - * / **``, unary minus, and calls of the functions in :data:`FUNCTIONS`. Nothing is
ever passed to ``eval``: the tree is walked by :func:`_evaluate`, which knows these nodes only.

The walk carries each value with its gradient in the coefficients (forward-mode differentiation
with dual numbers), so the Jacobian of the delta method,
:math:`\widehat{\mathrm{Var}}\, g(\hat b) = J V J'` with :math:`J = \partial g / \partial b`, is
exact (as ``car::deltaMethod``'s symbolic derivative), not a finite difference.

A restriction ``lhs = rhs`` stands for the function ``lhs - rhs`` (null value 0); several are
separated by ``,`` or ``;`` outside brackets.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from logitstats.errors import LogitstatsError

__all__ = ["FUNCTIONS", "Expression", "parse_expressions", "is_nonlinear"]


def _expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


#: name -> (value, derivative) of the one-argument functions an expression may call
FUNCTIONS: dict[str, tuple[Callable[[float], float], Callable[[float], float]]] = {
    "exp": (math.exp, math.exp),
    "log": (math.log, lambda x: 1.0 / x),
    "log1p": (math.log1p, lambda x: 1.0 / (1.0 + x)),
    "log2": (math.log2, lambda x: 1.0 / (x * math.log(2.0))),
    "log10": (math.log10, lambda x: 1.0 / (x * math.log(10.0))),
    "expm1": (math.expm1, math.exp),
    "sqrt": (math.sqrt, lambda x: 0.5 / math.sqrt(x)),
    "abs": (abs, lambda x: float(np.sign(x))),
    "sin": (math.sin, math.cos),
    "cos": (math.cos, lambda x: -math.sin(x)),
    "tan": (math.tan, lambda x: 1.0 / math.cos(x) ** 2),
    "tanh": (math.tanh, lambda x: 1.0 - math.tanh(x) ** 2),
    "arctan": (math.atan, lambda x: 1.0 / (1.0 + x * x)),
    "expit": (_expit, lambda x: _expit(x) * (1.0 - _expit(x))),
    "plogis": (_expit, lambda x: _expit(x) * (1.0 - _expit(x))),
    "logit": (lambda x: math.log(x / (1.0 - x)), lambda x: 1.0 / (x * (1.0 - x))),
}
_CONSTANTS = {"pi": math.pi, "e": math.e}
_FUNCTION_LIST = ", ".join(FUNCTIONS)
_ALLOWED = (
    "coefficient names (between backticks when not identifiers), numbers, pi, e, "
    f"+ - * / **, and the functions {_FUNCTION_LIST}"
)
_FUNCTION_CALL = re.compile(r"\b(" + "|".join(FUNCTIONS) + r")\s*\(")
_BACKTICK = re.compile(r"`([^`]*)`")


@dataclass(frozen=True)
class Expression:
    """One parsed function ``g(b)`` of the coefficients (``text`` as the user wrote it)."""

    text: str
    tree: ast.Expression
    positions: dict[str, int]

    def value_and_gradient(self, b: np.ndarray) -> tuple[float, np.ndarray]:
        """``(g(b), dg/db)``; the gradient is exact (forward mode)."""
        b = np.asarray(b, dtype=float)
        with np.errstate(all="ignore"):
            try:
                v, g = _evaluate(self.tree.body, b, self.positions)
            except (ValueError, OverflowError, ZeroDivisionError) as exc:
                raise LogitstatsError(
                    f"hypothesis {self.text!r}: expected a function defined at the estimates; "
                    f"got a math error ({exc}); rewrite it (e.g. log of a negative coefficient)"
                ) from None
        return v, g


def is_nonlinear(text: str) -> bool:
    """True when ``text`` calls a registered function, multiplies/divides coefficients, raises
    to a power or uses backticks: the linear parser does not read it."""
    return bool(_FUNCTION_CALL.search(text) or "`" in text or "**" in text or "/" in text)


def parse_expressions(text: str, names: Sequence[str]) -> list[Expression]:
    """Parse ``"g1 = h1, g2"`` into the functions ``g1 - h1`` and ``g2`` of the coefficients.

    Raises
    ------
    LogitstatsError
        For anything outside the allow-list (see the module docstring), an unknown name, or
        more than one ``=`` in a restriction.

    Examples
    --------
    >>> e = parse_expressions("exp(a) - 2 * b = 1", ["a", "b"])[0]
    >>> v, g = e.value_and_gradient(np.array([0.0, 1.0]))
    >>> float(v), g.tolist()
    (-2.0, [1.0, -2.0])
    """
    if not isinstance(text, str) or not text.strip():
        raise LogitstatsError(
            f"hypothesis: expected a non-empty string such as 'exp(x1) - exp(x2) = 0'; got {text!r}"
        )
    out = []
    for part in _split_top(text):
        sides = part.split("=")
        if len(sides) > 2:
            raise LogitstatsError(
                f"hypothesis: expected at most one '=' per restriction; got {part.strip()!r}; "
                "separate restrictions with ','"
            )
        code = sides[0] if len(sides) == 1 else f"({sides[0]}) - ({sides[1]})"
        out.append(_compile(part.strip(), code, names))
    return out


def _split_top(text: str) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch in ",;" and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [p for p in out if p.strip()]


def _compile(label: str, code: str, names: Sequence[str]) -> Expression:
    index = {n: i for i, n in enumerate(names)}
    positions: dict[str, int] = {}
    quoted: list[str] = []

    def placeholder(m: re.Match[str]) -> str:
        quoted.append(m.group(1))
        return f"__q{len(quoted) - 1}"

    code = _BACKTICK.sub(placeholder, code)
    if "`" in code:
        raise LogitstatsError(
            f"hypothesis {label!r}: expected backticks in pairs around a name; got an unpaired "
            "backtick"
        )
    try:
        tree = ast.parse(code.strip(), mode="eval")
    except SyntaxError:
        raise LogitstatsError(
            f"hypothesis {label!r}: expected an arithmetic expression of {_ALLOWED}; got text "
            "that does not parse; names such as C(rank)[T.2] go between backticks"
        ) from None
    for node in ast.walk(tree):
        _check(node, label)
        if isinstance(node, ast.Name) and not _is_function_name(node, tree):
            name = node.id
            if name.startswith("__q"):
                name = quoted[int(name[3:])]
            if name in index:
                positions[node.id] = index[name]
            elif node.id not in _CONSTANTS:
                shown = ", ".join(map(repr, list(names)[:12])) + (" ..." if len(names) > 12 else "")
                raise LogitstatsError(
                    f"hypothesis {label!r}: expected coefficient names ({shown}); got {name!r}; "
                    "write names that are not identifiers between backticks"
                )
    if not positions:
        raise LogitstatsError(
            f"hypothesis {label!r}: expected a function of the coefficients; got one that "
            "involves no coefficient"
        )
    return Expression(label, tree, positions)


def _is_function_name(node: ast.Name, tree: ast.AST) -> bool:
    return any(isinstance(c, ast.Call) and c.func is node for c in ast.walk(tree))


_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)


def _check(node: ast.AST, label: str) -> None:
    ok = isinstance(node, ast.Expression | ast.Name | ast.Load | ast.operator | ast.unaryop)
    if isinstance(node, ast.BinOp):
        ok = isinstance(node.op, _BINOPS)
    elif isinstance(node, ast.UnaryOp):
        ok = isinstance(node.op, ast.UAdd | ast.USub)
    elif isinstance(node, ast.Constant):
        ok = type(node.value) in (int, float)
    elif isinstance(node, ast.Call):
        ok = (
            isinstance(node.func, ast.Name)
            and node.func.id in FUNCTIONS
            and len(node.args) == 1
            and not node.keywords
        )
    elif isinstance(node, ast.operator):
        ok = isinstance(node, _BINOPS)
    elif isinstance(node, ast.unaryop):
        ok = isinstance(node, ast.UAdd | ast.USub)
    if not ok:
        what = ast.unparse(node) if isinstance(node, ast.expr) else type(node).__name__
        raise LogitstatsError(
            f"hypothesis {label!r}: expected {_ALLOWED}; got {what!r}; an expression is data, "
            "never code"
        )


def _evaluate(node: ast.AST, b: np.ndarray, pos: dict[str, int]) -> tuple[float, np.ndarray]:
    """Value and gradient of an allow-listed node (the only evaluator; no ``eval``)."""
    k = b.size
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)  # checked by _check
        return float(node.value), np.zeros(k)
    if isinstance(node, ast.Name):
        if node.id in pos:
            g = np.zeros(k)
            g[pos[node.id]] = 1.0
            return float(b[pos[node.id]]), g
        return _CONSTANTS[node.id], np.zeros(k)
    if isinstance(node, ast.UnaryOp):
        v, g = _evaluate(node.operand, b, pos)
        return (-v, -g) if isinstance(node.op, ast.USub) else (v, g)
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)  # checked by _check
        fn, deriv = FUNCTIONS[node.func.id]
        v, g = _evaluate(node.args[0], b, pos)
        return float(fn(v)), deriv(v) * g
    assert isinstance(node, ast.BinOp)  # checked by _check
    lv, lg = _evaluate(node.left, b, pos)
    rv, rg = _evaluate(node.right, b, pos)
    op = node.op
    if isinstance(op, ast.Add):
        return lv + rv, lg + rg
    if isinstance(op, ast.Sub):
        return lv - rv, lg - rg
    if isinstance(op, ast.Mult):
        return lv * rv, lg * rv + lv * rg
    if isinstance(op, ast.Div):
        return lv / rv, (lg * rv - lv * rg) / (rv * rv)
    value = lv**rv
    if isinstance(value, complex):
        raise ValueError("a negative number to a fractional power")
    grad = rv * lv ** (rv - 1.0) * lg if np.any(lg) else np.zeros(k)
    if np.any(rg):
        grad = grad + value * math.log(lv) * rg
    return float(value), grad
