"""Marginal effects of a fitted model: which columns are continuous, which factor levels are
discrete changes, and the labelled table (numerics in :mod:`logitstats.inference.margins`).

Convention for factors (``marginaleffects::avg_slopes``): a term made of one categorical factor
gives one row per non-reference level, the change in probability when every row's factor is set
to that level instead of the reference level (the level coded all zeros; else the first level).
``statsmodels``' ``get_margeff(dummy=True)`` flips one dummy column at a time instead, keeping the
other dummies of the factor as observed; the two agree for two-level factors. Every other design
column (numeric predictors, transformed columns such as ``np.log(x)``, interaction columns) is
treated as a variable of its own, as ``get_margeff`` does: its derivative holds the other columns
fixed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from logitstats.design.terms import term_structure
from logitstats.inference.margins import EffectSpec, effects_with_cov
from logitstats.numerics.softmax import sigmoid
from logitstats.options import parse_level

if TYPE_CHECKING:
    from logitstats.results.base import FitResult

__all__ = ["marginal_effects"]


def _specs(result: FitResult) -> tuple[list[EffectSpec], list[str]]:
    specs, names = [], []
    for term in term_structure(result.design):
        if not term.factors:
            continue
        if term.contrast is not None and term.levels is not None:
            zero = np.flatnonzero(~np.any(term.contrast != 0, axis=1))
            ref = int(zero[0]) if zero.size else 0
            suffix = [result.design.column_names[c][len(term.name) :] for c in term.columns]
            for i, level in enumerate(term.levels):
                if i == ref:
                    continue
                specs.append(EffectSpec(term.columns, term.contrast[i], term.contrast[ref]))
                # a treatment-coded level is named as its column; otherwise "term[level]"
                hits = np.flatnonzero(term.contrast[i] != 0)
                if hits.size == 1 and term.contrast[i][hits[0]] == 1 and zero.size:
                    names.append(term.name + suffix[hits[0]])
                else:
                    names.append(f"{term.name}[{level}]")
        else:
            for c in term.columns:
                specs.append(EffectSpec((c,)))
                names.append(result.design.column_names[c])
    return specs, names


def _last_value(fn):  # noqa: ANN001, ANN202 - a memo of the last (b, X) call
    """Remember the last result: the effects ask for the same probabilities once per column."""
    memo: dict[str, object] = {}

    def wrapped(b: np.ndarray, X: np.ndarray) -> np.ndarray:
        # the memo holds X itself, so "is" cannot match a new array at a recycled address
        if memo.get("X") is not X or memo.get("b") != b.tobytes():
            memo["X"], memo["b"], memo["value"] = X, b.tobytes(), fn(b, X)
        return memo["value"]  # type: ignore[return-value]

    return wrapped


def _binary_fns(result: FitResult):  # noqa: ANN202 - a pair of closures
    off = result.design.offset
    w = result.design.weights

    @_last_value
    def prob(b: np.ndarray, X: np.ndarray) -> np.ndarray:
        e = X @ b
        if off is not None:  # at="mean": the mean offset
            e = e + (off if X.shape[0] == off.shape[0] else np.average(off, weights=w))
        return sigmoid(e)[:, None]

    def dprob(b: np.ndarray, X: np.ndarray, k: int) -> np.ndarray:
        p = prob(b, X)
        return p * (1.0 - p) * b[k]

    return prob, dprob


def _multinomial_fns(result: FitResult):  # noqa: ANN202 - a pair of closures
    layout, family = result.layout, result.family
    ref = list(result.design.levels).index(result.design.reference)
    off = result.design.offset
    w = result.design.weights

    def full_matrix(b: np.ndarray) -> np.ndarray:
        B = layout.to_matrix(b)
        return np.insert(B, ref, 0.0, axis=1)  # (p, K) with the reference column of zeros

    @_last_value
    def prob(b: np.ndarray, X: np.ndarray) -> np.ndarray:
        o = off
        if off is not None and X.shape[0] != off.shape[0]:  # at="mean": the mean offset
            o = np.full(X.shape[0], np.average(off, weights=w))
        return family.probabilities(X, b, o)

    def dprob(b: np.ndarray, X: np.ndarray, k: int) -> np.ndarray:
        P = prob(b, X)
        beta_k = full_matrix(b)[k]  # (K,)
        return P * (beta_k[None, :] - (P @ beta_k)[:, None])

    return prob, dprob


def marginal_effects(
    result: FitResult, at: str = "overall", method: str = "dydx", conf_level: float = 0.95
) -> pd.DataFrame:
    """See :meth:`FitResult.marginal_effects`."""
    level = parse_level(conf_level, "conf_level")
    specs, names = _specs(result)
    fns = _multinomial_fns(result) if result.layout.is_multinomial else _binary_fns(result)
    est, cov = effects_with_cov(
        *fns,
        result.state.params,
        result.cov_array,
        result.design.X,
        result.design.weights,
        specs,
        method,
        at,
    )
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None)).reshape(est.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = est / se
    p = 2.0 * stats.norm.sf(np.abs(z))
    q = stats.norm.ppf(0.5 + level / 2.0)
    cols: dict[str, object] = {}
    if result.layout.is_multinomial:
        outcomes = [str(v) for v in result.design.levels]
        # outcome-major like tidy(): every term of the first level, then the next level...
        order = [(i, j) for j in range(est.shape[1]) for i in range(est.shape[0])]
        cols["outcome"] = [outcomes[j] for _, j in order]
    else:
        order = [(i, 0) for i in range(est.shape[0])]
    ii = np.array([i for i, _ in order], dtype=int)
    jj = np.array([j for _, j in order], dtype=int)
    e, s = est[ii, jj], se[ii, jj]
    cols.update(
        term=[names[i] for i in ii],
        estimate=e,
        std_error=s,
        statistic=z[ii, jj],
        p_value=p[ii, jj],
        conf_low=e - q * s,
        conf_high=e + q * s,
    )
    return pd.DataFrame(cols)
