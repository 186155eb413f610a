"""``ls.ologit`` end to end: R references, statsmodels ``OrderedModel`` live, invariances and
bad input.

References: ``tests/reference/ordinal.json``, made by ``tests/reference/ordinal.R``
(``ordinal::clm`` exact fits refitted at gradTol 1e-12, cross-checked against ``MASS::polr``):
the weighted housing data ``Sat ~ Infl + Type + Cont`` (weights ``Freq``) and the unweighted
wine data ``rating ~ temp + contact``.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import logitstats as ls
from logitstats.engine import ordinal
from logitstats.errors import DataError, FormulaError
from tests.tolerances import (
    ATOL_PROPERTY,
    ATOL_R,
    ATOL_SM,
    RTOL_PROPERTY,
    RTOL_R,
    RTOL_SM,
    RTOL_SM_NUMERIC_HESSIAN,
)

REF = json.loads((Path(__file__).parents[1] / "reference" / "ordinal.json").read_text())
FORMULA = {"housing": "Sat ~ Infl + Type + Cont", "wine": "rating ~ temp + contact"}


def frame(name: str) -> pd.DataFrame:
    """The reference data with R's factor levels (the outcome an ordered Categorical)."""
    ref = REF[name]
    df = pd.DataFrame(ref["data_inline"])
    outcome = ref["formula_r"].split("~")[0].strip()
    for col, levels in ref["factor_levels"].items():
        df[col] = pd.Categorical(df[col], categories=levels, ordered=col == outcome)
    return df


def fit(name: str, **kwargs):
    ref = REF[name]
    return ls.ologit(FORMULA[name], frame(name), weights=ref["weights"], **kwargs)


# ----------------------------------------------------------------------------------- R


@pytest.mark.parametrize("name", ["housing", "wine"])
def test_estimates_match_r(name):
    ref, res = REF[name], fit(name)
    assert list(res.params.index) == ref["coef_names_py"]
    assert list(res.cutpoints.index) == ref["cutpoint_names"]
    np.testing.assert_allclose(res.params, ref["coef"], rtol=RTOL_R, atol=ATOL_R)
    np.testing.assert_allclose(res.cutpoints["estimate"], ref["theta"], rtol=RTOL_R)
    np.testing.assert_allclose(res.bse, ref["se"], rtol=RTOL_R)
    np.testing.assert_allclose(res.cutpoints["std_error"], ref["se_theta"], rtol=RTOL_R)
    np.testing.assert_allclose(res.cov.to_numpy(), ref["cov"], rtol=RTOL_R, atol=ATOL_R)
    np.testing.assert_allclose(res.llf, ref["llf"], rtol=RTOL_R)
    np.testing.assert_allclose(res.aic, ref["aic"], rtol=RTOL_R)
    np.testing.assert_allclose(res.llnull, ref["llnull"], rtol=RTOL_R)
    assert res.nobs == ref["nobs_clm"] and res.k_params == ref["n_params"]
    assert res.converged and res.separation is not None and not res.separation.separated


@pytest.mark.parametrize("name", ["housing", "wine"])
def test_predicted_probabilities_match_r(name):
    ref, res = REF[name], fit(name)
    rows = np.asarray(ref["prob_rows"]) - 1  # R's rows are 1-based
    prob = res.predict(frame(name).iloc[rows])
    assert list(prob.columns) == ref["levels"]
    np.testing.assert_allclose(prob.to_numpy(), ref["prob"], rtol=RTOL_R, atol=ATOL_R)
    np.testing.assert_allclose(res.fitted.to_numpy()[rows], ref["prob"], rtol=RTOL_R, atol=ATOL_R)


def test_profile_intervals_match_the_exact_r_roots():
    for name, low, high in [
        ("housing", "ci_profile_low", "ci_profile_high"),
        ("wine", None, None),
    ]:
        ref, res = REF[name], fit(name)
        lo = ref[low] if low else ref["ci_profile"]["low"]
        hi = ref[high] if high else ref["ci_profile"]["high"]
        ci = res.conf_int(method="profile").iloc[: len(lo)]
        np.testing.assert_allclose(ci["conf_low"], lo, rtol=RTOL_R)
        np.testing.assert_allclose(ci["conf_high"], hi, rtol=RTOL_R)


def test_brant_test_matches_the_r_formula():
    b = REF["housing"]["brant"]
    table = fit("housing").brant()
    assert table["term"].tolist() == ["Omnibus", *REF["housing"]["coef_names_py"]]
    np.testing.assert_allclose(table["statistic"].iloc[0], b["omnibus_statistic"], rtol=RTOL_R)
    np.testing.assert_allclose(table["p_value"].iloc[0], b["omnibus_p"], rtol=RTOL_R)
    assert table["df"].tolist() == [b["omnibus_df"], *b["term_df"]]
    np.testing.assert_allclose(table["statistic"].iloc[1:], b["term_statistic"], rtol=RTOL_R)
    np.testing.assert_allclose(table["p_value"].iloc[1:], b["term_p"], rtol=RTOL_R)


