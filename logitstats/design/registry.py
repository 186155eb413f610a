"""The registry of a formula: the functions, contrasts and numpy names a formula may use, and the
environment that evaluates checked factor code with nothing else in reach.

- :data:`FORMULA_FUNCTIONS`: the bare-name functions (patsy's ``C``, ``I``, ``Q``, contrasts,
  stateful transforms, splines bounded by :mod:`~logitstats.design.resources`, pure elementwise
  functions under their R names);
- :data:`NUMPY_FUNCTIONS` / :data:`NUMPY_CONSTANTS`: what ``np.<name>`` may be;
- :data:`R_HABITS`: R spellings answered with the logitstats one;
- :class:`FormulaEnvironment` and :func:`formula_env`: the evaluation namespace (no builtins, no
  caller frame), with the user's explicit ``functions``.

The checker that decides what code may reach this environment is
:mod:`logitstats.design.formula`.
"""

from __future__ import annotations

import functools
import keyword
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import patsy
import patsy.builtins as _pb
from patsy.eval import VarLookupDict

from logitstats.design import resources as _resources
from logitstats.design import transforms as _transforms
from logitstats.errors import FormulaError

__all__ = [
    "ALLOWED",
    "CONTRASTS",
    "FORMULA_FUNCTIONS",
    "HOWTO",
    "MODULES",
    "NUMPY_CONSTANTS",
    "NUMPY_FUNCTIONS",
    "R_HABITS",
    "FormulaEnvironment",
    "formula_env",
]

#: bare-name functions of a formula: patsy's own, and pure elementwise R/numpy habits
FORMULA_FUNCTIONS: Mapping[str, Callable[..., Any]] = {
    # patsy: categorical coding, identity, quoting, contrasts
    "C": _pb.C,
    "I": _pb.I,
    "Q": _pb.Q,
    "Treatment": _pb.Treatment,
    "Sum": _pb.Sum,
    "Helmert": _pb.Helmert,
    "Poly": _pb.Poly,
    "Diff": _pb.Diff,
    # stateful transforms (their state is learnt on the training data, reused at predict):
    # logitstats' vectorised ones, whose state is plain data (design/transforms.py)
    "center": _transforms.center,
    "standardize": _transforms.standardize,
    "scale": _transforms.scale,
    # patsy splines, their size checked before their knots are computed (design/resources.py)
    "bs": _resources.bs,
    "cr": _resources.cr,
    "cc": _resources.cc,
    # pure elementwise functions under their R names
    "log": np.log,
    "log1p": np.log1p,
    "log2": np.log2,
    "log10": np.log10,
    "exp": np.exp,
    "expm1": np.expm1,
    "sqrt": np.sqrt,
    "abs": abs,  # Python's abs and round, as patsy offered them (on a Series: numpy's)
    "round": round,
    "floor": np.floor,
    "sign": np.sign,
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "tanh": np.tanh,
}

#: contrast classes, the only registry names a formula may use as a value (``C(g, Sum)``)
CONTRASTS = frozenset({"Treatment", "Sum", "Helmert", "Poly", "Diff"})

#: ``np.<name>`` / ``numpy.<name>`` a formula may call: pure elementwise functions (no I/O, no
#: ``frompyfunc``/``vectorize``, nothing that takes a callable or a file)
NUMPY_FUNCTIONS = frozenset(
    """
    log log1p log2 log10 exp exp2 expm1 sqrt cbrt square abs absolute fabs power float_power
    clip minimum maximum fmin fmax floor ceil trunc rint round sign sin cos tan arcsin arccos
    arctan arctan2 sinh cosh tanh arcsinh arccosh arctanh hypot logaddexp reciprocal negative
    mod fmod remainder divide true_divide floor_divide multiply add subtract heaviside
    deg2rad rad2deg where isnan isfinite isinf logical_and logical_or logical_not logical_xor
    nan_to_num
    """.split()
)
#: ``np.<name>`` constants a formula may read
NUMPY_CONSTANTS = frozenset({"pi", "e", "inf", "nan"})
MODULES = ("np", "numpy")

#: R spellings answered with the logitstats one (a user function of that name takes precedence)
R_HABITS = {
    "factor": "write C({arg}) for a categorical term (patsy's name for R's factor())",
    "as_factor": "write C({arg}) for a categorical term",
    "poly": (
        "logitstats has no orthogonal polynomials: write I({arg}**2) (and higher powers) for "
        "raw polynomial terms, or bs({arg}, df=...) / cr({arg}, df=...) for a spline"
    ),
    "ns": "write cr({arg}, df=...) for a natural cubic regression spline (or bs() for a B-spline)",
    "offset": (
        "expected a column; got {arg!r}: for a transformed one, add it to the data first, e.g. "
        "df.assign(log_z=np.log(df['z'])), and write offset(log_z); or pass offset= (a column "
        "name or an array) to the model function"
    ),
}

