"""The plain-data, versioned description of a built design: :class:`ModelSpec`.

A spec holds everything needed to rebuild the training design on new data, and nothing that is
code: the formula, the outcome coding, each factor's code, type, levels and stateful-transform
state (means, sds, spline knots), each term's factors and contrast matrices, the column names
and order, and the names of the user's functions. It round-trips through JSON
(:meth:`ModelSpec.to_dict` / :meth:`ModelSpec.from_dict`) and pickles, and
:meth:`ModelSpec.matrix` rebuilds the design matrix bit for bit without patsy's ``DesignInfo``:
each factor's code passes the allow-list of :mod:`logitstats.design.formula` again and is
evaluated in a namespace holding only the registry, the user's explicit ``functions``, the
columns and the recorded transforms.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from patsy.eval import VarLookupDict

from logitstats.design import fill as design_fast
from logitstats.design import formula as formula_check
from logitstats.design.frame import as_frame, isna
from logitstats.design.newdata import level_codes, prepare_column
from logitstats.design.transforms import STATEFUL, TransformSpec, make_transform
from logitstats.errors import DataError

__all__ = ["SPEC_SCHEMA", "FactorSpec", "ModelSpec", "TermSpec", "TransformSpec"]

SPEC_SCHEMA = "logitstats.spec/1"
_JSON_SCALARS = (str, int, float, bool, type(None))


@dataclass(frozen=True, eq=False)
class FactorSpec:
    """One factor: its code, ``"numerical"`` (``num_columns``) or ``"categorical"`` (``levels``)."""

    code: str
    type: str
    num_columns: int | None
    levels: tuple[Any, ...] | None
    transforms: tuple[TransformSpec, ...] = ()


@dataclass(frozen=True, eq=False)
class TermSpec:
    """One model term: its factors (positions in ``ModelSpec.factors``) and column blocks."""

    name: str
    factors: tuple[int, ...]
    subterms: tuple[design_fast.Subterm, ...]


@dataclass(frozen=True, eq=False)
class ModelSpec:
    """The plain-data description of a design (see the module docstring).

    Attributes
    ----------
    formula, kind, outcome : str
        The formula as given, ``"binary"`` or ``"multinomial"``, the outcome's code.
    levels, event, reference :
        The outcome coding (binary: ``event`` is coded 1; multinomial: ``reference`` is the base).
    factors : tuple of FactorSpec
    terms : tuple of TermSpec
    all_columns : tuple of str
        Every column the terms make, in order; ``columns`` are those fitted (aliased ones left out).
    functions : tuple of str
        Names of the user's functions the formula calls (pass them again to :meth:`matrix`).
    data_columns : tuple of str
        The columns of the data the right-hand side reads.
    """

    formula: str
    kind: str
    outcome: str
    levels: tuple[Any, ...]
    event: Any
    reference: Any
    factors: tuple[FactorSpec, ...]
    terms: tuple[TermSpec, ...]
    all_columns: tuple[str, ...]
    columns: tuple[str, ...]
    has_intercept: bool
    functions: tuple[str, ...] = ()
    data_columns: tuple[str, ...] = ()
    offset_column: str | None = None
    schema: str = SPEC_SCHEMA

    # ------------------------------------------------------------------ the matrix

    def matrix(self, newdata: Any, *, functions: Mapping[str, Any] | None = None) -> np.ndarray:
        """The design matrix of ``newdata`` (fitted columns only), rows with a missing value NaN.

        Parameters
        ----------
        newdata : DataFrame or dict of columns
            Needs the columns in ``data_columns``; never modified.
        functions : mapping of str to callable, optional
            The user's functions named in ``functions`` (a spec holds names, never code).

        Returns
        -------
        ndarray, shape (len(newdata), len(columns)), float64

        Raises
        ------
        FormulaError
            A factor's code is refused by the allow-list, or a user function is not given.
        DataError
            ``newdata`` lacks a column or holds a level unseen in training.
        """
        frame = as_frame(newdata)
        env = formula_check.formula_env(functions)
        lacking_fn = [f for f in self.functions if f not in env.functions]
        if lacking_fn:
            raise formula_check.FormulaError(
                f"the model's formula calls the user function(s) {lacking_fn}; expected them in "
                f"functions=; got {sorted(env.functions)}. Pass functions={{name: f, ...}}"
            )
        cols = formula_check.check_factors(
            [f.code for f in self.factors], list(map(str, frame.columns)), env.functions
        )
        complete = np.ones(frame.shape[0], dtype=bool)
        for c in cols:
            complete &= ~isna(frame[c])
        data = {
            c: prepare_column(frame[c][complete] if not complete.all() else frame[c], c)
            for c in cols
        }
        n = int(complete.sum())
        values = {i: self._factor_value(i, data, env, n) for i in range(len(self.factors))}
        subterms = [st for term in self.terms for st in term.subterms]
        X = design_fast.fill_values(subterms, values, n, len(self.all_columns))
        if self.columns != self.all_columns:
            pos = {c: j for j, c in enumerate(self.all_columns)}
            X = X[:, [pos[c] for c in self.columns]]
        if complete.all():
            return X
        out = np.full((frame.shape[0], X.shape[1]), np.nan)
        out[complete] = X
        return out

    def _factor_value(self, i: int, data: dict[str, Any], env: Any, n: int) -> np.ndarray:
        factor = self.factors[i]
        code, kinds = _compiled(factor.code)
        if tuple(t.kind for t in factor.transforms) != kinds:
            raise DataError(
                f"spec: factor {factor.code!r} calls the stateful transforms {list(kinds)}; "
                f"expected a state for each; got {[t.kind for t in factor.transforms]}"
            )
        stateful = {
            f"__ls_stateful_{k}__": make_transform(t).transform
            for k, t in enumerate(factor.transforms)
        }
        lookup = VarLookupDict([stateful, data, env.namespace])
        with np.errstate(divide="ignore", invalid="ignore"):
            raw = eval(code, {"__builtins__": {}}, lookup)  # noqa: S307 (allow-listed code)
        if factor.type == "numerical":
            design_fast.check_exact_numbers(raw, factor.code)
            value = design_fast.numerical(raw, int(factor.num_columns or 1), n)
            if value is None:
                raise DataError(
                    f"newdata: {factor.code!r} expected {factor.num_columns} numeric column(s) "
                    f"per row; got {np.shape(raw)} of {np.asarray(raw).dtype}"
                )
            return value
        return level_codes(raw, factor.code, tuple(factor.levels or ()))

    # ------------------------------------------------------------------ JSON

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (``json.dumps(spec.to_dict())`` works)."""
        return {
            "schema": self.schema,
            "formula": self.formula,
            "kind": self.kind,
            "outcome": self.outcome,
            "levels": [_scalar(v, "outcome level") for v in self.levels],
            "event": _scalar(self.event, "event"),
            "reference": _scalar(self.reference, "reference"),
            "factors": [
                {
                    "code": f.code,
                    "type": f.type,
                    "num_columns": f.num_columns,
                    "levels": None
                    if f.levels is None
                    else [_scalar(v, f"level of {f.code}") for v in f.levels],
                    "transforms": [{"kind": t.kind, "state": dict(t.state)} for t in f.transforms],
                }
                for f in self.factors
            ],
            "terms": [
                {
                    "name": t.name,
                    "factors": list(t.factors),
                    "subterms": [
                        {
                            "factors": list(st.factors),
                            "contrasts": [None if c is None else c.tolist() for c in st.contrasts],
                            "widths": list(st.widths),
                            "num_columns": st.num_columns,
                        }
                        for st in t.subterms
                    ],
                }
                for t in self.terms
            ],
            "all_columns": list(self.all_columns),
            "columns": list(self.columns),
            "has_intercept": self.has_intercept,
            "functions": list(self.functions),
            "data_columns": list(self.data_columns),
            "offset_column": self.offset_column,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ModelSpec:
        """The spec of :meth:`to_dict`; every factor's code passes the allow-list first.

        Raises
        ------
        DataError
            Not a spec of this schema, or malformed.
        FormulaError
            A factor's code is refused by the allow-list.
        """
        if not isinstance(data, Mapping) or data.get("schema") != SPEC_SCHEMA:
            got = data.get("schema") if isinstance(data, Mapping) else type(data).__name__
            raise DataError(
                f"spec: expected a mapping with schema {SPEC_SCHEMA!r}; got {got!r}; pass the "
                "output of ModelSpec.to_dict() (a newer logitstats may be needed)"
            )
        try:
            factors = tuple(_factor_from(f) for f in data["factors"])
            terms = tuple(
                TermSpec(
                    str(t["name"]),
                    tuple(int(i) for i in t["factors"]),
                    tuple(_subterm_from(st, len(factors)) for st in t["subterms"]),
                )
                for t in data["terms"]
            )
            spec = cls(
                formula=str(data["formula"]),
                kind=str(data["kind"]),
                outcome=str(data["outcome"]),
                levels=tuple(_scalar(v, "outcome level") for v in data["levels"]),
                event=_scalar(data["event"], "event"),
                reference=_scalar(data["reference"], "reference"),
                factors=factors,
                terms=terms,
                all_columns=tuple(str(c) for c in data["all_columns"]),
                columns=tuple(str(c) for c in data["columns"]),
                has_intercept=bool(data["has_intercept"]),
                functions=tuple(str(f) for f in data.get("functions", ())),
                data_columns=tuple(str(c) for c in data.get("data_columns", ())),
                offset_column=data.get("offset_column"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, formula_check.FormulaError | DataError):
                raise
            raise DataError(
                f"spec: malformed ({type(exc).__name__}: {exc}); expected the output of "
                "ModelSpec.to_dict()"
            ) from None
        for f in factors:
            formula_check.scan_factor(f.code)
            _compiled(f.code)
        if not set(spec.columns) <= set(spec.all_columns):
            raise DataError("spec: expected columns to be a subset of all_columns; got others")
        _check_shapes(spec)
        return spec


# --------------------------------------------------------------------------- helpers


@functools.lru_cache(maxsize=1024)
def _compiled(code: str) -> tuple[Any, tuple[str, ...]]:
    """The factor's allow-listed code compiled, stateful calls renamed in source order."""
    formula_check.scan_factor(code)  # the allow-list: raises FormulaError before any compile
    tree = ast.parse(code.strip(), mode="eval")
    calls = sorted(
        (
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in STATEFUL
        ),
        key=lambda node: (node.func.lineno, node.func.col_offset),
    )
    kinds = []
    for k, node in enumerate(calls):
        assert isinstance(node.func, ast.Name)  # the filter above keeps Name calls only
        kinds.append(node.func.id)
        node.func = ast.copy_location(ast.Name(id=f"__ls_stateful_{k}__", ctx=ast.Load()), node)
    ast.fix_missing_locations(tree)
    return compile(tree, "<formula>", "eval"), tuple(kinds)


def _scalar(value: Any, what: str) -> Any:
    value = value.item() if isinstance(value, np.generic) else value
    if not isinstance(value, _JSON_SCALARS):
        raise DataError(
            f"spec: the {what} {value!r} is a {type(value).__name__}; expected str, int, float, "
            "bool or None (what JSON holds); convert the column first, e.g. .astype(str)"
        )
    return value


def _check_shapes(spec: ModelSpec) -> None:
    """DataError unless every block's widths agree with its factors and the column count."""
    total = 0
    for term in spec.terms:
        for st in term.subterms:
            for i, cm, w in zip(st.factors, st.contrasts, st.widths, strict=True):
                f = spec.factors[i]
                want = (len(f.levels or ()), w) if f.type == "categorical" else None
                ok = (
                    (cm is not None and cm.shape == want)
                    if want
                    else (cm is None and w == f.num_columns)
                )
                if not ok:
                    got = None if cm is None else cm.shape
                    raise DataError(
                        f"spec: term {term.name!r}, factor {f.code!r}: expected a coding of "
                        f"shape {want or (None, f.num_columns)}; got {got} with width {w}"
                    )
            if st.num_columns != int(np.prod(st.widths, dtype=np.int64)):
                raise DataError(f"spec: term {term.name!r}: a block's width is not its product")
            total += st.num_columns
    if total != len(spec.all_columns):
        raise DataError(
            f"spec: expected {total} column names (the terms' columns); got {len(spec.all_columns)}"
        )


def _factor_from(f: Mapping[str, Any]) -> FactorSpec:
    kind = str(f["type"])
    if kind not in ("numerical", "categorical"):
        raise DataError(f"spec: factor type expected 'numerical' or 'categorical'; got {kind!r}")
    levels = None if f.get("levels") is None else tuple(_scalar(v, "level") for v in f["levels"])
    transforms = tuple(
        TransformSpec(str(t["kind"]), _plain_state(t["state"])) for t in f.get("transforms", ())
    )
    num = f.get("num_columns")
    return FactorSpec(str(f["code"]), kind, None if num is None else int(num), levels, transforms)


def _plain_state(state: Mapping[str, Any]) -> dict[str, Any]:
    def ok(v: Any) -> bool:
        return isinstance(v, int | float | type(None)) or (
            isinstance(v, list) and all(ok(x) for x in v)
        )

    if not isinstance(state, Mapping) or not all(ok(v) for v in state.values()):
        raise DataError("spec: a transform state expected numbers and lists of numbers; got others")
    return dict(state)


def _subterm_from(st: Mapping[str, Any], n_factors: int) -> design_fast.Subterm:
    factors = tuple(int(i) for i in st["factors"])
    if any(not 0 <= i < n_factors for i in factors):
        raise DataError(f"spec: a subterm names factors {factors}; expected 0..{n_factors - 1}")
    contrasts = tuple(
        None if c is None else np.asarray(c, dtype=np.float64).reshape(len(c), -1)
        for c in st["contrasts"]
    )
    widths = tuple(int(w) for w in st["widths"])
    if len(contrasts) != len(factors) or len(widths) != len(factors):
        raise DataError("spec: a subterm's contrasts and widths expected one per factor")
    return design_fast.Subterm(factors, contrasts, widths, int(st["num_columns"]))
