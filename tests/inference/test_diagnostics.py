"""Diagnostics of frequency-weighted fits, computed with the weights (inference/diagnostics.py).

Provenance of every expected value: the same function on the row-expanded data
(``np.repeat`` of the rows by their whole-number weights), which is what a frequency weight
means; for fractional weights, the invariance of ratio statistics (AUC, Brier score, rates)
under multiplying every weight by one constant.
"""

from __future__ import annotations

import numpy as np
import pytest

from logitstats.errors import DataError
from logitstats.inference import diagnostics as dg
from tests.tolerances import ATOL_SUM_TO_ZERO, RTOL_EXACT


def _data(n: int = 60, seed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    p = np.round(rng.uniform(0.06, 0.94, n), 1)  # many ties, as identical rows
    y = (rng.uniform(size=n) < p).astype(float)
    w = rng.integers(0, 6, n).astype(float)  # zero weights included
    w[:2] = 1.0
    return y, p, w


def _expanded(y, p, w):
    c = w.astype(np.int64)
    return np.repeat(y, c), np.repeat(p, c)


def test_weighted_quantile_equals_the_quantile_of_the_repeated_rows():
    y, p, w = _data()
    q = np.linspace(0.0, 1.0, 11)
    np.testing.assert_allclose(
        dg.weighted_quantile(p, w, q), np.quantile(np.repeat(p, w.astype(int)), q), rtol=RTOL_EXACT
    )


@pytest.mark.parametrize("groups", [3, 5, 8])
def test_hosmer_lemeshow_with_weights_equals_the_expanded_rows(groups):
    y, p, w = _data()
    a = dg.hosmer_lemeshow(y, p, groups, w)
    b = dg.hosmer_lemeshow(*_expanded(y, p, w), groups)
    assert a.df == b.df
    np.testing.assert_allclose(a.breaks, b.breaks, rtol=RTOL_EXACT)
    for name in ("n", "observed_1", "expected_1", "observed_0", "expected_0"):
        np.testing.assert_allclose(
            getattr(a, name), getattr(b, name), rtol=RTOL_EXACT, atol=ATOL_SUM_TO_ZERO
        )
    assert a.statistic == pytest.approx(b.statistic, rel=RTOL_EXACT)
    assert a.p_value == pytest.approx(b.p_value, rel=RTOL_EXACT)


def test_auc_and_delong_se_with_weights_equal_the_expanded_rows():
    y, p, w = _data()
    a = dg.auc_delong(y, p, 0.9, w)
    b = dg.auc_delong(*_expanded(y, p, w), 0.9)
    np.testing.assert_allclose(a, b, rtol=RTOL_EXACT)


def test_brier_confusion_calibration_roc_with_weights_equal_the_expanded_rows():
    y, p, w = _data()
    ye, pe = _expanded(y, p, w)
    assert dg.brier_score(y, p, w) == pytest.approx(dg.brier_score(ye, pe), rel=RTOL_EXACT)
    np.testing.assert_allclose(dg.confusion(y, p, w, 0.4), dg.confusion(ye, pe, None, 0.4))
    for got, want in zip(dg.calibration_bins(y, p, w, 7), dg.calibration_bins(ye, pe, None, 7)):
        np.testing.assert_allclose(got, want, rtol=RTOL_EXACT)
    # zero-weight rows add no ROC point in the expanded data but do here only as repeated ones
    thr_w, fpr_w, tpr_w = dg.roc_points(y, p, w)
    thr_e, fpr_e, tpr_e = dg.roc_points(ye, pe)
    keep = np.isin(thr_w, thr_e)
    np.testing.assert_allclose(fpr_w[keep], fpr_e, rtol=RTOL_EXACT)
    np.testing.assert_allclose(tpr_w[keep], tpr_e, rtol=RTOL_EXACT)


def test_huge_and_fractional_weights_never_expand_rows():
    y, p, w = _data()
    w = w + 1.0
    # 5e6 per row would be 3e8 expanded rows; ratio statistics do not move under a common scale
    for scale in (5e6, 0.25):
        auc, se, _, _ = dg.auc_delong(y, p, 0.95, w * scale)
        assert auc == pytest.approx(dg.auc_delong(y, p, 0.95, w)[0], rel=RTOL_EXACT)
        assert np.isfinite(se)
        assert dg.brier_score(y, p, w * scale) == pytest.approx(
            dg.brier_score(y, p, w), rel=RTOL_EXACT
        )
        hl = dg.hosmer_lemeshow(y, p, 10, w * scale)
        assert np.isfinite(hl.statistic)
        assert hl.n.sum() == pytest.approx(w.sum() * scale, rel=RTOL_EXACT)


def test_groups_and_bins_are_at_most_the_number_of_rows():
    y, p, w = _data(n=20)
    with pytest.raises(
        DataError,
        match=r"groups: expected at most the number of rows used "
        r"\(20\).*; got groups=21\. Pass a smaller groups",
    ):
        dg.hosmer_lemeshow(y, p, 21, w)
    with pytest.raises(
        DataError,
        match=r"bins: expected at most the number of rows used "
        r"\(20\).*; got bins=1000000000\. Pass a smaller bins",
    ):
        dg.calibration_bins(y, p, w, 10**9)
    assert dg.hosmer_lemeshow(y, p, 20, w).df == 18  # the bound itself is allowed


def test_the_inputs_are_not_modified():
    y, p, w = _data()
    copies = (y.copy(), p.copy(), w.copy())
    dg.hosmer_lemeshow(y, p, 10, w)
    dg.auc_delong(y, p, 0.95, w)
    dg.calibration_bins(y, p, w, 10)
    for a, b in zip((y, p, w), copies):
        np.testing.assert_array_equal(a, b)