ALLOWED = (
    "column names (Q('name') for awkward ones), numbers, strings, True/False/None, "
    "+ - * / // % ** and comparisons, & | ~, and the formula functions "
    "(C, I, Q, Treatment, Sum, Helmert, Poly, Diff, center, standardize, scale, bs, cr, cc, "
    "log, exp, sqrt, abs, ..., np.<elementwise function>)"
)
HOWTO = (
    "a formula is data, never code: pass your own function explicitly with "
    "functions={'name': f} (see 'Formulas are data' in the README)"
)


class _Numpy:
    """What ``np``/``numpy`` means inside a formula: the registered functions and constants only."""

    __slots__ = ("_members",)

    def __init__(self) -> None:
        members = {n: getattr(np, n) for n in NUMPY_FUNCTIONS | NUMPY_CONSTANTS}
        object.__setattr__(self, "_members", members)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._members[name]
        except KeyError:
            raise AttributeError(f"np.{name} is not available in a formula") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("np is read-only in a formula")

    def __repr__(self) -> str:
        return "<numpy functions of a formula>"


_NP = _Numpy()


class FormulaEnvironment(patsy.EvalEnvironment):
    """patsy's ``EvalEnvironment`` without builtins: code sees only its own namespaces.

    patsy evaluates ``eval(code, {}, namespaces)``, and Python then puts the real builtins
    (``__import__``, ``open``, ``eval``, ...) into the empty globals. Here the globals are
    ``{"__builtins__": {}}``, and :meth:`subset` (which patsy calls on every factor) keeps the
    class, so the environment stored in a design for ``predict`` is this one too.
    """

    def __init__(
        self,
        namespaces: Iterable[Mapping[str, Any]],
        flags: int = 0,
        functions: Mapping[str, Callable[..., Any]] | None = None,
    ) -> None:
        super().__init__(list(namespaces), flags)
        self.functions: Mapping[str, Callable[..., Any]] = dict(functions or {})

    def with_outer_namespace(self, outer_namespace: Mapping[str, Any]) -> FormulaEnvironment:
        return FormulaEnvironment([*self._namespaces, outer_namespace], self.flags, self.functions)

    def subset(self, names: Iterable[str]) -> FormulaEnvironment:
        vld = VarLookupDict(self._namespaces)
        return FormulaEnvironment([{n: vld[n] for n in names}], self.flags, self.functions)

    def eval(self, expr: str, source_name: str = "<string>", inner_namespace: Any = None) -> Any:
        code = compile(expr, source_name, "eval", self.flags, False)
        lookup = VarLookupDict([inner_namespace or {}, *self._namespaces])
        return eval(code, {"__builtins__": {}}, lookup)  # noqa: S307 (checked code, no builtins)


def _validate_functions(functions: Any) -> dict[str, Callable[..., Any]]:
    if functions is None:
        return {}
    if not isinstance(functions, Mapping):
        raise FormulaError(
            "functions must be a mapping of names to callables, e.g. functions={'cube': cube}; "
            f"got {type(functions).__name__}"
        )
    out: dict[str, Callable[..., Any]] = {}
    for name, fn in functions.items():
        if not (isinstance(name, str) and name.isidentifier() and not keyword.iskeyword(name)):
            raise FormulaError(
                f"functions: every name must be a Python identifier such as 'cube'; got {name!r}"
            )
        if name.startswith("_"):
            raise FormulaError(
                f"functions: names starting with '_' are reserved; got {name!r}; rename it"
            )
        if name in FORMULA_FUNCTIONS or name in MODULES:
            raise FormulaError(
                f"functions: {name!r} is a formula function already (it cannot be redefined); "
                "expected a new name; got one of the registry's. Give your function another name"
            )
        if not callable(fn):
            raise FormulaError(f"functions[{name!r}] must be callable; got {type(fn).__name__}")
        out[name] = fn
    return out


@functools.lru_cache(maxsize=1)
def _base_namespace() -> dict[str, Any]:
    return {**FORMULA_FUNCTIONS, "np": _NP, "numpy": _NP}


def formula_env(functions: Mapping[str, Callable[..., Any]] | None = None) -> FormulaEnvironment:
    """The evaluation environment of a formula: the registry plus the user's ``functions``.

    Parameters
    ----------
    functions : mapping of str to callable, optional
        The user's own functions, by the name the formula calls them. Names must be
        identifiers, not start with ``_`` and not redefine a registry name (``log``, ``C``, ...).

    Returns
    -------
    FormulaEnvironment

    Raises
    ------
    FormulaError
        ``functions`` is not a mapping of identifiers to callables, or redefines a registry name.
    """
    funcs = _validate_functions(functions)
    return FormulaEnvironment([{**_base_namespace(), **funcs}], 0, funcs)
