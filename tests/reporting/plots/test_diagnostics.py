"""Calibration and ROC figures draw the fit's tables; multinomial fits are refused."""

from __future__ import annotations

import pytest
from numpy.testing import assert_allclose

import logitstats as ls
from logitstats.reporting.plots import (
    calibration_plot,
    roc_plot,
)
from tests.report_cases import anes_fit, spector_fit
from tests.tolerances import RTOL_PROPERTY


def test_calibration_and_roc_plot_the_fit_tables():
    fit = spector_fit()
    cal = fit.calibration(bins=5)
    fig = calibration_plot(fit, bins=5)
    pts = fig.axes[0].collections[0].get_offsets()
    assert_allclose(pts[:, 0], cal["mean_predicted"], rtol=RTOL_PROPERTY)
    assert_allclose(pts[:, 1], cal["observed_rate"], rtol=RTOL_PROPERTY)
    fig = roc_plot(fit)
    curve = fit.roc_curve()
    line = fig.axes[0].lines[1]
    assert_allclose(line.get_xdata(), curve["fpr"], rtol=RTOL_PROPERTY)
    assert_allclose(line.get_ydata(), curve["tpr"], rtol=RTOL_PROPERTY)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels[1] == f"ROC, AUC = {fit.roc_auc().auc:.4f}"


def test_binary_only_plots_refuse_multinomial_fits():
    with pytest.raises(
        ls.LogitstatsError,
        match=r"MLogitResult has no calibration\(\); this "
        r"plot needs a binary fit",
    ):
        calibration_plot(anes_fit())
