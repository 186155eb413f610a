"""LR tests, Wald tests and per-term anova.

References: ``car::Anova`` (types II/III, LR/Wald) on ``affairs`` and exact-refit type-II LR on
the multinomial ``anes96_party`` model (tests/reference/inference.R, section anova); Wald tests
and log-likelihoods cross-checked live against statsmodels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

import logitstats as ls
from logitstats.errors import LogitstatsError
from tests.conftest import load_reference
from tests.tolerances import ATOL_R, RTOL_EXACT, RTOL_R, RTOL_SM, RTOL_SM_STATISTIC

REF = load_reference("inference")


@pytest.fixture(scope="module")
def affairs_fit():
    case = REF["anova_affairs"]
    return ls.logit(case["formula_py"], data=ls.datasets.load("affairs"))


@pytest.mark.parametrize("anova_type", [2, 3])
@pytest.mark.parametrize("test", ["lr", "wald"])
def test_anova_equals_car_anova(affairs_fit, anova_type, test):
    case = REF["anova_affairs"]
    rows = [r for r in case[f"type{anova_type}_{test}"] if r["term_py"] != "Intercept"]
    got = affairs_fit.anova(type=anova_type, test=test)
    assert list(got.columns) == ["term", "df", "statistic", "p_value"]
    assert sorted(got["term"]) == sorted(r["term_py"] for r in rows)  # no intercept row
    got = got.set_index("term").loc[[r["term_py"] for r in rows]]
    np.testing.assert_array_equal(got["df"], [r["df"] for r in rows])
    np.testing.assert_allclose(got["statistic"], [r["statistic"] for r in rows], rtol=RTOL_R)
    np.testing.assert_allclose(got["p_value"], [r["p"] for r in rows], rtol=RTOL_R, atol=ATOL_R)


def test_multinomial_type2_lr_equals_exact_refits():
    case = REF["anova_anes96_party"]
    fit = ls.mlogit(
        case["formula_py"], data=ls.datasets.load("anes96"), reference=case["reference"]
    )
    got = fit.anova(type=2, test="lr").set_index("term")
    rows = case["type2_lr"]
    got = got.loc[[r["term_py"] for r in rows]]
    np.testing.assert_array_equal(got["df"], [r["df"] for r in rows])
    np.testing.assert_allclose(got["statistic"], [r["statistic"] for r in rows], rtol=RTOL_R)
    np.testing.assert_allclose(got["p_value"], [r["p"] for r in rows], rtol=RTOL_R, atol=ATOL_R)


def test_multinomial_wald_anova_equals_statsmodels_wald_test():
    case = REF["anova_anes96_party"]
    data = ls.datasets.load("anes96")
    fit = ls.mlogit(case["formula_py"], data=data, reference=case["reference"])
    X = pd.DataFrame(fit.design.X, columns=list(fit.design.column_names))
    y = data["party"].map({"Dem": 0, "Ind": 1, "Rep": 2})
    smf = sm.MNLogit(y, X).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
    got = fit.anova(type=3, test="wald").set_index("term")
    p = X.shape[1]
    for term, cols in [("C(ClinLR)", range(1, 7)), ("income", [8])]:
        R = np.zeros((2 * len(cols), 2 * p))
        for i, c in enumerate(cols):
            R[i, c] = 1.0  # statsmodels' flat order is outcome-major too
            R[len(cols) + i, p + c] = 1.0
        ref = smf.wald_test(R, scalar=True, use_f=False)
        assert got.loc[term, "df"] == 2 * len(cols)
        assert got.loc[term, "statistic"] == pytest.approx(
            float(ref.statistic), rel=RTOL_SM_STATISTIC
        )
    # type II = type III without interactions
    pd.testing.assert_frame_equal(fit.anova(type=2, test="wald"), fit.anova(type=3, test="wald"))


@pytest.mark.parametrize("case_id", ["spector_interaction", "affairs_factor_interaction"])
@pytest.mark.parametrize("kind", ["type2_lr", "type2_wald", "type3_lr", "type3_wald"])
def test_anova_with_interactions_equals_car_anova(case_id, kind):
    """Type II Wald with a higher-order relative uses car's conjugate-complement hypothesis."""
    case = load_reference("anova_interactions")[case_id]
    fit = ls.logit(case["formula_py"], data=ls.datasets.load(case["data"]))
    anova_type, test = int(kind[4]), kind.split("_")[1]
    got = fit.anova(type=anova_type, test=test).set_index("term")
    rows = case[kind]
    assert sorted(got.index) == sorted(r["term_py"] for r in rows)
    got = got.loc[[r["term_py"] for r in rows]]
    np.testing.assert_array_equal(got["df"], [r["df"] for r in rows])
    np.testing.assert_allclose(got["statistic"], [r["statistic"] for r in rows], rtol=RTOL_R)
    np.testing.assert_allclose(got["p_value"], [r["p"] for r in rows], rtol=RTOL_R, atol=ATOL_R)


