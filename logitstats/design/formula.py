"""A formula is data, never code: the allow-list evaluator of formula factors.

patsy evaluates each factor of a formula (``np.log(x)``, ``C(g, Treatment('a'))``) as Python.
logitstats keeps patsy's formula language but checks every factor's code against an allow-list
before anything is evaluated, and evaluates it in a namespace that holds only the registry of
formula functions, the user's explicit ``functions`` and the columns of the data:

- the code of each factor is parsed with :mod:`ast` (``mode="eval"``); allowed are column names
  (and ``Q("...")``, with Python string semantics), numbers, strings, ``True``/``False``/``None``,
  lists and tuples of literals as function arguments, unary and binary arithmetic, comparison and
  boolean operators, and calls of the functions in :data:`FORMULA_FUNCTIONS`, of
  ``np.<name>``/``numpy.<name>`` for ``name`` in :data:`NUMPY_FUNCTIONS` and of the user's
  ``functions``. Anything else (``__import__``, ``open``, attribute walks, subscripts, lambdas,
  comprehensions, ``:=``, f-strings, ...) is a :class:`~logitstats.errors.FormulaError` that names
  the refused token;
- names never resolve to the caller's frame nor to Python's builtins: :class:`FormulaEnvironment`
  evaluates with ``{"__builtins__": {}}`` as globals, so even code that bypassed the check would
  reach nothing but the registry and the columns.

R habits are answered, never silently misread: ``^`` inside an expression is Python's bitwise XOR,
so it is refused with a pointer to ``**``; ``factor(x)``, ``poly(x, 2)``, ``ns(x, 3)`` and
``offset(z)`` are refused with the logitstats spelling (``C(x)``, ``I(x**2)``/``bs``, ``cr``,
``offset="z"``). ``y ~ .`` is expanded by :func:`expand_dot`.

The registry (what the allow-list allows, and the environment that evaluates) is
:mod:`logitstats.design.registry`; R's ``y ~ .`` and ``offset(z)`` terms are read by
:mod:`logitstats.design.rhabits`.
"""

from __future__ import annotations

import ast
import difflib
import functools
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from logitstats.design.registry import (
    ALLOWED,
    CONTRASTS,
    FORMULA_FUNCTIONS,
    HOWTO,
    MODULES,
    NUMPY_CONSTANTS,
    NUMPY_FUNCTIONS,
    R_HABITS,
    FormulaEnvironment,
    formula_env,
)
from logitstats.errors import FormulaError

__all__ = [
    "FORMULA_FUNCTIONS",
    "NUMPY_FUNCTIONS",
    "NUMPY_CONSTANTS",
    "FactorScan",
    "FormulaEnvironment",
    "formula_env",
    "scan_factor",
    "check_factors",
    "quoted_name",
]

# --------------------------------------------------------------------------- the check


@dataclass(frozen=True)
class FactorScan:
    """What one factor's code refers to (the code passed the structural check).

    Attributes
    ----------
    code : str
    names : tuple of str
        Bare names read as values: columns, contrasts (``Sum``) or user functions.
    calls : tuple of str
        Bare names called: registry or user functions.
    quoted : tuple of str
        Column names given as ``Q("...")`` (Python string semantics).
    """

    code: str
    names: tuple[str, ...]
    calls: tuple[str, ...]
    quoted: tuple[str, ...]


_NODE_WORDS: dict[type, str] = {
    ast.Lambda: "lambda",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.NamedExpr: "the assignment operator :=",
    ast.Starred: "unpacking with *",
    ast.JoinedStr: "an f-string",
    ast.FormattedValue: "an f-string",
    ast.Subscript: "a subscript [...]",
    ast.Slice: "a slice",
    ast.IfExp: "'... if ... else ...' (use np.where(cond, a, b))",
    ast.Dict: "a dict",
    ast.Set: "a set",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}
_BINOPS = (
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.FloorDiv,
    ast.Mod,
    ast.Pow,
    ast.BitAnd,
    ast.BitOr,
)
_UNARYOPS = (ast.UAdd, ast.USub, ast.Not, ast.Invert)
_CMPOPS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_LITERAL_TYPES = (bool, int, float, complex, str, type(None))


def _segment(code: str, node: ast.AST) -> str:
    text = ast.get_source_segment(code, node) or type(node).__name__
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _refuse(code: str, what: str, token: str, advice: str = HOWTO) -> FormulaError:
    return FormulaError(
        f"formula term {code!r}: {what} is not allowed in a formula; expected {ALLOWED}; "
        f"got {token!r}. {advice[:1].upper()}{advice[1:]}"
    )


