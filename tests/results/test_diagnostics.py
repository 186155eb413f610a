"""Goodness of fit and classification of binary fits.

References (tests/reference/inference.R): ``pROC`` AUC and DeLong CI/variance (section auc);
Hosmer–Lemeshow by the ``ResourceSelection::hoslem.test`` formula written out in the script
(section hosmer_lemeshow); Pearson chi-square and pseudo R² (section gof). Classification
is checked against statsmodels' ``pred_table``; the Brier score, calibration table and ROC curve
against direct pandas computations written independently here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import logitstats as ls
from logitstats.errors import DataError, LogitstatsError
from tests.conftest import load_reference
from tests.tolerances import ATOL_R, RTOL_PROPERTY, RTOL_R, RTOL_SM

REF = load_reference("inference")


def _fit(case: dict, **kw):
    return ls.logit(case["formula_py"], data=ls.datasets.load(case["data"]), **kw)


@pytest.fixture(scope="module")
def affairs_fit():
    return _fit(REF["hosmer_lemeshow_affairs"])


@pytest.mark.parametrize("case_id", ["spector", "affairs"])
def test_auc_and_delong_interval_equal_proc(case_id):
    case = REF[f"auc_{case_id}"]
    res = _fit(case).roc_auc(conf_level=0.95)
    assert res.auc == pytest.approx(case["auc"], rel=RTOL_R)
    assert res.std_error**2 == pytest.approx(case["var_delong"], rel=RTOL_R)
    assert res.conf_low == pytest.approx(case["ci_low"], rel=RTOL_R)
    assert res.conf_high == pytest.approx(case["ci_high"], rel=RTOL_R)  # spector: clipped at 1
    assert res.conf_level == 0.95


def test_hosmer_lemeshow_equals_the_reference_formula(affairs_fit):
    case = REF["hosmer_lemeshow_affairs"]
    hl = affairs_fit.hosmer_lemeshow(groups=case["g"])
    assert hl.statistic == pytest.approx(case["statistic"], rel=RTOL_R)
    assert hl.df == case["df"]
    assert hl.p_value == pytest.approx(case["p"], rel=RTOL_R)
    groups = pd.DataFrame(case["groups"])
    assert list(hl.table.columns) == [
        "group",
        "n",
        "observed_1",
        "expected_1",
        "observed_0",
        "expected_0",
    ]
    assert list(hl.table["group"]) == list(range(1, case["n_groups"] + 1))
    for col in ["n", "observed_1", "expected_1", "observed_0", "expected_0"]:
        np.testing.assert_allclose(hl.table[col], groups[col], rtol=RTOL_R)


@pytest.mark.parametrize("case_id", ["spector", "affairs"])
def test_fit_statistics_equal_r(case_id):
    case = REF[f"gof_{case_id}"]
    g = _fit(case).glance().iloc[0]
    for ours, theirs in [
        ("pearson_chi2", "pearson_chi2"),
        ("pseudo_r2_mcfadden", "r2_mcfadden"),
        ("pseudo_r2_coxsnell", "r2_cox_snell"),
        ("pseudo_r2_nagelkerke", "r2_nagelkerke"),
        ("pseudo_r2_tjur", "r2_tjur"),
        ("loglik", "llf"),
        ("loglik_null", "llnull"),
        ("df_resid", "df_resid"),
    ]:
        assert g[ours] == pytest.approx(case[theirs], rel=RTOL_R), ours
    assert g["lr_stat"] == pytest.approx(2 * (case["llf"] - case["llnull"]), rel=RTOL_R)


def test_classification_equals_statsmodels_pred_table():
    data = ls.datasets.load("spector")
    fit = ls.logit("GRADE ~ GPA + TUCE + PSI", data=data)
    theirs = sm.Logit(data["GRADE"], sm.add_constant(data[["GPA", "TUCE", "PSI"]])).fit(
        disp=0, method="newton"
    )
    for threshold in (0.3, 0.5, 0.7):
        c = fit.classification(threshold=threshold)
        table = theirs.pred_table(threshold=threshold)  # rows observed 0/1, columns predicted
        np.testing.assert_array_equal(c.confusion.to_numpy(), table)
        (tn, fp), (fn, tp) = table
        assert c.accuracy == pytest.approx((tn + tp) / table.sum())
        assert c.sensitivity == pytest.approx(tp / (tp + fn))
        assert c.specificity == pytest.approx(tn / (tn + fp))
        assert c.ppv == pytest.approx(tp / (tp + fp))
        assert c.npv == pytest.approx(tn / (tn + fn))
        assert c.threshold == threshold
    assert list(c.confusion.index) == ["0", "1"] and c.confusion.index.name == "observed"


def test_classification_labels_use_the_outcome_values():
    data = ls.datasets.load("spector").assign(grade=lambda d: np.where(d.GRADE == 1, "up", "same"))
    c = ls.logit("grade ~ GPA + PSI", data=data, event="up").classification()
    assert list(c.confusion.columns) == ["same", "up"]


def test_brier_score_and_calibration_equal_direct_computation(affairs_fit):
    y = affairs_fit.design.y
    p = affairs_fit.fitted.to_numpy()
    assert affairs_fit.brier_score() == pytest.approx(np.mean((y - p) ** 2), rel=RTOL_SM)
    cal = affairs_fit.calibration(bins=10)
    frame = pd.DataFrame({"y": y, "p": p})
    frame["bin"] = pd.cut(frame["p"], np.linspace(0, 1, 11), right=False, labels=False) + 1
    expected = frame.groupby("bin").agg(
        n=("y", "size"), mean_predicted=("p", "mean"), observed_rate=("y", "mean")
    )
    assert list(cal.columns) == ["bin", "n", "mean_predicted", "observed_rate"]
    np.testing.assert_array_equal(cal["bin"], expected.index)
    np.testing.assert_allclose(
        cal[["n", "mean_predicted", "observed_rate"]], expected, rtol=RTOL_SM
    )


def test_roc_curve_integrates_to_the_proc_auc():
    case = REF["auc_affairs"]
    roc = _fit(case).roc_curve()
    assert list(roc.columns) == ["threshold", "fpr", "tpr"]
    assert roc["threshold"].iloc[0] == np.inf
    assert (roc["fpr"].iloc[0], roc["tpr"].iloc[0]) == (0.0, 0.0)
    assert (roc["fpr"].iloc[-1], roc["tpr"].iloc[-1]) == (1.0, 1.0)
    assert np.all(np.diff(roc["threshold"]) < 0)
    assert np.trapezoid(roc["tpr"], roc["fpr"]) == pytest.approx(case["auc"], rel=RTOL_R)


def test_diagnostics_bundles_the_single_methods(affairs_fit):
    d = affairs_fit.diagnostics(groups=8, threshold=0.4, conf_level=0.9)
    hl = affairs_fit.hosmer_lemeshow(groups=8)
    assert d.hosmer_lemeshow.statistic == hl.statistic
    pd.testing.assert_frame_equal(d.hosmer_lemeshow.table, hl.table)
    assert d.roc_auc == affairs_fit.roc_auc(conf_level=0.9)
    assert d.brier_score == affairs_fit.brier_score()
    pd.testing.assert_frame_equal(
        d.classification.confusion, affairs_fit.classification(0.4).confusion
    )
    pd.testing.assert_frame_equal(d.calibration, affairs_fit.calibration(bins=8))


def test_frequency_weights_equal_the_expanded_data():
    case = REF["sandwich_spector_weighted"]
    data = ls.datasets.load("spector")
    w = np.asarray(case["weights"], dtype=float)
    a = ls.logit(case["formula_py"], data=data, weights=w)
    b = ls.logit(case["formula_py"], data=data.loc[data.index.repeat(w.astype(int))])
    for name in ("statistic", "p_value"):
        assert getattr(a.hosmer_lemeshow(5), name) == pytest.approx(
            getattr(b.hosmer_lemeshow(5), name), rel=RTOL_PROPERTY
        )
    ra, rb = a.roc_auc(), b.roc_auc()
    assert (ra.auc, ra.std_error) == pytest.approx((rb.auc, rb.std_error), rel=RTOL_PROPERTY)
    assert a.brier_score() == pytest.approx(b.brier_score(), rel=RTOL_PROPERTY)
    np.testing.assert_allclose(
        a.classification().confusion, b.classification().confusion, atol=ATOL_R
    )


def test_bad_arguments_are_rejected_with_a_message(affairs_fit):
    with pytest.raises(LogitstatsError, match=r"groups must be an integer >= 3; got groups=2"):
        affairs_fit.hosmer_lemeshow(groups=2)
    with pytest.raises(LogitstatsError, match=r"threshold must be a number in \[0, 1\]; got"):
        affairs_fit.classification(threshold=1.5)
    with pytest.raises(LogitstatsError, match=r"bins must be an integer >= 1; got bins=0"):
        affairs_fit.calibration(bins=0)
    with pytest.raises(LogitstatsError, match=r"conf_level must be a number between 0 and 1"):
        affairs_fit.roc_auc(conf_level=0)
    with pytest.raises(DataError, match=r"groups: expected at most the number of rows used"):
        affairs_fit.hosmer_lemeshow(groups=10**9)
    with pytest.raises(DataError, match=r"bins: expected at most the number of rows used"):
        affairs_fit.calibration(bins=10**9)


def test_fractional_and_huge_weights_work_without_expanding_rows():
    # Once, fractional weights were refused (the rank statistics repeated rows) and 5e6 per row
    # asked for 1.6e8 rows. A common scale of the weights leaves the estimates, hence the fitted
    # probabilities, the AUC and the Brier score unchanged (they are ratios of weighted sums).
    data = ls.datasets.load("spector")
    plain = ls.logit("GRADE ~ GPA", data=data)
    for scale in (0.5, 5e6):
        fit = ls.logit("GRADE ~ GPA", data=data, weights=np.full(len(data), scale))
        assert fit.roc_auc().auc == pytest.approx(plain.roc_auc().auc, rel=RTOL_PROPERTY)
        assert fit.brier_score() == pytest.approx(plain.brier_score(), rel=RTOL_PROPERTY)
        assert "Hosmer" in fit.report(format="markdown")


def test_near_ties_of_identical_rows_are_ties_whatever_the_blas_kernel(affairs_fit):
    # Some OpenBLAS kernels (OPENBLAS_CORETYPE=Sandybridge here) give two identical rows of the
    # affairs design fitted values one ulp apart; the AUC then moved by 0.5 / (m n) and the ROC
    # curve gained a point. Nudge every other fitted value by one ulp, as such a kernel does.
    from types import SimpleNamespace

    from logitstats.results import diagnostics as rd

    p = np.asarray(affairs_fit.fitted, dtype=float)
    nudged = p.copy()
    nudged[::2] = np.nextafter(nudged[::2], 1.0)
    kept = nudged.copy()
    stand_in = SimpleNamespace(design=affairs_fit.design, fitted=nudged)
    assert rd.roc_auc(stand_in).auc == pytest.approx(affairs_fit.roc_auc().auc, rel=RTOL_PROPERTY)
    assert len(rd.roc_curve(stand_in)) == len(affairs_fit.roc_curve())
    hl_nudged, hl = rd.hosmer_lemeshow(stand_in), affairs_fit.hosmer_lemeshow()
    np.testing.assert_array_equal(hl_nudged.table["n"], hl.table["n"])
    np.testing.assert_array_equal(nudged, kept)  # the fitted values are not modified


def test_snap_ties_merges_only_values_within_the_tie_tolerance():
    from logitstats.inference.diagnostics import TIE_RTOL, snap_ties

    p = np.array([0.5, 0.2 * (1 + TIE_RTOL / 2), 0.2, 0.2 * (1 + 10 * TIE_RTOL), 0.9])
    before = p.copy()
    assert snap_ties(p).tolist() == [0.5, 0.2, 0.2, 0.2 * (1 + 10 * TIE_RTOL), 0.9]
    np.testing.assert_array_equal(p, before)
    assert snap_ties(np.array([0.3])).tolist() == [0.3]


def test_default_groups_and_bins_follow_a_small_number_of_rows():
    # 8 rows: the default 10 groups / bins become 8 (one per row) instead of refusing, so
    # report() works on tiny data; an explicit count above the rows is refused.
    data = pd.DataFrame({"y": [0, 1, 0, 1, 1, 0, 1, 0], "x": [1.0, 2, 3, 4, 5, 6, 7, 2]})
    fit = ls.logit("y ~ x", data=data)
    assert fit.hosmer_lemeshow().df == 8 - 2
    pd.testing.assert_frame_equal(
        fit.hosmer_lemeshow().table, fit.hosmer_lemeshow(groups=8).table, rtol=RTOL_PROPERTY
    )
    assert len(fit.calibration()) == len(fit.calibration(bins=8))
    assert "Hosmer" in fit.report(format="markdown")
    with pytest.raises(DataError, match=r"groups: expected at most the number of rows used \(8\)"):
        fit.hosmer_lemeshow(groups=10)
