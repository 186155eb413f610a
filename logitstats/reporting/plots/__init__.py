"""Figures of a fit: odds-ratio forest plot, calibration plot, ROC curve, predicted
probabilities against a variable, dot-and-whisker plot of slopes/comparisons (matplotlib).

matplotlib is imported only inside these functions (``import logitstats`` does not import it).
Each function returns a :class:`matplotlib.figure.Figure` drawn without pyplot (no global state,
no window). :func:`figure_svg` and :func:`figure_png` serialise a figure byte-reproducibly
(fixed SVG hash salt, text kept as text, no date or software metadata).

Names (terms, outcome levels) are drawn as plain text, never parsed as mathtext or TeX: a level
such as ``"$x$"`` shows its dollar signs, and control characters are shown as escapes
(:func:`logitstats.render.escape.escape_text`).

The modules, by plot family: :mod:`.forest`, :mod:`.diagnostics` (calibration, ROC),
:mod:`.effects` (predictions, slopes and comparisons); :mod:`.style` holds the house style and
the serialisation.

Examples
--------
>>> import logitstats as ls
>>> fit = ls.logit("GRADE ~ GPA + TUCE + PSI", data=ls.datasets.load("spector"))
>>> fig = forest_plot(fit)
>>> [ax.get_xscale() for ax in fig.axes]
['log']
>>> figure_svg(fig).startswith("<?xml")
True
"""

from __future__ import annotations

from logitstats.reporting.plots.diagnostics import calibration_from_frame as calibration_from_frame
from logitstats.reporting.plots.diagnostics import calibration_plot, roc_plot
from logitstats.reporting.plots.diagnostics import roc_from_curve as roc_from_curve
from logitstats.reporting.plots.effects import effects_plot, predictions_plot
from logitstats.reporting.plots.forest import forest_from_tidy as forest_from_tidy
from logitstats.reporting.plots.forest import forest_plot
from logitstats.reporting.plots.style import figure_png, figure_svg

__all__ = [
    "forest_plot",
    "calibration_plot",
    "roc_plot",
    "predictions_plot",
    "effects_plot",
    "figure_svg",
    "figure_png",
]
