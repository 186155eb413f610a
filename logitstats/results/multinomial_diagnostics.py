r"""Diagnostics of a multinomial fit: multiclass Brier score, one-vs-rest AUCs, confusion table.

The arithmetic is in :mod:`logitstats.inference.diagnostics`; this module labels it. All use the
rows of the fit and count frequency weights as repeated rows, computed with the weights (never by
repeating rows, so fractional weights work too).

- Brier score: :math:`\frac{1}{n}\sum_i \sum_k (1[y_i = k] - p_{ik})^2`, range [0, 2] (Brier
  1950; scikit-learn's ``brier_score_loss`` for more than two classes).
- One-vs-rest AUC of level ``k``: the binary AUC of the event ``y = k`` scored by ``p_k``, with
  DeLong's standard error and a clipped Wald interval (as the binary fit's ``roc_auc``); the
  macro average is their plain mean (scikit-learn's ``roc_auc_score(multi_class="ovr",
  average="macro")``), given without a standard error (the AUCs are correlated).
- Confusion table: rows observed, columns predicted, the predicted level being the most probable
  one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from logitstats.inference import diagnostics as dg
from logitstats.options import parse_level

if TYPE_CHECKING:
    from logitstats.results.multinomial import MLogitResult

__all__ = ["MultinomialDiagnostics", "diagnostics"]


@dataclass(frozen=True)
class MultinomialDiagnostics:
    """What :meth:`MLogitResult.diagnostics` computes.

    Attributes
    ----------
    brier_score : float
        Multiclass Brier score (range [0, 2]).
    roc_auc : DataFrame
        One row per outcome level: ``outcome, auc, std_error, conf_low, conf_high`` (one vs rest).
    macro_auc : float
        Plain mean of the one-vs-rest AUCs.
    confusion : DataFrame
        Weighted counts, index ``observed``, columns ``predicted`` (outcome levels).
    accuracy : float
        Share of rows whose most probable level is the observed one.
    conf_level : float
    """

    brier_score: float
    roc_auc: pd.DataFrame
    macro_auc: float
    confusion: pd.DataFrame
    accuracy: float
    conf_level: float


def diagnostics(result: MLogitResult, conf_level: float = 0.95) -> MultinomialDiagnostics:
    """See :meth:`MLogitResult.diagnostics`."""
    level = parse_level(conf_level, "conf_level")
    codes = np.asarray(result.design.y, dtype=np.int64)
    P = np.asarray(result._mu, dtype=float)
    w = result.design.weights
    levels = list(result.levels)
    rows = []
    for k, name in enumerate(levels):
        # frequency weights enter the DeLong sums directly (never by repeating rows)
        y, p = (codes == k).astype(float), dg.snap_ties(P[:, k])
        auc, se, lo, hi = dg.auc_delong(y, p, level, w)
        rows.append({"outcome": name, "auc": auc, "std_error": se, "conf_low": lo, "conf_high": hi})
    auc_table = pd.DataFrame(rows, columns=["outcome", "auc", "std_error", "conf_low", "conf_high"])
    cm = dg.multiclass_confusion(codes, P, w)
    confusion = pd.DataFrame(
        cm,
        index=pd.Index(levels, name="observed"),
        columns=pd.Index(levels, name="predicted"),
    )
    return MultinomialDiagnostics(
        brier_score=dg.multiclass_brier(codes, P, w),
        roc_auc=auc_table,
        macro_auc=float(auc_table["auc"].mean()),
        confusion=confusion,
        accuracy=float(np.trace(cm) / cm.sum()),
        conf_level=level,
    )