# ----------------------------------------------------------------------------------- statsmodels


def _statsmodels_wine(cov_type: str = "nonrobust"):
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    df = frame("wine")
    X = pd.DataFrame(
        {
            "temp[T.warm]": (df["temp"] == "warm").astype(float),
            "contact[T.yes]": (df["contact"] == "yes").astype(float),
        }
    )
    model = OrderedModel(df["rating"], X, distr="logit")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' convergence chatter at tol 1e-14
        res = model.fit(method="newton", tol=1e-14, maxiter=200, disp=0, cov_type=cov_type)
    return model, res


def test_statsmodels_ordered_model_agrees_after_mapping_its_cutpoints():
    model, sm = _statsmodels_wine()
    res = fit("wine")
    # statsmodels' thresholds are (theta_1, log(theta_j - theta_{j-1})); map them to theta
    theta_sm = model.transform_threshold_params(sm.params.to_numpy())[1:-1]
    np.testing.assert_allclose(res.params, sm.params.iloc[:2], rtol=RTOL_SM, atol=ATOL_SM)
    np.testing.assert_allclose(res.cutpoints["estimate"], theta_sm, rtol=RTOL_SM, atol=ATOL_SM)
    np.testing.assert_allclose(res.llf, sm.llf, rtol=RTOL_SM)
    # the slopes' SEs do not depend on the cut-point parametrisation; statsmodels' Hessian is
    # numerical
    np.testing.assert_allclose(res.bse, sm.bse.iloc[:2], rtol=RTOL_SM_NUMERIC_HESSIAN)


def test_robust_slopes_se_match_statsmodels_hc0():
    _, sm = _statsmodels_wine("HC0")
    res = fit("wine", cov_type="HC0")
    np.testing.assert_allclose(res.bse, sm.bse.iloc[:2], rtol=RTOL_SM_NUMERIC_HESSIAN)


def test_cluster_with_one_row_per_cluster_is_hc1():
    # sandwich::vcovCL(type = "HC1") with G = n clusters has the factor n / (n - k): HC1's
    df = frame("wine").assign(row=np.arange(72))
    clustered = ls.ologit(FORMULA["wine"], df, cov_type="cluster", groups="row")
    hc1 = ls.ologit(FORMULA["wine"], df, cov_type="HC1")
    np.testing.assert_allclose(clustered.cov.to_numpy(), hc1.cov.to_numpy(), rtol=RTOL_PROPERTY)


# ----------------------------------------------------------------------------------- invariances