def _is_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, _LITERAL_TYPES)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
        return isinstance(node.operand, ast.Constant) and isinstance(
            node.operand.value, int | float
        )
    if isinstance(node, ast.List | ast.Tuple):
        return all(_is_literal(e) for e in node.elts)
    return False


def _numpy_name(node: ast.AST) -> str | None:
    """``'np.log'`` for ``np.log`` (or ``numpy.log``) when registered, else None."""
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in MODULES
    ):
        return f"np.{node.attr}"
    return None


def _check_node(code: str, node: ast.AST, as_argument: bool) -> None:
    """Raise the FormulaError naming ``node`` when it (in isolation) is refused.

    The one place the allow-list is decided (calls are checked against the registry later, in
    :func:`check_factors`, because user functions and columns depend on the call).
    """
    if isinstance(node, ast.Constant):
        if not isinstance(node.value, _LITERAL_TYPES):
            raise _refuse(code, "this constant", _segment(code, node))
        return None
    if isinstance(node, ast.Name):
        return None
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.BitXor):
            raise _refuse(
                code,
                "'^' inside an expression (Python's bitwise XOR, not a power)",
                _segment(code, node),
                "use ** for powers, as in I(x**2); between terms, (a + b)**2 means all "
                "interactions up to order 2",
            )
        if not isinstance(node.op, _BINOPS):
            raise _refuse(code, "this operator", _segment(code, node))
        return None
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, _UNARYOPS):
            raise _refuse(code, "this operator", _segment(code, node))
        return None
    if isinstance(node, ast.BoolOp):
        return None
    if isinstance(node, ast.Compare):
        if not all(isinstance(op, _CMPOPS) for op in node.ops):
            raise _refuse(
                code,
                "'in', 'not in', 'is' and 'is not'",
                _segment(code, node),
                "compare with == != < <= > >= (np.logical_or for several values)",
            )
        return None
    if isinstance(node, ast.List | ast.Tuple):
        if not (as_argument and _is_literal(node)):
            raise _refuse(
                code,
                "a list or tuple other than a function argument made of literals",
                _segment(code, node),
                "write lists of numbers or strings only as arguments, e.g. "
                "C(g, levels=['a', 'b']) or bs(x, knots=[1, 2])",
            )
        return None
    if isinstance(node, ast.Attribute):
        name = _numpy_name(node)
        if name is None or node.attr not in NUMPY_FUNCTIONS | NUMPY_CONSTANTS:
            raise _refuse(
                code,
                f"the attribute .{node.attr}",
                _segment(code, node),
                "only np.<function> for the registered pure numpy functions is allowed "
                "(np.log, np.exp, np.sqrt, np.where, ...); " + HOWTO,
            )
        return None
    if isinstance(node, ast.Call):
        func = node.func
        if not (isinstance(func, ast.Name) or _numpy_name(func) is not None):
            for inner in ast.walk(func):  # name the construct itself when there is one
                if type(inner) in _NODE_WORDS:
                    _check_node(code, inner, False)
            raise _refuse(code, "calling this expression", _segment(code, func))
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise _refuse(code, "unpacking with *", _segment(code, arg))
        for kw in node.keywords:
            if kw.arg is None:
                raise _refuse(code, "unpacking with **", _segment(code, kw.value))
        return None
    word = _NODE_WORDS.get(type(node), type(node).__name__)
    raise _refuse(code, word, _segment(code, node))


