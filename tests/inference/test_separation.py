"""Separation detection (LP of Konis 2007), the post-fit screen, warnings and reporting."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import logitstats as ls
from logitstats.errors import ConvergenceWarning, SeparationWarning
from logitstats.inference.separation import (
    SCREEN_METHOD,
    SeparationStatus,
    detect_separation,
    screen_no_separation,
)
from tests.conftest import load_reference
from tests.tolerances import RTOL_SEPARATED_LIMIT

REF = load_reference("firth")
TOY = pd.DataFrame(REF["separation_toy_firth"]["data_inline"])  # y = 1 iff x > 3.5


@pytest.fixture(scope="module")
def endometrial():
    return ls.datasets.load("endometrial")


def test_endometrial_nv_quasi_separated(endometrial):
    # R reference: crosstab NV x HG has no (NV = 1, HG = 0) rows, 13 (NV = 1, HG = 1) rows
    table = REF["endometrial_glm"]["nv_hg_table"]
    assert table["nv1_hg0"] == 0
    info = ls.check_separation("HG ~ NV + PI + EH", endometrial)
    assert info.status is SeparationStatus.QUASI
    assert info.terms == ("NV",)
    assert info.n_separated == table["nv1_hg1"]
    assert info.describe() == "quasi-complete: infinite maximum-likelihood estimates for NV"


def test_endometrial_ml_fit_flags_nv_once(endometrial):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = ls.logit("HG ~ NV + PI + EH", data=endometrial)
    kinds = [w.category for w in caught]
    assert kinds == [SeparationWarning]  # once per fit; no extra ConvergenceWarning
    assert "firth=True" in str(caught[0].message)
    assert fit.separation.terms == ("NV",)
    # R's glm stops with a huge NV estimate and SE (tests/reference/firth.json endometrial_glm)
    r = REF["endometrial_glm"]
    assert r["se"][1] > 1000 and fit.bse["NV"] > 1000
    np.testing.assert_allclose(fit.params[["PI", "EH"]], r["coef"][2:], rtol=RTOL_SEPARATED_LIMIT)
    assert "Separation:   quasi-complete: infinite maximum-likelihood estimates for NV" in (
        fit.summary()
    )


def test_complete_separation_toy():
    info = ls.check_separation("y ~ x", TOY)
    assert info.status is SeparationStatus.COMPLETE
    assert info.terms == ("Intercept", "x")
    with pytest.warns(SeparationWarning, match=r"^complete separation: .*Intercept, x"):
        fit = ls.logit("y ~ x", data=TOY)
    assert fit.separation.status == "complete"


def test_factor_level_quasi_separation_names_the_dummy():
    rng = np.random.default_rng(5)
    g = np.repeat(["a", "b", "c"], 30)
    y = rng.integers(0, 2, 90)
    y[g == "c"] = 0
    x = rng.standard_normal(90)
    data = pd.DataFrame({"y": y, "g": g, "x": x})
    info = ls.check_separation("y ~ g + x", data)
    assert info.status == "quasi" and info.terms == ("g[T.c]",)
    with pytest.warns(SeparationWarning, match=r"g\[T\.c\]"):
        ls.logit("y ~ g + x", data=data)


def test_no_separation_is_certified_by_the_screen(spector):
    fit = ls.logit("GRADE ~ GPA + TUCE + PSI", data=spector)
    assert fit.separation.status is SeparationStatus.NONE
    assert fit.separation.method == SCREEN_METHOD
    assert "Separation:   none detected" in fit.summary()
    lp = ls.check_separation("GRADE ~ GPA + TUCE + PSI", spector)
    assert lp.status is SeparationStatus.NONE and "linear program" in lp.method


def test_screen_declines_under_separation(endometrial):
    X = np.column_stack([np.ones(79), endometrial[["NV", "PI", "EH"]].to_numpy(float)])
    y = endometrial["HG"].to_numpy(float)
    from logitstats.engine import binary

    state = binary.fit(X, y, intercept_col=0)
    eta = X @ state.params
    assert not screen_no_separation(X, eta, state.score, state.information)


def test_zero_weight_rows_do_not_count():
    # the single row that breaks the separation gets weight 0: separated again
    data = pd.DataFrame({"y": [0, 0, 0, 1, 1, 1, 1], "x": [1.0, 2, 3, 4, 5, 6, 2.5]})
    assert ls.check_separation("y ~ x", data).status == "none"
    w = [1, 1, 1, 1, 1, 1, 0]
    assert ls.check_separation("y ~ x", data, weights=w).status == "complete"


def test_large_data_decided_by_subsample_lp():
    rng = np.random.default_rng(11)
    n = 20000
    x = rng.standard_normal((n, 3))
    y = (rng.random(n) < 1 / (1 + np.exp(-x @ [0.5, -0.3, 0.2]))).astype(float)
    info = detect_separation(np.column_stack([np.ones(n), x]), y)
    assert info.status is SeparationStatus.NONE and info.method.endswith("on a subsample")


def test_multinomial_per_outcome_against_reference(anes96):
    toy = pd.DataFrame({"y": list("aaabbbccc"), "x": [1, 2, 3, 4, 5, 6, 1, 2, 3.5]})
    # b vs a: x separates completely; c vs a overlaps
    with pytest.warns(SeparationWarning, match=r"outcome b: Intercept, x"):
        fit = ls.mlogit("y ~ x", data=toy)
    assert fit.separation.status == "complete"
    assert fit.separation.outcomes == (("b", ("Intercept", "x")),)
    info = ls.check_separation("y ~ x", toy, multinomial=True)
    assert info == fit.separation
    ok = ls.mlogit("party ~ age + educ", data=anes96)
    assert ok.separation.status == "none"


def test_nonconvergence_without_separation_still_warns():
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        ls.logit("GRADE ~ GPA + TUCE + PSI", data=ls.datasets.load("spector"), max_iter=1)


def test_lp_cut_down_beyond_max_rows_is_labelled_approximate():
    rng = np.random.default_rng(4)
    n = 3000
    x = rng.standard_normal(n)
    flag = (rng.random(n) < 0.02).astype(float)
    y = (rng.random(n) < 0.5).astype(float)
    y[flag == 1] = 1.0  # quasi-separation by the rare flag
    X = np.column_stack([np.ones(n), x, flag])
    exact = detect_separation(X, y, column_names=("Intercept", "x", "flag"))
    cut = detect_separation(
        X, y, column_names=("Intercept", "x", "flag"), priority=flag == 1, max_rows=500
    )
    assert exact.terms == cut.terms == ("flag",)
    assert "approximate" in cut.method and "approximate" not in exact.method
