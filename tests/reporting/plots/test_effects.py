"""Effects figures: the predictions curve and band are fit.predictions' numbers, the
dot-and-whisker rows are the slopes/comparisons table; SVG/PNG render; user strings stay plain."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import logitstats as ls
from logitstats.errors import LogitstatsError
from logitstats.reporting.plots import effects_plot, figure_png, figure_svg, predictions_plot
from tests.tolerances import RTOL_EXACT


@pytest.fixture(scope="module")
def affairs():
    return ls.datasets.load("affairs")


@pytest.fixture(scope="module")
def affairs_fit(affairs):
    return ls.logit("had_affair ~ age + educ + C(religious)", data=affairs)


def test_predictions_plot_draws_the_grid_predictions_by_level(affairs_fit, affairs):
    fig = predictions_plot(affairs_fit, affairs, "age", by="C(religious)", points=7)
    (ax,) = fig.axes
    lines = ax.get_lines()
    assert len(lines) == 4 and len(ax.collections) == 4  # a curve and a band per level
    ages = np.linspace(affairs["age"].min(), affairs["age"].max(), 7).tolist()
    ref = affairs_fit.predictions(affairs, {"age": ages, "religious": "all"})
    level2 = ref[ref["religious"] == 2]
    assert_allclose(lines[1].get_xdata(), ages, rtol=RTOL_EXACT)
    assert_allclose(lines[1].get_ydata(), level2["estimate"], rtol=RTOL_EXACT)
    band = ax.collections[1].get_paths()[0].vertices[:, 1]
    assert_allclose(band.min(), level2["conf_low"].min(), rtol=RTOL_EXACT)
    assert_allclose(band.max(), level2["conf_high"].max(), rtol=RTOL_EXACT)
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == [
        "religious = 1",
        "religious = 2",
    ]
    assert ax.get_xlabel() == "age" and ax.get_ylabel() == "Predicted probability (95 % CI)"
    assert figure_svg(fig).startswith("<?xml")
    assert figure_png(fig, dpi=40).startswith(b"\x89PNG")


def test_predictions_plot_multinomial_one_panel_per_outcome():
    df = ls.datasets.load("modechoice")
    fit = ls.mlogit("mode ~ hinc + psize", data=df, reference="air")
    fig = predictions_plot(fit, df, "hinc", points=4, conf_level=0.9)
    assert [ax.get_title() for ax in fig.axes] == ["P(air)", "P(bus)", "P(car)", "P(train)"]
    ref = fit.predictions(df, {"hinc": np.linspace(2, 72, 4).tolist()})
    assert_allclose(
        fig.axes[3].get_lines()[0].get_ydata(),
        ref[ref["outcome"] == "train"]["estimate"],
        rtol=RTOL_EXACT,
    )


def test_effects_plot_rows_and_panels(affairs_fit, affairs):
    tab = affairs_fit.slopes(affairs)
    fig = effects_plot(tab, title="AME $x$")
    (ax,) = fig.axes
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[:2] == ["age: dY/dX", "educ: dY/dX"] and labels[2] == "religious: 2 - 1"
    x = np.asarray(ax.lines[0].get_xdata(), float)
    assert_allclose(x, tab["estimate"], rtol=RTOL_EXACT)
    assert fig._suptitle.get_text() == "AME $x$"  # dollar signs drawn, not parsed as math
    assert "AME $x$" in figure_svg(fig)
    mfit = ls.mlogit("mode ~ hinc + psize", data=ls.datasets.load("modechoice"))
    mtab = mfit.comparisons(ls.datasets.load("modechoice"), "psize", comparison="ratio")
    mfig = effects_plot(mtab, null=1.0)
    assert [a.get_title() for a in mfig.axes] == ["air", "bus", "car", "train"]
    assert mfig.axes[0].lines[-1].get_xdata()[0] == 1.0  # the reference line at null


def test_effects_plot_lists_non_finite_rows():
    tab = pd.DataFrame(
        {"term": ["a", "b"], "estimate": [0.1, np.nan], "conf_low": [0.0, np.nan],
         "conf_high": [0.2, np.nan]}
    )  # fmt: skip
    fig = effects_plot(tab)
    assert any("not shown (not finite): b" in t.get_text() for t in fig.axes[0].texts)


def test_bad_plot_arguments_are_rejected_with_a_message(affairs_fit, affairs):
    with pytest.raises(LogitstatsError, match=r"variable: expected a column of the data.*'agee'"):
        predictions_plot(affairs_fit, affairs, "agee")
    with pytest.raises(LogitstatsError, match=r"expected a numeric column; got 'religious'"):
        predictions_plot(affairs_fit, affairs.astype({"religious": str}), "religious")
    with pytest.raises(LogitstatsError, match=r"by: expected a column other than variable"):
        predictions_plot(affairs_fit, affairs, "age", by="age")
    with pytest.raises(LogitstatsError, match=r"points must be"):
        predictions_plot(affairs_fit, affairs, "age", points=1)
    with pytest.raises(LogitstatsError, match=r"table: expected a slopes or comparisons table"):
        effects_plot(affairs_fit.glance())
