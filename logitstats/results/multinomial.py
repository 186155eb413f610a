r"""The frozen result of a multinomial (baseline-category) logit fit.

Parameters are a matrix terms x non-reference outcomes (labels are ``str`` of the levels); the
layout between that matrix and the flat vector belongs to
:class:`~logitstats.engine.layout.ParamLayout`.
Probabilities come from :mod:`logitstats.numerics.softmax` (through the engine).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from logitstats.errors import LogitstatsError
from logitstats.inference import counterfactual as cf
from logitstats.numerics.distributions import norm_ppf
from logitstats.numerics.softmax import _log_softmax_rows, sigmoid
from logitstats.options import PredictKind, parse_level
from logitstats.results.base import FitResult
from logitstats.results.interop import (
    CODED_OUTCOME,
    check_built,
    cov_options,
    formula_env,
    rows_used,
    split_formula,
)
from logitstats.results.state import prediction_rows

__all__ = ["MLogitResult"]


@dataclass(frozen=True, eq=False, repr=False)  # repr: results/display.py
class MLogitResult(FitResult):
    r"""Result of :func:`logitstats.mlogit`. Immutable; every statistic is derived and cached.

    ``params``, ``bse``, ``zvalues`` and ``pvalues`` are DataFrames, terms x non-reference
    outcomes (columns are the outcome levels as strings); ``cov``, ``conf_int()`` and ``tidy()``
    use the flat, outcome-major order (all terms of the first non-reference outcome, then the
    next, ...). See :class:`~logitstats.results.base.FitResult` for the shared attributes.

    Notes
    -----
    With reference level :math:`r` and coefficient vectors :math:`\beta_j` for the other levels,
    :math:`\log(P(Y = j) / P(Y = r)) = x'\beta_j`, so :math:`\exp(\beta_{jk})` is the
    relative-risk ratio of outcome :math:`j` versus the reference for a unit change of
    :math:`x_k`.
    """

    # ------------------------------------------------------------------ helpers
    @property
    def reference(self) -> str:
        """The reference (baseline) outcome level, as a string."""
        return str(self.design.reference)

    @property
    def levels(self) -> tuple[str, ...]:
        """All outcome levels (reference included) in level order, as strings."""
        return tuple(str(v) for v in self.design.levels)

    @cached_property
    def _ref_code(self) -> int:
        return list(self.design.levels).index(self.design.reference)

    def _probs(self, X: np.ndarray, offset: np.ndarray | None) -> np.ndarray:
        return self.family.probabilities(X, self.state.params, offset)

    @cached_property
    def _mu(self) -> np.ndarray:
        """``(n, K)`` fitted probabilities of the rows used, level order."""
        return self._probs(self.design.X, self.design.offset)

    def _frame(self, values: np.ndarray, index: pd.Index) -> pd.DataFrame:
        return pd.DataFrame(
            values, index=index, columns=pd.Index(list(self.levels), name="outcome")
        )

    # ------------------------------------------------------------------ fitted values
    @cached_property
    def fitted(self) -> pd.DataFrame:
        """Fitted probabilities on the rows used: one column per level, rows sum to 1."""
        return self._frame(self._mu, self.design.index)

    @property
    def pearson_chi2(self) -> float:
        r"""Pearson chi-square :math:`\sum_i w_i \sum_k (y_{ik} - p_{ik})^2 / p_{ik}`.

        With two levels it equals the binary logit's ``sum w (y - p)^2 / (p (1 - p))``.
        """
        mu = self._mu
        onehot = np.zeros_like(mu)
        onehot[np.arange(mu.shape[0]), self.design.y] = 1.0
        per_row = ((onehot - mu) ** 2 / mu).sum(axis=1)
        w = self.design.weights
        return float(per_row.sum() if w is None else (w * per_row).sum())

    def _glance_extra(self) -> dict[str, Any]:
        return {
            "pseudo_r2_coxsnell": self.pseudo_r2_coxsnell,
            "pseudo_r2_nagelkerke": self.pseudo_r2_nagelkerke,
            "pearson_chi2": self.pearson_chi2,
        }

    def diagnostics(self, conf_level: float = 0.95) -> Any:
        """Multiclass Brier score, one-vs-rest AUCs (DeLong SEs and ``conf_level`` intervals)
        with their macro average, and the confusion table (most probable level), as a
        ``MultinomialDiagnostics``. See :mod:`logitstats.results.multinomial_diagnostics`.

        Examples
        --------
        >>> import logitstats as ls
        >>> fit = ls.mlogit("mode ~ hinc + psize", data=ls.datasets.load("modechoice"))
        >>> d = fit.diagnostics()
        >>> d.roc_auc["outcome"].tolist()
        ['air', 'bus', 'car', 'train']
        """
        from logitstats.results.multinomial_diagnostics import diagnostics

        return diagnostics(self, parse_level(conf_level, "conf_level"))

    # ------------------------------------------------------------------ prediction
    def _prob_se(self, X: np.ndarray, prob: np.ndarray) -> np.ndarray:
        r"""Delta-method standard errors of every class probability, shape (n, K).

        ``d p_k / d beta_j = p_k (delta_kj - p_j) x`` for non-reference ``j``.
        """
        nonref = np.delete(np.arange(prob.shape[1]), self._ref_code)
        V = self.cov_array
        se = np.empty_like(prob)
        for k in range(prob.shape[1]):
            # gradient of p_k: (n, p, J) -> flat (n, size) in the layout's order
            coef = prob[:, [k]] * ((nonref[None, :] == k).astype(float) - prob[:, nonref])
            grad = self.layout.to_flat(X.T[:, None, :] * coef.T[None, :, :]).T
            se[:, k] = np.sqrt(np.einsum("ij,jk,ik->i", grad, V, grad))
        return se

    def _link_se(self, X: np.ndarray) -> np.ndarray:
        """Standard errors of the linear predictors (n, K); 0 for the reference column."""
        se = np.zeros((X.shape[0], len(self.levels)))
        nonref = np.delete(np.arange(len(self.levels)), self._ref_code)
        assert self.layout.outcomes is not None
        for col, outcome in zip(nonref, self.layout.outcomes, strict=True):
            pos = [self.layout.flat_index(t, outcome) for t in self.layout.terms]
            Vj = self.cov_array[np.ix_(pos, pos)]
            se[:, col] = np.sqrt(np.einsum("ij,jk,ik->i", X, Vj, X))
        return se

    def _average_prob(
        self, X: np.ndarray, offset: np.ndarray | None, w: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        B, ref = self.layout.to_matrix(self.state.params), self._ref_code
        return cf.mnl_average(X, B, ref, w, offset)

    def _average_slope(
        self, X: np.ndarray, dX: np.ndarray, offset: np.ndarray | None, w: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        B, ref = self.layout.to_matrix(self.state.params), self._ref_code
        return cf.mnl_average_slope(X, dX, B, ref, w, offset)

    def predict(
        self,
        newdata: Any = None,
        kind: str = "prob",
        conf_level: float | None = None,
        *,
        offset: Any = None,
        missing: str = "nan",
    ) -> pd.Series | pd.DataFrame:
        r"""Predictions on the training rows or on new data.

        Parameters
        ----------
        newdata : DataFrame, optional
            Built with the training factor levels and stateful transforms. Incomplete rows give
            NaN (``missing="raise"`` raises instead); the caller's index is kept.
        kind : {"prob", "link", "class"}
            ``"prob"``: one column per outcome level (reference included), rows sum to 1.
            ``"link"``: the log-odds of each level against the reference (0 in the reference
            column). ``"class"``: the most probable level (a Series of the outcome's values).
        conf_level : float, optional
            Adds delta-method standard errors and confidence intervals; the result then has
            two column levels, ``(statistic, outcome)`` with statistics ``prediction``,
            ``std_error``, ``conf_low``, ``conf_high``.
        offset : array-like, optional
            Offset of the new rows when the model was fitted with an offset array.
        missing : {"nan", "raise"}
            Incomplete rows of ``newdata`` give NaN, or raise.

        Returns
        -------
        DataFrame (``prob``, ``link``) or Series (``class``).

        Notes
        -----
        For level :math:`k`, :math:`p_k = \operatorname{softmax}(\eta)_k` with
        :math:`\partial p_k / \partial \beta_j = p_k (\delta_{kj} - p_j)\, x` for each
        non-reference level :math:`j`, so :math:`\operatorname{se}(p_k) = \sqrt{g_k' V g_k}`.
        The interval is formed on the logit scale of :math:`p_k`,
        :math:`\operatorname{logit}(p_k) \mp z\, \operatorname{se}(p_k) / (p_k (1 - p_k))`, and
        transformed back, so it stays inside (0, 1). For ``"link"`` the interval is
        :math:`\eta_j \mp z \sqrt{x' V_{jj} x}`.

        Examples
        --------
        >>> import logitstats as ls
        >>> fit = ls.mlogit("mode ~ hinc + psize", data=ls.datasets.load("modechoice"))
        >>> p = fit.predict(ls.datasets.load("modechoice").head(2))
        >>> list(p.columns), bool(abs(p.sum(axis=1) - 1).max() < 1e-12)
        (['air', 'bus', 'car', 'train'], True)
        """
        rows = prediction_rows(self, newdata, offset, kind, conf_level, missing)
        X, index, off, k, level = rows.X, rows.index, rows.offset, rows.kind, rows.level
        prob = self._probs(X, off)
        if k is PredictKind.CLASS:
            ok = ~np.isnan(prob).any(axis=1)
            out = np.full(prob.shape[0], None, dtype=object)
            levels = np.empty(len(self.design.levels), dtype=object)
            levels[:] = list(self.design.levels)
            out[ok] = levels[np.argmax(prob[ok], axis=1)]
            return pd.Series(out, index=index, name="class")
        if k is PredictKind.LINK:
            value = self.family.linear_predictor(X, self.state.params, off)
        else:
            value = prob
        if level is None:
            return self._frame(value, index)
        q = norm_ppf(0.5 + level / 2.0)
        lo: np.ndarray
        hi: np.ndarray
        if k is PredictKind.LINK:
            se = self._link_se(X)
            lo, hi = value - q * se, value + q * se
        else:
            se = self._prob_se(X, prob)
            eta = self.family.linear_predictor(X, self.state.params, off)
            with np.errstate(divide="ignore", invalid="ignore"):
                logit = _log_softmax_rows(eta) - np.log1p(-prob)
                half = q * se / (prob * (1.0 - prob))
            lo, hi = sigmoid(logit - half), sigmoid(logit + half)
        parts = {"prediction": value, "std_error": se, "conf_low": lo, "conf_high": hi}
        return pd.concat(
            {name: self._frame(v, index) for name, v in parts.items()},
            axis=1,
            names=["statistic", "outcome"],
        )

    # ------------------------------------------------------------------ interop
    def to_statsmodels(self, data: Any = None) -> Any:
        """The equivalent fitted statsmodels ``MNLogit``, formula-based, with our covariance.

        Parameters
        ----------
        data : DataFrame
            The data the model was fitted on (the rows the fit used are taken by index).

        Returns
        -------
        statsmodels MultinomialResults
            ``statsmodels.formula.api.mnlogit("_logitstats_y ~ <rhs>", data=rows_used)`` fitted
            by Newton from our estimate. statsmodels takes the smallest outcome code as its
            reference, so the outcome is coded 0 for our reference level and 1, 2, ... for the
            other levels in level order (``self.levels`` without the reference): ``res.params``
            column ``j`` is our outcome ``self.layout.outcomes[j]``, and ``res.predict(raw)``
            columns are the reference level, then those outcomes. The right-hand side is the
            user's formula, so predictions on raw data equal ``fit.predict(raw)``; covariances
            as in :mod:`logitstats.results.interop`.

        Raises
        ------
        LogitstatsError
            Frequency weights (statsmodels' MNLogit has none), or ``data`` that is not the
            fitted data.
        """
        import statsmodels.formula.api as smf

        d = self.design
        if d.weights is not None:
            raise LogitstatsError(
                "to_statsmodels() cannot represent a weighted multinomial fit: statsmodels' "
                "MNLogit has no frequency weights; got weights. Expand the rows by their "
                "weights and refit without weights= to compare with statsmodels"
            )
        if d.offset is not None:
            raise LogitstatsError(
                "to_statsmodels() cannot represent a multinomial fit with an offset: "
                "statsmodels' MNLogit has no offset; got offset. Refit without offset= to "
                "compare with statsmodels"
            )
        rows = rows_used(self, data)
        _, rhs = split_formula(self)
        ref = self._ref_code
        order = [ref] + [k for k in range(len(self.design.levels)) if k != ref]
        recode = np.empty(len(order), dtype=np.int64)
        recode[order] = np.arange(len(order))
        y = recode[np.asarray(d.y, dtype=np.int64)]
        rows = rows.assign(**{CODED_OUTCOME: y})
        kwargs: dict[str, Any] = {"eval_env": formula_env(self), "missing": "raise"}
        if d.aliased:
            kwargs["drop_cols"] = list(d.aliased)
        model = smf.mnlogit(f"{CODED_OUTCOME} ~ {rhs}", data=rows, **kwargs)
        check_built(self, model.exog, y)
        return model.fit(
            start_params=self.state.params,
            method="newton",
            disp=False,
            maxiter=100,
            **cov_options(self),
        )
