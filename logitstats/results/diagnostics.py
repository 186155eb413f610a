"""Goodness-of-fit and classification summaries of a binary fit, as labelled result objects.

The arithmetic is in :mod:`logitstats.inference.diagnostics`; this module attaches labels and
builds the tables. All of them use the rows of the fit and count frequency weights as repeated
rows, computed with the weights (never by repeating rows: fractional weights work too).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from logitstats.inference import diagnostics as dg
from logitstats.options import parse_level

if TYPE_CHECKING:
    from logitstats.results.binary import LogitResult

__all__ = [
    "HosmerLemeshow",
    "AUCResult",
    "Classification",
    "Diagnostics",
    "hosmer_lemeshow",
    "roc_auc",
    "classification",
    "calibration",
    "roc_curve",
    "diagnostics",
]


@dataclass(frozen=True)
class HosmerLemeshow:
    """Hosmer–Lemeshow test: ``statistic ~ chi2(df)`` with ``df = groups - 2``.

    ``table`` has one row per group: ``group, n, observed_1, expected_1, observed_0,
    expected_0`` (groups cut at the quantiles of the fitted probabilities).
    """

    statistic: float
    df: int
    p_value: float
    table: pd.DataFrame


@dataclass(frozen=True)
class AUCResult:
    """Area under the ROC curve with DeLong's standard error and Wald interval (clipped)."""

    auc: float
    std_error: float
    conf_low: float
    conf_high: float
    conf_level: float


@dataclass(frozen=True)
class Classification:
    """Confusion matrix (rows observed, columns predicted, labelled by outcome value) and rates
    at ``threshold`` (predicted event when P(event) >= threshold)."""

    confusion: pd.DataFrame
    threshold: float
    accuracy: float
    sensitivity: float
    specificity: float
    ppv: float
    npv: float


@dataclass(frozen=True)
class Diagnostics:
    """Everything :meth:`LogitResult.diagnostics` computes, each also available alone."""

    hosmer_lemeshow: HosmerLemeshow
    roc_auc: AUCResult
    brier_score: float
    classification: Classification
    calibration: pd.DataFrame


def _yp(result: LogitResult) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Outcome, fitted probabilities (near-ties made exact: :func:`dg.snap_ties`), weights."""
    p = dg.snap_ties(np.asarray(result.fitted, dtype=float))
    return result.design.y, p, result.design.weights


def hosmer_lemeshow(result: LogitResult, groups: int | None = None) -> HosmerLemeshow:
    y, p, w = _yp(result)
    t = dg.hosmer_lemeshow(y, p, groups, w)
    table = pd.DataFrame(
        {
            "group": np.arange(1, t.n.size + 1),
            "n": t.n,
            "observed_1": t.observed_1,
            "expected_1": t.expected_1,
            "observed_0": t.observed_0,
            "expected_0": t.expected_0,
        }
    )
    return HosmerLemeshow(t.statistic, t.df, t.p_value, table)


def roc_auc(result: LogitResult, conf_level: float = 0.95) -> AUCResult:
    level = parse_level(conf_level, "conf_level")
    y, p, w = _yp(result)
    auc, se, lo, hi = dg.auc_delong(y, p, level, w)
    return AUCResult(auc, se, lo, hi, level)


def classification(result: LogitResult, threshold: float = 0.5) -> Classification:
    y, p, w = _yp(result)
    cm = dg.confusion(y, p, w, threshold)
    (tn, fp), (fn, tp) = cm
    labels = [str(result.design.reference), str(result.design.event)]
    frame = pd.DataFrame(
        cm,
        index=pd.Index(labels, name="observed"),
        columns=pd.Index(labels, name="predicted"),
    )

    def ratio(a: float, b: float) -> float:
        return float(a / b) if b > 0 else float("nan")

    return Classification(
        confusion=frame,
        threshold=float(threshold),
        accuracy=ratio(tp + tn, cm.sum()),
        sensitivity=ratio(tp, tp + fn),
        specificity=ratio(tn, tn + fp),
        ppv=ratio(tp, tp + fp),
        npv=ratio(tn, tn + fn),
    )


def calibration(result: LogitResult, bins: int | None = None) -> pd.DataFrame:
    y, p, w = _yp(result)
    b, n, mp, obs = dg.calibration_bins(y, p, w, bins)
    return pd.DataFrame({"bin": b, "n": n, "mean_predicted": mp, "observed_rate": obs})


def roc_curve(result: LogitResult) -> pd.DataFrame:
    y, p, w = _yp(result)
    thr, fpr, tpr = dg.roc_points(y, p, w)
    return pd.DataFrame({"threshold": thr, "fpr": fpr, "tpr": tpr})


def diagnostics(
    result: LogitResult,
    groups: int | None = None,
    threshold: float = 0.5,
    conf_level: float = 0.95,
) -> Diagnostics:
    y, p, w = _yp(result)
    return Diagnostics(
        hosmer_lemeshow=hosmer_lemeshow(result, groups),
        roc_auc=roc_auc(result, conf_level),
        brier_score=dg.brier_score(y, p, w),
        classification=classification(result, threshold),
        calibration=calibration(result, groups),
    )
