r"""The frozen result of a proportional-odds (cumulative) logit fit.

The flat parameter vector is ``(beta, theta)``: the slopes (one per design column; the design
has no intercept column), then the ``J - 1`` cut-points named ``"low|medium"`` as R does. The
layout belongs to the engine family (:class:`~logitstats.engine.ordinal_family.OrdinalFamily`);
probabilities come from :mod:`logitstats.engine.ordinal`. With R's sign convention,

.. math:: \operatorname{logit} P(Y \le j \mid x) = \theta_j - x'\beta .

Model files (``save``/``ls.load``, :mod:`logitstats.io`; loaded without data, a
:class:`~logitstats.io.loaded.LoadedOLogitResult`): an ordinal
fit is the ``ModelSpec`` (``kind="ordinal"``, ``levels`` in order, ``"Intercept"`` absent from
``spec.columns``: the design drops it), the flat ``(beta, theta)`` vector and its covariance
in this order, and the cut-point names, which
:func:`logitstats.engine.ordinal_family.cutpoint_names` derives from the levels. Nothing
else is needed to predict; ``brant`` and ``po_lr_test`` need the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, cast

import numpy as np
import pandas as pd

from logitstats.design.build import newdata_matrix
from logitstats.engine.family import ModelArrays
from logitstats.engine.layout import ParamLayout
from logitstats.engine.multinomial import MultinomialFamily
from logitstats.engine.newton import fit_family
from logitstats.engine.ordinal_family import OrdinalFamily
from logitstats.errors import LogitstatsError
from logitstats.inference import ordinal_counterfactual as ocf
from logitstats.inference.brant import brant_test
from logitstats.inference.tests import TestResult, lr_statistic
from logitstats.numerics.distributions import norm_ppf
from logitstats.numerics.softmax import sigmoid
from logitstats.options import OrdinalPredictKind, PredictMissing, parse_level, parse_option
from logitstats.results.base import FitResult
from logitstats.results.refit import REFIT_OPTIONS

__all__ = ["OLogitResult", "COMPONENT_COEFFICIENT", "COMPONENT_CUTPOINT"]

COMPONENT_COEFFICIENT = "coefficient"
COMPONENT_CUTPOINT = "cutpoint"


@dataclass(frozen=True, eq=False, repr=False)  # repr: results/display.py
class OLogitResult(FitResult):
    r"""Result of :func:`logitstats.ologit`. Immutable; every statistic is derived and cached.

    ``params``, ``bse``, ``zvalues`` and ``pvalues`` are Series over the slopes
    :math:`\beta` only; the cut-points :math:`\theta` are in :attr:`cutpoints`. ``cov``,
    ``conf_int()`` and ``tidy()`` cover both, slopes first (the order of R's
    ``vcov(polr)``); ``tidy`` marks each row in its ``component`` column
    (``"coefficient"`` or ``"cutpoint"``).

    Notes
    -----
    :math:`\operatorname{logit} P(Y \le j) = \theta_j - x'\beta`: a positive slope moves the
    outcome towards higher levels, and :math:`\exp(\beta_k)` is the cumulative odds ratio of
    :math:`Y > j` versus :math:`Y \le j` per unit of :math:`x_k`, for every :math:`j`.
    """

    # ------------------------------------------------------------------ layout helpers
    @property
    def levels(self) -> tuple[str, ...]:
        """The ordered outcome levels, lowest first, as strings."""
        return tuple(str(v) for v in self.design.levels)

    @property
    def n_slopes(self) -> int:
        """Number of slopes (fitted design columns)."""
        return int(cast(OrdinalFamily, self.family).n_slopes)  # an ordinal result's family

    @cached_property
    def _full_layout(self) -> ParamLayout:
        """The slopes with aliased columns put back (NaN), then the cut-points."""
        if not self.design.aliased:
            return self.layout
        cols = tuple(c for c in self.design.spec.all_columns if c != "Intercept")
        return ParamLayout((*cols, *self.layout.terms[self.n_slopes :]))

    @property
    def _n_full_slopes(self) -> int:
        return self._full_layout.size - (len(self.levels) - 1)

    def _labelled(self, flat: np.ndarray, name: str) -> pd.Series:
        """The slope part of a flat vector, labelled (aliased columns NaN)."""
        full = self._with_aliased(flat)[: self._n_full_slopes]
        terms = list(self._full_layout.terms[: self._n_full_slopes])
        return pd.Series(full, index=pd.Index(terms, name="term"), name=name)

    @cached_property
    def cutpoints(self) -> pd.DataFrame:
        """Cut-points :math:`\\theta_j` (``"low|medium"``, ...): columns ``estimate``,
        ``std_error`` (of the chosen ``cov_type``), ``statistic`` (``estimate / std_error``)
        and ``p_value``, as R's ``summary(polr)`` intercepts table."""
        k = self.n_slopes
        names = list(self.layout.terms[k:])
        return pd.DataFrame(
            {
                "estimate": self.state.params[k:],
                "std_error": self._bse[k:],
                "statistic": self._z[k:],
                "p_value": self._p[k:],
            },
            index=pd.Index(names, name="cutpoint"),
        )

    # ------------------------------------------------------------------ tables
    def tidy(
        self, conf_level: float = 0.95, exponentiate: bool = False, ci_method: str = "wald"
    ) -> pd.DataFrame:
        """One row per slope, then one per cut-point, as ``broom::tidy(polr)``.

        Columns ``term, estimate, std_error, statistic, p_value, conf_low, conf_high,
        component`` (``"coefficient"`` or ``"cutpoint"``; broom calls it ``coef.type``).
        ``exponentiate=True`` exponentiates every row's estimate and interval bounds as
        ``broom::tidy.polr`` does: cumulative odds ratios for the slopes, and for the
        cut-points :math:`\\exp(\\theta_j)`, the odds of :math:`Y \\le j` at :math:`x = 0`.
        ``std_error`` is then the delta-method SE ``exp(b) * se(b)``.
        """
        out = super().tidy(conf_level=conf_level, exponentiate=exponentiate, ci_method=ci_method)
        n_cut = len(self.levels) - 1
        out["component"] = [COMPONENT_COEFFICIENT] * (len(out) - n_cut) + [
            COMPONENT_CUTPOINT
        ] * n_cut
        return out

    def _glance_extra(self) -> dict[str, Any]:
        return {
            "pseudo_r2_coxsnell": self.pseudo_r2_coxsnell,
            "pseudo_r2_nagelkerke": self.pseudo_r2_nagelkerke,
        }

    # ------------------------------------------------------------------ fitted values
    def _probs(self, X: np.ndarray, offset: np.ndarray | None) -> np.ndarray:
        return self.family.probabilities(X, self.state.params, offset)

    @cached_property
    def fitted(self) -> pd.DataFrame:
        """Fitted category probabilities on the rows used (columns: the levels)."""
        return self._frame(self._probs(self.design.X, self.design.offset), self.design.index)

    def _frame(self, values: np.ndarray, index: pd.Index, cumulative: bool = False) -> pd.DataFrame:
        cols = self.levels[:-1] if cumulative else self.levels
        name = "at_most" if cumulative else "outcome"
        return pd.DataFrame(values, index=index, columns=pd.Index(list(cols), name=name))

    # ------------------------------------------------------------------ prediction
    def _cum_grad(self, X: np.ndarray, dens: np.ndarray) -> np.ndarray:
        """Gradients ``(n, J-1, size)`` of ``F(theta_j - eta)``: ``-f x`` and ``f e_j``."""
        n, k = X.shape
        n_cut = dens.shape[1]
        grad = np.zeros((n, n_cut, k + n_cut))
        grad[:, :, :k] = -dens[:, :, None] * X[:, None, :]
        grad[:, np.arange(n_cut), k + np.arange(n_cut)] = dens
        return grad

    def _se(self, grad: np.ndarray) -> np.ndarray:
        V = self.cov_array
        return np.sqrt(np.maximum(np.einsum("nja,ab,njb->nj", grad, V, grad), 0.0))

    def _average_prob(
        self, X: np.ndarray, offset: np.ndarray | None, w: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        return ocf.ordinal_average(X, self.state.params, self.n_slopes, offset, w)

    def _average_slope(
        self, X: np.ndarray, dX: np.ndarray, offset: np.ndarray | None, w: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        return ocf.ordinal_average_slope(X, dX, self.state.params, self.n_slopes, offset, w)

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
            Built with the training factor levels and stateful transforms. Incomplete rows
            give NaN (``missing="raise"`` raises instead); the caller's index is kept.
        kind : {"prob", "class", "link", "cumprob"}
            ``"prob"``: one column per level, rows sum to 1. ``"cumprob"``: ``P(Y <= j)``, one
            column per level but the last (column index named ``at_most``). ``"link"``: the
            linear predictor ``eta = x'b + offset`` (a Series). ``"class"``: the most probable
            level (a Series of the outcome's values).
        conf_level : float, optional
            Adds delta-method standard errors and confidence intervals for every category;
            the result then has two column levels ``(statistic, outcome)`` with statistics
            ``prediction``, ``std_error``, ``conf_low``, ``conf_high`` (``"link"``: columns).
        offset : array-like, optional
            Offset of the new rows when the model was fitted with an offset array.
        missing : {"nan", "raise"}

        Returns
        -------
        DataFrame (``prob``, ``cumprob``, ``link`` with ``conf_level``) or Series.

        Notes
        -----
        With :math:`\gamma_j = F(\theta_j - \eta)` and :math:`f = F(1 - F)`,
        :math:`\partial \gamma_j / \partial \beta = -f_j x` and
        :math:`\partial \gamma_j / \partial \theta_j = f_j`; :math:`p_j = \gamma_j -
        \gamma_{j-1}` has the difference of those gradients, and
        :math:`\operatorname{se} = \sqrt{g' V g}`. Intervals of ``prob`` are formed on the
        logit scale of :math:`p_j`, :math:`\operatorname{logit}(p_j) \mp z\,
        \operatorname{se}/(p_j(1 - p_j))`; those of ``cumprob`` on the link scale
        :math:`\theta_j - \eta`, so both stay inside (0, 1).
        """
        k = parse_option(OrdinalPredictKind, kind, "kind")
        miss = parse_option(PredictMissing, missing, "missing")
        level = None if conf_level is None else parse_level(conf_level, "conf_level")
        if newdata is None:
            X, index, off = self.design.X, self.design.index, self.design.offset
        else:
            X, _, index = newdata_matrix(self.design, newdata, missing=miss.value)
            off = self._new_offset(newdata, offset, X.shape[0])
        params = self.state.params
        ks = self.n_slopes
        eta = self.family.linear_predictor(X, params, off)
        if k is OrdinalPredictKind.CLASS:
            if conf_level is not None:
                raise LogitstatsError(
                    "conf_level is not available with kind='class'; expected conf_level=None; "
                    f"got conf_level={conf_level!r}. Use kind='prob' for intervals"
                )
            prob = self._probs(X, off)
            ok = ~np.isnan(prob).any(axis=1)
            out = np.full(prob.shape[0], None, dtype=object)
            values = np.empty(len(self.design.levels), dtype=object)
            values[:] = list(self.design.levels)
            out[ok] = values[np.argmax(prob[ok], axis=1)]
            return pd.Series(out, index=index, name="class")
        if k is OrdinalPredictKind.LINK:
            if level is None:
                return pd.Series(eta, index=index, name="link")
            se = np.sqrt(np.einsum("ij,jk,ik->i", X, self.cov_array[:ks, :ks], X))
            q = norm_ppf(0.5 + level / 2.0)
            return pd.DataFrame(
                {
                    "prediction": eta,
                    "std_error": se,
                    "conf_low": eta - q * se,
                    "conf_high": eta + q * se,
                },
                index=index,
            )
        theta = params[ks:]
        link = theta[None, :] - eta[:, None]
        cum = sigmoid(link)
        cumulative = k is OrdinalPredictKind.CUMPROB
        value = cum if cumulative else self._probs(X, off)
        if level is None:
            return self._frame(value, index, cumulative)
        q = norm_ppf(0.5 + level / 2.0)
        grad = self._cum_grad(X, cum * (1.0 - cum))
        if cumulative:
            se = self._se(grad)
            with np.errstate(invalid="ignore"):
                link_se = se / (cum * (1.0 - cum))
            lo, hi = sigmoid(link - q * link_se), sigmoid(link + q * link_se)
        else:
            n = X.shape[0]
            zeros = np.zeros((n, 1, grad.shape[2]))
            full = np.concatenate([zeros, grad, zeros], axis=1)
            se = self._se(full[:, 1:] - full[:, :-1])
            with np.errstate(divide="ignore", invalid="ignore"):
                logit = np.log(value) - np.log1p(-value)
                half = q * se / (value * (1.0 - value))
            lo, hi = sigmoid(logit - half), sigmoid(logit + half)
        parts = {"prediction": value, "std_error": se, "conf_low": lo, "conf_high": hi}
        return pd.concat(
            {name: self._frame(v, index, cumulative) for name, v in parts.items()},
            axis=1,
            names=["statistic", "at_most" if cumulative else "outcome"],
        )

    # ------------------------------------------------------------------ proportional odds
    def brant(self) -> pd.DataFrame:
        """Brant's (1990) Wald test of proportional odds, as R's ``brant::brant``.

        Fits the ``J - 1`` binary logits of ``1[y > j]`` (with intercepts) and tests that
        their slopes are equal, jointly (row ``"Omnibus"``) and per design column.

        Returns
        -------
        DataFrame
            Columns ``term, statistic, df, p_value``; the first row is the omnibus test.

        Raises
        ------
        DataError
            When a cumulative split is separated or does not converge (no finite binary MLE).
        """
        d = self.design
        res = brant_test(d.X, d.y, len(d.levels), d.weights)
        return pd.DataFrame(
            {
                "term": ["Omnibus", *self.layout.terms[: self.n_slopes]],
                "statistic": [res.statistic, *res.term_statistic],
                "df": [int(res.df), *(int(v) for v in res.term_df)],
                "p_value": [res.pvalue, *res.term_pvalue],
            }
        )

    def po_lr_test(self) -> TestResult:
        r"""Likelihood-ratio comparison with the multinomial (baseline-category) logit on the
        same rows, weights and offset: ``2 (llf_multinomial - llf)`` on
        ``(P + 1)(J - 1) - (P + J - 1) = P (J - 2)`` df.

        Notes
        -----
        The proportional-odds model is **not** nested in the multinomial logit (different
        links), so the chi-square reference distribution is an approximation, used as a
        descriptive check (the usual practice with Stata's ``omodel``-style comparisons); the
        Brant test (:meth:`brant`) is the formal test of proportional odds. With covariate
        patterns that saturate both models the two fits coincide.
        """
        d = self.design
        if d.offset is not None:
            raise LogitstatsError(
                "po_lr_test() compares with a multinomial logit, which has no counterpart of "
                "the ordinal offset; expected a fit without offset=; got an offset. Use brant(), "
                "or refit without offset="
            )
        X1 = np.column_stack([np.ones(d.X.shape[0]), d.X])
        outcomes = self.levels[1:]
        layout = ParamLayout(("Intercept", *d.column_names), outcomes=outcomes)
        family = MultinomialFamily(layout, 0, 0)
        state = fit_family(family, ModelArrays(X1, d.y, d.weights, None), REFIT_OPTIONS)
        if not state.converged:
            raise LogitstatsError(
                "the multinomial logit for po_lr_test() did not converge "
                f"({state.message}); expected a finite multinomial fit on the same rows; got "
                "none. Merge sparse levels or use brant()"
            )
        df = self.n_slopes * (len(d.levels) - 2)
        stat, p = lr_statistic(state.loglik, self.llf, df)  # clipped at 0 (not nested)
        return TestResult(
            float(stat),
            int(df),
            float(p),
            "likelihood ratio",
            "proportional odds vs multinomial logit (not nested: approximate chi-square)",
        )
