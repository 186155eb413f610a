"""Joint tests by term name and nonlinear hypotheses (delta method).

References: tests/reference/effects_tests.R (``car::linearHypothesis(test = "Chisq")`` on every
coefficient of a term; ``car::deltaMethod``, whose derivative is symbolic, so exact).
"""

from __future__ import annotations

import numpy as np
import pytest

import logitstats as ls
from logitstats.errors import LogitstatsError
from tests.conftest import load_reference
from tests.tolerances import ATOL_R, RTOL_EXACT, RTOL_R

REF = load_reference("effects_tests")


@pytest.fixture(scope="module")
def spector_fit():
    case = REF["nonlinear_spector"]
    return ls.logit(case["formula_py"], data=ls.datasets.load(case["data"]))


@pytest.fixture(scope="module")
def affairs_fit():
    case = REF["term_affairs"]
    return ls.logit(case["formula_py"], data=ls.datasets.load(case["data"]))


@pytest.fixture(scope="module")
def mode_fit():
    case = REF["term_modechoice"]
    return ls.mlogit(case["formula_py"], data=ls.datasets.load(case["data"]), reference="air")


def _same_test(res, ref):
    assert res.df == ref["df"]
    assert res.statistic == pytest.approx(ref["statistic"], rel=RTOL_R)
    assert res.p_value == pytest.approx(ref["p_value"], rel=RTOL_R, abs=ATOL_R)


def test_term_name_tests_all_its_coefficients_as_car(affairs_fit):
    case = REF["term_affairs"]
    _same_test(affairs_fit.wald_test(case["term_py"]), case["joint"])
    _same_test(affairs_fit.wald_test(case["joint_with_age_py"]), case["joint_with_age"])


def test_term_name_equals_typing_every_coefficient(affairs_fit):
    typed = ", ".join(f"C(rate_marriage)[T.{k}] = 0" for k in (2, 3, 4, 5))
    assert affairs_fit.wald_test("C(rate_marriage)").statistic == pytest.approx(
        affairs_fit.wald_test(typed).statistic, rel=RTOL_EXACT
    )


def test_multinomial_term_across_outcomes_and_in_one_outcome(mode_fit):
    case = REF["term_modechoice"]
    _same_test(mode_fit.wald_test(case["term_py"]), case["joint"])
    _same_test(mode_fit.wald_test(case["term_outcome_py"]), case["joint_outcome"])
    # a one-column term in one outcome is that one coefficient
    one = mode_fit.wald_test("hinc[bus]")
    assert one.statistic == pytest.approx(
        float(mode_fit.zvalues.loc["hinc", "bus"]) ** 2, rel=RTOL_EXACT
    )


def test_hypotheses_equal_car_delta_method(spector_fit):
    case = REF["nonlinear_spector"]
    tab = spector_fit.hypotheses(", ".join(case["expressions_py"]))
    assert list(tab.columns) == [
        "term",
        "estimate",
        "std_error",
        "statistic",
        "p_value",
        "conf_low",
        "conf_high",
    ]
    assert tab["term"].tolist() == case["expressions_py"]
    ref_est = [r["estimate"] for r in case["results"]]
    ref_se = [r["std_error"] for r in case["results"]]
    np.testing.assert_allclose(tab["estimate"], ref_est, rtol=RTOL_R)
    np.testing.assert_allclose(tab["std_error"], ref_se, rtol=RTOL_R)
    np.testing.assert_allclose(tab["statistic"], np.array(ref_est) / ref_se, rtol=RTOL_R)


def test_nonlinear_wald_test_is_delta_method_chi2(spector_fit, affairs_fit, mode_fit):
    case = REF["nonlinear_spector"]
    for text, ref in zip(case["expressions_py"], case["results"], strict=True):
        res = spector_fit.wald_test(text)
        assert res.test == "Wald (delta method)"
        _same_test(res, ref | {"df": 1})
    aff = REF["term_affairs"]
    _same_test(affairs_fit.wald_test(aff["ratio_py"]), aff["ratio"] | {"df": 1})
    mc = REF["term_modechoice"]
    _same_test(mode_fit.wald_test(mc["nonlinear_py"]), mc["nonlinear"] | {"df": 1})


def test_linear_expression_through_hypotheses_equals_linear_wald(spector_fit):
    lin = spector_fit.wald_test("GPA = 2*TUCE")
    tab = spector_fit.hypotheses("GPA = 2*TUCE")
    assert float(tab["statistic"].iloc[0]) ** 2 == pytest.approx(lin.statistic, rel=RTOL_EXACT)


def test_bad_expressions_are_rejected_with_a_message(spector_fit):
    with pytest.raises(LogitstatsError, match=r"expected coefficient names .*got 'GPX'"):
        spector_fit.hypotheses("exp(GPX)")
    with pytest.raises(LogitstatsError, match=r"never code"):
        spector_fit.hypotheses("__import__('os')")
    with pytest.raises(LogitstatsError, match=r"never code"):
        spector_fit.hypotheses("GPA.real")
    with pytest.raises(LogitstatsError, match=r"involves no coefficient"):
        spector_fit.hypotheses("exp(1)")
    with pytest.raises(LogitstatsError, match=r"math error.*log of a negative"):
        spector_fit.hypotheses("log(-GPA)")
    with pytest.raises(LogitstatsError, match=r"between backticks"):
        spector_fit.hypotheses("C(rank)[T.2] + GPA")
    with pytest.raises(LogitstatsError, match=r"at most one '='"):
        spector_fit.wald_test("exp(GPA) = 1 = 2")


def test_product_of_coefficients_falls_back_to_the_delta_method(spector_fit):
    # "GPA*TUCE = 1" is not linear: before, the linear parser refused it ("expected + or -")
    res = spector_fit.wald_test("GPA*TUCE = 1")
    b = spector_fit.params
    V = spector_fit.cov
    g = b["GPA"] * b["TUCE"] - 1.0
    J = np.array([b["TUCE"], b["GPA"]])
    var = J @ V.loc[["GPA", "TUCE"], ["GPA", "TUCE"]].to_numpy() @ J
    assert res.test == "Wald (delta method)"
    assert res.statistic == pytest.approx(g**2 / var, rel=RTOL_EXACT)
    # a name that neither parser knows keeps the linear parser's message
    with pytest.raises(LogitstatsError, match=r"expected a coefficient name, one of 'Intercept'"):
        spector_fit.wald_test("GPX*TUCE = 0")
