"""Residuals and influence of binary fits.

References: tests/reference/effects.R, sections ``influence_*``: R's ``residuals.glm`` (four
types), ``hatvalues``, ``cooks.distance``, ``rstandard``, ``rstudent`` for binomial glms
(spector; spector with frequency weights; MASS::birthwt, data inline).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import logitstats as ls
from logitstats.errors import LogitstatsError
from tests.conftest import load_reference
from tests.tolerances import ATOL_R, RTOL_R

REF = load_reference("effects")
CASES = ["influence_spector", "influence_spector_weighted", "influence_birthwt"]


def _fit(case):
    if case["data"] == "inline":
        df = pd.DataFrame(case["data_inline"])
    else:
        df = ls.datasets.load(case["data"])
    kw = {"weights": np.asarray(case["weights"], float)} if "weights" in case else {}
    return ls.logit(case["formula_py"], data=df, **kw), df


@pytest.mark.parametrize("case_id", CASES)
@pytest.mark.parametrize("kind", ["deviance", "pearson", "response", "working"])
def test_residuals_equal_r(case_id, kind):
    case = REF[case_id]
    fit, _ = _fit(case)
    np.testing.assert_allclose(fit.residuals(kind), case[f"resid_{kind}"], rtol=RTOL_R, atol=ATOL_R)


@pytest.mark.parametrize("case_id", CASES)
def test_influence_equals_r(case_id):
    case = REF[case_id]
    fit, _ = _fit(case)
    infl = fit.influence()
    for col in ("hat", "cooks_d", "rstandard", "rstudent"):
        np.testing.assert_allclose(infl[col], case[col], rtol=RTOL_R, atol=ATOL_R, err_msg=col)


def test_aligned_to_callers_index_with_nan_for_dropped_rows():
    df = ls.datasets.load("spector")
    df.index = [f"r{i}" for i in range(len(df))]
    df.loc["r3", "TUCE"] = np.nan
    fit = ls.logit("GRADE ~ GPA + TUCE + PSI", data=df)
    infl = fit.influence(data=df)
    assert infl.index.equals(df.index)
    assert np.isnan(infl.loc["r3", "hat"])
    assert infl["hat"].notna().sum() == len(df) - 1
    assert np.isnan(fit.residuals("pearson", data=df).loc["r3"])


def test_bad_kind():
    fit = ls.logit("GRADE ~ GPA", data=ls.datasets.load("spector"))
    with pytest.raises(LogitstatsError, match=r"kind must be one of .*got kind='raw'"):
        fit.residuals("raw")


def test_residuals_of_a_multinomial_fit_are_refused():
    # the result classes only offer residuals() on binary fits; the function itself asks the
    # family (defines_residuals) rather than the kind
    from logitstats.results.residuals import influence, residuals

    df = ls.datasets.load("modechoice")
    fit = ls.mlogit("mode ~ hinc", data=df)
    with pytest.raises(LogitstatsError, match=r"residuals: expected a binary fit .* 'multinomial'"):
        residuals(fit)
    with pytest.raises(LogitstatsError, match=r"influence: expected a binary fit .* 'multinomial'"):
        influence(fit)
