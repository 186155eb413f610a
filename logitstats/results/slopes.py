r"""Slopes per *variable* through the formula (AME, MEM, MER, by groups).

A variable is a column of the data, not a design column: the slope of ``age`` in
``y ~ age*educ + I(age**2)`` goes through ``age``, ``age:educ`` and ``I(age ** 2)``, as
``marginaleffects::avg_slopes`` and Stata's ``margins, dydx(age)``.

Method. For a numeric variable ``v`` the design matrix of a copy of the data is rebuilt through
the training spec (:func:`logitstats.design.build.newdata_matrix`: stateful transforms keep their
training state) at ``v + h`` and ``v - h``, row by row with step ``h_i = 1e-5 max(|v_i|,
0.01 rms(v))`` (``1e-5`` if ``v`` is all zero), and
:math:`\dot X = (X(v + h) - X(v - h)) / 2h`. Central differences are exact for terms of degree
<= 2 in ``v`` (powers, products, quadratic spline pieces) up to rounding (~1e-11 relative), and
have relative truncation error ``h^2 f'''/(6 f')`` otherwise (1e-10 relative for ``np.log``).
Given :math:`\dot X` the slope :math:`\partial p / \partial v = p (1 - p) \dot x' b` and its
Jacobian in ``b`` are exact (:mod:`logitstats.inference.counterfactual`); standard errors are
delta-method, :math:`\sqrt{J V J'}` with ``V`` the fit's covariance. A categorical variable gives
one row per non-reference level: the average change in probability when every row is set to that
level instead of the reference level (as ``avg_slopes`` does for factors).

The data. The result keeps the design matrix, not the data frame, so these functions take the
data (``newdata=``, normally the data the model was fitted on); rows the model cannot use
(missing values) are left out. ``weights`` (a column name or an array) weight the average; the
default is unweighted, as ``marginaleffects``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from logitstats.design.build import Design, newdata_matrix
from logitstats.design.formula import scan_factor
from logitstats.design.terms import term_structure
from logitstats.errors import DataError, LogitstatsError
from logitstats.inference.delta import delta_table
from logitstats.options import parse_level

if TYPE_CHECKING:
    from logitstats.results.base import FitResult

__all__ = ["Variable", "model_variables", "slopes"]

REL_STEP = 1e-5


@dataclass(frozen=True)
class Variable:
    """A data column the right-hand side uses; ``levels`` is None for a numeric variable."""

    name: str
    levels: tuple[Any, ...] | None = None
    reference: Any = None


def _factor_types(design: Any) -> list[tuple[str, str, tuple[Any, ...] | None]]:
    """Each factor's code, type and levels: from patsy's DesignInfo when the design holds it,
    else (unpickled, or loaded from a model file) from its ModelSpec."""
    info = design.design_info if isinstance(design, Design) else None
    if info is None:
        return [(f.code, f.type, f.levels) for f in design.spec.factors]
    return [
        (f.code, fi.type, None if fi.type != "categorical" else tuple(fi.categories))
        for f, fi in info.factor_infos.items()
    ]


def model_variables(result: FitResult) -> dict[str, Variable]:
    """The data columns of the right-hand side, in formula order, numeric or categorical."""
    design = result.design
    cols = [c for c in design.columns_used if c != design.outcome and c != design.offset_column]
    found: dict[str, Variable] = {}
    cats: dict[str, tuple[Any, ...]] = {}
    for code, kind, categories in _factor_types(design):
        scan = scan_factor(code)
        names = [n for n in (*scan.names, *scan.quoted) if n in cols]
        for n in names:
            found.setdefault(n, Variable(n))
            if kind == "categorical" and len(names) == 1:
                cats[n] = tuple(categories or ())
    refs: dict[str, Any] = {}
    for term in term_structure(design):
        if term.contrast is not None and term.levels is not None and len(term.factors) == 1:
            col = [n for n in scan_factor(term.factors[0]).names if n in cats]
            zero = np.flatnonzero(~np.any(term.contrast != 0, axis=1))
            if col and zero.size:
                refs.setdefault(col[0], term.levels[int(zero[0])])
    for n, levels in cats.items():
        found[n] = Variable(n, levels, refs.get(n, levels[0]))
    return {n: found[n] for n in cols if n in found}


def pick_variables(result: FitResult, variables: Any) -> list[Variable]:
    """``None`` (all), a name, or a list of names -> Variables (a ``C(x)`` name means ``x``)."""
    known = model_variables(result)
    if variables is None:
        return list(known.values())
    names = [variables] if isinstance(variables, str) else list(variables)
    out = []
    for name in names:
        col = column_of(name, known)
        out.append(known[col])
    return out


def column_of(name: Any, known: dict[str, Any]) -> str:
    """The data column ``name`` refers to: itself, or the one column inside ``C(x, ...)``."""
    if isinstance(name, str) and name in known:
        return name
    if isinstance(name, str):
        try:
            hits = [n for n in scan_factor(name).names if n in known]
        except LogitstatsError:
            hits = []
        if len(hits) == 1:
            return hits[0]
    raise LogitstatsError(
        f"variables: expected a column the formula uses ({', '.join(map(repr, known))}); got "
        f"{name!r}; name a data column (or C(column))"
    )


# --------------------------------------------------------------------------- data and kernel


@dataclass(frozen=True)
class Frame:
    """The rows of the data the model can use, the averaging weights and the grouping."""

    data: pd.DataFrame
    weights: np.ndarray | None
    X: np.ndarray | None = None


def model_frame(result: FitResult, newdata: Any, weights: Any = None) -> Frame:
    """The complete rows of ``newdata`` (a copy; never the caller's object) and weights."""
    if newdata is None:
        raise DataError(
            "newdata: expected the data frame to average over (normally the data the model was "
            "fitted on); got None; pass newdata=df (the result keeps the design matrix only)"
        )
    if isinstance(newdata, str) or (
        isinstance(newdata, list | tuple) and all(isinstance(v, str) for v in newdata)
    ):
        raise DataError(
            "newdata: expected the data frame to average over (normally the data the model was "
            f"fitted on); got {newdata!r}, which looks like variable names; the result keeps "
            f"the design matrix only, so pass the data first, e.g. fit.slopes(df, {newdata!r})"
        )
    frame = newdata if isinstance(newdata, pd.DataFrame) else pd.DataFrame(newdata)
    X, complete, _ = newdata_matrix(result.design, frame)
    if weights is None:
        w = None
    else:
        w = frame[weights].to_numpy(float) if isinstance(weights, str) else np.asarray(weights)
        if w.shape != (frame.shape[0],) or not np.all(np.isfinite(w)) or np.any(w < 0):
            raise DataError(
                f"weights: expected one finite value >= 0 per row of newdata ({frame.shape[0]}); "
                f"got shape {w.shape}; pass a column name or an array"
            )
        complete &= w > 0
        w = w[complete].astype(float)
    if not complete.any():
        raise DataError("newdata: expected at least one complete row; got none; check missing")
    return Frame(frame.loc[complete].copy(), w, X[complete])


class Kernel:
    """Average predictions and slopes of one result on a data frame (labels of the outputs)."""

    def __init__(self, result: FitResult) -> None:
        self.result = result
        self.outcomes: list[str] | None = result.outcome_labels

    def X(self, data: pd.DataFrame) -> np.ndarray:
        X, complete, _ = newdata_matrix(self.result.design, data)
        if not complete.all():
            raise DataError("newdata: a changed value made a row unusable (missing value)")
        return X

    def offset(self, data: pd.DataFrame) -> np.ndarray | None:
        if self.result.design.offset is None:
            return None
        return self.result._new_offset(data, None, data.shape[0])

    def average(
        self, data: pd.DataFrame, w: np.ndarray | None, X: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        X = self.X(data) if X is None else X
        return self.result._average_prob(X, self.offset(data), w)

    def linear_dX(self, data: pd.DataFrame, var: str) -> np.ndarray | None:
        """Exact ``dX/dv`` when every term using ``v`` is a product of plain numeric columns
        (``x``, ``x:z``): the column is then linear in ``v`` and its derivative is the product of
        the other factors, so ``X(v + d) = X + d dX`` exactly. None otherwise."""
        kinds = {code: kind for code, kind, _ in _factor_types(self.result.design)}
        dX = None
        for term in term_structure(self.result.design):
            uses = [f for f in term.factors if var in scan_factor(f).names]
            if not uses:
                continue
            if uses != [var] or any(
                kinds.get(f) != "numerical" or f not in data.columns for f in term.factors
            ):
                return None
            if len(term.columns) != 1:
                return None
            col = np.ones(data.shape[0])
            for f in term.factors:
                if f != var:
                    col = col * data[f].to_numpy(dtype=float)
            if dX is None:
                dX = np.zeros((data.shape[0], len(self.result.design.column_names)))
            dX[:, term.columns[0]] = col
        return dX

    def dX(self, data: pd.DataFrame, var: str) -> np.ndarray:
        """``dX/dv``: exact for multilinear terms, else central differences (module notes)."""
        exact = self.linear_dX(data, var)
        if exact is not None:
            return exact
        x = data[var].to_numpy(dtype=float)
        rms = float(np.sqrt(np.mean(x**2)))
        h = REL_STEP * np.maximum(np.abs(x), 0.01 * rms) if rms > 0 else np.full_like(x, REL_STEP)
        up, dn = data.copy(), data.copy()
        up[var], dn[var] = x + h, x - h
        return (self.X(up) - self.X(dn)) / (2.0 * h[:, None])

    def average_slope(
        self, data: pd.DataFrame, var: str, w: np.ndarray | None, X: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        dX = self.dX(data, var)
        X = self.X(data) if X is None else X
        return self.result._average_slope(X, dX, self.offset(data), w)


def with_value(data: pd.DataFrame, var: str, value: Any) -> pd.DataFrame:
    """A copy of ``data`` with every row's ``var`` set to ``value`` (dtype kept if it can be)."""
    out = data.copy()
    col = data[var]
    if isinstance(col.dtype, pd.CategoricalDtype):
        out[var] = pd.Categorical([value] * len(out), categories=col.cat.categories)
    else:
        out[var] = pd.Series([value] * len(out), index=out.index, dtype=object).infer_objects()
    return out


def groups(data: pd.DataFrame, by: Any, known: dict[str, Any]) -> list[tuple[Any, np.ndarray]]:
    """``[(None, all rows)]`` or one ``(value, mask)`` per value of the ``by`` column."""
    if by is None:
        return [(None, np.ones(data.shape[0], dtype=bool))]
    col = by if by in data.columns else column_of(by, known)
    values = data[col]
    keys: Any = pd.unique(values)  # an array, or the sorted list when the keys sort
    try:
        keys = sorted(keys)
    except TypeError:
        pass
    return [(k, (values == k).to_numpy()) for k in keys]


def table(
    result: FitResult,
    rows: list[dict[str, Any]],
    ests: list[np.ndarray],
    jacs: list[np.ndarray],
    level: float,
    outcomes: list[str] | None,
    null: float = 0.0,
) -> pd.DataFrame:
    """Stack the effects (each ``(m,)`` with Jacobian ``(m, k)``) into the labelled table."""
    est = np.concatenate(ests)
    jac = np.vstack(jacs)
    t = delta_table(est, jac, result.cov_array, level, null=null)
    labels: list[dict[str, Any]] = []
    for row, e in zip(rows, ests, strict=True):
        for j in range(e.size):
            labels.append(({"outcome": outcomes[j]} if outcomes else {}) | row)
    out = pd.DataFrame(labels)
    for name in ("estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high"):
        out[name] = getattr(t, name)
    if outcomes:  # outcome-major like tidy()
        out = out.sort_values("outcome", kind="stable", key=lambda s: s.map(outcomes.index))
        out = out.reset_index(drop=True)
    return out


def evaluation_blocks(
    result: FitResult, frame: Frame, at: Any, by: Any, known: dict[str, Any], kern: Kernel
) -> Iterator[tuple[dict, Any, pd.DataFrame, np.ndarray, np.ndarray | None]]:
    """Each ``(at labels, by value, rows, design rows, weights)`` an effect is averaged over:
    every evaluation frame (:func:`evaluation_frames`) split by the ``by`` column."""
    for at_labels, fr in evaluation_frames(result, frame, at):
        X_all = kern.X(fr.data) if fr.X is None else fr.X
        for gkey, mask in groups(fr.data, by, known):
            w = None if fr.weights is None else fr.weights[mask]
            yield at_labels, gkey, fr.data.loc[mask], X_all[mask], w


def evaluation_frames(result: FitResult, frame: Frame, at: Any) -> list[tuple[dict, Frame]]:
    """``at=None``: the data; ``"mean"`` or a dict: a data grid (see :mod:`.grid`)."""
    if at is None:
        return [({}, frame)]
    from logitstats.results.grid import datagrid

    if not (isinstance(at, dict) or (isinstance(at, str) and at == "mean")):
        raise LogitstatsError(
            f"at: expected None, 'mean' or a dict of values; got {at!r}; e.g. at={{'gre': 500}}"
        )
    grid = datagrid(result, frame.data, at if isinstance(at, dict) else {})
    named = [] if isinstance(at, str) else list(at)
    return [
        ({k: grid[k].iloc[i] for k in named}, Frame(grid.iloc[[i]], None, None))
        for i in range(grid.shape[0])
    ]


def slopes(
    result: FitResult,
    newdata: Any,
    variables: Any = None,
    by: Any = None,
    at: Any = None,
    conf_level: float = 0.95,
    weights: Any = None,
) -> pd.DataFrame:
    """See :meth:`FitResult.slopes`."""
    level = parse_level(conf_level, "conf_level")
    frame = model_frame(result, newdata, weights)
    kern = Kernel(result)
    known = model_variables(result)
    chosen = pick_variables(result, variables)
    rows, ests, jacs = [], [], []
    for at_labels, gkey, data, X, w in evaluation_blocks(result, frame, at, by, known, kern):
        for var in chosen:
            label = {"term": var.name} | ({"by": gkey} if by is not None else {}) | at_labels
            if var.levels is None:
                e, j = kern.average_slope(data, var.name, w, X)
                rows.append(label | {"contrast": "dY/dX"})
                ests.append(e)
                jacs.append(j)
                continue
            e0, j0 = kern.average(with_value(data, var.name, var.reference), w)
            for lev in var.levels:
                if lev == var.reference:
                    continue
                e1, j1 = kern.average(with_value(data, var.name, lev), w)
                rows.append(label | {"contrast": f"{lev} - {var.reference}"})
                ests.append(e1 - e0)
                jacs.append(j1 - j0)
    return table(result, rows, ests, jacs, level, kern.outcomes)
