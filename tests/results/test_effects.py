"""Marginal effects of results (results/effects.py); the numbers are checked against R and
statsmodels in tests/inference/test_margins.py, this file covers what the result layer adds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import logitstats as ls
from logitstats.errors import LogitstatsError


def test_ordinal_marginal_effects_point_to_slopes():
    # the family of an ordinal fit is no index model over its levels: a clear error, not a
    # shape error from inside the margins code
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.normal(size=200)})
    df["y"] = np.digitize(df["x"] + rng.logistic(size=200), [-1.0, 0.0, 1.0])
    fit = ls.ologit("y ~ x", df)
    with pytest.raises(
        LogitstatsError,
        match=r"marginal_effects: expected a binary \(ls.logit\) or multinomial \(ls.mlogit\) "
        r"fit; got a fit of kind 'ordinal'; use slopes\(data\)",
    ):
        fit.marginal_effects()


def test_binary_table_has_no_outcome_column_and_multinomial_one_per_level():
    df = ls.datasets.load("modechoice")
    mfit = ls.mlogit("mode ~ hinc + psize", data=df, reference="air")
    out = mfit.marginal_effects()
    levels = [str(v) for v in mfit.design.levels]
    assert out["outcome"].tolist() == [lev for lev in levels for _ in range(2)]
    bfit = ls.logit("I(mode == 'car') ~ hinc", data=df)
    assert "outcome" not in bfit.marginal_effects().columns
