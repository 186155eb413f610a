"""The forest plot draws the fit's odds ratios; infinite bounds are arrows, non-finite
estimates are listed."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose

import logitstats as ls
from logitstats.reporting.plots import (
    forest_from_tidy,
    forest_plot,
)
from tests.report_cases import anes_fit, spector_fit
from tests.tolerances import RTOL_PROPERTY


def _errorbar_xy(ax) -> tuple[np.ndarray, np.ndarray]:
    line = ax.lines[0]  # the errorbar markers
    return np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)


def test_forest_plot_binary_log_axis_and_values():
    fit = spector_fit()
    fig = forest_plot(fit)
    (ax,) = fig.axes
    assert ax.get_xscale() == "log"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["GPA", "TUCE", "PSI"]
    x, y = _errorbar_xy(ax)
    assert_allclose(x, np.exp(fit.params[["GPA", "TUCE", "PSI"]]), rtol=RTOL_PROPERTY)
    assert list(y) == [2.0, 1.0, 0.0]
    assert ax.get_xlabel() == "Odds ratio (95 % CI, log scale)"


def test_forest_plot_multinomial_one_panel_per_outcome():
    fit = anes_fit()
    fig = forest_plot(fit, conf_level=0.9)
    assert [ax.get_title() for ax in fig.axes] == ["Ind vs Dem", "Rep vs Dem"]
    x, _ = _errorbar_xy(fig.axes[1])
    assert_allclose(
        x, np.exp(fit.params.loc[["age", "income", "selfLR"], "Rep"]), rtol=RTOL_PROPERTY
    )
    assert fig.axes[0].get_xlabel() == "Relative-risk ratio (90 % CI, log scale)"


def test_forest_plot_lists_non_finite_terms():
    tidy = pd.DataFrame(
        {
            "term": ["Intercept", "a", "b"],
            "estimate": [1.0, 2.0, np.inf],
            "conf_low": [0.5, 1.0, 3.0],
            "conf_high": [2.0, 4.0, np.inf],
        }
    )
    fig = forest_from_tidy(tidy, kind="binary", reference="0", conf_level=0.95)
    x, _ = _errorbar_xy(fig.axes[0])
    assert list(x) == [2.0]
    assert [t.get_text() for t in fig.axes[0].texts] == ["not shown (estimate not finite): b"]


def test_forest_plot_draws_an_infinite_bound_as_an_arrow():
    # a profile interval under separation has an infinite upper bound; the term used to be
    # dropped from the plot (listed as "not shown"): it is drawn, with an arrow and a note
    tidy = pd.DataFrame(
        {
            "term": ["Intercept", "a", "b", "c"],
            "estimate": [1.0, 2.0, 8.0, 0.5],
            "conf_low": [0.5, 1.0, 3.0, 0.0],
            "conf_high": [2.0, 4.0, np.inf, 0.9],
        }
    )
    fig = forest_from_tidy(tidy, kind="binary", reference="0", conf_level=0.95)
    (ax,) = fig.axes
    x, y = _errorbar_xy(ax)
    assert list(x) == [2.0, 8.0, 0.5] and list(y) == [2.0, 1.0, 0.0]
    lo, hi = ax.get_xlim()
    markers = {line.get_marker(): line for line in ax.lines[1:] if line.get_marker() in "<>"}
    right, left = markers[">"], markers["<"]
    # the arrows sit inside the axis, beyond every finite number, on their terms' rows
    assert 4.0 < right.get_xdata()[0] < hi and right.get_ydata()[0] == 1.0
    assert lo < left.get_xdata()[0] < 0.5 and left.get_ydata()[0] == 0.0
    assert [t.get_text() for t in ax.texts] == ["arrow: interval unbounded (infinite bound): b, c"]


def test_forest_plot_uses_labels():
    fit = spector_fit()
    fig = forest_plot(fit, labels={"GPA": "Grade point average"})
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        "Grade point average",
        "TUCE",
        "PSI",
    ]
    df = ls.datasets.load("affairs")
    fig = forest_plot(ls.logit("had_affair ~ C(rate_marriage) + age", df))
    names = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert names == [f"rate_marriage: {k}" for k in range(2, 6)] + ["age"]