@functools.lru_cache(maxsize=8192)
def scan_factor(code: str) -> FactorScan:
    """Check one factor's code structurally and list the names it uses (cached per code).

    Raises
    ------
    FormulaError
        The code is not a Python expression, or uses something outside the allow-list.
    """
    try:
        tree = ast.parse(code.strip(), mode="eval")
    except SyntaxError:
        raise FormulaError(
            f"cannot read the term {code!r} of the formula: it is not a valid Python expression; "
            f"quote a column name with spaces or special characters as Q({code.strip()!r})"
        ) from None
    code = code.strip()
    names: list[str] = []
    calls: list[str] = []
    quoted: list[str] = []
    stack: list[tuple[ast.AST, bool]] = [(tree.body, False)]
    while stack:  # iterative: a long a + b + ... chain does not recurse
        node, as_argument = stack.pop()
        _check_node(code, node, as_argument)
        if isinstance(node, ast.Name):
            names.append(node.id)
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                if node.func.id == "Q":
                    quoted.append(quoted_name(code, node))
                    continue
                calls.append(node.func.id)
            else:
                name = _numpy_name(node.func)
                if name is not None and name[3:] not in NUMPY_FUNCTIONS:
                    raise _refuse(
                        code,
                        f"the function {name}",
                        _segment(code, node.func),
                        "only the registered pure numpy functions are allowed "
                        "(np.log, np.exp, np.sqrt, np.where, ...); " + HOWTO,
                    )
            stack.extend((a, True) for a in reversed(node.args))
            stack.extend((kw.value, True) for kw in reversed(node.keywords))
        elif isinstance(node, ast.Attribute | ast.Constant):
            continue
        elif isinstance(node, ast.List | ast.Tuple):
            continue  # literals only (checked)
        else:
            children = [c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)]
            stack.extend((child, False) for child in reversed(children))
    return FactorScan(
        code, tuple(dict.fromkeys(names)), tuple(dict.fromkeys(calls)), tuple(dict.fromkeys(quoted))
    )


def quoted_name(code: str, node: ast.Call) -> str:
    """The column named by ``Q("...")`` (Python string semantics); FormulaError otherwise."""
    arg = node.args[0] if len(node.args) == 1 and not node.keywords else None
    if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
        raise _refuse(
            code,
            "Q() with anything but one string",
            _segment(code, node),
            "Q() quotes one column name, as in Q('my column')",
        )
    return ast.literal_eval(arg)


def check_factors(
    codes: Iterable[str],
    columns: Collection[str],
    functions: Mapping[str, Any] | None = None,
) -> list[str]:
    """Check factor codes against the allow-list and the data; the columns they use, in order.

    Parameters
    ----------
    codes : iterable of str
        Factor codes, as patsy's parser gives them (``"np.log(x)"``, ``"C(g, Sum)"``).
    columns : collection of str
        The column names of the data (in data order: messages list them so).
    functions : mapping, optional
        The user's functions (already validated by :func:`formula_env`).

    Returns
    -------
    list of str
        The columns referenced (bare names and ``Q("...")``), first use first.

    Raises
    ------
    FormulaError
        A refused construct, a call of a function that is neither registered nor given in
        ``functions``, or a name that is not a column of data.
    """
    funcs = functions or {}
    order = list(columns)
    colset = set(order)
    used: dict[str, None] = {}
    for code in codes:
        scan = scan_factor(code)
        for name in scan.calls:
            if name in colset:
                raise FormulaError(
                    f"formula term {scan.code!r} calls {name}(), but {name!r} is also a column "
                    "of data; expected a function name that is not a column; rename the column"
                )
            if name in funcs or name in FORMULA_FUNCTIONS:
                continue
            raise _call_refused(scan.code, name)
        for name in scan.names:
            if name in colset:
                used.setdefault(name)
            elif name not in CONTRASTS and name not in funcs:
                raise _not_a_column(name, order)
        for name in scan.quoted:
            if name not in colset:
                raise _not_a_column(name, order)
            used.setdefault(name)
    return list(used)


def _call_refused(code: str, name: str) -> FormulaError:
    habit = R_HABITS.get(name)
    if habit is not None:
        arg = code[code.find("(") + 1 : code.rfind(")")].split(",")[0].strip() or "x"
        lead = (
            "offset() is a term of its own holding one column, as in 'y ~ x + offset(z)'"
            if name == "offset"
            else f"{name}() is R, not a logitstats formula function"
        )
        return FormulaError(f"formula term {code!r}: {lead}; {habit.format(arg=arg)}")
    close = difflib.get_close_matches(name, list(FORMULA_FUNCTIONS), n=1)
    hint = f" (did you mean {close[0]}()?)" if close else ""
    return _refuse(code, f"calling {name}(){hint}", name)


def _not_a_column(name: str, columns: Collection[str]) -> FormulaError:
    close = difflib.get_close_matches(name, list(columns), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    shown = list(columns)[:12]
    more = f", ... ({len(columns)} in all)" if len(columns) > 12 else ""
    return FormulaError(
        f"formula refers to {name!r}, which is not a column of data{hint} "
        f"(columns: {', '.join(map(repr, shown))}{more}); a formula sees only the columns of "
        "data and the formula functions (pass your own as functions={...})"
    )
