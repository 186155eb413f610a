r"""Goodness of fit and classification of a binary model, on ndarrays (no pandas, no patsy).

Frequency weights count each row ``w_i`` times: every function gives the value of the
row-expanded data (weights must then be whole numbers for the rank-based statistics, which
expand rows; the others use the weights directly).

- Hosmer–Lemeshow: groups cut at the type-7 quantiles of the fitted probabilities
  ``q_0 < ... < q_g`` (duplicates removed), right-closed with the first group closed, as
  ``ResourceSelection::hoslem.test``; :math:`C = \sum_k (O_{1k} - E_{1k})^2 / E_{1k} +
  (O_{0k} - E_{0k})^2 / E_{0k}` with :math:`E_{1k} = \sum_{i \in k} p_i`, referred to
  :math:`\chi^2_{g - 2}`.
- AUC: the Mann–Whitney probability :math:`P(p_{event} > p_{non-event}) + P(=)/2`, with
  DeLong's variance :math:`\mathrm{var}(V_{10})/m + \mathrm{var}(V_{01})/n` from the structural
  components (midranks), and the interval :math:`AUC \pm z \sqrt{var}` clipped to [0, 1], as
  ``pROC::ci.auc(method = "delong")``.
- Brier score :math:`\sum w_i (y_i - p_i)^2 / \sum w_i`.
- Classification at a threshold ``t``: predicted event when :math:`p_i \ge t`.
- Calibration: ``bins`` equal-width bins of the fitted probability on [0, 1] (the last one
  closed), with the mean fitted probability and the observed event rate of each non-empty bin.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from logitstats.errors import DataError
from logitstats.options import parse_int, parse_probability

__all__ = [
    "HLTable",
    "hosmer_lemeshow",
    "auc_delong",
    "brier_score",
    "confusion",
    "calibration_bins",
    "roc_points",
    "expand",
    "multiclass_brier",
    "multiclass_confusion",
]


def expand(
    y: np.ndarray, p: np.ndarray, weights: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Rows repeated ``w_i`` times (frequency weights must be whole numbers here)."""
    if weights is None:
        return y, p
    counts = np.rint(weights)
    if not np.allclose(counts, weights, rtol=0, atol=1e-9):
        raise DataError(
            "this statistic needs whole-number frequency weights (it works on the row-expanded "
            "data); got non-integer weights"
        )
    counts = counts.astype(np.int64)
    return np.repeat(y, counts), np.repeat(p, counts)


@dataclass(frozen=True)
class HLTable:
    """Arrays of the Hosmer–Lemeshow test (one entry per group)."""

    statistic: float
    df: int
    p_value: float
    breaks: np.ndarray
    n: np.ndarray
    observed_1: np.ndarray
    expected_1: np.ndarray
    observed_0: np.ndarray
    expected_0: np.ndarray


def hosmer_lemeshow(y: np.ndarray, p: np.ndarray, groups: int = 10) -> HLTable:
    """Hosmer–Lemeshow test with ``groups`` quantile groups (see the module docstring)."""
    groups = parse_int(groups, "groups", minimum=3)
    breaks = np.unique(np.quantile(p, np.linspace(0.0, 1.0, groups + 1)))
    # right-closed bins, the first one closed: code k for breaks[k] < p <= breaks[k+1]
    codes = np.searchsorted(breaks, p, side="left") - 1
    codes[codes < 0] = 0
    n_groups = breaks.size - 1
    n = np.bincount(codes, minlength=n_groups).astype(float)
    o1 = np.bincount(codes, weights=y, minlength=n_groups)
    e1 = np.bincount(codes, weights=p, minlength=n_groups)
    o0, e0 = n - o1, n - e1
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = float(np.sum((o1 - e1) ** 2 / e1) + np.sum((o0 - e0) ** 2 / e0))
    df = groups - 2
    return HLTable(stat, df, float(stats.chi2.sf(stat, df)), breaks, n, o1, e1, o0, e0)


def auc_delong(
    y: np.ndarray, p: np.ndarray, level: float = 0.95
) -> tuple[float, float, float, float]:
    """``(auc, se, low, high)``: Mann–Whitney AUC, DeLong SE and clipped Wald interval."""
    pos, neg = p[y == 1], p[y == 0]
    m, n = pos.size, neg.size
    if m == 0 or n == 0:
        raise DataError("the AUC needs both events and non-events among the rows used")
    r_all = stats.rankdata(np.concatenate([pos, neg]))
    r_pos = stats.rankdata(pos)
    r_neg = stats.rankdata(neg)
    v10 = (r_all[:m] - r_pos) / n  # P(neg < pos_i) + P(=)/2, per event
    v01 = 1.0 - (r_all[m:] - r_neg) / m  # P(pos > neg_j) + P(=)/2, per non-event
    auc = float(v10.mean())
    var = (v10.var(ddof=1) if m > 1 else 0.0) / m + (v01.var(ddof=1) if n > 1 else 0.0) / n
    se = float(np.sqrt(var))
    z = stats.norm.ppf(0.5 + level / 2.0)
    return auc, se, float(max(auc - z * se, 0.0)), float(min(auc + z * se, 1.0))


