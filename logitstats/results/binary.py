"""The frozen result of a binary logit fit."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from logitstats.design.terms import term_structure
from logitstats.errors import LogitstatsError
from logitstats.inference import counterfactual as cf
from logitstats.inference.diagnostics import brier_score
from logitstats.inference.firth_inference import (
    penalized_lr_tests,
    penalized_profile_ci,
    penalized_set_tests,
)
from logitstats.numerics.distributions import norm_ppf
from logitstats.numerics.softmax import sigmoid
from logitstats.options import (
    CovType,
    Estimator,
    PredictKind,
    parse_int,
    parse_level,
    parse_probability,
)
from logitstats.results.base import FitResult, InferenceTable
from logitstats.results.diagnostics import (
    calibration,
    classification,
    diagnostics,
    hosmer_lemeshow,
    roc_auc,
    roc_curve,
)
from logitstats.results.interop import (
    CODED_OUTCOME,
    check_built,
    cov_options,
    formula_env,
    rows_used,
    split_formula,
)
from logitstats.results.state import prediction_rows


def _count_or_none(value: Any, argname: str, minimum: int) -> int | None:
    """None (the default count), or an integer ``>= minimum``."""
    return None if value is None else parse_int(value, argname, minimum=minimum)


__all__ = ["LogitResult", "PredictKind"]


@dataclass(frozen=True, eq=False, repr=False)  # repr: results/display.py
class LogitResult(FitResult):
    """Result of :func:`logitstats.logit`. Immutable; every statistic is derived and cached.

    See :class:`~logitstats.results.base.FitResult` for the shared attributes (params, bse,
    zvalues, pvalues, cov, llf, llnull, deviance, aic, bic, nobs, ...).
    """

    # ------------------------------------------------------------------ fitted values
    @cached_property
    def _eta(self) -> np.ndarray:
        return self.family.linear_predictor(self.design.X, self.state.params, self.design.offset)

    @cached_property
    def _mu(self) -> np.ndarray:
        return sigmoid(self._eta)

    @cached_property
    def fitted(self) -> pd.Series:
        """Fitted probabilities of the event on the rows used, with the data's index."""
        return pd.Series(self._mu, index=self.design.index, name="fitted")

    @cached_property
    def resid_pearson(self) -> pd.Series:
        """Pearson residuals ``(y - p) / sqrt(p (1 - p))``."""
        mu = self._mu
        return pd.Series(
            (self.design.y - mu) / np.sqrt(mu * (1 - mu)), index=self.design.index, name="pearson"
        )

    @property
    def pearson_chi2(self) -> float:
        """Pearson chi-square, the (weighted) sum of squared Pearson residuals."""
        r2 = self.resid_pearson.to_numpy() ** 2
        w = self.design.weights
        return float(r2.sum() if w is None else (w * r2).sum())

    @property
    def pseudo_r2_tjur(self) -> float:
        """Tjur's coefficient of discrimination: mean fitted p among events minus non-events."""
        y, mu = self.design.y, self._mu
        w = np.ones_like(y) if self.design.weights is None else self.design.weights
        ev = y == 1
        return float(np.average(mu[ev], weights=w[ev]) - np.average(mu[~ev], weights=w[~ev]))

    def _glance_extra(self) -> dict[str, Any]:
        return {
            "pseudo_r2_coxsnell": self.pseudo_r2_coxsnell,
            "pseudo_r2_nagelkerke": self.pseudo_r2_nagelkerke,
            "pseudo_r2_tjur": self.pseudo_r2_tjur,
            "pearson_chi2": self.pearson_chi2,
        }

    # ------------------------------------------------------------------ goodness of fit
    def hosmer_lemeshow(self, groups: int | None = None) -> Any:
        """Hosmer–Lemeshow test with ``groups`` quantile groups of the fitted probabilities.

        As ``ResourceSelection::hoslem.test``: breaks at the type-7 quantiles (duplicates
        removed), right-closed groups, ``sum (O - E)^2 / E`` over events and non-events,
        ``df = groups - 2``. Returns a ``HosmerLemeshow`` (statistic, df, p_value, table).
        ``groups``: 3 up to the number of rows used; default 10 (or the rows, if fewer).
        Frequency weights count as repeated rows, computed with the weights.
        """
        return hosmer_lemeshow(self, _count_or_none(groups, "groups", 3))

    def roc_auc(self, conf_level: float = 0.95) -> Any:
        """Area under the ROC curve of the fitted probabilities, with a DeLong interval
        (as ``pROC::ci.auc(method = "delong")``). Returns an ``AUCResult``."""
        return roc_auc(self, parse_level(conf_level, "conf_level"))

    def roc_curve(self) -> pd.DataFrame:
        """ROC curve: columns ``threshold, fpr, tpr`` (event when P >= threshold)."""
        return roc_curve(self)

    def brier_score(self) -> float:
        """Brier score, the (weighted) mean of ``(y - p)^2``."""
        return brier_score(self.design.y, self._mu, self.design.weights)

    def classification(self, threshold: float = 0.5) -> Any:
        """Confusion matrix and accuracy, sensitivity, specificity, PPV, NPV at ``threshold``
        (event predicted when P(event) >= threshold). Returns a ``Classification``."""
        return classification(self, parse_probability(threshold, "threshold"))

    def calibration(self, bins: int | None = None) -> pd.DataFrame:
        """Calibration table: ``bins`` equal-width bins of the fitted probability, columns
        ``bin, n, mean_predicted, observed_rate`` (non-empty bins only). ``bins``: 1 up to the
        number of rows used; default 10 (or the rows, if fewer)."""
        return calibration(self, _count_or_none(bins, "bins", 1))

    def diagnostics(
        self, groups: int | None = None, threshold: float = 0.5, conf_level: float = 0.95
    ) -> Any:
        """Hosmer–Lemeshow (``groups``), AUC (``conf_level``), Brier score, classification
        (``threshold``) and calibration (``groups`` bins) together, as a ``Diagnostics``."""
        return diagnostics(
            self,
            _count_or_none(groups, "groups", 3),
            parse_probability(threshold, "threshold"),
            parse_level(conf_level, "conf_level"),
        )

    # ------------------------------------------------------------------ residuals, influence
    def residuals(self, kind: str = "deviance", *, data: Any = None) -> pd.Series:
        """Residuals as R's ``residuals.glm`` (``"deviance" | "pearson" | "response" |
        "working"``); ``data=`` aligns them to the fitting frame's index (NaN for dropped rows).
        See :mod:`logitstats.results.residuals`."""
        from logitstats.results.residuals import residuals

        return residuals(self, kind, data)

    def influence(self, *, data: Any = None) -> pd.DataFrame:
        """Hat values, Cook's distance, standardized and studentized residuals as R's
        ``hatvalues``, ``cooks.distance``, ``rstandard``, ``rstudent`` for a binomial glm.
        See :mod:`logitstats.results.residuals`."""
        from logitstats.results.residuals import influence

        return influence(self, data)

    # ------------------------------------------------------------------ prediction
    def _average_prob(
        self, X: np.ndarray, offset: np.ndarray | None, w: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        return cf.binary_average(X, self.state.params, offset, w)

    def _average_slope(
        self, X: np.ndarray, dX: np.ndarray, offset: np.ndarray | None, w: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        return cf.binary_average_slope(X, dX, self.state.params, offset, w)

    def predict(
        self,
        newdata: Any = None,
        kind: str = "prob",
        conf_level: float | None = None,
        *,
        offset: Any = None,
        threshold: float = 0.5,
        missing: str = "nan",
    ) -> pd.Series | pd.DataFrame:
        """Predictions on the training rows or on new data.

        Parameters
        ----------
        newdata : DataFrame, optional
            Built with the training factor levels and stateful transforms. Incomplete rows give
            NaN (``missing="raise"`` raises instead); the caller's index is kept.
        kind : {"prob", "link", "class"}
            P(event), the linear predictor, or the predicted outcome value (event when
            ``P >= threshold``).
        conf_level : float, optional
            Adds ``conf_low``/``conf_high``: a Wald interval on the link scale,
            ``eta -/+ z * sqrt(x' V x)``, transformed to the probability scale for ``"prob"``.
        offset : array-like, optional
            Offset of the new rows when the model was fitted with an offset array.
        threshold : float
            ``kind="class"``: the event is predicted when ``P(event) >= threshold``, in [0, 1].
        missing : {"nan", "raise"}
            Incomplete rows of ``newdata`` give NaN, or raise.

        Returns
        -------
        Series, or DataFrame with columns ``prediction, conf_low, conf_high``.
        """
        threshold = parse_probability(threshold, "threshold")
        rows = prediction_rows(self, newdata, offset, kind, conf_level, missing)
        X, index, off, k, level = rows.X, rows.index, rows.offset, rows.kind, rows.level
        eta = X @ self.state.params
        if off is not None:
            eta = eta + off
        if k is PredictKind.CLASS:
            p = sigmoid(eta)
            ev, ref = self.design.event, self.design.reference
            out = np.where(p >= threshold, ev, ref).astype(object)
            out[np.isnan(p)] = None
            return pd.Series(out, index=index, name="class")
        value = eta if k is PredictKind.LINK else sigmoid(eta)
        name = "link" if k is PredictKind.LINK else "prob"
        if level is None:
            return pd.Series(value, index=index, name=name)
        se = np.sqrt(np.einsum("ij,jk,ik->i", X, self.cov_array, X))
        q = norm_ppf(0.5 + level / 2.0)
        lo, hi = eta - q * se, eta + q * se
        if k is PredictKind.PROB:
            lo, hi = sigmoid(lo), sigmoid(hi)
        return pd.DataFrame(
            {"prediction": value, "std_error_link": se, "conf_low": lo, "conf_high": hi},
            index=index,
        )

    # ------------------------------------------------------------------ Firth
    @property
    def _is_firth(self) -> bool:
        return self.estimator is Estimator.FIRTH

    def _profile_ci(self, level: float) -> tuple[np.ndarray, np.ndarray]:
        """Profile-likelihood bounds; Firth fits: profile penalized likelihood (as logistf)."""
        if not self._is_firth:
            return super()._profile_ci(level)
        d = self.design
        return penalized_profile_ci(d.X, d.y, d.weights, d.offset, self.state.params, level)

    @property
    def penalized_loglik(self) -> float:
        """Penalized log-likelihood ``l* = l + 0.5 log det I(b)`` at a Firth estimate.

        Raises
        ------
        LogitstatsError
            The fit is not a Firth fit.
        """
        if self.firth is None:
            raise LogitstatsError(
                "penalized_loglik needs a Firth fit (logit(..., firth=True)); got a fit by "
                f"{self.method}. Use llf for its log-likelihood"
            )
        return self.firth.penalized_loglik

    @property
    def lr_stat(self) -> float:
        """LR statistic against the null model, ``2 (llf - llnull)``.

        Firth fits: ``logistf``'s penalized one, ``2 (l*(b_hat) - max l*)`` with every
        coefficient but the intercept held at 0 and the penalty of the full design (the joint
        penalized LR test of all slopes); ``llf``/``llnull`` stay the unpenalized values.
        """
        if not self._is_firth:
            return super().lr_stat
        key = ("penalized_lr_null",)
        if key not in self._cache:
            d = self.design
            slopes = [j for j, c in enumerate(d.column_names) if not (c == "Intercept")]
            if not slopes or self.df_model <= 0:
                self._cache[key] = 0.0
            else:
                res = penalized_set_tests(
                    d.X, d.y, d.weights, d.offset, self.state.params, [np.asarray(slopes)]
                )
                self._cache[key] = float(res.statistic[0])
        return self._cache[key]

    def _inference_table(
        self, conf_level: float, exponentiate: bool, ci_method: str | None
    ) -> InferenceTable:
        """Firth fits (``ci_method`` None or ``"profile"``): profile penalized-likelihood CIs and
        penalized LR chi-squares and p-values, as ``logistf`` reports; otherwise the base's."""
        m = None if ci_method is None else str(ci_method).lower()
        if not self._is_firth or m not in (None, "profile"):
            table = super()._inference_table(conf_level, exponentiate, ci_method)
            if self._is_firth:  # explicit ci_method="wald": brglm2's summary
                note = "CIs: Wald; p-values: Wald z tests, as brglm2's summary"
                table = replace(table, notes=(*table.notes, note))
            return table
        tidy = self.tidy(conf_level=conf_level, exponentiate=exponentiate, ci_method="profile")
        plr = self.penalized_lr_test().set_index("term")
        tidy = tidy.assign(
            statistic=tidy["term"].map(plr["statistic"]).to_numpy(dtype=float),
            p_value=tidy["term"].map(plr["p_value"]).to_numpy(dtype=float),
        )
        note = (
            "CIs: profile penalized likelihood; p-values: penalized likelihood-ratio tests, "
            "as logistf"
        )
        return InferenceTable(tidy, "chi-square", "profile", (note,))

    def _penalized_term_tests(self) -> pd.DataFrame:
        """Per-term penalized LR tests (each term's coefficients = 0 jointly, the penalty of the
        full design, as ``logistf``'s ``drop1``): ``term, df, statistic, p_value``."""
        key = ("penalized_term_tests",)
        if key not in self._cache:
            terms = [u for u in term_structure(self.design) if u.factors]
            d = self.design
            sets = [np.asarray(u.columns, dtype=int) for u in terms]
            res = penalized_set_tests(d.X, d.y, d.weights, d.offset, self.state.params, sets)
            self._cache[key] = pd.DataFrame(
                {
                    "term": [u.name for u in terms],
                    "df": [len(s) for s in sets],
                    "statistic": res.statistic,
                    "p_value": res.p_value,
                },
                columns=["term", "df", "statistic", "p_value"],
            )
        return self._cache[key].copy()

    def penalized_lr_test(self) -> pd.DataFrame:
        """Penalized likelihood-ratio tests of each coefficient = 0 (Firth fits, as ``logistf``).

        Returns
        -------
        DataFrame
            Columns ``term, statistic, df, p_value``:
            ``statistic = 2 (l*(b_hat) - max_{b_j = 0} l*(b))`` on 1 df, with ``l*`` the
            penalized log-likelihood (its penalty uses the full design).

        Raises
        ------
        LogitstatsError
            The fit is not a Firth fit (``logit(..., firth=True)``).
        """
        if not self._is_firth:
            raise LogitstatsError(
                "penalized_lr_test() needs a Firth fit (logit(..., firth=True)); for a "
                "maximum-likelihood fit use lr_test() or anova()"
            )
        key = ("penalized_lr_test",)
        if key not in self._cache:
            d = self.design
            self._cache[key] = penalized_lr_tests(d.X, d.y, d.weights, d.offset, self.state.params)
        res = self._cache[key]
        return pd.DataFrame(
            {
                "term": list(self.layout.terms),
                "statistic": res.statistic,
                "df": 1,
                "p_value": res.p_value,
            }
        )

    # ------------------------------------------------------------------ interop
    def to_statsmodels(self, data: Any = None) -> Any:
        """The equivalent fitted statsmodels model, formula-based, with our covariance.

        Parameters
        ----------
        data : DataFrame
            The data the model was fitted on (the rows the fit used are taken by index).

        Returns
        -------
        statsmodels results
            ``statsmodels.formula.api.logit(formula, data=rows_used)`` fitted by Newton from our
            estimate (``LogitResults``); with frequency weights
            ``statsmodels.formula.api.glm(..., family=Binomial(), freq_weights=w)``. The
            right-hand side is the user's formula, so ``res.predict(raw_dataframe)`` equals
            ``fit.predict(raw_dataframe)``; the outcome is the user's column when it is 0/1,
            else a column ``_logitstats_y`` of the fit's coding (1 = the event). The
            covariance is the fit's: see :mod:`logitstats.results.interop` for the
            statsmodels options that reproduce HC1 and cluster SEs.

        Raises
        ------
        LogitstatsError
            A Firth fit (statsmodels has no penalized likelihood; its Logit would silently
            refit the plain MLE), frequency weights with ``HC1`` or ``cluster`` covariance
            (statsmodels' GLM corrections count rows), or ``data`` that is not the fitted data.
        """
        import statsmodels.api as sm
        import statsmodels.formula.api as smf

        if self._is_firth:
            raise LogitstatsError(
                "to_statsmodels() cannot represent a Firth fit: statsmodels has no penalized "
                "likelihood and its Logit would refit the plain maximum-likelihood estimate "
                "(which does not exist under separation); got method='Firth penalized "
                "likelihood'. Use this result's own inference, or refit with firth=False"
            )
        d = self.design
        if d.weights is not None and self.cov_type not in (CovType.NONROBUST, CovType.HC0):
            raise LogitstatsError(
                "to_statsmodels() supports frequency weights with cov_type 'nonrobust' or "
                "'HC0' only: statsmodels' GLM HC1 and cluster corrections count rows, not the "
                f"sum of the weights; got cov_type={self.cov_type.value!r}. Refit with "
                "cov_type='HC0', or expand the rows by their weights"
            )
        rows = rows_used(self, data)
        lhs, rhs = split_formula(self)
        col = rows[lhs] if lhs in rows.columns else None
        verbatim = (
            col is not None
            and pd.api.types.is_numeric_dtype(col.dtype)
            and not pd.api.types.is_bool_dtype(col.dtype)
            and np.array_equal(col.to_numpy(dtype=float), d.y)
        )
        if not verbatim:
            lhs = CODED_OUTCOME
            rows = rows.assign(**{CODED_OUTCOME: d.y})
        kwargs: dict[str, Any] = {"eval_env": formula_env(self), "missing": "raise"}
        if d.aliased:
            kwargs["drop_cols"] = list(d.aliased)
        if d.offset is not None:
            kwargs["offset"] = d.offset
        formula = f"{lhs} ~ {rhs}"
        if d.weights is None:
            model = smf.logit(formula, data=rows, **kwargs)
            check_built(self, model.exog, model.endog)
            return model.fit(
                start_params=self.state.params,
                method="newton",
                disp=False,
                maxiter=100,
                **cov_options(self),
            )
        model = smf.glm(
            formula, data=rows, family=sm.families.Binomial(), freq_weights=d.weights, **kwargs
        )
        check_built(self, model.exog, model.endog)
        return model.fit(
            start_params=self.state.params,
            method="newton",
            maxiter=100,
            tol=1e-12,
            **cov_options(self),
        )
