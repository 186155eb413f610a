r"""Data grids, predictions on a grid, marginal means of a factor and pairwise contrasts.

``datagrid``: one row per combination of the values given; every other variable of the formula at
its (unweighted) mean if numeric, its most frequent value (mode; ties: first in level order) if
categorical, as ``marginaleffects::datagrid``. Values: a scalar or list, ``"mean"``, ``"median"``,
``"mode"``, or ``"all"`` (every level of a factor; a numeric variable: its sorted unique values).

``predictions``: on a grid, each row's probability with the Wald interval on the link scale
transformed back (binary; multinomial: :meth:`MLogitResult.predict`'s intervals); without a grid,
the average predicted probability over ``newdata`` (by groups with ``by``) with delta-method SEs.

``marginal_means`` (binary) follows ``emmeans`` with ``type = "response"``: the reference grid
crosses every level of every factor of the formula, numeric variables at their means; the
marginal mean of level ``l`` is :math:`\operatorname{logit}^{-1}(\bar\eta_l)`, with
:math:`\bar\eta_l` the **equally weighted** mean of the linear predictor over the grid rows with
that level (emmeans' default ``weights = "equal"``); the interval is :math:`\bar\eta_l \mp z\,se`
transformed back. ``pairs`` gives the odds ratio :math:`\exp(\bar\eta_a - \bar\eta_b)` for every
pair ``a < b`` in level order (emmeans' ``pairs(..., type = "response")``), z on the log scale,
p-values adjusted as ``adjust=`` (``"tukey"``: studentized range with infinite df, as emmeans for
a glm), and unadjusted Wald intervals exponentiated.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from logitstats.design.build import newdata_matrix
from logitstats.errors import LogitstatsError
from logitstats.inference.delta import adjust_pvalues
from logitstats.numerics.distributions import norm_ppf, norm_sf
from logitstats.numerics.softmax import sigmoid
from logitstats.options import PAdjust, parse_level, parse_option
from logitstats.results.slopes import (
    Kernel,
    column_of,
    groups,
    model_frame,
    model_variables,
    table,
)

if TYPE_CHECKING:
    from logitstats.results.base import FitResult

__all__ = ["datagrid", "predictions", "marginal_means", "pairs"]


def _mode(s: pd.Series, levels: tuple[Any, ...]) -> Any:
    counts = s.value_counts()
    best = counts.max()
    return next(lev for lev in levels if counts.get(lev, 0) == best)


def _values(s: pd.Series, spec: Any, levels: tuple[Any, ...] | None, name: str) -> list[Any]:
    if isinstance(spec, str) and spec in ("mean", "median", "mode", "all"):
        if spec == "all":
            return list(levels) if levels is not None else sorted(pd.unique(s))
        if spec == "mode" or levels is not None:
            if spec != "mode":
                raise LogitstatsError(
                    f"grid[{name!r}]: expected 'mode', 'all' or levels for a factor; got {spec!r}"
                )
            return [_mode(s, levels if levels is not None else tuple(sorted(pd.unique(s))))]
        return [float(s.mean()) if spec == "mean" else float(s.median())]
    return list(spec) if isinstance(spec, (list, tuple, np.ndarray, pd.Index)) else [spec]


def datagrid(result: FitResult, data: pd.DataFrame, grid: dict[str, Any] | None) -> pd.DataFrame:
    """The grid of ``grid``'s values crossed, other variables at means/modes (a new frame)."""
    known = model_variables(result)
    given = {column_of(k, known): v for k, v in (grid or {}).items()}
    cols: dict[str, list[Any]] = {}
    for name, var in known.items():
        spec = given.get(name, "mean" if var.levels is None else "mode")
        cols[name] = _values(data[name], spec, var.levels, name)
    for extra in (result.design.offset_column,):
        if extra is not None and extra in data.columns:
            cols[extra] = [float(data[extra].mean())]
    rows = list(itertools.product(*cols.values()))
    out = pd.DataFrame(rows, columns=list(cols))
    for name in cols:  # keep categorical dtypes so the design sees the training levels
        if isinstance(data[name].dtype, pd.CategoricalDtype):
            out[name] = pd.Categorical(out[name], categories=data[name].cat.categories)
    return out


