"""Marginal effects against statsmodels' get_margeff (live) and counterfactual predictions.

Estimates are compared at ``RTOL_SM``; standard errors at ``RTOL_NUMDIFF`` because both sides
take the Jacobian of the effects numerically (ours by central differences, statsmodels by
complex steps). Factor terms follow the ``marginaleffects`` convention (each level against the
reference level for every row), checked against ``predict`` on counterfactual data and, for a
two-level factor where the conventions agree, against ``get_margeff(dummy=True)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

import logitstats as ls
from logitstats.errors import LogitstatsError
from tests.tolerances import ATOL_SM, ATOL_SUM_TO_ZERO, RTOL_NUMDIFF, RTOL_PROPERTY, RTOL_SM

COLUMNS = ["term", "estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high"]


@pytest.fixture(scope="module")
def spector_pair():
    data = ls.datasets.load("spector")
    ours = ls.logit("GRADE ~ GPA + TUCE + PSI", data=data)
    theirs = sm.Logit(data["GRADE"], sm.add_constant(data[["GPA", "TUCE", "PSI"]])).fit(
        disp=0, method="newton", tol=1e-12
    )
    return ours, theirs


@pytest.mark.parametrize("at", ["overall", "mean"])
@pytest.mark.parametrize("method", ["dydx", "eyex", "dyex", "eydx"])
def test_binary_equals_statsmodels_get_margeff(spector_pair, at, method):
    ours, theirs = spector_pair
    got = ours.marginal_effects(at=at, method=method)
    ref = theirs.get_margeff(at=at, method=method)
    assert list(got.columns) == COLUMNS
    assert list(got["term"]) == ["GPA", "TUCE", "PSI"]
    np.testing.assert_allclose(got["estimate"], ref.margeff, rtol=RTOL_SM, atol=ATOL_SM)
    np.testing.assert_allclose(got["std_error"], ref.margeff_se, rtol=RTOL_NUMDIFF)
    np.testing.assert_allclose(got["p_value"], ref.pvalues, rtol=RTOL_NUMDIFF)


def test_confidence_interval_is_estimate_plus_minus_z_se(spector_pair):
    got = spector_pair[0].marginal_effects(conf_level=0.9)
    z = stats.norm.ppf(0.95)
    np.testing.assert_allclose(got["conf_low"], got["estimate"] - z * got["std_error"])
    np.testing.assert_allclose(got["conf_high"], got["estimate"] + z * got["std_error"])
    np.testing.assert_allclose(got["statistic"], got["estimate"] / got["std_error"])


@pytest.mark.parametrize("at", ["overall", "mean"])
def test_multinomial_equals_statsmodels_per_outcome(at):
    data = ls.datasets.load("anes96")
    ours = ls.mlogit("party ~ age + income + selfLR", data=data, reference="Dem")
    y = data["party"].map({"Dem": 0, "Ind": 1, "Rep": 2})
    theirs = sm.MNLogit(y, sm.add_constant(data[["age", "income", "selfLR"]])).fit(
        disp=0, method="newton", tol=1e-12
    )
    ref = theirs.get_margeff(at=at, method="dydx")  # (terms, outcomes incl. the reference)
    got = ours.marginal_effects(at=at)
    assert list(got.columns) == ["outcome", *COLUMNS]
    assert list(got["outcome"]) == ["Dem"] * 3 + ["Ind"] * 3 + ["Rep"] * 3
    terms, levels = ["age", "income", "selfLR"], ["Dem", "Ind", "Rep"]
    est = got.pivot(index="term", columns="outcome", values="estimate").loc[terms, levels]
    se = got.pivot(index="term", columns="outcome", values="std_error").loc[terms, levels]
    np.testing.assert_allclose(est.to_numpy(), ref.margeff, rtol=RTOL_SM, atol=ATOL_SM)
    np.testing.assert_allclose(se.to_numpy(), ref.margeff_se, rtol=RTOL_NUMDIFF)
    # probabilities sum to one, so the effects sum to zero across outcomes
    np.testing.assert_allclose(est.sum(axis=1), 0.0, atol=ATOL_SUM_TO_ZERO)


@pytest.mark.parametrize("at", ["overall", "mean"])
def test_two_level_factor_equals_statsmodels_dummy_effect(at):
    data = ls.datasets.load("spector")
    ours = ls.logit("GRADE ~ GPA + TUCE + C(PSI)", data=data)
    X = sm.add_constant(data[["GPA", "TUCE", "PSI"]])
    theirs = sm.Logit(data["GRADE"], X).fit(disp=0, method="newton", tol=1e-12)
    ref = theirs.get_margeff(at=at, dummy=True)
    got = ours.marginal_effects(at=at).set_index("term")
    assert got.loc["C(PSI)[T.1]", "estimate"] == pytest.approx(ref.margeff[2], rel=RTOL_SM)
    assert got.loc["C(PSI)[T.1]", "std_error"] == pytest.approx(ref.margeff_se[2], rel=RTOL_NUMDIFF)
    assert got.loc["GPA", "estimate"] == pytest.approx(ref.margeff[0], rel=RTOL_SM)


def test_multi_level_factor_is_the_average_counterfactual_change():
    data = ls.datasets.load("affairs")
    fit = ls.logit("had_affair ~ C(religious) + age + educ", data=data)
    got = fit.marginal_effects().set_index("term")
    base = fit.predict(data.assign(religious=1)).mean()
    for level in (2, 3, 4):
        expected = fit.predict(data.assign(religious=level)).mean() - base
        assert got.loc[f"C(religious)[T.{level}]", "estimate"] == pytest.approx(
            expected, rel=RTOL_SM
        )
    assert list(got.index) == [
        "C(religious)[T.2]",
        "C(religious)[T.3]",
        "C(religious)[T.4]",
        "age",
        "educ",
    ]


def test_factor_with_a_non_default_reference_level():
    data = ls.datasets.load("affairs")
    fit = ls.logit("had_affair ~ C(religious, Treatment(3)) + age", data=data)
    got = fit.marginal_effects().set_index("term")
    expected = (
        fit.predict(data.assign(religious=1)).mean() - fit.predict(data.assign(religious=3)).mean()
    )
    assert got.loc["C(religious, Treatment(3))[T.1]", "estimate"] == pytest.approx(
        expected, rel=RTOL_SM
    )


def test_frequency_weights_equal_the_expanded_data():
    data = ls.datasets.load("spector")
    w = (np.arange(len(data)) % 3) + 1.0
    weighted = ls.logit("GRADE ~ GPA + TUCE + PSI", data=data, weights=w)
    expanded = ls.logit("GRADE ~ GPA + TUCE + PSI", data=data.loc[data.index.repeat(w.astype(int))])
    for at in ("overall", "mean"):
        a = weighted.marginal_effects(at=at)
        b = expanded.marginal_effects(at=at)
        pd.testing.assert_frame_equal(a, b, rtol=RTOL_PROPERTY)


def test_bad_arguments_are_rejected_with_a_message(spector_pair):
    fit = spector_pair[0]
    with pytest.raises(LogitstatsError, match=r"method must be one of 'dydx'.*got method='dx'"):
        fit.marginal_effects(method="dx")
    with pytest.raises(
        LogitstatsError, match=r"at must be one of 'overall', 'mean'; got at='median'"
    ):
        fit.marginal_effects(at="median")
    with pytest.raises(LogitstatsError, match=r"conf_level must be a number between 0 and 1"):
        fit.marginal_effects(conf_level=95)
