"""Normal, chi-square, t and F tails on :mod:`scipy.special` (no :mod:`scipy.stats` import).

``scipy.stats`` costs about 0.7 s to import and some 50 µs of argument handling per call; the
package needs only a few tail functions, which ``scipy.stats`` itself computes with the
``scipy.special`` kernels used here (``norm._sf`` is ``ndtr(-x)``, ``chi2._sf`` is
``chdtrc(df, x)``, ...). Each function below calls the same kernel and applies the same edge
rules as the ``scipy.stats`` method it replaces (outside the support, at the ends of ``[0, 1]``,
invalid degrees of freedom -> NaN), so the values agree with ``scipy.stats`` to the last bit or
within 1e-15 relative (``tests/numerics/test_distributions.py`` checks a grid including the far
tails). Scalars in give numpy scalars out, arrays give arrays, as ``scipy.stats`` does.

>>> from logitstats.numerics.distributions import chi2_sf, norm_ppf, norm_sf
>>> round(float(norm_ppf(0.975)), 6), round(float(2 * norm_sf(1.959964)), 6)
(1.959964, 0.05)
>>> round(float(chi2_sf(3.841459, 1)), 6)
0.05
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

__all__ = [
    "norm_cdf",
    "norm_sf",
    "norm_ppf",
    "norm_isf",
    "chi2_sf",
    "chi2_ppf",
    "chi2_isf",
    "t_sf",
    "t_ppf",
    "f_sf",
]


def _out(value: np.ndarray) -> Any:
    """A 0-d result as a numpy scalar (as ``scipy.stats`` returns), else the array."""
    return value[()] if value.ndim == 0 else value


def _ppf_edges(q: np.ndarray, value: np.ndarray, low: float, high: float) -> np.ndarray:
    """``scipy.stats``' ppf rules: ``q`` = 0 -> ``low``, 1 -> ``high``, outside [0, 1] -> NaN."""
    value = np.where(q == 0.0, low, value)
    value = np.where(q == 1.0, high, value)
    return np.where((q < 0.0) | (q > 1.0), np.nan, value)


def norm_cdf(x: Any) -> Any:
    """Standard normal distribution function :math:`\\Phi(x)` (``scipy.stats.norm.cdf``)."""
    return _out(special.ndtr(np.asarray(x, dtype=float)))


def norm_sf(x: Any) -> Any:
    """Standard normal upper tail :math:`1 - \\Phi(x) = \\Phi(-x)` (``scipy.stats.norm.sf``)."""
    return _out(special.ndtr(-np.asarray(x, dtype=float)))


def norm_ppf(q: Any) -> Any:
    """Standard normal quantile :math:`\\Phi^{-1}(q)` (``scipy.stats.norm.ppf``)."""
    return _out(special.ndtri(np.asarray(q, dtype=float)))


def norm_isf(q: Any) -> Any:
    """Standard normal upper quantile :math:`-\\Phi^{-1}(q)` (``scipy.stats.norm.isf``)."""
    return _out(-special.ndtri(np.asarray(q, dtype=float)))


def chi2_sf(x: Any, df: Any) -> Any:
    """Chi-square upper tail :math:`P(X > x)`, ``X ~ chi2(df)`` (``scipy.stats.chi2.sf``).

    Notes
    -----
    ``chdtrc(df, x)`` (the regularised upper incomplete gamma function ``Q(df/2, x/2)``); 1 for
    ``x < 0``; NaN where ``df <= 0`` or an argument is NaN.
    """
    x_arr, df_arr = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(df, dtype=float))
    value = np.where(x_arr < 0.0, 1.0, special.chdtrc(df_arr, np.maximum(x_arr, 0.0)))
    value = np.where(np.isnan(x_arr) | ~(df_arr > 0.0), np.nan, value)
    return _out(np.asarray(value, dtype=float))


def chi2_ppf(q: Any, df: Any) -> Any:
    """Chi-square quantile (``scipy.stats.chi2.ppf``): ``2 gammaincinv(df/2, q)``."""
    q_arr, df_arr = np.broadcast_arrays(np.asarray(q, dtype=float), np.asarray(df, dtype=float))
    value = _ppf_edges(q_arr, 2.0 * special.gammaincinv(df_arr / 2.0, q_arr), 0.0, np.inf)
    return _out(np.where(~(df_arr > 0.0), np.nan, value))


def chi2_isf(q: Any, df: Any) -> Any:
    """Chi-square upper quantile (``scipy.stats.chi2.isf``): ``chdtri(df, q)``."""
    q_arr, df_arr = np.broadcast_arrays(np.asarray(q, dtype=float), np.asarray(df, dtype=float))
    value = _ppf_edges(q_arr, special.chdtri(df_arr, q_arr), np.inf, 0.0)
    return _out(np.where(~(df_arr > 0.0), np.nan, value))


def t_sf(x: Any, df: Any) -> Any:
    """Student t upper tail (``scipy.stats.t.sf``): ``stdtr(df, -x)``; NaN where ``df <= 0``."""
    x_arr, df_arr = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(df, dtype=float))
    value = special.stdtr(df_arr, -x_arr)
    return _out(np.where(~(df_arr > 0.0), np.nan, value))


def t_ppf(q: Any, df: Any) -> Any:
    """Student t quantile (``scipy.stats.t.ppf``): ``stdtrit(df, q)``; NaN where ``df <= 0``."""
    q_arr, df_arr = np.broadcast_arrays(np.asarray(q, dtype=float), np.asarray(df, dtype=float))
    value = _ppf_edges(q_arr, special.stdtrit(df_arr, q_arr), -np.inf, np.inf)
    return _out(np.where(~(df_arr > 0.0), np.nan, value))


def f_sf(x: Any, dfn: Any, dfd: Any) -> Any:
    """F upper tail (``scipy.stats.f.sf``): ``fdtrc(dfn, dfd, x)``; 1 for ``x < 0``.

    NaN where a degree of freedom is not positive or an argument is NaN.
    """
    x_arr, n_arr, d_arr = np.broadcast_arrays(
        np.asarray(x, dtype=float), np.asarray(dfn, dtype=float), np.asarray(dfd, dtype=float)
    )
    value = np.where(x_arr < 0.0, 1.0, special.fdtrc(n_arr, d_arr, np.maximum(x_arr, 0.0)))
    bad = np.isnan(x_arr) | ~(n_arr > 0.0) | ~(d_arr > 0.0)
    return _out(np.asarray(np.where(bad, np.nan, value), dtype=float))
