"""Slopes per variable through the formula.

References: tests/reference/effects.R (exact derivative of the formula written out in R, checked
there against numDeriv; delta SEs with a numDeriv Jacobian); statsmodels' ``get_margeff`` for a
multinomial model without transformed terms, where per-column and per-variable slopes agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import logitstats as ls
from logitstats.errors import DataError, LogitstatsError
from tests.conftest import load_reference
from tests.tolerances import ATOL_NUMDIFF, RTOL_NUMDIFF, RTOL_R, RTOL_SM_NUMERIC_HESSIAN

REF = load_reference("effects")


@pytest.fixture(scope="module")
def affairs():
    return ls.datasets.load("affairs")


@pytest.fixture(scope="module")
def affairs_fit(affairs):
    return ls.logit(REF["slopes_affairs"]["formula_py"], data=affairs)


def test_issue_example_age_is_minus_0_0092(affairs_fit, affairs):
    # the issue: marginal_effects() gives +0.0059 for the age column; through the formula -0.0092
    est = affairs_fit.slopes(affairs, "age")["estimate"].iloc[0]
    assert round(est, 4) == -0.0092


def test_ame_and_se_equal_exact_r(affairs_fit, affairs):
    case = REF["slopes_affairs"]
    out = affairs_fit.slopes(affairs)
    assert out["term"].tolist() == case["variables"]
    np.testing.assert_allclose(out["estimate"], case["ame"], rtol=RTOL_R)
    np.testing.assert_allclose(out["std_error"], case["ame_se"], rtol=RTOL_R)


def test_mem_at_means_equals_exact_r(affairs_fit, affairs):
    case = REF["slopes_affairs"]
    out = affairs_fit.slopes(affairs, at="mean")
    np.testing.assert_allclose(out["estimate"], case["mem"], rtol=RTOL_R)
    np.testing.assert_allclose(out["std_error"], case["mem_se"], rtol=RTOL_R)


def test_by_groups_average_back_to_overall(affairs_fit, affairs):
    # the overall AME is the size-weighted mean of the group AMEs (an identity of averages)
    by = affairs_fit.slopes(affairs, "age", by="children")
    sizes = affairs["children"].value_counts().reindex(by["by"]).to_numpy()
    overall = affairs_fit.slopes(affairs, "age")["estimate"].iloc[0]
    assert np.average(by["estimate"], weights=sizes) == pytest.approx(overall, rel=RTOL_R)


def test_at_dict_gives_one_row_per_value(affairs_fit, affairs):
    out = affairs_fit.slopes(affairs, "age", at={"age": [22.0, 32.0]})
    assert out["age"].tolist() == [22.0, 32.0]
    assert out["estimate"].notna().all()


def test_factor_variable_gives_level_contrasts(affairs):
    fit = ls.logit("had_affair ~ C(rate_marriage) + age", data=affairs)
    out = fit.slopes(affairs, "C(rate_marriage)")
    assert out["contrast"].tolist() == ["2 - 1", "3 - 1", "4 - 1", "5 - 1"]
    same = fit.comparisons(affairs, "rate_marriage")
    np.testing.assert_allclose(out["estimate"], same["estimate"], rtol=RTOL_R)


def test_does_not_mutate_data(affairs_fit, affairs):
    before = affairs.copy()
    affairs_fit.slopes(affairs, by="children")
    pd.testing.assert_frame_equal(affairs, before)


def test_multinomial_square_equals_r():
    case = REF["slopes_modechoice"]
    df = ls.datasets.load("modechoice")
    fit = ls.mlogit(case["formula_py"], data=df, reference=case["reference"])
    out = fit.slopes(df, "hinc")
    assert out["outcome"].tolist() == case["levels"]
    np.testing.assert_allclose(out["estimate"], case["ame"], rtol=RTOL_R)
    np.testing.assert_allclose(out["std_error"], case["ame_se"], rtol=RTOL_R)


def test_multinomial_equals_statsmodels_get_margeff():
    df = ls.datasets.load("modechoice")
    fit = ls.mlogit("mode ~ hinc + psize", data=df, reference="air")
    codes = pd.Categorical(df["mode"], categories=["air", "bus", "car", "train"]).codes
    sm_fit = sm.MNLogit(codes, sm.add_constant(df[["hinc", "psize"]])).fit(
        method="newton", tol=1e-12, disp=0
    )
    me = sm_fit.get_margeff(at="overall")
    out = fit.slopes(df)
    for j, var in enumerate(["hinc", "psize"]):
        got = out[out["term"] == var]
        np.testing.assert_allclose(got["estimate"], me.margeff[j], rtol=RTOL_SM_NUMERIC_HESSIAN)
        # statsmodels' margeff SEs use a numerical Jacobian (approx_fprime)
        np.testing.assert_allclose(got["std_error"], me.margeff_se[j], rtol=1e-4)


def test_bad_variable_names_the_columns(affairs_fit, affairs):
    with pytest.raises(LogitstatsError, match=r"variables: expected a column .*got 'agee'"):
        affairs_fit.slopes(affairs, "agee")


def test_newdata_is_required(affairs_fit):
    with pytest.raises(DataError, match=r"newdata: expected the data frame .*got None"):
        affairs_fit.slopes(None)


def test_bad_at(affairs_fit, affairs):
    with pytest.raises(LogitstatsError, match=r"at: expected None, 'mean' or a dict"):
        affairs_fit.slopes(affairs, at="median")


def test_missing_data_argument_says_to_pass_the_data(affairs_fit, affairs):
    # the result keeps no data frame: fit.slopes() and the marginaleffects habit fit.slopes("age")
    # must say so (before: a TypeError for the missing argument, a pandas error for the string)
    with pytest.raises(DataError, match=r"newdata: expected the data frame.*got None; pass"):
        affairs_fit.slopes()
    with pytest.raises(DataError, match=r"got 'age', which looks like variable names.*slopes\(df"):
        affairs_fit.slopes("age")
    with pytest.raises(DataError, match=r"got \['age', 'educ'\], which looks like variable"):
        affairs_fit.comparisons(["age", "educ"])
    with pytest.raises(DataError, match=r"newdata: expected the data frame.*got None"):
        affairs_fit.predictions()


def _mlogit_with_offset():
    rng = np.random.default_rng(11)
    n = 300
    df = pd.DataFrame({"x": rng.normal(size=n), "off": rng.normal(size=n)})
    df["y"] = rng.choice(["a", "b", "c"], size=n)
    return ls.mlogit("y ~ x", df, offset="off"), df


def test_multinomial_slopes_use_the_offset():
    # the offset moves every non-reference linear predictor: the average slope is the mean of
    # the central differences of predict() (error ~h**2), which sees the offset
    fit, df = _mlogit_with_offset()
    h = 1e-6
    up, dn = df.assign(x=df["x"] + h), df.assign(x=df["x"] - h)
    numeric = ((fit.predict(up) - fit.predict(dn)) / (2 * h)).mean()
    out = fit.slopes(df, "x")
    assert out["outcome"].tolist() == ["a", "b", "c"]
    np.testing.assert_allclose(
        out["estimate"], numeric.to_numpy(), rtol=RTOL_NUMDIFF, atol=ATOL_NUMDIFF
    )
