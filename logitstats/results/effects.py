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

from logitstats.design.terms import term_structure
from logitstats.engine.family import IndexModel, ProbabilityDerivatives
from logitstats.errors import LogitstatsError
from logitstats.inference.margins import EffectSpec, index_effects_with_cov
from logitstats.numerics.distributions import norm_ppf, norm_sf
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


def _index_model(result: FitResult) -> IndexModel:
    """The coefficient matrix of every outcome level and where each sits in the flat vector."""
    family = result.family
    if not isinstance(family, ProbabilityDerivatives):
        raise LogitstatsError(
            "marginal_effects: expected a binary (ls.logit) or multinomial (ls.mlogit) fit; got "
            f"a fit of kind {result.design.kind!r}; use slopes(data), which averages the "
            "probability of every level through the formula"
        )
    return family.index_model(result.state.params, result.design.offset)


def marginal_effects(
    result: FitResult, at: str = "overall", method: str = "dydx", conf_level: float = 0.95
) -> pd.DataFrame:
    """See :meth:`FitResult.marginal_effects`."""
    level = parse_level(conf_level, "conf_level")
    specs, names = _specs(result)
    model = _index_model(result)
    est, cov = index_effects_with_cov(
        model.coef,
        model.free,
        result.cov_array,
        result.design.X,
        result.design.weights,
        specs,
        method,
        at,
        offset=model.offset,
        outputs=model.outputs,
    )
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None)).reshape(est.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = est / se
    p = 2.0 * norm_sf(np.abs(z))
    q = norm_ppf(0.5 + level / 2.0)
    cols: dict[str, object] = {}
    # outcome-major like tidy(): every term of the first level, then the next level...
    order = [(i, j) for j in range(est.shape[1]) for i in range(est.shape[0])]
    outcomes = result.outcome_labels
    if outcomes is not None:
        cols["outcome"] = [outcomes[j] for _, j in order]
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