def test_frequency_weights_equal_row_duplication():
    df = frame("housing")
    expanded = df.loc[df.index.repeat(df["Freq"])].reset_index(drop=True)
    weighted = fit("housing")
    dup = ls.ologit(FORMULA["housing"], expanded)
    np.testing.assert_allclose(weighted.params, dup.params, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(
        weighted.cutpoints.to_numpy(), dup.cutpoints.to_numpy(), rtol=RTOL_PROPERTY
    )
    np.testing.assert_allclose(weighted.llf, dup.llf, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(weighted.cov.to_numpy(), dup.cov.to_numpy(), rtol=RTOL_PROPERTY)


def test_reversed_levels_flip_the_slopes_and_mirror_the_cutpoints():
    df = frame("wine")
    up = ls.ologit(FORMULA["wine"], df)
    down = ls.ologit(FORMULA["wine"], df, levels=["5", "4", "3", "2", "1"])
    np.testing.assert_allclose(down.params, -up.params, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(
        down.cutpoints["estimate"].to_numpy(),
        -up.cutpoints["estimate"].to_numpy()[::-1],
        rtol=RTOL_PROPERTY,
    )
    np.testing.assert_allclose(down.bse, up.bse, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(down.llf, up.llf, rtol=RTOL_PROPERTY)
    assert list(down.cutpoints.index) == ["5|4", "4|3", "3|2", "2|1"]


def test_two_levels_equal_logit_with_the_stated_sign_convention():
    # logit P(Y <= low) = theta - x'b  <=>  logit P(Y = high) = -theta + x'b: ls.logit's
    # slopes are b and its intercept is -theta. ls.ologit refuses two levels (pointing to
    # ls.logit), so the ordinal side is the engine fit on the same design without intercept.
    df = frame("wine").assign(high=lambda d: (d["rating"].astype(int) >= 3).astype(int))
    lfit = ls.logit("high ~ temp + contact", df)
    X = lfit.design.X[:, 1:]
    state = ordinal.fit(X, lfit.design.y.astype(np.intp), 2)
    np.testing.assert_allclose(state.params[:2], lfit.params.iloc[1:], rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(state.params[2], -lfit.params.iloc[0], rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(state.loglik, lfit.llf, rtol=RTOL_PROPERTY)
    with pytest.raises(DataError, match=r"at least three ordered levels.*use ls\.logit"):
        ls.ologit("high ~ temp + contact", df)


def test_numeric_outcome_orders_by_value_and_levels_argument_orders_strings():
    df = frame("wine")
    num = df.assign(rating=df["rating"].astype(int))
    text = df.assign(rating=df["rating"].astype(str))
    a = ls.ologit(FORMULA["wine"], num)
    b = ls.ologit(FORMULA["wine"], text, levels=["1", "2", "3", "4", "5"])
    np.testing.assert_allclose(a.params, REF["wine"]["coef"], rtol=RTOL_R)
    np.testing.assert_allclose(b.params, a.params, rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)
    assert a.levels == ("1", "2", "3", "4", "5")


def test_the_fit_does_not_mutate_the_data():
    df = frame("housing")
    before = df.copy()
    fit("housing")
    pd.testing.assert_frame_equal(df, before)


def test_spec_rebuilds_the_design_without_the_intercept():
    res = fit("housing")
    assert "Intercept" not in res.spec.columns
    np.testing.assert_allclose(res.spec.matrix(frame("housing")), res.design.X, rtol=0, atol=0)
    assert any("cut-points play its part" in note for note in res.notes)


# ----------------------------------------------------------------------------------- bad input


def test_unordered_string_outcome_without_levels_is_refused():
    df = frame("wine").assign(rating=lambda d: d["rating"].astype(str))
    with pytest.raises(DataError, match=r"'rating' is not ordered: expected .*levels=\["):
        ls.ologit(FORMULA["wine"], df)


def test_levels_that_miss_values_of_the_data_are_refused():
    with pytest.raises(
        DataError, match=r"holds the value\(s\) '5', which levels= does not list.*got levels=\['1'"
    ):
        ls.ologit(FORMULA["wine"], frame("wine"), levels=["1", "2", "3", "4"])


def test_levels_the_data_never_takes_are_refused():
    with pytest.raises(
        DataError, match=r"levels= lists '6', which the outcome 'rating' never takes"
    ):
        ls.ologit(FORMULA["wine"], frame("wine"), levels=["1", "2", "3", "4", "5", "6"])


def test_empty_ordered_category_is_refused():
    df = frame("wine")
    df["rating"] = pd.Categorical(
        df["rating"].astype(str), categories=["0", "1", "2", "3", "4", "5"], ordered=True
    )
    with pytest.raises(DataError, match=r"ordered categories '0' have no rows"):
        ls.ologit(FORMULA["wine"], df)


@pytest.mark.parametrize(
    ("levels", "pattern"),
    [
        ([], r"levels= is empty; expected"),
        ("12345", r"levels= must be a list .*got str"),
        (["1", "2", "2", "3", "4", "5"], r"names the level '2' twice"),
    ],
)
def test_malformed_levels_argument(levels, pattern):
    with pytest.raises(DataError, match=pattern):
        ls.ologit(FORMULA["wine"], frame("wine"), levels=levels)


def test_level_left_without_rows_after_missing_values_is_named():
    df = frame("wine").assign(temp=lambda d: d["temp"].astype(object))
    df.loc[df["rating"] == "1", "temp"] = None
    with pytest.raises(DataError, match=r"the level\(s\) '1' have no rows left"):
        ls.ologit(FORMULA["wine"], df, levels=["1", "2", "3", "4", "5"], missing="drop")


def test_formula_without_intercept_is_refused():
    with pytest.raises(FormulaError, match=r"removes the intercept.*remove '- 1'"):
        ls.ologit("rating ~ temp + contact - 1", frame("wine"))


def test_spec_json_round_trip_keeps_the_ordinal_coding():
    from logitstats.design.spec import ModelSpec

    res = fit("housing")
    again = ModelSpec.from_dict(json.loads(json.dumps(res.spec.to_dict())))
    assert again.kind == "ordinal" and again.levels == ("Low", "Medium", "High")
    np.testing.assert_allclose(again.matrix(frame("housing")), res.design.X, rtol=0, atol=0)


def test_lr_test_of_nested_ordinal_fits_equals_the_anova_row():
    full = fit("housing")
    small = ls.ologit("Sat ~ Infl + Type", frame("housing"), weights="Freq")
    lr = ls.lr_test(small, full)
    row = full.anova().set_index("term").loc["Cont"]
    assert lr.df == 1
    np.testing.assert_allclose(lr.statistic, row["statistic"], rtol=RTOL_PROPERTY)


def test_a_constant_offset_moves_every_cutpoint_by_that_constant():
    # logit P(Y <= j) = theta_j - (x'b + c): the same model with cut-points theta_j + c
    df = frame("wine").assign(off=0.7)
    plain = ls.ologit(FORMULA["wine"], df)
    shifted = ls.ologit(FORMULA["wine"], df, offset="off")
    np.testing.assert_allclose(shifted.params, plain.params, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(
        shifted.cutpoints["estimate"], plain.cutpoints["estimate"] + 0.7, rtol=RTOL_PROPERTY
    )
    np.testing.assert_allclose(shifted.llnull, plain.llnull, rtol=RTOL_PROPERTY)
