"""The fit statistics every result shares: log-likelihoods, deviances, information criteria,
bookkeeping and pseudo R-squared, each a cheap property of the fit's states (the formula in its
docstring). :class:`~logitstats.results.base.FitResult` inherits them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from logitstats.numerics.distributions import chi2_sf

if TYPE_CHECKING:
    from logitstats.design.build import Design
    from logitstats.engine.layout import ParamLayout
    from logitstats.engine.newton import FitState

__all__ = ["FitStatistics"]


class FitStatistics:
    """Fit statistics of a :class:`~logitstats.results.base.FitResult` (its base; never used
    on its own)."""

    if TYPE_CHECKING:  # the fields and the layout of FitResult that the statistics read
        design: Design
        state: FitState
        null_state: FitState

        @property
        def layout(self) -> ParamLayout: ...

    @property
    def llf(self) -> float:
        """Maximised log-likelihood (R's ``logLik``)."""
        return float(self.state.loglik)

    @property
    def llnull(self) -> float:
        """Log-likelihood of the intercept-only model (same weights and offset)."""
        return float(self.null_state.loglik)

    @property
    def deviance(self) -> float:
        """Residual deviance ``-2 * llf`` (individual 0/1 or categorical data)."""
        return -2.0 * self.llf

    @property
    def null_deviance(self) -> float:
        """Null deviance ``-2 * llnull``."""
        return -2.0 * self.llnull

    @property
    def k_params(self) -> int:
        """Number of estimated parameters."""
        return int(self.layout.size)

    @property
    def nobs(self) -> float:
        """Number of observations: the sum of the frequency weights (rows if unweighted)."""
        return self.design.nobs

    @property
    def n_dropped(self) -> int:
        """Rows of the data not used (missing values)."""
        return self.design.rows.n_dropped

    @property
    def n_rows_used(self) -> int:
        """Rows of the data used by the fit (``nobs`` counts frequency weights instead)."""
        return self.design.rows.n_used

    @property
    def dropped_by_column(self) -> dict[str, int]:
        """Rows dropped for a missing value, per column responsible (a row missing in two
        columns counts under both); ``{}`` if no row was dropped."""
        return dict(self.design.rows.dropped_by_column)

    @property
    def df_model(self) -> int:
        """Parameters beyond the intercept(s): the df of the LR test against the null model."""
        return self.k_params - self.null_state.params.size

    @property
    def df_resid(self) -> float:
        """``nobs - k_params``."""
        return self.nobs - self.k_params

    @property
    def converged(self) -> bool:
        return bool(self.state.converged)

    @property
    def n_iter(self) -> int:
        return int(self.state.n_iter)

    @property
    def aic(self) -> float:
        """``-2 llf + 2 k``."""
        return -2.0 * self.llf + 2.0 * self.k_params

    @property
    def bic(self) -> float:
        """``-2 llf + k log(nobs)``, nobs = sum of frequency weights (R's BIC counts rows)."""
        return -2.0 * self.llf + self.k_params * np.log(self.nobs)

    @property
    def lr_stat(self) -> float:
        """LR statistic against the null model, ``2 (llf - llnull)``."""
        return 2.0 * (self.llf - self.llnull)

    @property
    def lr_pvalue(self) -> float:
        """``P(chi2(df_model) > lr_stat)``."""
        return float(chi2_sf(self.lr_stat, self.df_model)) if self.df_model > 0 else np.nan

    @property
    def pseudo_r2_mcfadden(self) -> float:
        """McFadden's ``1 - llf / llnull``."""
        return 1.0 - self.llf / self.llnull if self.llnull != 0 else np.nan

    @property
    def pseudo_r2_coxsnell(self) -> float:
        """Cox–Snell ``1 - exp(2 (llnull - llf) / nobs)``."""
        return float(1.0 - np.exp(2.0 * (self.llnull - self.llf) / self.nobs))

    @property
    def pseudo_r2_nagelkerke(self) -> float:
        """Nagelkerke: Cox–Snell divided by its maximum ``1 - exp(2 llnull / nobs)``."""
        return self.pseudo_r2_coxsnell / float(1.0 - np.exp(2.0 * self.llnull / self.nobs))
