"""Binary logit against R's ``glm(family = binomial)`` and statsmodels.

R references: ``tests/reference/binary_glm.json`` made by ``tests/reference/binary_glm.R``
(cases ``spector``, ``affairs``, ``anes96_vote``, ``spector_weighted``, ``spector_offset``;
vectors are in patsy column order, ``coef_names_py``). statsmodels is fitted live by Newton at a
tight tolerance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose
from pandas.testing import assert_frame_equal
from statsmodels.discrete.discrete_model import BinaryResultsWrapper

import logitstats as ls
from tests.conftest import load_reference
from tests.tolerances import ATOL_R, ATOL_SM, RTOL_PROPERTY, RTOL_R, RTOL_SM

REF = load_reference("binary_glm")
UNWEIGHTED = ["spector", "affairs", "anes96_vote"]
SM_FIT = dict(method="newton", tol=1e-12, maxiter=100, disp=False)


def _fit_case(case: str, **kwargs) -> tuple[ls.LogitResult, dict]:
    ref = REF[case]
    data = ls.datasets.load(ref["data"])
    return ls.logit(ref["formula_py"], data, **kwargs), ref


def _assert_coef_table(fit: ls.LogitResult, ref: dict) -> None:
    names = ref["coef_names_py"]
    assert sorted(fit.params.index) == sorted(names)
    ci = fit.conf_int()
    for ours, key in [
        (fit.params, "coef"),
        (fit.bse, "se"),
        (fit.zvalues, "z"),
        (fit.pvalues, "p"),
        (ci["conf_low"], "ci_wald_low"),
        (ci["conf_high"], "ci_wald_high"),
    ]:
        assert_allclose(ours[names].to_numpy(), ref[key], rtol=RTOL_R, atol=ATOL_R, err_msg=key)
    cov = fit.cov.loc[names, names].to_numpy()
    assert_allclose(cov, np.array(ref["cov"]), rtol=RTOL_R, atol=ATOL_R)


# --------------------------------------------------------------------------- against R


@pytest.mark.parametrize("case", UNWEIGHTED)
def test_matches_r_glm(case):
    fit, ref = _fit_case(case)
    assert fit.converged
    _assert_coef_table(fit, ref)
    for attr, key in [
        ("llf", "llf"),
        ("llnull", "llnull"),
        ("deviance", "deviance"),
        ("null_deviance", "null_deviance"),
        ("aic", "aic"),
        ("bic", "bic"),
        ("lr_stat", "lr_stat"),
        ("lr_pvalue", "lr_pvalue"),
        ("pseudo_r2_mcfadden", "mcfadden_r2"),
    ]:
        assert_allclose(getattr(fit, attr), ref[key], rtol=RTOL_R, err_msg=attr)
    assert fit.nobs == ref["nobs"]
    assert fit.df_model == ref["df_model"]
    assert fit.df_resid == ref["df_resid"]
    assert fit.n_dropped == 0
    assert_allclose(fit.fitted.to_numpy(), ref["fitted"], rtol=RTOL_R)
    assert_allclose(fit.predict().to_numpy(), ref["fitted"], rtol=RTOL_R)


def test_glance_matches_r():
    fit, ref = _fit_case("affairs")
    g = fit.glance()
    assert g.shape[0] == 1
    row = g.iloc[0]
    for col, key in [
        ("loglik", "llf"),
        ("loglik_null", "llnull"),
        ("deviance", "deviance"),
        ("null_deviance", "null_deviance"),
        ("aic", "aic"),
        ("bic", "bic"),
        ("lr_stat", "lr_stat"),
        ("lr_pvalue", "lr_pvalue"),
        ("nobs", "nobs"),
        ("df_model", "df_model"),
        ("df_resid", "df_resid"),
    ]:
        assert_allclose(float(row[col]), ref[key], rtol=RTOL_R, err_msg=col)
    assert row["lr_df"] == ref["df_model"]
    assert row["n_dropped"] == 0
    assert bool(row["converged"]) and row["cov_type"] == "nonrobust"


def test_frequency_weights_match_r_and_expanded_data():
    ref = REF["spector_weighted"]
    df = ls.datasets.load("spector")
    w = np.asarray(ref["weights"], dtype=float)
    fit = ls.logit(ref["formula_py"], df, weights=w)
    _assert_coef_table(fit, ref)
    for attr, key in [
        ("llf", "llf"),
        ("llnull", "llnull"),
        ("deviance", "deviance"),
        ("null_deviance", "null_deviance"),
        ("aic", "aic"),
    ]:
        assert_allclose(getattr(fit, attr), ref[key], rtol=RTOL_R, err_msg=attr)
    # R's nobs() and BIC() count rows (32); ours count observations, as the expanded data (65)
    assert ref["nobs"] == 32 and ref["nobs_expanded"] == 65
    assert fit.nobs == ref["nobs_expanded"]
    assert fit.df_resid == ref["df_resid_expanded"]
    assert_allclose(fit.bic, ref["bic_expanded"], rtol=RTOL_R)
    assert not np.isclose(fit.bic, ref["bic"])
    assert_allclose(fit.llf, ref["llf_expanded"], rtol=RTOL_R)
    assert_allclose(fit.llnull, ref["llnull_expanded"], rtol=RTOL_R)
    names = ref["coef_names_py"]
    assert_allclose(fit.params[names], ref["coef_expanded"], rtol=RTOL_R)
    assert_allclose(fit.bse[names], ref["se_expanded"], rtol=RTOL_R)
    # the weights given as a column name give the same fit
    fit_col = ls.logit(ref["formula_py"], df.assign(w=w), weights="w")
    assert_allclose(fit_col.params, fit.params, rtol=RTOL_PROPERTY)
    assert fit_col.nobs == fit.nobs


def test_offset_matches_r_with_null_model_using_offset():
    ref = REF["spector_offset"]
    df = ls.datasets.load("spector")
    df["off"] = 0.1 * df["TUCE"]
    assert_allclose(df["off"], ref["offset"], rtol=RTOL_R)
    fit = ls.logit(ref["formula_py"], df, offset="off")
    _assert_coef_table(fit, ref)
    for attr in ["llf", "llnull", "deviance", "null_deviance", "aic", "bic", "lr_stat"]:
        assert_allclose(getattr(fit, attr), ref[attr], rtol=RTOL_R, err_msg=attr)
    assert fit.df_model == ref["df_model"] == 2
    assert_allclose(fit.null_state.params, [ref["null_coef"]], rtol=RTOL_R)
    assert_allclose(fit.fitted.to_numpy(), ref["fitted"], rtol=RTOL_R)
    # the offset given as an array gives the same fit
    fit_arr = ls.logit(ref["formula_py"], df, offset=df["off"].to_numpy())
    assert_allclose(fit_arr.params, fit.params, rtol=RTOL_PROPERTY)
    assert_allclose(fit_arr.llnull, fit.llnull, rtol=RTOL_PROPERTY)


def test_string_outcome_event_default_is_second_sorted_level():
    ref = REF["spector"]
    df = ls.datasets.load("spector")
    df["result"] = np.where(df["GRADE"] == 1, "pass", "fail")
    fit = ls.logit("result ~ GPA + TUCE + PSI", df)
    assert fit.design.event == "pass" and fit.design.reference == "fail"
    names = ref["coef_names_py"]
    assert_allclose(fit.params[names], ref["coef"], rtol=RTOL_R)
    assert_allclose(fit.bse[names], ref["se"], rtol=RTOL_R)
    flipped = ls.logit("result ~ GPA + TUCE + PSI", df, event="fail")
    assert flipped.design.event == "fail"
    assert_allclose(flipped.params[names], -np.asarray(ref["coef"]), rtol=RTOL_R)
    assert_allclose(flipped.bse[names], ref["se"], rtol=RTOL_R)
    assert_allclose(flipped.llf, ref["llf"], rtol=RTOL_R)
    assert "event = fail (vs pass)" in flipped.summary()


def test_bool_and_categorical_outcomes():
    ref = REF["spector"]
    names = ref["coef_names_py"]
    df = ls.datasets.load("spector")
    df["passed"] = df["GRADE"] == 1
    fit_bool = ls.logit("passed ~ GPA + TUCE + PSI", df)
    assert fit_bool.design.event is True or fit_bool.design.event == True  # noqa: E712
    assert_allclose(fit_bool.params[names], ref["coef"], rtol=RTOL_R)
    fit_false = ls.logit("passed ~ GPA + TUCE + PSI", df, event=False)
    assert_allclose(fit_false.params[names], -np.asarray(ref["coef"]), rtol=RTOL_R)
    # a Categorical keeps its category order: the second category is the default event
    df["grade_cat"] = pd.Categorical(
        np.where(df["GRADE"] == 1, "up", "down"), categories=["up", "down"]
    )
    fit_cat = ls.logit("grade_cat ~ GPA + TUCE + PSI", df)
    assert fit_cat.design.event == "down"
    assert_allclose(fit_cat.params[names], -np.asarray(ref["coef"]), rtol=RTOL_R)
    fit_cat_up = ls.logit("grade_cat ~ GPA + TUCE + PSI", df, event="up")
    assert_allclose(fit_cat_up.params[names], ref["coef"], rtol=RTOL_R)


def test_numeric_outcome_not_01_with_event():
    ref = REF["spector"]
    df = ls.datasets.load("spector")
    df["grade12"] = df["GRADE"] + 1
    fit = ls.logit("grade12 ~ GPA + TUCE + PSI", df, event=2)
    assert_allclose(fit.params[ref["coef_names_py"]], ref["coef"], rtol=RTOL_R)


# --------------------------------------------------------------------------- against statsmodels


@pytest.mark.parametrize("case", UNWEIGHTED)
def test_matches_statsmodels_logit(case):
    fit, ref = _fit_case(case)
    data = ls.datasets.load(ref["data"])
    sm_fit = smf.logit(ref["formula_py"], data).fit(**SM_FIT)
    names = list(sm_fit.params.index)
    assert names == list(fit.params.index)
    assert_allclose(fit.params[names], sm_fit.params, rtol=RTOL_SM, atol=ATOL_SM)
    assert_allclose(fit.bse[names], sm_fit.bse, rtol=RTOL_SM, atol=ATOL_SM)
    assert_allclose(fit.zvalues[names], sm_fit.tvalues, rtol=RTOL_SM, atol=ATOL_SM)
    assert_allclose(fit.pvalues[names], sm_fit.pvalues, rtol=RTOL_SM, atol=ATOL_SM)
    ci = fit.conf_int(level=0.9)
    sm_ci = sm_fit.conf_int(alpha=0.1)
    assert_allclose(ci.loc[names, "conf_low"], sm_ci[0], rtol=RTOL_SM, atol=ATOL_SM)
    assert_allclose(ci.loc[names, "conf_high"], sm_ci[1], rtol=RTOL_SM, atol=ATOL_SM)
    assert_allclose(fit.cov.loc[names, names], sm_fit.cov_params(), rtol=RTOL_SM, atol=ATOL_SM)
    for ours, theirs in [
        (fit.llf, sm_fit.llf),
        (fit.llnull, sm_fit.llnull),
        (fit.aic, sm_fit.aic),
        (fit.bic, sm_fit.bic),
        (fit.pseudo_r2_mcfadden, sm_fit.prsquared),
        (fit.lr_stat, sm_fit.llr),
    ]:
        assert_allclose(ours, theirs, rtol=RTOL_SM)
    # p-values far in the tail (1e-247 for affairs) carry the relative error of lr_stat times
    # lr_stat / 2; compare them on the log scale
    assert_allclose(np.log(fit.lr_pvalue), np.log(sm_fit.llr_pvalue), rtol=RTOL_SM)
    assert fit.nobs == sm_fit.nobs
    assert fit.df_model == sm_fit.df_model
    assert_allclose(fit.fitted, sm_fit.predict(data), rtol=RTOL_SM)


def test_weights_and_offset_match_statsmodels_glm():
    df = ls.datasets.load("spector")
    w = (np.arange(1, 33) % 4).astype(float)  # includes zero weights
    off = 0.05 * df["TUCE"].to_numpy()
    fit = ls.logit("GRADE ~ GPA + PSI", df, weights=w, offset=off)
    glm = smf.glm(
        "GRADE ~ GPA + PSI", df, family=sm.families.Binomial(), freq_weights=w, offset=off
    ).fit(tol=1e-14, maxiter=100)
    null = smf.glm("GRADE ~ 1", df, family=sm.families.Binomial(), freq_weights=w, offset=off).fit(
        tol=1e-14, maxiter=100
    )
    assert_allclose(fit.params, glm.params, rtol=RTOL_SM, atol=ATOL_SM)
    assert_allclose(fit.bse, glm.bse, rtol=RTOL_SM, atol=ATOL_SM)
    assert_allclose(fit.llf, glm.llf, rtol=RTOL_SM)
    # the null model is fitted with the same weights and offset
    assert_allclose(fit.llnull, null.llf, rtol=RTOL_SM)
    assert_allclose(fit.null_state.params, null.params, rtol=RTOL_SM)
    assert fit.nobs == w.sum()


def test_missing_drop_records_rows_and_matches_statsmodels():
    df = ls.datasets.load("affairs")
    df.loc[[3, 10, 50], "age"] = np.nan
    df.loc[[10, 70], "educ"] = np.nan
    formula = "had_affair ~ C(rate_marriage) + age + np.log(yrs_married) + educ"
    fit = ls.logit(formula, df)
    assert fit.n_dropped == 4
    assert dict(fit.design.rows.dropped_by_column) == {"age": 3, "educ": 2}
    assert fit.nobs == df.shape[0] - 4
    assert "4 rows dropped: age 3, educ 2" in fit.summary()
    assert fit.glance()["n_dropped"].iloc[0] == 4
    assert list(fit.fitted.index) == list(df.dropna(subset=["age", "educ"]).index)
    sm_fit = smf.logit(formula, df, missing="drop").fit(**SM_FIT)
    assert_allclose(fit.params[sm_fit.params.index], sm_fit.params, rtol=RTOL_SM)
    assert_allclose(fit.bse[sm_fit.params.index], sm_fit.bse, rtol=RTOL_SM)
    assert_allclose(fit.llnull, sm_fit.llnull, rtol=RTOL_SM)


# --------------------------------------------------------------------------- tables and summary


def test_tidy_odds_ratios_exponentiate_estimate_and_ci():
    fit, ref = _fit_case("spector")
    names = ref["coef_names_py"]
    t = fit.tidy(exponentiate=True).set_index("term").loc[names]
    assert list(fit.tidy().columns) == [
        "term",
        "estimate",
        "std_error",
        "statistic",
        "p_value",
        "conf_low",
        "conf_high",
    ]
    coef, se = np.asarray(ref["coef"]), np.asarray(ref["se"])
    assert_allclose(t["estimate"], np.exp(coef), rtol=RTOL_R)
    assert_allclose(t["std_error"], np.exp(coef) * se, rtol=RTOL_R)
    assert_allclose(t["conf_low"], np.exp(ref["ci_wald_low"]), rtol=RTOL_R)
    assert_allclose(t["conf_high"], np.exp(ref["ci_wald_high"]), rtol=RTOL_R)
    assert_allclose(t["statistic"], ref["z"], rtol=RTOL_R)


def test_summary_states_outcome_event_and_rows():
    fit, _ = _fit_case("spector")
    text = fit.summary()
    assert "GRADE; event = 1 (vs 0)" in text
    assert "Observations: 32 (no rows dropped)" in text
    assert "GPA" in text and "PSI" in text


# --------------------------------------------------------------------------- predictions


def test_predict_on_training_data_equals_fitted():
    fit, ref = _fit_case("affairs")
    df = ls.datasets.load("affairs")
    assert_allclose(fit.predict(df).to_numpy(), ref["fitted"], rtol=RTOL_R)
    link = fit.predict(df, kind="link")
    assert_allclose(link, np.log(fit.fitted / (1 - fit.fitted)), rtol=RTOL_PROPERTY)
    cls = fit.predict(df, kind="class")
    assert set(cls.unique()) <= {0, 1}
    assert ((fit.fitted >= 0.5) == (cls == 1)).all()


def test_predict_newdata_with_only_some_factor_levels():
    fit, ref = _fit_case("anes96_vote")
    df = ls.datasets.load("anes96")
    sub = df[df["educ"].isin([3, 6])]
    assert sub["educ"].nunique() == 2
    fitted = np.asarray(ref["fitted"])[sub.index.to_numpy()]
    pred = fit.predict(sub)
    assert list(pred.index) == list(sub.index)
    assert_allclose(pred.to_numpy(), fitted, rtol=RTOL_R)
    one = fit.predict(df.iloc[[5]])  # a single row holds a single level of every factor
    assert_allclose(one.to_numpy(), [ref["fitted"][5]], rtol=RTOL_R)


def test_predict_confidence_interval_matches_statsmodels_glm():
    df = ls.datasets.load("spector")
    fit = ls.logit("GRADE ~ GPA + TUCE + PSI", df)
    glm = smf.glm("GRADE ~ GPA + TUCE + PSI", df, family=sm.families.Binomial()).fit(tol=1e-14)
    new = df.iloc[[0, 7, 20, 31]]
    ours = fit.predict(new, conf_level=0.9)
    theirs = glm.get_prediction(new).summary_frame(alpha=0.1)
    assert_allclose(ours["prediction"], theirs["mean"], rtol=RTOL_SM)
    assert_allclose(ours["conf_low"], theirs["mean_ci_lower"], rtol=RTOL_SM)
    assert_allclose(ours["conf_high"], theirs["mean_ci_upper"], rtol=RTOL_SM)


def test_predict_with_offset_column_in_newdata():
    df = ls.datasets.load("spector")
    df["off"] = 0.1 * df["TUCE"]
    fit = ls.logit("GRADE ~ GPA + PSI", df, offset="off")
    assert_allclose(fit.predict(df), fit.fitted, rtol=RTOL_PROPERTY)
    fit_arr = ls.logit("GRADE ~ GPA + PSI", df, offset=df["off"].to_numpy())
    new = df.iloc[:5]
    assert_allclose(
        fit_arr.predict(new, offset=new["off"].to_numpy()), fit.fitted.iloc[:5], rtol=RTOL_PROPERTY
    )


# --------------------------------------------------------------------------- data handling


def test_callers_dataframe_is_never_mutated():
    df = ls.datasets.load("affairs").iloc[::15].copy()
    df["religious"] = df["religious"].map(lambda v: f"rel{v}")  # a string column
    df["flag"] = df["children"] > 0
    df.loc[df.index[[2, 9]], "age"] = np.nan
    df["w"] = 1 + (np.arange(len(df)) % 2)
    df["off"] = 0.01 * df["educ"]
    before = df.copy(deep=True)
    fit = ls.logit(
        "had_affair ~ religious + flag + age + np.log(yrs_married)", df, weights="w", offset="off"
    )
    fit.predict(df)
    fit.summary()
    assert_frame_equal(df, before, check_exact=True)
    assert df.dtypes.equals(before.dtypes)


def test_string_columns_are_categorical_with_sorted_levels():
    df = ls.datasets.load("affairs")
    df["rate_txt"] = df["rate_marriage"].map({1: "a1", 2: "b2", 3: "c3", 4: "d4", 5: "e5"})
    fit_str = ls.logit("had_affair ~ rate_txt + age", df)
    fit_c = ls.logit("had_affair ~ C(rate_marriage) + age", df)
    assert [t for t in fit_str.params.index if t.startswith("rate_txt")] == [
        "rate_txt[T.b2]",
        "rate_txt[T.c3]",
        "rate_txt[T.d4]",
        "rate_txt[T.e5]",
    ]
    assert_allclose(fit_str.params.to_numpy(), fit_c.params.to_numpy(), rtol=RTOL_PROPERTY)


def test_intercept_only_and_no_intercept_models():
    df = ls.datasets.load("spector")
    n1 = int(df["GRADE"].sum())
    n = df.shape[0]
    fit0 = ls.logit("GRADE ~ 1", df)
    # closed form: intercept = logit(mean), llf = n1 log(p) + n0 log(1 - p)
    p = n1 / n
    assert_allclose(fit0.params["Intercept"], np.log(p / (1 - p)), rtol=RTOL_PROPERTY)
    assert_allclose(fit0.llf, n1 * np.log(p) + (n - n1) * np.log(1 - p), rtol=RTOL_PROPERTY)
    assert_allclose(fit0.llnull, fit0.llf, rtol=RTOL_PROPERTY)
    assert fit0.df_model == 0
    # without an intercept the null model is eta = 0 (p = 1/2), as R's glm
    fit_ni = ls.logit("GRADE ~ 0 + GPA", df)
    assert_allclose(fit_ni.llnull, n * np.log(0.5), rtol=RTOL_PROPERTY)
    assert fit_ni.df_model == 1
    sm_ni = sm.Logit(df["GRADE"], df[["GPA"]]).fit(**SM_FIT)
    assert_allclose(fit_ni.params["GPA"], sm_ni.params["GPA"], rtol=RTOL_SM)


# --------------------------------------------------------------------------- interop


def test_to_statsmodels_unweighted():
    fit, _ = _fit_case("spector")
    res = fit.to_statsmodels(ls.datasets.load("spector"))
    assert isinstance(res, BinaryResultsWrapper)
    assert_allclose(res.params.to_numpy(), fit.params.to_numpy(), rtol=RTOL_SM)
    assert_allclose(res.bse.to_numpy(), fit.bse.to_numpy(), rtol=RTOL_SM)
    assert_allclose(res.llf, fit.llf, rtol=RTOL_SM)
    assert list(res.params.index) == list(fit.params.index)


def test_to_statsmodels_weighted_with_offset():
    df = ls.datasets.load("spector")
    w = (np.arange(32) % 3 + 1).astype(float)
    fit = ls.logit("GRADE ~ GPA + PSI", df, weights=w, offset=0.1 * df["TUCE"].to_numpy())
    res = fit.to_statsmodels(df)
    assert_allclose(res.params.to_numpy(), fit.params.to_numpy(), rtol=RTOL_SM)
    assert_allclose(res.bse.to_numpy(), fit.bse.to_numpy(), rtol=RTOL_SM)
    assert_allclose(res.llf, fit.llf, rtol=RTOL_SM)


AFFAIRS = "had_affair ~ C(rate_marriage) + age + np.log(yrs_married) + C(religious) + educ"


@pytest.mark.parametrize(
    ("cov_type", "groups"),
    [("nonrobust", None), ("HC0", None), ("HC1", None), ("cluster", "religious")],
)
def test_to_statsmodels_carries_the_covariance_and_predicts_raw_data(cov_type, groups):
    # before: HC1/cluster fits came back with non-robust SEs, and the array-based model's
    # predict(raw_dataframe) took raw columns as the design
    df = ls.datasets.load("affairs")
    fit = ls.logit(AFFAIRS, df, cov_type=cov_type, groups=groups)
    res = fit.to_statsmodels(df)
    assert res.model.formula.endswith("~ " + AFFAIRS.split("~ ", 1)[1])
    assert list(res.params.index) == list(fit.params.index)
    assert_allclose(res.params.to_numpy(), fit.params.to_numpy(), rtol=RTOL_SM)
    assert_allclose(res.bse.to_numpy(), fit.bse.to_numpy(), rtol=RTOL_SM)
    raw = df.sample(40, random_state=1)
    assert_allclose(res.predict(raw).to_numpy(), fit.predict(raw).to_numpy(), rtol=RTOL_SM)


def test_to_statsmodels_string_outcome_with_event():
    df = ls.datasets.load("spector")
    df = df.assign(result=np.where(df["GRADE"] == 1, "pass", "fail"))
    fit = ls.logit("result ~ GPA + TUCE + PSI", df, event="pass")
    res = fit.to_statsmodels(df)
    assert res.model.endog_names == "_logitstats_y"
    assert_allclose(res.params.to_numpy(), fit.params.to_numpy(), rtol=RTOL_SM)
    assert_allclose(res.predict(df).to_numpy(), fit.predict(df).to_numpy(), rtol=RTOL_SM)
    assert "result" in df.columns and "_logitstats_y" not in df.columns  # data not modified


def test_to_statsmodels_refuses_what_statsmodels_cannot_represent():
    endo = ls.datasets.load("endometrial")
    firth = ls.logit("HG ~ NV + PI + EH", endo, firth=True)
    with pytest.raises(ls.errors.LogitstatsError, match=r"cannot represent a Firth fit"):
        firth.to_statsmodels(endo)
    df = ls.datasets.load("spector")
    w = (np.arange(32) % 3 + 1).astype(float)
    weighted = ls.logit("GRADE ~ GPA + PSI", df, weights=w, cov_type="HC1")
    with pytest.raises(
        ls.errors.LogitstatsError, match=r"frequency weights with cov_type 'nonrobust' or 'HC0'"
    ):
        weighted.to_statsmodels(df)
    plain = ls.logit("GRADE ~ GPA + PSI", df)
    with pytest.raises(ls.errors.LogitstatsError, match=r"needs the data .*got data=None"):
        plain.to_statsmodels()
    with pytest.raises(ls.errors.DataError, match=r"data must be the data the model was fitted"):
        plain.to_statsmodels(df.head(10))


def test_to_statsmodels_weighted_hc0_is_glm_freq_weights():
    df = ls.datasets.load("spector")
    w = (np.arange(32) % 3 + 1).astype(float)
    fit = ls.logit("GRADE ~ GPA + PSI", df, weights=w, cov_type="HC0")
    res = fit.to_statsmodels(df)
    assert_allclose(res.bse.to_numpy(), fit.bse.to_numpy(), rtol=RTOL_SM)
    assert_allclose(res.predict(df).to_numpy(), fit.predict(df).to_numpy(), rtol=RTOL_SM)
