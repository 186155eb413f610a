"""Multinomial diagnostics against scikit-learn (Brier, one-vs-rest AUC, confusion matrix) and
against the binary AUC machinery (DeLong SEs, whose pROC reference is in inference.json)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import brier_score_loss, confusion_matrix, roc_auc_score

import logitstats as ls
from logitstats.errors import LogitstatsError
from tests.tolerances import RTOL_EXACT, RTOL_PROPERTY


@pytest.fixture(scope="module")
def mode_fit():
    return ls.mlogit("mode ~ hinc + psize", data=ls.datasets.load("modechoice"), reference="air")


def _y_p(fit):
    return np.asarray(fit.design.y), fit.fitted.to_numpy()


def test_brier_auc_and_confusion_equal_sklearn(mode_fit):
    d = mode_fit.diagnostics()
    y, P = _y_p(mode_fit)
    labels = list(range(P.shape[1]))
    assert d.brier_score == pytest.approx(brier_score_loss(y, P, labels=labels), rel=RTOL_EXACT)
    for k, auc in enumerate(d.roc_auc["auc"]):
        assert auc == pytest.approx(roc_auc_score(y == k, P[:, k]), rel=RTOL_EXACT)
    macro = roc_auc_score(y, P, multi_class="ovr", average="macro")
    assert d.macro_auc == pytest.approx(macro, rel=RTOL_EXACT)
    np.testing.assert_array_equal(
        d.confusion.to_numpy(), confusion_matrix(y, P.argmax(axis=1), labels=labels)
    )
    assert d.accuracy == pytest.approx(np.mean(P.argmax(axis=1) == y), rel=RTOL_EXACT)
    assert d.confusion.index.name == "observed" and d.confusion.columns.name == "predicted"
    assert list(d.confusion.columns) == ["air", "bus", "car", "train"]


def test_one_vs_rest_auc_is_the_binary_fit_auc_of_that_level(mode_fit):
    # the binary machinery (DeLong, pROC-checked in tests/inference) applied to y == bus
    df = ls.datasets.load("modechoice").assign(is_bus=lambda d: d["mode"] == "bus")
    d = mode_fit.diagnostics(conf_level=0.9)
    row = d.roc_auc.set_index("outcome").loc["bus"]
    y, P = _y_p(mode_fit)
    from logitstats.inference.diagnostics import auc_delong

    auc, se, lo, hi = auc_delong((y == 1).astype(float), P[:, 1], 0.9)
    assert (row["auc"], row["std_error"], row["conf_low"], row["conf_high"]) == pytest.approx(
        (auc, se, lo, hi), rel=RTOL_EXACT
    )
    assert d.conf_level == 0.9
    assert df["is_bus"].sum() == pytest.approx(d.confusion.loc["bus"].sum(), rel=RTOL_EXACT)


def test_frequency_weights_count_as_repeated_rows():
    df = ls.datasets.load("modechoice")
    w = (np.arange(len(df)) % 3) + 1
    fit_w = ls.mlogit("mode ~ hinc + psize", data=df.assign(w=w), weights="w", reference="air")
    rep = df.loc[df.index.repeat(w)].reset_index(drop=True)
    fit_r = ls.mlogit("mode ~ hinc + psize", data=rep, reference="air")
    dw, dr = fit_w.diagnostics(), fit_r.diagnostics()
    assert dw.brier_score == pytest.approx(dr.brier_score, rel=RTOL_PROPERTY)
    pd.testing.assert_frame_equal(dw.roc_auc, dr.roc_auc, rtol=RTOL_PROPERTY)
    pd.testing.assert_frame_equal(dw.confusion, dr.confusion, check_dtype=False)


def test_bad_conf_level_is_rejected(mode_fit):
    with pytest.raises(LogitstatsError, match=r"conf_level"):
        mode_fit.diagnostics(conf_level=2)


def test_fractional_weights_work_without_expanding_rows(mode_fit):
    # Once the one-vs-rest AUCs repeated rows and refused fractional weights. A common scale of
    # the weights leaves the estimates, so the AUCs and the Brier score, unchanged.
    data = ls.datasets.load("modechoice")
    half = ls.mlogit(
        "mode ~ hinc + psize", data=data, reference="air", weights=np.full(len(data), 0.5)
    )
    d, plain = half.diagnostics(), mode_fit.diagnostics()
    np.testing.assert_allclose(d.roc_auc["auc"], plain.roc_auc["auc"], rtol=RTOL_PROPERTY)
    assert d.brier_score == pytest.approx(plain.brier_score, rel=RTOL_PROPERTY)
