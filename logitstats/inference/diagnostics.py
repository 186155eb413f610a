r"""Goodness of fit and classification of a binary model, on ndarrays (no pandas, no patsy).

Frequency weights count each row ``w_i`` times: every function gives the value of the
row-expanded data, computed with the weights (rows are never repeated, so a weight of 5e6 costs
nothing and fractional weights work: the formulas below are those of the expanded data with
:math:`N = \sum_i w_i` observations, which for whole-number weights they equal exactly).

- Hosmer–Lemeshow: groups cut at the type-7 quantiles of the fitted probabilities
  ``q_0 < ... < q_g`` (duplicates removed), right-closed with the first group closed, as
  ``ResourceSelection::hoslem.test``; :math:`C = \sum_k (O_{1k} - E_{1k})^2 / E_{1k} +
  (O_{0k} - E_{0k})^2 / E_{0k}` with :math:`E_{1k} = \sum_{i \in k} w_i p_i`, referred to
  :math:`\chi^2_{g - 2}`. The weighted type-7 quantile at ``q`` is
  :math:`x_{(\lfloor h \rfloor)} + (h - \lfloor h \rfloor)(x_{(\lceil h \rceil)} -
  x_{(\lfloor h \rfloor)})` with :math:`h = (N - 1) q + 1`, where :math:`x_{(k)}` is the sorted
  value whose cumulative weight first reaches ``k``.
- AUC: the Mann–Whitney probability :math:`P(p_{event} > p_{non-event}) + P(=)/2`, with
  DeLong's variance :math:`\mathrm{var}(V_{10})/M + \mathrm{var}(V_{01})/N_0` from the structural
  components :math:`V_{10,i} = \sum_j u_j [I(p_j < p_i) + I(p_j = p_i)/2] / N_0` (events ``i``
  of weight ``w_i``, non-events ``j`` of weight ``u_j``, :math:`M = \sum w_i`,
  :math:`N_0 = \sum u_j`; the variances are weighted, with divisor :math:`M - 1` and
  :math:`N_0 - 1`), and the interval :math:`AUC \pm z \sqrt{var}` clipped to [0, 1], as
  ``pROC::ci.auc(method = "delong")``.
- Brier score :math:`\sum w_i (y_i - p_i)^2 / \sum w_i`.
- Classification at a threshold ``t``: predicted event when :math:`p_i \ge t`.
- Calibration: ``bins`` equal-width bins of the fitted probability on [0, 1] (the last one
  closed), with the mean fitted probability and the observed event rate of each non-empty bin.

Every user-sized allocation is bounded: ``groups`` and ``bins`` are at most the number of rows
(a DataError otherwise); left out (None) they are :data:`DEFAULT_GROUPS`, or the number of rows
when there are fewer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from logitstats.errors import DataError
from logitstats.numerics.distributions import chi2_sf, norm_ppf
from logitstats.options import parse_int, parse_probability

__all__ = [
    "HLTable",
    "hosmer_lemeshow",
    "auc_delong",
    "brier_score",
    "confusion",
    "calibration_bins",
    "roc_points",
    "weighted_quantile",
    "DEFAULT_GROUPS",
    "multiclass_brier",
    "multiclass_confusion",
]

#: Hosmer–Lemeshow groups and calibration bins when none are given (fewer rows: one per row)
DEFAULT_GROUPS = 10


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


def _weights(y: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
    return np.ones(y.shape, dtype=float) if weights is None else np.asarray(weights, float)


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Type-7 quantiles of ``x`` with frequency weights ``w`` (see the module docstring).

    Equal to ``np.quantile(np.repeat(x, w), q)`` for whole-number weights, without repeating.

    Examples
    --------
    >>> x, w = np.array([3.0, 1.0, 2.0]), np.array([1.0, 2.0, 3.0])
    >>> bool(np.allclose(weighted_quantile(x, w, np.array([0.0, 0.3, 1.0])),
    ...                  np.quantile(np.repeat(x, [1, 2, 3]), [0.0, 0.3, 1.0])))
    True
    """
    order = np.argsort(x, kind="stable")
    xs, cw = x[order], np.cumsum(w[order])
    total = cw[-1]
    h = (total - 1.0) * np.asarray(q, dtype=float) + 1.0
    lo = np.floor(h)
    frac = h - lo
    last = xs.size - 1
    i_lo = np.minimum(np.searchsorted(cw, lo, side="left"), last)
    i_hi = np.minimum(np.searchsorted(cw, np.minimum(lo + 1.0, total), side="left"), last)
    return xs[i_lo] + frac * (xs[i_hi] - xs[i_lo])


