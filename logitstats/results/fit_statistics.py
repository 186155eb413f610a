"""The fit statistics every result shares: log-likelihoods, deviances, information criteria,
bookkeeping and pseudo R-squared, each a cheap property of the fit's states (the formula in its
docstring): plain functions of a fit, which :class:`~logitstats.results.base.FitResult` lists as
its read-only properties (``llf = _statistic(fit_statistics.llf)``, a typed ``property``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from logitstats.numerics.distributions import chi2_sf

if TYPE_CHECKING:
    from logitstats.results.base import FitResult

__all__ = [
    "llf",
    "llnull",
    "deviance",
    "null_deviance",
    "k_params",
    "nobs",
    "n_dropped",
    "n_rows_used",
    "dropped_by_column",
    "df_model",
    "df_resid",
    "converged",
    "n_iter",
    "aic",
    "bic",
    "lr_stat",
    "lr_pvalue",
    "pseudo_r2_mcfadden",
    "pseudo_r2_coxsnell",
    "pseudo_r2_nagelkerke",
]


def llf(fit: FitResult) -> float:
    """Maximised log-likelihood (R's ``logLik``)."""
    return float(fit.state.loglik)


def llnull(fit: FitResult) -> float:
    """Log-likelihood of the intercept-only model (same weights and offset)."""
    return float(fit.null_state.loglik)


def deviance(fit: FitResult) -> float:
    """Residual deviance ``-2 * llf`` (individual 0/1 or categorical data)."""
    return -2.0 * fit.llf


def null_deviance(fit: FitResult) -> float:
    """Null deviance ``-2 * llnull``."""
    return -2.0 * fit.llnull


def k_params(fit: FitResult) -> int:
    """Number of estimated parameters."""
    return int(fit.layout.size)


def nobs(fit: FitResult) -> float:
    """Number of observations: the sum of the frequency weights (rows if unweighted)."""
    return fit.design.nobs


def n_dropped(fit: FitResult) -> int:
    """Rows of the data not used (missing values)."""
    return fit.design.rows.n_dropped


def n_rows_used(fit: FitResult) -> int:
    """Rows of the data used by the fit (``nobs`` counts frequency weights instead)."""
    return fit.design.rows.n_used


def dropped_by_column(fit: FitResult) -> dict[str, int]:
    """Rows dropped for a missing value, per column responsible (a row missing in two
    columns counts under both); ``{}`` if no row was dropped."""
    return dict(fit.design.rows.dropped_by_column)


def df_model(fit: FitResult) -> int:
    """Parameters beyond the intercept(s): the df of the LR test against the null model."""
    return fit.k_params - fit.null_state.params.size


def df_resid(fit: FitResult) -> float:
    """``nobs - k_params``."""
    return fit.nobs - fit.k_params


def converged(fit: FitResult) -> bool:
    return bool(fit.state.converged)


def n_iter(fit: FitResult) -> int:
    return int(fit.state.n_iter)


def aic(fit: FitResult) -> float:
    """``-2 llf + 2 k``."""
    return -2.0 * fit.llf + 2.0 * fit.k_params


def bic(fit: FitResult) -> float:
    """``-2 llf + k log(nobs)``, nobs = sum of frequency weights (R's BIC counts rows)."""
    return -2.0 * fit.llf + fit.k_params * np.log(fit.nobs)


def lr_stat(fit: FitResult) -> float:
    """LR statistic against the null model, ``2 (llf - llnull)``."""
    return 2.0 * (fit.llf - fit.llnull)


def lr_pvalue(fit: FitResult) -> float:
    """``P(chi2(df_model) > lr_stat)``."""
    return float(chi2_sf(fit.lr_stat, fit.df_model)) if fit.df_model > 0 else np.nan


def pseudo_r2_mcfadden(fit: FitResult) -> float:
    """McFadden's ``1 - llf / llnull``."""
    return 1.0 - fit.llf / fit.llnull if fit.llnull != 0 else np.nan


def pseudo_r2_coxsnell(fit: FitResult) -> float:
    """Cox–Snell ``1 - exp(2 (llnull - llf) / nobs)``."""
    return float(1.0 - np.exp(2.0 * (fit.llnull - fit.llf) / fit.nobs))


def pseudo_r2_nagelkerke(fit: FitResult) -> float:
    """Nagelkerke: Cox–Snell divided by its maximum ``1 - exp(2 llnull / nobs)``."""
    return fit.pseudo_r2_coxsnell / float(1.0 - np.exp(2.0 * fit.llnull / fit.nobs))
