"""Multinomial (baseline-category) logit: ``ls.mlogit`` and ``MLogitResult``.

Provenance of expected values:
- ``tests/reference/multinomial.json`` (``multinomial.R``: VGAM::vglm polished by an exact Newton
  step in R; nnet::multinom as a loose cross-check), compared at ``RTOL_R`` / ``RTOL_NNET``;
- statsmodels ``MNLogit`` fitted live with Newton, compared at ``RTOL_SM``;
- invariances that hold exactly (reference change, two levels = binary logit, weights = row
  duplication), compared at ``RTOL_PROPERTY``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import logitstats as ls
from logitstats.cli import main
from logitstats.errors import DataError, LogitstatsError
from tests.conftest import load_reference
from tests.tolerances import (
    ATOL_PROPERTY,
    ATOL_R,
    ATOL_SM,
    RTOL_NNET,
    RTOL_NUMDIFF,
    RTOL_PROPERTY,
    RTOL_R,
    RTOL_SM,
)

REF = load_reference("multinomial")
CASES = ["anes96_pid", "anes96_party", "modechoice", "modechoice_ref_car", "anes96_party_weighted"]


@pytest.fixture(scope="module")
def modechoice():
    return ls.datasets.load("modechoice")


def _fit_case(name: str) -> ls.MLogitResult:
    case = REF[name]
    data = ls.datasets.load(case["data"])
    weights = np.asarray(case["weights"], dtype=float) if "weights" in case else None
    return ls.mlogit(case["formula_py"], data, reference=case["reference"], weights=weights)


@pytest.fixture(scope="module")
def fits() -> dict[str, ls.MLogitResult]:
    return {name: _fit_case(name) for name in CASES}


# --------------------------------------------------------------------------- R references


@pytest.mark.parametrize("name", CASES)
def test_matches_r_vglm(fits, name):
    case, fit = REF[name], fits[name]
    assert fit.converged
    assert list(fit.params.index) == case["terms_py"]
    assert list(fit.params.columns) == case["outcomes"]
    assert fit.levels == tuple(case["levels"])
    assert fit.reference == case["reference"]
    tidy = fit.tidy()
    assert list(tidy["outcome"] + "|" + tidy["term"]) == [
        f"{o}|{t}" for o in case["outcomes"] for t in case["terms_py"]
    ]
    np.testing.assert_allclose(tidy["estimate"], case["coef"], rtol=RTOL_R, atol=ATOL_R)
    np.testing.assert_allclose(tidy["std_error"], case["se"], rtol=RTOL_R)
    np.testing.assert_allclose(tidy["statistic"], case["z"], rtol=RTOL_R, atol=ATOL_R)
    np.testing.assert_allclose(tidy["p_value"], case["p"], rtol=RTOL_R, atol=ATOL_R)
    np.testing.assert_allclose(tidy["conf_low"], case["ci_wald_low"], rtol=RTOL_R, atol=ATOL_R)
    np.testing.assert_allclose(tidy["conf_high"], case["ci_wald_high"], rtol=RTOL_R, atol=ATOL_R)
    # covariances compared as correlations (entries span several orders of magnitude)
    r_cov, r_se = np.array(case["cov"]), np.array(case["se"])
    np.testing.assert_allclose(
        fit.cov.to_numpy() / np.outer(tidy["std_error"], tidy["std_error"]),
        r_cov / np.outer(r_se, r_se),
        atol=RTOL_R,
    )
    # the DataFrame form: column j of params is R's coef_nested[j]
    for j, outcome in enumerate(case["outcomes"]):
        np.testing.assert_allclose(fit.params[outcome], case["coef_nested"][j], rtol=RTOL_R)
        np.testing.assert_allclose(fit.bse[outcome], case["se_nested"][j], rtol=RTOL_R)
    for ours, theirs in [
        (fit.llf, "llf"),
        (fit.llnull, "llnull"),
        (fit.deviance, "deviance"),
        (fit.deviance, "deviance_vgam"),
        (fit.null_deviance, "null_deviance"),
        (fit.lr_stat, "lr_stat"),
        (fit.pseudo_r2_mcfadden, "mcfadden_r2"),
        (fit.aic, "aic"),
        (fit.aic, "aic_vgam"),
        (fit.lr_pvalue, "lr_pvalue"),
    ]:
        np.testing.assert_allclose(ours, case[theirs], rtol=RTOL_R, atol=ATOL_R, err_msg=theirs)
    assert fit.df_model == case["df_model"]
    assert fit.k_params == case["n_params"]
    np.testing.assert_allclose(
        fit.fitted.iloc[:5].to_numpy(), np.array(case["fitted_first5"]), rtol=RTOL_R
    )
    # nnet::multinom is quasi-Newton: a loose cross-check only
    np.testing.assert_allclose(tidy["estimate"], case["nnet_coef"], rtol=RTOL_NNET, atol=RTOL_NNET)


@pytest.mark.parametrize("name", ["anes96_pid", "anes96_party", "modechoice"])
def test_unweighted_counts_match_r(fits, name):
    case, fit = REF[name], fits[name]
    assert fit.nobs == case["nobs"]
    assert fit.df_resid == case["df_resid"]
    np.testing.assert_allclose(fit.bic, case["bic"], rtol=RTOL_R)
    np.testing.assert_allclose(fit.bic, case["bic_vgam"], rtol=RTOL_R)


def test_weighted_counts_are_those_of_the_expanded_data(fits):
    # frequency weights: nobs, BIC, df_resid equal the fit on the row-replicated data (R's own
    # nobs/BIC count rows with non-zero weight instead; see note_nobs in the JSON)
    case, fit = REF["anes96_party_weighted"], fits["anes96_party_weighted"]
    assert fit.nobs == case["nobs_expanded"]
    assert fit.df_resid == case["df_resid_expanded"]
    np.testing.assert_allclose(fit.bic, case["bic_expanded"], rtol=RTOL_R)
    np.testing.assert_allclose(fit.bic, case["bic_vgam_expanded"], rtol=RTOL_R)
    np.testing.assert_allclose(fit.llf, case["llf_expanded"], rtol=RTOL_R)
    np.testing.assert_allclose(fit.tidy()["std_error"], case["se_expanded"], rtol=RTOL_R)


# --------------------------------------------------------------------------- statsmodels live


def _sm_mnlogit(y_codes, X, **kw):
    return sm.MNLogit(y_codes, X).fit(method="newton", disp=0, maxiter=100, tol=1e-14, **kw)


def _sm_inputs(fit: ls.MLogitResult, data: pd.DataFrame, outcome: str):
    """y coded so that the reference is code 0 (statsmodels' baseline is the smallest code)."""
    order = [fit.reference, *fit.params.columns]
    y = data[outcome].astype(str).map({lv: i for i, lv in enumerate(order)}).to_numpy()
    X = fit.design.X
    return y, X


@pytest.mark.parametrize(
    ("formula", "outcome", "reference"),
    [
        ("PID ~ logpopul + selfLR + age + educ + income", "PID", None),
        ("party ~ C(ClinLR) + age + income + selfLR", "party", "Rep"),
        ("party ~ C(ClinLR) + age + income", "party", None),
        ("mode ~ hinc + psize", "mode", None),
        ("mode ~ hinc + psize", "mode", "car"),
        ("mode ~ 0 + hinc + psize", "mode", "train"),
    ],
)
def test_matches_statsmodels_mnlogit(formula, outcome, reference):
    data = ls.datasets.load("modechoice" if outcome == "mode" else "anes96")
    fit = ls.mlogit(formula, data, reference=reference)
    y, X = _sm_inputs(fit, data, outcome)
    res = _sm_mnlogit(y, X)
    flat = lambda a: np.asarray(a).ravel(order="F")  # noqa: E731  (statsmodels' layout)
    tidy = fit.tidy()
    np.testing.assert_allclose(tidy["estimate"], flat(res.params), rtol=RTOL_SM, atol=ATOL_SM)
    np.testing.assert_allclose(tidy["std_error"], flat(res.bse), rtol=RTOL_SM)
    np.testing.assert_allclose(fit.llf, res.llf, rtol=RTOL_SM)
    np.testing.assert_allclose(fit.aic, res.aic, rtol=RTOL_SM)
    np.testing.assert_allclose(fit.bic, res.bic, rtol=RTOL_SM)
    if fit.design.has_intercept:
        np.testing.assert_allclose(fit.llnull, res.llnull, rtol=RTOL_SM)
        np.testing.assert_allclose(fit.pseudo_r2_mcfadden, res.prsquared, rtol=RTOL_SM)
        assert fit.df_model == res.df_model
    else:  # as R's glm: without an intercept the null model is eta = 0, every p_k = 1/K
        n_levels = len(fit.levels)
        np.testing.assert_allclose(fit.llnull, fit.nobs * np.log(1 / n_levels), rtol=RTOL_SM)
        assert fit.df_model == fit.k_params
    # predicted probabilities, statsmodels' columns are [reference, *outcomes]
    ours = fit.predict(data.iloc[:40])[[fit.reference, *fit.params.columns]]
    np.testing.assert_allclose(ours.to_numpy(), res.predict(X[:40]), rtol=RTOL_SM)


def test_weighted_matches_statsmodels_on_expanded_rows():
    # statsmodels' MNLogit has no weights: compare with it on the row-replicated data
    case = REF["anes96_party_weighted"]
    data = ls.datasets.load("anes96")
    w = np.asarray(case["weights"], dtype=int)
    fit = ls.mlogit(case["formula_py"], data, weights=w)
    expanded = data.loc[data.index.repeat(w)].reset_index(drop=True)
    y, _ = _sm_inputs(fit, expanded, "party")
    X = np.repeat(fit.design.X, w, axis=0)
    res = _sm_mnlogit(y, X)
    np.testing.assert_allclose(fit.tidy()["estimate"], res.params.ravel(order="F"), rtol=RTOL_SM)
    np.testing.assert_allclose(fit.tidy()["std_error"], res.bse.ravel(order="F"), rtol=RTOL_SM)
    np.testing.assert_allclose(
        [fit.llf, fit.aic, fit.bic], [res.llf, res.aic, res.bic], rtol=RTOL_SM
    )


@pytest.mark.filterwarnings("ignore::FutureWarning")  # statsmodels: cov_kwds to Newton
@pytest.mark.parametrize("cov_type", ["HC0", "cluster"])
def test_robust_covariance_matches_statsmodels(modechoice, cov_type):
    groups = "psize" if cov_type == "cluster" else None
    fit = ls.mlogit("mode ~ hinc + psize", modechoice, cov_type=cov_type, groups=groups)
    y, X = _sm_inputs(fit, modechoice, "mode")
    kw = {"groups": modechoice["psize"].to_numpy()} if groups else {}
    res = sm.MNLogit(y, X).fit(
        method="newton", disp=0, maxiter=100, tol=1e-14, cov_type=cov_type, cov_kwds=kw
    )
    np.testing.assert_allclose(fit.tidy()["std_error"], res.bse.ravel(order="F"), rtol=RTOL_SM)
    assert fit.glance()["cov_type"].iloc[0] == cov_type


def test_hc1_is_hc0_times_n_over_n_minus_k(modechoice):
    # sandwich::vcovHC(type = "HC1"): HC0 * n / (n - k), k = number of coefficients (here 9)
    hc0 = ls.mlogit("mode ~ hinc + psize", modechoice, cov_type="hc0")
    hc1 = ls.mlogit("mode ~ hinc + psize", modechoice, cov_type="HC1")
    n, k = 210, 9
    np.testing.assert_allclose(hc1.cov_array, hc0.cov_array * n / (n - k), rtol=RTOL_PROPERTY)


# --------------------------------------------------------------------------- invariances


def test_changing_reference_reproduces_the_same_model(fits):
    air, car = fits["modechoice"], fits["modechoice_ref_car"]
    np.testing.assert_allclose(car.llf, air.llf, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(car.llnull, air.llnull, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(car.fitted.to_numpy(), air.fitted.to_numpy(), rtol=RTOL_PROPERTY)
    # beta_j(ref = car) = beta_j(ref = air) - beta_car(ref = air); beta_air(ref = car) = -beta_car
    b_air = air.params.assign(air=0.0)
    for outcome in car.params.columns:
        np.testing.assert_allclose(
            car.params[outcome],
            b_air[outcome] - b_air["car"],
            rtol=RTOL_PROPERTY,
            atol=ATOL_PROPERTY,
        )


def test_two_level_outcome_gives_the_binary_logit(anes96):
    formula = "vote_choice ~ age + income + selfLR"
    m = ls.mlogit(formula, anes96)  # reference: first level, Clinton
    b = ls.logit(formula, anes96)  # event: second level, Dole
    assert m.reference == "Clinton" and list(m.params.columns) == ["Dole"]
    np.testing.assert_allclose(m.params["Dole"], b.params, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(m.bse["Dole"], b.bse, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose([m.llf, m.llnull, m.aic, m.bic], [b.llf, b.llnull, b.aic, b.bic])
    np.testing.assert_allclose(m.predict(anes96)["Dole"], b.predict(anes96), rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(m.pearson_chi2, b.pearson_chi2, rtol=RTOL_PROPERTY)
    shared = ["pseudo_r2_mcfadden", "pseudo_r2_coxsnell", "pseudo_r2_nagelkerke", "lr_stat"]
    np.testing.assert_allclose(
        m.glance()[shared].to_numpy(dtype=float), b.glance()[shared].to_numpy(dtype=float)
    )
    hm = ls.mlogit(formula, anes96, cov_type="HC1")
    hb = ls.logit(formula, anes96, cov_type="HC1")
    np.testing.assert_allclose(hm.bse["Dole"], hb.bse, rtol=RTOL_PROPERTY)


def test_weights_equal_row_duplication(anes96):
    w = np.arange(len(anes96)) % 3  # 0, 1, 2: zero weights drop rows, 2 duplicates them
    formula = "party ~ C(ClinLR) + age + income + selfLR"
    wfit = ls.mlogit(formula, anes96, weights=w, cov_type="HC0")
    efit = ls.mlogit(formula, anes96.loc[anes96.index.repeat(w)], cov_type="HC0")
    np.testing.assert_allclose(wfit.tidy()["estimate"], efit.tidy()["estimate"], rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(
        wfit.tidy()["std_error"], efit.tidy()["std_error"], rtol=RTOL_PROPERTY
    )
    g_w, g_e = wfit.glance(), efit.glance()
    for col in ["nobs", "loglik", "loglik_null", "aic", "bic", "df_resid", "pearson_chi2"]:
        np.testing.assert_allclose(g_w[col], g_e[col], rtol=RTOL_PROPERTY, err_msg=col)


# --------------------------------------------------------------------------- results API


def test_result_shapes_labels_and_tidy(fits):
    case, fit = REF["anes96_party"], fits["anes96_party"]
    for frame in (fit.params, fit.bse, fit.zvalues, fit.pvalues):
        assert isinstance(frame, pd.DataFrame)
        assert frame.shape == (len(case["terms_py"]), 2)
        assert list(frame.columns) == ["Ind", "Rep"]
    rrr = fit.tidy(exponentiate=True)
    assert list(rrr.columns) == [
        "outcome",
        "term",
        "estimate",
        "std_error",
        "statistic",
        "p_value",
        "conf_low",
        "conf_high",
    ]
    np.testing.assert_allclose(rrr["estimate"], np.exp(case["coef"]), rtol=RTOL_R)
    np.testing.assert_allclose(rrr["conf_low"], np.exp(case["ci_wald_low"]), rtol=RTOL_R)
    np.testing.assert_allclose(rrr["conf_high"], np.exp(case["ci_wald_high"]), rtol=RTOL_R)
    np.testing.assert_allclose(
        rrr["std_error"], np.exp(case["coef"]) * np.array(case["se"]), rtol=RTOL_R
    )
    ci = fit.conf_int(0.95)
    assert ci.index.names == ["outcome", "term"]
    np.testing.assert_allclose(ci["conf_low"], case["ci_wald_low"], rtol=RTOL_R)


def test_pid_levels_are_strings(fits):
    fit = fits["anes96_pid"]
    assert list(fit.params.columns) == ["1", "2", "3", "4", "5", "6"]
    assert list(fit.fitted.columns) == ["0", "1", "2", "3", "4", "5", "6"]


def test_glance_columns(fits):
    g = fits["modechoice"].glance()
    assert g.shape[0] == 1
    assert "pseudo_r2_tjur" not in g.columns
    for col in ["nobs", "loglik", "aic", "bic", "pseudo_r2_mcfadden", "pseudo_r2_nagelkerke"]:
        assert col in g.columns
    case = REF["modechoice"]
    np.testing.assert_allclose(g["loglik"], case["llf"], rtol=RTOL_R)
    assert g["lr_df"].iloc[0] == case["df_model"]


def test_summary_states_reference_and_has_a_block_per_outcome(fits):
    text = fits["anes96_party"].summary()
    assert "reference level = Dem (levels: Dem, Ind, Rep)" in text
    assert "Outcome Ind vs Dem (reference):" in text
    assert "Outcome Rep vs Dem (reference):" in text
    rrr = fits["modechoice_ref_car"].summary(exponentiate=True)
    assert "reference level = car" in rrr and "RRR" in rrr
    assert '"reference": "car"' in fits["modechoice_ref_car"].summary(format="json")


def test_result_is_frozen(fits):
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        fits["modechoice"].cov_type = "HC0"  # type: ignore[misc]


# --------------------------------------------------------------------------- prediction


def test_predict_prob_link_class(fits, modechoice):
    fit = fits["modechoice"]
    new = modechoice.iloc[[3, 1, 4]]
    prob = fit.predict(new)
    assert list(prob.columns) == ["air", "bus", "car", "train"]
    assert list(prob.index) == [3, 1, 4]
    np.testing.assert_allclose(prob.sum(axis=1), 1.0, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(
        prob.to_numpy(), fit.fitted.loc[[3, 1, 4]].to_numpy(), rtol=RTOL_PROPERTY
    )
    link = fit.predict(new, kind="link")
    np.testing.assert_allclose(link["air"], 0.0)
    np.testing.assert_allclose(
        link.to_numpy(), np.log(prob.to_numpy() / prob[["air"]].to_numpy()), rtol=RTOL_PROPERTY
    )
    cls = fit.predict(new, kind="class")
    assert list(cls) == list(prob.idxmax(axis=1))
    # an incomplete row predicts NaN and class None
    holey = new.assign(hinc=[np.nan, 30.0, 20.0])
    p = fit.predict(holey)
    assert p.iloc[0].isna().all() and not p.iloc[1:].isna().any().any()
    assert pd.isna(fit.predict(holey, kind="class").iloc[0])


def _numeric_jacobian_se(fit: ls.MLogitResult, X: np.ndarray) -> np.ndarray:
    """SEs of the class probabilities by central differences of softmax in the flat params."""
    from logitstats.numerics.softmax import softmax

    layout, ref = fit.layout, list(fit.levels).index(fit.reference)

    def probs(flat):
        eta = X @ layout.to_matrix(flat)
        return softmax(np.insert(eta, ref, 0.0, axis=1), axis=1)

    b, h = fit.state.params, 1e-6
    jac = np.stack(
        [(probs(b + h * e) - probs(b - h * e)) / (2 * h) for e in np.eye(b.size)], axis=-1
    )  # (n, K, size)
    return np.sqrt(np.einsum("nka,ab,nkb->nk", jac, fit.cov_array, jac))


def test_predict_conf_level_delta_method(fits, modechoice):
    fit = fits["modechoice_ref_car"]
    new = modechoice.iloc[:6]
    out = fit.predict(new, conf_level=0.9)
    statistics = list(out.columns.get_level_values("statistic").unique())
    assert statistics == ["prediction", "std_error", "conf_low", "conf_high"]
    pred = out["prediction"]
    np.testing.assert_allclose(pred.to_numpy(), fit.predict(new).to_numpy(), rtol=RTOL_PROPERTY)
    expected_se = _numeric_jacobian_se(fit, fit.design.X[:6])
    np.testing.assert_allclose(out["std_error"].to_numpy(), expected_se, rtol=RTOL_NUMDIFF)
    # interval on the logit scale of each probability, back-transformed
    from scipy.special import expit, logit
    from scipy.stats import norm

    p, se = pred.to_numpy(), out["std_error"].to_numpy()
    half = norm.ppf(0.95) * se / (p * (1 - p))
    np.testing.assert_allclose(
        out["conf_low"].to_numpy(), expit(logit(p) - half), rtol=RTOL_PROPERTY
    )
    np.testing.assert_allclose(
        out["conf_high"].to_numpy(), expit(logit(p) + half), rtol=RTOL_PROPERTY
    )
    assert ((out["conf_low"] < pred) & (pred < out["conf_high"])).all().all()
    # link scale: eta -/+ z sqrt(x' V_jj x); the reference column is exactly 0
    lk = fit.predict(new, kind="link", conf_level=0.95)
    np.testing.assert_allclose(lk["std_error"]["car"], 0.0)
    pos = [fit.layout.flat_index(t, "air") for t in fit.layout.terms]
    x = fit.design.X[:6]
    v = fit.cov_array[np.ix_(pos, pos)]
    np.testing.assert_allclose(
        lk["std_error"]["air"], np.sqrt(np.einsum("ij,jk,ik->i", x, v, x)), rtol=RTOL_PROPERTY
    )


def test_predict_errors(fits, modechoice):
    fit = fits["modechoice"]
    with pytest.raises(LogitstatsError, match="kind must be one of 'prob', 'link', 'class'"):
        fit.predict(modechoice, kind="probability")
    with pytest.raises(LogitstatsError, match="conf_level is not available with kind='class'"):
        fit.predict(modechoice, kind="class", conf_level=0.95)
    with pytest.raises(LogitstatsError, match="conf_level must be a number between 0 and 1"):
        fit.predict(modechoice, conf_level=95)
    with pytest.raises(DataError, match=r"newdata lacks the column\(s\) \['psize'\]"):
        fit.predict(modechoice[["hinc"]])


# --------------------------------------------------------------------------- outcome coding


def test_categorical_outcome_keeps_category_order_and_reference_default():
    data = ls.datasets.load("modechoice")
    cat = pd.Categorical(data["mode"], categories=["train", "car", "bus", "air"])
    framed = data.assign(mode=cat)
    fit = ls.mlogit("mode ~ hinc + psize", framed)
    assert fit.reference == "train"
    assert fit.levels == ("train", "car", "bus", "air")
    ref_fit = ls.mlogit("mode ~ hinc + psize", data, reference="train")
    np.testing.assert_allclose(fit.llf, ref_fit.llf, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(
        fit.params[["car", "bus", "air"]].to_numpy(),
        ref_fit.params[["car", "bus", "air"]].to_numpy(),
        rtol=RTOL_PROPERTY,
    )


def test_numeric_outcome_and_numeric_reference(anes96):
    fit = ls.mlogit("PID ~ selfLR + age", anes96, reference=3)
    assert fit.reference == "3"
    assert list(fit.params.columns) == ["0", "1", "2", "4", "5", "6"]
    same = ls.mlogit("C(PID) ~ selfLR + age", anes96, reference="3")
    np.testing.assert_allclose(fit.llf, same.llf, rtol=RTOL_PROPERTY)


def test_missing_rows_are_dropped_and_counted_without_mutating(anes96):
    data = anes96.copy()
    data.loc[data.index[:10], "income"] = np.nan
    before = data.copy()
    fit = ls.mlogit("party ~ age + income", data)
    pd.testing.assert_frame_equal(data, before)
    assert fit.n_dropped == 10 and fit.nobs == len(data) - 10
    assert "10 rows dropped: income 10" in fit.summary()
    with pytest.raises(DataError, match=r"missing values in columns the model uses: income \(10\)"):
        ls.mlogit("party ~ age + income", data, missing="raise")


# --------------------------------------------------------------------------- errors


def test_error_outcome_with_one_level(anes96):
    with pytest.raises(DataError, match=r"outcome 'party' has only one value \('Dem'\)"):
        ls.mlogit("party ~ age", anes96[anes96["party"] == "Dem"])


def test_error_reference_not_a_level_lists_levels(anes96):
    with pytest.raises(
        DataError,
        match=r"reference='Green' is not among the values of the outcome 'party'; "
        r"its values are 'Dem', 'Ind', 'Rep'",
    ):
        ls.mlogit("party ~ age", anes96, reference="Green")


def test_error_level_with_no_rows_after_dropping_missing(anes96):
    data = anes96.copy()
    data.loc[data["party"] == "Ind", "age"] = np.nan
    msg = r"outcome 'party': the level\(s\) 'Ind' have no rows left among the rows used " + (
        r"\(37 rows dropped: age 37\)"
    )
    with pytest.raises(DataError, match=msg):
        ls.mlogit("party ~ age", data)
    with pytest.raises(DataError, match=msg):  # also when it is the reference asked for
        ls.mlogit("party ~ age", data, reference="Ind")


def test_error_level_with_only_zero_weights(anes96):
    w = (anes96["party"] != "Ind").astype(float).to_numpy()
    with pytest.raises(DataError, match=r"the level\(s\) 'Ind' have no rows with positive weight"):
        ls.mlogit("party ~ age", anes96, weights=w)


def test_error_more_parameters_than_rows():
    data = pd.DataFrame(
        {"y": ["a", "b", "c", "a", "b", "c", "a"], "x1": range(7), "x2": [1, 0, 2, 5, 3, 3, 1]}
    )
    with pytest.raises(
        DataError,
        match=r"the model has 8 parameters \(4 design columns x 2 non-reference outcome "
        r"levels\) but only 7 observations",
    ):
        ls.mlogit("y ~ x1 + x2 + I(x1 * x2)", data)


def test_logit_with_more_than_two_levels_suggests_multinomial(modechoice):
    with pytest.raises(DataError, match=r"has 4 distinct values .*--multinomial"):
        ls.logit("mode ~ hinc + psize", modechoice)


def test_bad_options(modechoice):
    with pytest.raises(LogitstatsError, match="cov_type must be one of"):
        ls.mlogit("mode ~ hinc", modechoice, cov_type="robust")
    with pytest.raises(LogitstatsError, match="cov_type='cluster' needs groups="):
        ls.mlogit("mode ~ hinc", modechoice, cov_type="cluster")
    with pytest.raises(LogitstatsError, match="max_iter must be an integer >= 1; got max_iter=0"):
        ls.mlogit("mode ~ hinc", modechoice, max_iter=0)
    with pytest.raises(TypeError):
        ls.mlogit("mode ~ hinc", modechoice, "car")  # options are keyword-only


# --------------------------------------------------------------------------- command line


def test_cli_multinomial(capsys):
    rc = main(["fit", "mode ~ hinc + psize", "--data", "modechoice", "--multinomial",
               "--reference", "car", "--odds-ratios"])  # fmt: skip
    out = capsys.readouterr().out
    assert rc == 0
    assert "Multinomial (baseline-category) logistic regression" in out
    assert "reference level = car" in out
    assert "Outcome air vs car (reference):" in out


def test_cli_without_multinomial_flag_suggests_it(capsys):
    rc = main(["fit", "mode ~ hinc + psize", "--data", "modechoice"])
    assert rc == 2
    assert "--multinomial" in capsys.readouterr().err


def test_cli_bad_reference(capsys):
    rc = main(["fit", "mode ~ hinc", "--data", "modechoice", "--multinomial", "--reference", "x"])
    assert rc == 2
    assert "reference='x' is not among the values of the outcome 'mode'" in capsys.readouterr().err


@pytest.mark.parametrize(("cov_type", "groups"), [("nonrobust", None), ("cluster", "educ")])
def test_to_statsmodels_mnlogit_same_reference(cov_type, groups):
    df = ls.datasets.load("anes96")
    fit = ls.mlogit(
        "party ~ age + educ + income + selfLR",
        df,
        reference="Dem",
        cov_type=cov_type,
        groups=groups,
    )
    res = fit.to_statsmodels(df)
    assert type(res.model).__name__ == "MNLogit"
    np.testing.assert_allclose(res.params.to_numpy(), fit.params.to_numpy(), rtol=RTOL_SM)
    np.testing.assert_allclose(res.bse.to_numpy(), fit.bse.to_numpy(), rtol=RTOL_SM)
    raw = df.head(25)
    ours = fit.predict(raw)[[fit.reference, *fit.layout.outcomes]]  # statsmodels' order
    np.testing.assert_allclose(res.predict(raw).to_numpy(), ours.to_numpy(), rtol=RTOL_SM)


def test_to_statsmodels_mnlogit_refuses_weights():
    df = ls.datasets.load("anes96")
    fit = ls.mlogit("party ~ age", df, weights=np.ones(len(df)))
    with pytest.raises(LogitstatsError, match=r"MNLogit has no frequency weights"):
        fit.to_statsmodels(df)