def predictions(
    result: FitResult,
    newdata: Any,
    grid: dict[str, Any] | None = None,
    by: Any = None,
    conf_level: float = 0.95,
    weights: Any = None,
) -> pd.DataFrame:
    """See :meth:`FitResult.predictions`."""
    level = parse_level(conf_level, "conf_level")
    frame = model_frame(result, newdata, weights)
    if grid is not None:
        g = datagrid(result, frame.data, grid)
        pred = result.predict(g, conf_level=level)
        if isinstance(pred["prediction"], pd.DataFrame):  # one column per level (mlogit, ologit)
            parts = []
            for lev in pred["prediction"].columns:
                part = g.copy()
                part.insert(0, "outcome", str(lev))
                for stat in ("prediction", "std_error", "conf_low", "conf_high"):
                    part[stat] = pred[stat][lev].to_numpy()
                parts.append(part)
            return pd.concat(parts, ignore_index=True).rename(columns={"prediction": "estimate"})
        out = g.copy()
        out["estimate"] = pred["prediction"].to_numpy()
        out["std_error_link"] = pred["std_error_link"].to_numpy()
        out["conf_low"] = pred["conf_low"].to_numpy()
        out["conf_high"] = pred["conf_high"].to_numpy()
        return out
    kern = Kernel(result)
    known = model_variables(result)
    rows, ests, jacs = [], [], []
    for gkey, mask in groups(frame.data, by, known):
        w = None if frame.weights is None else frame.weights[mask]
        e, j = kern.average(frame.data.loc[mask], w)
        rows.append({"term": "mean(prob)"} | ({"by": gkey} if by is not None else {}))
        ests.append(e)
        jacs.append(j)
    return table(result, rows, ests, jacs, level, kern.outcomes)


def _emm(result: FitResult, data: pd.DataFrame, factor: Any) -> tuple[str, list, np.ndarray]:
    """Levels of ``factor`` and the ``(L, k)`` rows ``l`` with :math:`\\bar\\eta = l' b`."""
    if result.family.outcome_column:  # one probability per level, not one linear predictor
        raise LogitstatsError(
            "marginal_means/pairs: expected a binary fit (ls.logit); got a fit of kind "
            f"{result.design.kind!r}; use predictions(grid=...) per outcome level instead"
        )
    if result.design.offset is not None:
        raise LogitstatsError(
            "marginal_means/pairs: expected a fit without an offset; got an offset; use "
            "predictions(grid=...) with the offset column set explicitly"
        )
    known = model_variables(result)
    name = column_of(factor, known)
    var = known[name]
    if var.levels is None:
        raise LogitstatsError(
            f"marginal_means: expected a categorical variable; got the numeric {name!r}; use "
            "predictions(grid={...}) for numeric values"
        )
    spec = {n: ("all" if v.levels is not None else "mean") for n, v in known.items()}
    g = datagrid(result, data, spec)
    X, _, _ = newdata_matrix(result.design, g)
    L = np.vstack([X[(g[name] == lev).to_numpy()].mean(axis=0) for lev in var.levels])
    return name, list(var.levels), L


def marginal_means(
    result: FitResult, newdata: Any, factor: Any, conf_level: float = 0.95
) -> pd.DataFrame:
    """See :meth:`FitResult.marginal_means`."""
    level = parse_level(conf_level, "conf_level")
    frame = model_frame(result, newdata)
    name, levels, L = _emm(result, frame.data, factor)
    eta = L @ result.state.params
    se = np.sqrt(np.einsum("ij,jk,ik->i", L, result.cov_array, L))
    q = norm_ppf(0.5 + level / 2.0)
    return pd.DataFrame(
        {
            name: levels,
            "estimate": sigmoid(eta),
            "std_error": sigmoid(eta) * (1 - sigmoid(eta)) * se,
            "link": eta,
            "std_error_link": se,
            "conf_low": sigmoid(eta - q * se),
            "conf_high": sigmoid(eta + q * se),
        }
    )


def pairs(
    result: FitResult,
    newdata: Any,
    factor: Any,
    adjust: str = "tukey",
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """See :meth:`FitResult.pairs`."""
    how = parse_option(PAdjust, adjust, "adjust")
    level = parse_level(conf_level, "conf_level")
    frame = model_frame(result, newdata)
    _, levels, L = _emm(result, frame.data, factor)
    idx = list(itertools.combinations(range(len(levels)), 2))
    D = np.vstack([L[a] - L[b] for a, b in idx])
    d = D @ result.state.params
    se = np.sqrt(np.einsum("ij,jk,ik->i", D, result.cov_array, D))
    z = d / se
    p = 2.0 * norm_sf(np.abs(z))
    q = norm_ppf(0.5 + level / 2.0)
    return pd.DataFrame(
        {
            "contrast": [f"{levels[a]} / {levels[b]}" for a, b in idx],
            "estimate": np.exp(d),
            "std_error": np.exp(d) * se,
            "std_error_log": se,
            "statistic": z,
            "p_value": adjust_pvalues(p, how.value, z=z, n_means=len(levels)),
            "conf_low": np.exp(d - q * se),
            "conf_high": np.exp(d + q * se),
        }
    )