def brier_score(y: np.ndarray, p: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Mean squared difference between outcome and fitted probability."""
    return float(np.average((y - p) ** 2, weights=weights))


def confusion(
    y: np.ndarray, p: np.ndarray, weights: np.ndarray | None, threshold: float
) -> np.ndarray:
    """2x2 counts ``[[TN, FP], [FN, TP]]`` (rows observed 0/1, columns predicted 0/1)."""
    threshold = parse_probability(threshold, "threshold")
    w = np.ones_like(y) if weights is None else weights
    pred = p >= threshold
    obs = y == 1
    return np.array(
        [
            [w[~obs & ~pred].sum(), w[~obs & pred].sum()],
            [w[obs & ~pred].sum(), w[obs & pred].sum()],
        ]
    )


def calibration_bins(
    y: np.ndarray, p: np.ndarray, weights: np.ndarray | None, bins: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(bin, n, mean_predicted, observed_rate)`` of the non-empty equal-width bins."""
    bins = parse_int(bins, "bins", minimum=1)
    w = np.ones_like(y) if weights is None else weights
    codes = np.minimum((p * bins).astype(np.int64), bins - 1)
    n = np.bincount(codes, weights=w, minlength=bins)
    sp = np.bincount(codes, weights=w * p, minlength=bins)
    sy = np.bincount(codes, weights=w * y, minlength=bins)
    keep = n > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.flatnonzero(keep) + 1, n[keep], sp[keep] / n[keep], sy[keep] / n[keep]


def roc_points(
    y: np.ndarray, p: np.ndarray, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(threshold, fpr, tpr)``: one point per distinct fitted value, from ``(inf, 0, 0)``.

    At threshold ``t`` a row is called an event when ``p >= t``; the thresholds decrease.
    """
    w = np.ones_like(y) if weights is None else weights
    order = np.argsort(-p, kind="stable")
    ps, ys, ws = p[order], y[order], w[order]
    tp = np.cumsum(ws * ys)
    fp = np.cumsum(ws * (1.0 - ys))
    last = np.r_[np.flatnonzero(np.diff(ps) != 0), ps.size - 1]
    n_pos, n_neg = tp[-1], fp[-1]
    thr = np.r_[np.inf, ps[last]]
    with np.errstate(invalid="ignore", divide="ignore"):
        return thr, np.r_[0.0, fp[last] / n_neg], np.r_[0.0, tp[last] / n_pos]


#: Fitted probabilities of identical covariate rows agree only to a few units in the last place
#: (a BLAS kernel may sum a row's products in an order that depends on the row's position), so
#: the rank-based statistics treat values this close, relatively, as ties.
TIE_RTOL = 1e-12


def snap_ties(p: np.ndarray, rtol: float = TIE_RTOL) -> np.ndarray:
    """A copy of ``p`` where each value within ``rtol`` (relative) of the next smaller one is
    replaced by the smallest value of its run, so that near-ties are exact ties.

    Without this the ROC curve, the AUC and the Hosmer–Lemeshow groups would depend on the
    CPU's BLAS kernel: two identical rows can get fitted values ~1e-17 apart.

    Examples
    --------
    >>> snap_ties(np.array([0.3, np.nextafter(0.2, 1.0), 0.2, 0.5])).tolist()
    [0.3, 0.2, 0.2, 0.5]
    """
    p = np.asarray(p, dtype=float)
    if p.size < 2:
        return p.copy()
    order = np.argsort(p, kind="stable")
    s = p[order]
    starts = np.r_[True, np.diff(s) > rtol * np.abs(s[1:])]
    first = np.maximum.accumulate(np.where(starts, np.arange(s.size), 0))
    out = np.empty_like(s)
    out[order] = s[first]
    return out


# --------------------------------------------------------------------------- multinomial


def multiclass_brier(codes: np.ndarray, P: np.ndarray, weights: np.ndarray | None = None) -> float:
    r"""Brier's multiclass score :math:`\sum_i w_i \sum_k (1[y_i = k] - p_{ik})^2 / \sum_i w_i`
    (range [0, 2]; ``codes`` are column indices of ``P``), as scikit-learn's
    ``brier_score_loss`` for more than two classes."""
    onehot = np.zeros_like(P)
    onehot[np.arange(codes.size), codes] = 1.0
    return float(np.average(((onehot - P) ** 2).sum(axis=1), weights=weights))


def multiclass_confusion(
    codes: np.ndarray, P: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    """``(K, K)`` weighted counts, rows observed, columns predicted (the most probable level;
    a tie goes to the first level, as ``argmax``)."""
    K = P.shape[1]
    w = np.ones(codes.size) if weights is None else weights
    pred = np.argmax(P, axis=1)
    return np.bincount(codes * K + pred, weights=w, minlength=K * K).reshape(K, K)
