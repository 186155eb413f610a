"""Serialisation of the figures is byte-reproducible and undated."""

from __future__ import annotations

from logitstats.reporting.plots import (
    figure_png,
    figure_svg,
    forest_plot,
)
from tests.report_cases import spector_fit


def test_svg_and_png_are_reproducible_and_undated():
    fit = spector_fit()
    a, b = figure_svg(forest_plot(fit)), figure_svg(forest_plot(fit))
    assert a == b
    assert "<dc:date>" not in a and "Matplotlib v" not in a
    assert "<text" in a  # text kept as text (svg.fonttype none), searchable in reports
    png = figure_png(forest_plot(fit), dpi=50)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and b"Software" not in png