def test_type2_with_an_interaction_respects_marginality():
    """Type II LR of a main effect = LR of (a + b) against (b) with a:b left out of both."""
    data = ls.datasets.load("spector")
    full = ls.logit("GRADE ~ GPA * PSI + TUCE", data=data)
    got = full.anova(type=2, test="lr").set_index("term")
    expected = ls.lr_test(
        ls.logit("GRADE ~ PSI + TUCE", data=data), ls.logit("GRADE ~ GPA + PSI + TUCE", data=data)
    )
    assert got.loc["GPA", "statistic"] == pytest.approx(expected.statistic, rel=RTOL_R)
    inter = ls.lr_test(ls.logit("GRADE ~ GPA + PSI + TUCE", data=data), full)
    assert got.loc["GPA:PSI", "statistic"] == pytest.approx(inter.statistic, rel=RTOL_R)
    # type III drops only the term's own column
    got3 = full.anova(type=3, test="lr").set_index("term")
    no_gpa = ls.logit("GRADE ~ PSI + GPA:PSI + TUCE", data=data)
    assert got3.loc["GPA", "statistic"] == pytest.approx(2 * (full.llf - no_gpa.llf), rel=RTOL_R)


def test_lr_test_equals_statsmodels_log_likelihoods():
    data = ls.datasets.load("spector")
    small = ls.logit("GRADE ~ GPA", data=data)
    big = ls.logit("GRADE ~ GPA + TUCE + PSI", data=data)
    res = ls.lr_test(small, big)
    sm_small = sm.Logit(data["GRADE"], sm.add_constant(data[["GPA"]])).fit(disp=0, method="newton")
    sm_big = sm.Logit(data["GRADE"], sm.add_constant(data[["GPA", "TUCE", "PSI"]])).fit(
        disp=0, method="newton"
    )
    expected = 2 * (sm_big.llf - sm_small.llf)
    assert res.statistic == pytest.approx(expected, rel=RTOL_SM)
    assert res.df == 2
    assert res.p_value == pytest.approx(float(stats.chi2.sf(expected, 2)), rel=RTOL_SM_STATISTIC)
    assert res.test == "likelihood ratio" and "restricted" in res.description


def test_lr_test_against_the_null_model_equals_glance():
    data = ls.datasets.load("spector")
    big = ls.logit("GRADE ~ GPA + TUCE + PSI", data=data)
    res = ls.lr_test(ls.logit("GRADE ~ 1", data=data), big)
    g = big.glance().iloc[0]
    assert res.statistic == pytest.approx(g["lr_stat"], rel=RTOL_SM)
    assert res.df == g["lr_df"]


def test_lr_test_refuses_models_on_different_rows():
    data = ls.datasets.load("spector").copy()
    data.loc[3, "TUCE"] = np.nan
    small = ls.logit("GRADE ~ GPA", data=data)
    big = ls.logit("GRADE ~ GPA + TUCE", data=data)
    with pytest.raises(LogitstatsError, match=r"different rows \(32 and 31 rows used"):
        ls.lr_test(small, big)


