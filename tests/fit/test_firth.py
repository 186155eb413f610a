"""Firth's bias-reduced logit against R (brglm2, logistf's definitions): tests/reference/firth.R."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import logitstats as ls
from logitstats.errors import LogitstatsError, SeparationWarning
from tests.conftest import load_reference
from tests.tolerances import ATOL_R, RTOL_PROPERTY, RTOL_R

REF = load_reference("firth")


@pytest.fixture(scope="module")
def endo_firth():
    return ls.logit("HG ~ NV + PI + EH", data=ls.datasets.load("endometrial"), firth=True)


@pytest.fixture(scope="module")
def toy_firth():
    r = REF["separation_toy_firth"]
    data = pd.DataFrame(r["data_inline"])
    return ls.logit(r["formula_py"], data=data, firth=True)


@pytest.mark.parametrize("case", ["endometrial_firth", "separation_toy_firth"])
def test_coef_se_cov_match_brglm2(case, endo_firth, toy_firth):
    fit = endo_firth if case == "endometrial_firth" else toy_firth
    r = REF[case]
    assert list(fit.params.index) == r["coef_names_py"]
    np.testing.assert_allclose(fit.params, r["coef"], rtol=RTOL_R)
    np.testing.assert_allclose(fit.bse, r["se"], rtol=RTOL_R)
    np.testing.assert_allclose(fit.zvalues, r["z"], rtol=RTOL_R)
    np.testing.assert_allclose(fit.pvalues, r["p"], rtol=RTOL_R, atol=ATOL_R)
    np.testing.assert_allclose(fit.cov_array, np.array(r["cov"]), rtol=RTOL_R)
    np.testing.assert_allclose(fit.penalized_loglik, r["pen_loglik"], rtol=RTOL_R)
    assert fit.method == "Firth penalized likelihood"


def test_endometrial_deviance_fitted_wald(endo_firth):
    r = REF["endometrial_firth"]
    np.testing.assert_allclose(endo_firth.deviance, r["deviance"], rtol=RTOL_R)
    np.testing.assert_allclose(endo_firth.llf, r["llf_unpenalized"], rtol=RTOL_R)
    np.testing.assert_allclose(endo_firth.fitted, r["fitted"], rtol=RTOL_R)
    ci = endo_firth.conf_int()
    np.testing.assert_allclose(ci["conf_low"], r["ci_wald_low"], rtol=RTOL_R)
    np.testing.assert_allclose(ci["conf_high"], r["ci_wald_high"], rtol=RTOL_R)


@pytest.mark.parametrize("case", ["endometrial_firth", "separation_toy_firth"])
def test_profile_penalized_ci_and_lr_tests(case, endo_firth, toy_firth):
    fit = endo_firth if case == "endometrial_firth" else toy_firth
    r = REF[case]
    ci = fit.conf_int(method="profile")
    assert np.isfinite(ci.to_numpy()).all()
    np.testing.assert_allclose(ci["conf_low"], r["ci_profile_penalized_low"], rtol=RTOL_R)
    np.testing.assert_allclose(ci["conf_high"], r["ci_profile_penalized_high"], rtol=RTOL_R)
    tests = fit.penalized_lr_test()
    assert list(tests.columns) == ["term", "statistic", "df", "p_value"]
    np.testing.assert_allclose(tests["statistic"], r["pen_lr_chisq"], rtol=RTOL_R)
    np.testing.assert_allclose(tests["p_value"], r["pen_lr_p"], rtol=RTOL_R)
    tidy = fit.tidy(ci_method="profile", exponentiate=True)
    np.testing.assert_allclose(tidy["conf_low"], np.exp(r["ci_profile_penalized_low"]), rtol=RTOL_R)


def test_firth_records_separation_without_warning(endo_firth, toy_firth):
    # the Firth fit is the remedy: no SeparationWarning (pytest turns warnings into errors),
    # but the status is recorded and shown
    assert endo_firth.separation.status == "quasi"
    assert endo_firth.separation.terms == ("NV",)
    assert toy_firth.separation.status == "complete"
    text = endo_firth.summary()
    assert "Separation:   quasi-complete: infinite maximum-likelihood estimates for NV" in text
    assert "Firth estimates are finite" in text
    assert "inverse Fisher information" in text


def test_ml_fit_warns_and_suggests_firth():
    with pytest.warns(SeparationWarning, match=r"quasi-complete separation.*NV.*firth=True"):
        ls.logit("HG ~ NV + PI + EH", data=ls.datasets.load("endometrial"))


def test_firth_weights_equal_expanded_rows():
    d = ls.datasets.load("endometrial")
    w = np.random.default_rng(3).integers(1, 4, len(d))
    expanded = d.loc[d.index.repeat(w)].reset_index(drop=True)
    fw = ls.logit("HG ~ NV + PI + EH", data=d.assign(w=w), weights="w", firth=True)
    fe = ls.logit("HG ~ NV + PI + EH", data=expanded, firth=True)
    np.testing.assert_allclose(fw.params, fe.params, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(fw.bse, fe.bse, rtol=RTOL_PROPERTY)


def test_firth_bad_options():
    d = ls.datasets.load("endometrial")
    with pytest.raises(LogitstatsError, match=r"firth=True supports cov_type='nonrobust' only"):
        ls.logit("HG ~ NV + PI + EH", data=d, firth=True, cov_type="HC0")
    with pytest.raises(LogitstatsError, match=r"firth must be True or False; got firth='yes'"):
        ls.logit("HG ~ NV + PI + EH", data=d, firth="yes")
    ml = ls.logit("GRADE ~ GPA + PSI", data=ls.datasets.load("spector"))
    with pytest.raises(LogitstatsError, match=r"penalized_lr_test\(\) needs a Firth fit"):
        ml.penalized_lr_test()


# --------------------------------------------------------------------------- reports and summaries
def test_firth_summary_uses_logistf_inference(endo_firth):
    # before: Wald z and p (NV p = 0.059) beside Wald CIs; logistf: NV p = 0.009
    r = REF["endometrial_firth"]
    data = json.loads(endo_firth.summary(format="json"))
    rows = pd.DataFrame(data["coefficients"])
    np.testing.assert_allclose(rows["statistic"], r["pen_lr_chisq"], rtol=RTOL_R)
    np.testing.assert_allclose(rows["p_value"], r["pen_lr_p"], rtol=RTOL_R)
    np.testing.assert_allclose(rows["conf_low"], r["ci_profile_penalized_low"], rtol=RTOL_R)
    np.testing.assert_allclose(rows["conf_high"], r["ci_profile_penalized_high"], rtol=RTOL_R)
    text = endo_firth.summary()
    assert "Chisq  Pr(>Chisq)" in text
    assert (
        "Note: CIs: profile penalized likelihood; p-values: penalized likelihood-ratio tests, "
        "as logistf" in text
    )
    assert "| Chi-square | p |" in endo_firth.summary(format="markdown")


def test_firth_report_uses_logistf_inference(endo_firth):
    r = REF["endometrial_firth"]
    data = json.loads(endo_firth.report(format="json", figures=False))
    assert data["ci_method"] == "profile"
    rows = pd.DataFrame(data["coefficients"])
    np.testing.assert_allclose(rows["statistic"], r["pen_lr_chisq"], rtol=RTOL_R)
    np.testing.assert_allclose(rows["p_value"], r["pen_lr_p"], rtol=RTOL_R)
    np.testing.assert_allclose(rows["conf_low"], r["ci_profile_penalized_low"], rtol=RTOL_R)
    ratios = pd.DataFrame(data["ratios"])
    np.testing.assert_allclose(
        ratios["conf_high"], np.exp(r["ci_profile_penalized_high"]), rtol=RTOL_R
    )
    tests = pd.DataFrame(data["tests"]["rows"])
    assert "Penalized likelihood-ratio tests" in data["tests"]["title"]
    assert list(tests["term"]) == r["coef_names_py"][1:]
    np.testing.assert_allclose(tests["statistic"], r["pen_lr_chisq"][1:], rtol=RTOL_R)
    np.testing.assert_allclose(tests["p_value"], r["pen_lr_p"][1:], rtol=RTOL_R)
    text = endo_firth.report(figures=False)
    assert "p-values: penalized likelihood-ratio tests, as logistf" in text
    assert "95 % confidence intervals: profile penalized-likelihood." in text


def test_firth_wald_on_request_and_tidy_stays_wald(endo_firth):
    r = REF["endometrial_firth"]
    # tidy keeps brglm2's Wald z tests (documented), also with profile bounds
    tidy = endo_firth.tidy(ci_method="profile")
    np.testing.assert_allclose(tidy["p_value"], r["p"], rtol=RTOL_R)
    rows = pd.DataFrame(
        json.loads(endo_firth.summary(format="json", ci_method="wald"))["coefficients"]
    )
    np.testing.assert_allclose(rows["p_value"], r["p"], rtol=RTOL_R)
    np.testing.assert_allclose(rows["conf_low"], r["ci_wald_low"], rtol=RTOL_R)
    assert "p-values: Wald z tests, as brglm2's summary" in endo_firth.summary(ci_method="wald")


def test_firth_joint_term_test_is_invariant_to_the_coding():
    # a 3-level factor tested jointly (2 df): setting the term's coefficients to 0 is the same
    # constraint under Treatment and Sum coding, and the penalty changes by a constant only
    d = ls.datasets.load("endometrial").assign(g=lambda f: pd.cut(f["PI"], 3, labels=list("abc")))
    t1 = ls.logit("HG ~ NV + C(g) + EH", data=d, firth=True)._penalized_term_tests()
    t2 = ls.logit("HG ~ NV + C(g, Sum) + EH", data=d, firth=True)._penalized_term_tests()
    assert list(t1["term"]) == ["C(g)", "NV", "EH"] and list(t1["df"]) == [2, 1, 1]
    np.testing.assert_allclose(t1["statistic"], t2["statistic"], rtol=RTOL_PROPERTY)
    # one-column terms: the per-coefficient penalized LR tests (checked against R above)
    single = ls.logit("HG ~ NV + C(g) + EH", data=d, firth=True).penalized_lr_test()
    np.testing.assert_allclose(
        t1["statistic"].iloc[1:], single["statistic"].iloc[3:], rtol=RTOL_PROPERTY
    )


def test_firth_lr_test_against_the_null_is_penalized(toy_firth):
    # logistf's model LR test: slopes held at 0 with the full-design penalty; with one slope
    # it is that slope's penalized LR test (R reference). Before: 2 (llf - llnull) unpenalized
    r = REF["separation_toy_firth"]
    np.testing.assert_allclose(toy_firth.lr_stat, r["pen_lr_chisq"][1], rtol=RTOL_R)
    np.testing.assert_allclose(toy_firth.lr_pvalue, r["pen_lr_p"][1], rtol=RTOL_R)
    g = toy_firth.glance().iloc[0]
    np.testing.assert_allclose(g["lr_stat"], r["pen_lr_chisq"][1], rtol=RTOL_R)
    assert "the LR test against the null model the penalized one" in toy_firth.summary()