def _at_most_rows(value: int | None, argname: str, n_rows: int, what: str) -> int:
    if value is None:
        return min(DEFAULT_GROUPS, n_rows)
    if value > n_rows:
        raise DataError(
            f"{argname}: expected at most the number of rows used ({n_rows}), as there cannot be "
            f"more {what} than rows; got {argname}={value}. Pass a smaller {argname}"
        )
    return value


def hosmer_lemeshow(
    y: np.ndarray, p: np.ndarray, groups: int | None = None, weights: np.ndarray | None = None
) -> HLTable:
    """Hosmer–Lemeshow test with ``groups`` quantile groups (see the module docstring).

    Raises
    ------
    LogitstatsError
        ``groups`` is not an integer >= 3.
    DataError
        ``groups`` exceeds the number of rows.
    """
    if groups is not None:
        groups = parse_int(groups, "groups", minimum=3)
    groups = parse_int(_at_most_rows(groups, "groups", y.size, "groups"), "groups", minimum=3)
    w = _weights(y, weights)
    breaks = np.unique(weighted_quantile(p, w, np.linspace(0.0, 1.0, groups + 1)))
    # right-closed bins, the first one closed: code k for breaks[k] < p <= breaks[k+1]
    codes = np.searchsorted(breaks, p, side="left") - 1
    codes[codes < 0] = 0
    n_groups = max(breaks.size - 1, 1)
    n = np.bincount(codes, weights=w, minlength=n_groups)
    o1 = np.bincount(codes, weights=w * y, minlength=n_groups)
    e1 = np.bincount(codes, weights=w * p, minlength=n_groups)
    o0, e0 = n - o1, n - e1
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = float(np.sum((o1 - e1) ** 2 / e1) + np.sum((o0 - e0) ** 2 / e0))
    df = groups - 2
    return HLTable(stat, df, float(chi2_sf(stat, df)), breaks, n, o1, e1, o0, e0)


def _placements(values: np.ndarray, ref: np.ndarray, ref_w: np.ndarray) -> np.ndarray:
    """For each value, the weight of ``ref`` below it plus half the weight equal to it."""
    order = np.argsort(ref, kind="stable")
    rs = ref[order]
    cw = np.r_[0.0, np.cumsum(ref_w[order])]
    below = cw[np.searchsorted(rs, values, side="left")]
    upto = cw[np.searchsorted(rs, values, side="right")]
    return below + 0.5 * (upto - below)


def _weighted_var(v: np.ndarray, w: np.ndarray, total: float, mean: float) -> float:
    """Sample variance of the expanded values (divisor ``total - 1``; 0 for one observation)."""
    return float(np.sum(w * (v - mean) ** 2) / (total - 1.0)) if total > 1.0 else 0.0


def auc_delong(
    y: np.ndarray, p: np.ndarray, level: float = 0.95, weights: np.ndarray | None = None
) -> tuple[float, float, float, float]:
    """``(auc, se, low, high)``: Mann–Whitney AUC, DeLong SE and clipped Wald interval.

    Raises
    ------
    DataError
        No events or no non-events (of positive weight) among the rows.
    """
    w = _weights(y, weights)
    is_pos, is_neg = (y == 1) & (w > 0), (y == 0) & (w > 0)
    pos, neg, wp, wn = p[is_pos], p[is_neg], w[is_pos], w[is_neg]
    m, n = float(wp.sum()), float(wn.sum())
    if pos.size == 0 or neg.size == 0:
        raise DataError("the AUC needs both events and non-events among the rows used")
    v10 = _placements(pos, neg, wn) / n  # P(neg < pos_i) + P(=)/2, per event
    v01 = 1.0 - _placements(neg, pos, wp) / m  # P(pos > neg_j) + P(=)/2, per non-event
    auc = float(np.sum(wp * v10) / m)
    var = _weighted_var(v10, wp, m, auc) / m + _weighted_var(v01, wn, n, auc) / n
    se = float(np.sqrt(var))
    z = norm_ppf(0.5 + level / 2.0)
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
    y: np.ndarray, p: np.ndarray, weights: np.ndarray | None, bins: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(bin, n, mean_predicted, observed_rate)`` of the non-empty equal-width bins."""
    if bins is not None:
        bins = parse_int(bins, "bins", minimum=1)
    bins = _at_most_rows(bins, "bins", y.size, "bins")
    w = _weights(y, weights)
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