def test_lr_test_refuses_non_nested_or_swapped_models():
    data = ls.datasets.load("spector")
    a = ls.logit("GRADE ~ GPA + TUCE", data=data)
    b = ls.logit("GRADE ~ GPA + PSI + np.log(TUCE)", data=data)
    with pytest.raises(LogitstatsError, match=r"not nested"):
        ls.lr_test(a, b)
    with pytest.raises(LogitstatsError, match=r"did you swap restricted and full"):
        ls.lr_test(b, ls.logit("GRADE ~ GPA", data=data))
    with pytest.raises(LogitstatsError, match=r"restricted must be a fitted model.*DataFrame"):
        ls.lr_test(data, a)


def test_lr_test_refuses_a_binary_and_a_multinomial_model():
    data = ls.datasets.load("spector")
    with pytest.raises(LogitstatsError, match=r"binary model and the other a multinomial"):
        ls.lr_test(ls.logit("GRADE ~ GPA", data=data), ls.mlogit("GRADE ~ GPA + PSI", data=data))


def test_wald_test_string_equals_matrix_form_and_statsmodels(affairs_fit):
    data = ls.datasets.load("spector")
    fit = ls.logit("GRADE ~ GPA + TUCE + PSI", data=data, cov_type="HC0")
    res = fit.wald_test("GPA = 2*TUCE + 1, PSI = 0")
    R = np.array([[0, 1, -2, 0], [0, 0, 0, 1.0]])
    q = np.array([1.0, 0.0])
    by_matrix = fit.wald_test((R, q))
    assert by_matrix.statistic == pytest.approx(res.statistic, rel=RTOL_EXACT)
    assert res.df == 2 and res.test == "Wald"
    smf = sm.Logit(data["GRADE"], sm.add_constant(data[["GPA", "TUCE", "PSI"]])).fit(
        disp=0, method="newton", cov_type="HC0"
    )
    ref = smf.wald_test((R, q), scalar=True, use_f=False)
    assert res.statistic == pytest.approx(float(ref.statistic), rel=RTOL_SM_STATISTIC)
    assert res.p_value == pytest.approx(float(ref.pvalue), rel=RTOL_SM_STATISTIC)
    # names with brackets and dots: a factor level against another
    r2 = affairs_fit.wald_test("C(rate_marriage)[T.4] = C(rate_marriage)[T.5]")
    R2 = np.zeros((1, 11))
    R2[0, 3], R2[0, 4] = 1.0, -1.0
    assert r2.statistic == pytest.approx(
        affairs_fit.wald_test((R2, [0.0])).statistic, rel=RTOL_EXACT
    )


def test_wald_test_on_multinomial_names_term_and_outcome():
    fit = ls.mlogit("mode ~ hinc + psize", data=ls.datasets.load("modechoice"), reference="air")
    res = fit.wald_test("hinc[bus] = hinc[car]")
    R = np.zeros((1, 9))
    R[0, 1], R[0, 4] = 1.0, -1.0
    assert res.statistic == pytest.approx(fit.wald_test((R, [0.0])).statistic, rel=RTOL_EXACT)
    b, V = fit.state.params, fit.cov_array
    expected = (b[1] - b[4]) ** 2 / (V[1, 1] + V[4, 4] - 2 * V[1, 4])
    assert res.statistic == pytest.approx(expected, rel=RTOL_EXACT)


def test_wald_test_bad_hypotheses_are_rejected_with_a_message():
    fit = ls.logit("GRADE ~ GPA + TUCE + PSI", data=ls.datasets.load("spector"))
    with pytest.raises(LogitstatsError, match=r"expected a coefficient name, one of 'Intercept'"):
        fit.wald_test("GPX = 0")
    with pytest.raises(LogitstatsError, match=r"linearly dependent"):
        fit.wald_test("GPA = 0, 2*GPA = 0")
    with pytest.raises(LogitstatsError, match=r"R of shape \(r, 4\).*got R \(1, 3\)"):
        fit.wald_test((np.ones((1, 3)), [0.0]))
    with pytest.raises(LogitstatsError, match=r"involves no coefficient"):
        fit.wald_test("1 = 1")


def test_anova_bad_arguments_are_rejected_with_a_message(affairs_fit):
    with pytest.raises(LogitstatsError, match=r"type must be 2 or 3.*got type=1"):
        affairs_fit.anova(type=1)
    with pytest.raises(LogitstatsError, match=r"test must be one of 'lr', 'wald'; got test='F'"):
        affairs_fit.anova(test="F")
