"""Calibration plot and ROC curve of a binary fit."""

from __future__ import annotations

from typing import Any

import pandas as pd

from logitstats.render.format import fmt_num
from logitstats.reporting.plots.style import COLOR, new_figure, require, style


def calibration_from_frame(cal: pd.DataFrame) -> Any:
    """Calibration plot from ``result.calibration()`` (bin, n, mean_predicted, observed_rate)."""
    with style():
        fig = new_figure(4.4, 4.2)
        ax = fig.subplots()
        ax.plot(
            [0, 1],
            [0, 1],
            color="#888888",
            linewidth=0.8,
            linestyle="--",
            label="perfect calibration",
        )
        n = cal["n"].to_numpy(dtype=float)
        size = 12 + 60 * n / n.max() if n.size and n.max() > 0 else 20
        ax.plot(cal["mean_predicted"], cal["observed_rate"], color=COLOR, linewidth=1.0)
        ax.scatter(
            cal["mean_predicted"],
            cal["observed_rate"],
            s=size,
            color=COLOR,
            label="bins (area ~ n)",
            zorder=3,
        )
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_aspect("equal")
        ax.set_xlabel("Mean predicted probability")
        ax.set_ylabel("Observed event rate")
        ax.legend(loc="upper left", frameon=False)
        ax.grid(color="#e6e6e6", linewidth=0.6)
    return fig


def calibration_plot(result: Any, *, bins: int = 10) -> Any:
    """Observed event rate against mean predicted probability per bin (binary fits).

    Returns
    -------
    matplotlib.figure.Figure
    """
    return calibration_from_frame(require(result, "calibration")(bins=bins))


def roc_from_curve(curve: pd.DataFrame, auc: float | None = None) -> Any:
    """ROC curve from ``result.roc_curve()`` (threshold, fpr, tpr), AUC in the legend."""
    with style():
        fig = new_figure(4.4, 4.2)
        ax = fig.subplots()
        ax.plot([0, 1], [0, 1], color="#888888", linewidth=0.8, linestyle="--", label="chance")
        label = "ROC" if auc is None else f"ROC, AUC = {fmt_num(auc)}"
        ax.step(curve["fpr"], curve["tpr"], where="post", color=COLOR, linewidth=1.4, label=label)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.01)
        ax.set_aspect("equal")
        ax.set_xlabel("False positive rate (1 - specificity)")
        ax.set_ylabel("True positive rate (sensitivity)")
        ax.legend(loc="lower right", frameon=False)
        ax.grid(color="#e6e6e6", linewidth=0.6)
    return fig


def roc_plot(result: Any) -> Any:
    """ROC curve of a binary fit with its AUC in the legend.

    Returns
    -------
    matplotlib.figure.Figure
    """
    curve = require(result, "roc_curve")()
    auc = require(result, "roc_auc")().auc
    return roc_from_curve(curve, float(auc))
