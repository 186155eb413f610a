"""What binary and multinomial results share: labels, derived statistics, tidy and glance.

Labels are attached here, once. Derived statistics are cached properties computed from the
flat arrays of the fit (se -> z -> p -> CI); nothing behind a property fits a model.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from logitstats.design.build import Design
from logitstats.design.spec import ModelSpec
from logitstats.engine import FitState
from logitstats.engine.family import Family, ModelArrays
from logitstats.engine.layout import ParamLayout
from logitstats.inference.covariance import CovType
from logitstats.inference.separation import SeparationInfo
from logitstats.numerics.distributions import chi2_sf, norm_ppf, norm_sf
from logitstats.options import (
    AnovaTest,
    CIMethod,
    Estimator,
    MarginsAt,
    MarginsMethod,
    parse_level,
    parse_option,
)
from logitstats.render.data import ModelHeader
from logitstats.results import display as _display
from logitstats.results.effects import marginal_effects
from logitstats.results.header import glance_frame, model_header
from logitstats.results.hypotheses import anova, profile_ci, wald_test
from logitstats.results.labels import flat_index, labelled
from logitstats.results.state import FirthState, InferenceTable, new_offset
from logitstats.results.tables import ci_flat, summary_of, tidy_frame

__all__ = ["FitResult", "FirthState", "CI_METHODS", "InferenceTable"]

CI_METHODS = tuple(m.value for m in CIMethod)


@dataclass(frozen=True, eq=False)
class FitResult:
    """Base of :class:`LogitResult` and :class:`MLogitResult` (not instantiated directly).

    Attributes
    ----------
    design : Design
        Arrays and labels of the model as fitted.
    family : Family
        The engine family that was fitted (owner of the layout, probabilities, scores).
    state : FitState
        The maximum-likelihood (or penalized) fit.
    null_state : FitState
        The intercept-only fit (same weights and offset), fitted during ``fit``.
    cov_type : CovType
    cov_array : ndarray
        Covariance of the flat parameter vector.
    estimator : Estimator
        ``Estimator.ML`` or ``Estimator.FIRTH`` (the one test of "is this a Firth fit").
    separation : SeparationInfo or None
        The separation check of the fit (None: not checked).
    firth : FirthState or None
        The penalized log-likelihoods of a Firth fit (None otherwise).
    notes : tuple of str
        Notes every summary and report shows.
    """

    design: Design
    family: Family
    state: FitState
    null_state: FitState
    cov_type: CovType
    cov_array: np.ndarray
    estimator: Estimator = Estimator.ML
    separation: SeparationInfo | None = None
    firth: FirthState | None = field(default=None, repr=False)
    notes: tuple[str, ...] = ()
    _cache: dict[Any, Any] = field(default_factory=dict, init=False, repr=False)

    @property
    def spec(self) -> ModelSpec:
        """The plain-data, JSON-serialisable :class:`~logitstats.design.spec.ModelSpec` of the
        design (formula, outcome coding, levels, contrasts, transform state, column order)."""
        return self.design.spec

    @property
    def layout(self) -> ParamLayout:
        """Owner of the parameter layout (the family's)."""
        return self.family.layout

    @property
    def method(self) -> str:
        """``"maximum likelihood"`` or ``"Firth penalized likelihood"`` (``estimator.value``)."""
        return self.estimator.value

    @cached_property
    def arrays(self) -> ModelArrays:
        """The arrays the engine fitted (X, y, weights, offset of the design)."""
        d = self.design
        return ModelArrays(d.X, d.y, d.weights, d.offset)

    @property
    def separation_text(self) -> str:
        """The separation line of the summary header, derived from :attr:`separation`."""
        if self.separation is None:
            return "not checked"
        text = self.separation.describe()
        if self.estimator is Estimator.FIRTH and self.separation.separated:
            text += " (the Firth estimates are finite)"
        return text

    # ------------------------------------------------------------------ labels
    # (the layout owns the shape, results/labels.py the pandas objects; aliased (collinear,
    # dropped) design columns are NaN rows in params/bse/.../conf_int/tidy)
    @cached_property
    def _index(self) -> pd.Index:
        return flat_index(self.layout)

    @cached_property
    def _full_layout(self) -> ParamLayout:
        """The layout with the aliased columns put back (equal to ``layout`` if none)."""
        if not self.design.aliased:
            return self.layout
        return self.layout.with_terms(tuple(self.design.spec.all_columns))

    def _with_aliased(self, flat: np.ndarray) -> np.ndarray:
        """A flat vector of the fitted layout placed in the full layout, NaN where aliased."""
        if not self.design.aliased:
            return flat
        return self.layout.place(flat, self._full_layout)

    @property
    def aliased(self) -> tuple[str, ...]:
        """Design columns dropped as perfectly collinear with earlier ones (NaN rows)."""
        return tuple(self.design.aliased)

    def _new_offset(self, newdata: Any, offset: Any, n: int) -> np.ndarray | None:
        """The offset of new rows (:func:`~logitstats.results.state.new_offset`)."""
        return new_offset(self.design, newdata, offset, n)

    def _labelled(self, flat: np.ndarray, name: str) -> pd.Series | pd.DataFrame:
        return labelled(self._full_layout, self._with_aliased(flat), name)

    # ------------------------------------------------------------------ flat statistics
    @cached_property
    def _bse(self) -> np.ndarray:
        """``sqrt(diag(cov))``."""
        return np.sqrt(np.diag(self.cov_array))

    @cached_property
    def _z(self) -> np.ndarray:
        """``params / bse``."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.state.params / self._bse

    @cached_property
    def _p(self) -> np.ndarray:
        """Two-sided normal p-value ``2 * (1 - Phi(|z|))``."""
        return 2.0 * norm_sf(np.abs(self._z))

    # ------------------------------------------------------------------ public statistics
    @cached_property
    def params(self) -> pd.Series | pd.DataFrame:
        """Estimated coefficients (log odds / log relative-risk ratios)."""
        return self._labelled(self.state.params, "params")

    @cached_property
    def bse(self) -> pd.Series | pd.DataFrame:
        """Standard errors, ``sqrt(diag(cov))``, of the chosen ``cov_type``."""
        return self._labelled(self._bse, "bse")

    @cached_property
    def zvalues(self) -> pd.Series | pd.DataFrame:
        """Wald z statistics, ``params / bse``."""
        return self._labelled(self._z, "zvalues")

    @cached_property
    def pvalues(self) -> pd.Series | pd.DataFrame:
        """Two-sided p-values of the z statistics, ``2 * (1 - Phi(|z|))``."""
        return self._labelled(self._p, "pvalues")

    @cached_property
    def cov(self) -> pd.DataFrame:
        """Covariance matrix of the estimates, labelled (multinomial: (outcome, term) pairs)."""
        return pd.DataFrame(self.cov_array, index=self._index, columns=self._index)

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

    # ------------------------------------------------------------------ intervals and tables
    def _wald_ci(self, level: float) -> tuple[np.ndarray, np.ndarray]:
        q = norm_ppf(0.5 + level / 2.0)
        return self.state.params - q * self._bse, self.state.params + q * self._bse

    def _profile_ci(self, level: float) -> tuple[np.ndarray, np.ndarray]:
        """Exact roots of the profile deviance (:mod:`logitstats.inference.profile`)."""
        return profile_ci(self, level)

    def _ci_flat(
        self, level: Any, method: Any, names: tuple[str, str] = ("level", "method")
    ) -> tuple[np.ndarray, np.ndarray]:
        """Flat (low, high) of ``method`` (profile ones computed once, then cached)."""
        return ci_flat(self, level, method, names)

    def conf_int(self, level: float = 0.95, method: str = "wald") -> pd.DataFrame:
        """Confidence intervals of the coefficients.

        Parameters
        ----------
        level : float
            Confidence level.
        method : {"wald", "profile"}
            Wald: ``params -/+ z_{(1+level)/2} * bse``. Profile: roots of the profile deviance
            (computed when first asked for, then cached).

        Returns
        -------
        DataFrame
            Columns ``conf_low``, ``conf_high``; one row per coefficient (multinomial: indexed
            by (outcome, term)).
        """
        lo, hi = self._ci_flat(level, method)
        lo, hi = self._with_aliased(lo), self._with_aliased(hi)
        return pd.DataFrame({"conf_low": lo, "conf_high": hi}, index=flat_index(self._full_layout))

    def tidy(
        self, conf_level: float = 0.95, exponentiate: bool = False, ci_method: str = "wald"
    ) -> pd.DataFrame:
        """One row per coefficient, as ``broom::tidy``.

        Parameters
        ----------
        conf_level : float
            Confidence level of ``conf_low``/``conf_high``, strictly between 0 and 1.
        exponentiate : bool
            True or False (a string such as ``"no"`` is refused, not read as true).
        ci_method : {"wald", "profile"}
            Case-insensitive.

        Returns
        -------
        DataFrame
            Columns: (``outcome``,) ``term, estimate, std_error, statistic, p_value,
            conf_low, conf_high``. With ``exponentiate=True`` the estimate and CI bounds are
            exponentiated (odds ratios / relative-risk ratios) and ``std_error`` is the
            delta-method standard error of the ratio, ``exp(b) * se(b)``; statistic and p-value
            stay those of the coefficient.

        ``statistic`` and ``p_value`` are always the Wald z test, also for Firth fits (as
        ``broom::tidy`` of a ``brglm2`` fit); there ``ci_method="profile"`` gives profile
        penalized-likelihood bounds. ``summary()`` and ``report()`` of a Firth fit show
        ``logistf``'s inference instead: penalized likelihood-ratio chi-squares and p-values
        (``penalized_lr_test()``) beside the profile penalized-likelihood CIs.
        """
        return tidy_frame(self, conf_level, exponentiate, ci_method)

    def _inference_table(
        self, conf_level: float, exponentiate: bool, ci_method: str | None
    ) -> InferenceTable:
        """The coefficients of summaries and reports: ``tidy`` with Wald z tests, and CIs of
        ``ci_method`` (None: Wald). Firth fits override this (see ``LogitResult``)."""
        m = "wald" if ci_method is None else str(ci_method).lower()
        tidy = self.tidy(conf_level=conf_level, exponentiate=exponentiate, ci_method=m)
        notes = ("confidence intervals: profile likelihood",) if m == "profile" else ()
        return InferenceTable(tidy, "z", m, notes)

    # ------------------------------------------------------------------ tests and effects
    def wald_test(self, hypothesis: Any) -> Any:
        """Wald test (a ``TestResult``) of ``"x1 = x2"``, ``"x1 - 2*x2 = 1, x3 = 0"`` or ``(R, q)``
        (columns of R in the flat order; multinomial names ``"term[outcome]"``):
        ``(R b - q)' (R V R')^{-1} (R b - q) ~ chi2(rank R)``, V of the fit's ``cov_type``.

        A restriction that is a term name (``"C(rank)"``) tests all of the term's coefficients
        jointly (multinomial: in every outcome; ``"C(rank)[bus]"``: in one). A nonlinear
        restriction (``"exp(GPA) - exp(TUCE) = 0"``, the language of :meth:`hypotheses`) is
        tested by the delta method, as Stata's ``testnl``: ``g' (J V J')^{-1} g ~ chi2(r)``.

        Examples
        --------
        >>> import logitstats as ls
        >>> fit = ls.logit("GRADE ~ GPA + TUCE + C(PSI)", data=ls.datasets.load("spector"))
        >>> fit.wald_test("C(PSI)").df
        1
        """
        return wald_test(self, hypothesis)

    def hypotheses(self, hypothesis: str, *, conf_level: float = 0.95) -> pd.DataFrame:
        r"""Functions of the coefficients with delta-method inference (Stata's ``nlcom``,
        ``car::deltaMethod``, ``marginaleffects::hypotheses``): DataFrame ``term, estimate,
        std_error, statistic, p_value, conf_low, conf_high``, one row per expression.

        ``hypothesis`` is ``"g1, g2 = h2, ..."`` (``g = h`` means ``g - h``, null 0) in a safe
        expression language (never ``eval``): coefficient names (between backticks when they are
        not identifiers: ```C(rank)[T.2]```, ```hinc[bus]```), numbers, ``pi``, ``e``,
        ``+ - * / **`` and ``exp log log1p log2 log10 expm1 sqrt abs sin cos tan tanh arctan
        expit plogis logit``. The Jacobian :math:`J = \partial g / \partial b` is exact
        (forward-mode differentiation); :math:`se = \sqrt{J V J'}`. See
        :mod:`logitstats.inference.nonlinear`.

        Examples
        --------
        >>> import logitstats as ls
        >>> fit = ls.logit("GRADE ~ GPA + TUCE + PSI", data=ls.datasets.load("spector"))
        >>> round(float(fit.hypotheses("exp(GPA)")["estimate"].iloc[0]), 4)
        16.8797
        """
        from logitstats.results.hypotheses import hypotheses

        return hypotheses(self, hypothesis, conf_level)

    def anova(self, type: int = 2, test: str = "lr") -> pd.DataFrame:
        """Per-term tests as ``car::Anova``: DataFrame ``term, df, statistic, p_value``, one row
        per term but the intercept, factors jointly (multinomial: all outcomes' coefficients).

        ``type=2``: each term after the terms that do not contain it; ``type=3``: after all
        others. ``test="lr"`` refits without the columns; ``"wald"`` uses the fit's covariance.
        See :mod:`logitstats.results.hypotheses`.
        """
        return anova(self, type, parse_option(AnovaTest, test, "test"))  # anova parses type

    def marginal_effects(
        self,
        at: str = "overall",
        method: str = "dydx",
        conf_level: float = 0.95,
    ) -> pd.DataFrame:
        """Marginal effects on the probabilities with delta-method SEs: DataFrame (``outcome``,)
        ``term, estimate, std_error, statistic, p_value, conf_low, conf_high`` (multinomial:
        every outcome level). ``at="overall"`` averages per-row effects (AME), ``"mean"`` uses
        the column means; ``method`` as statsmodels' ``get_margeff``. Factor terms are discrete
        changes against the reference level (see :mod:`logitstats.results.effects`).
        """
        return marginal_effects(
            self,
            at=parse_option(MarginsAt, at, "at").value,
            method=parse_option(MarginsMethod, method, "method").value,
            conf_level=parse_level(conf_level, "conf_level"),
        )

    # ------------------------------------------------------------------ effects by variable
    def slopes(
        self,
        newdata: Any = None,
        variables: Any = None,
        *,
        by: Any = None,
        at: Any = None,
        conf_level: float = 0.95,
        weights: Any = None,
    ) -> pd.DataFrame:
        """Average slopes of the probabilities per data variable, through every term that uses
        it (``marginaleffects::avg_slopes``): DataFrame (``outcome``,) ``term, contrast,``
        (``by``, grid columns,) ``estimate, std_error, statistic, p_value, conf_low,
        conf_high``. ``newdata`` is the data to average over (normally the fitting data);
        ``at="mean"`` or ``{"x": value}`` evaluates on a data grid (MEM/MER); ``by`` a column.
        See :mod:`logitstats.results.slopes`.

        Examples
        --------
        >>> import logitstats as ls
        >>> df = ls.datasets.load("affairs")
        >>> fit = ls.logit("had_affair ~ age*educ + np.log(yrs_married) + I(age**2)", data=df)
        >>> round(float(fit.slopes(df, "age")["estimate"].iloc[0]), 4)
        -0.0092
        """
        from logitstats.results.slopes import slopes

        return slopes(self, newdata, variables, by, at, conf_level, weights)

    def comparisons(
        self,
        newdata: Any = None,
        variables: Any = None,
        *,
        comparison: str = "difference",
        by: Any = None,
        at: Any = None,
        conf_level: float = 0.95,
        weights: Any = None,
    ) -> pd.DataFrame:
        """Risk differences, risk ratios or log odds ratios of average predicted probabilities
        (``marginaleffects::avg_comparisons``, ``comparison="difference" | "ratio" | "lnor"``);
        columns as :meth:`slopes`. See :mod:`logitstats.results.comparisons`."""
        from logitstats.results.comparisons import comparisons

        return comparisons(self, newdata, variables, comparison, by, at, conf_level, weights)

    # every family's result defines predict (binary.py, multinomial.py, ordinal.py); declared
    # here for the type checker only, so shared code (results/grid.py) may call it
    if TYPE_CHECKING:

        def predict(self, newdata: Any = None, *args: Any, **kwargs: Any) -> Any: ...

    def predictions(
        self,
        newdata: Any = None,
        grid: dict[str, Any] | None = None,
        *,
        by: Any = None,
        conf_level: float = 0.95,
        weights: Any = None,
    ) -> pd.DataFrame:
        """Predicted probabilities on a data grid (``grid={"gre": "mean", "rank": "all"}``,
        other variables at means/modes), or averaged over ``newdata`` (by groups).
        See :mod:`logitstats.results.grid`."""
        from logitstats.results.grid import predictions

        return predictions(self, newdata, grid, by, conf_level, weights)

    def marginal_means(
        self, newdata: Any, factor: Any, *, conf_level: float = 0.95
    ) -> pd.DataFrame:
        """emmeans-style marginal means of a factor's levels on the probability scale (equal
        weights over the reference grid). See :mod:`logitstats.results.grid`."""
        from logitstats.results.grid import marginal_means

        return marginal_means(self, newdata, factor, conf_level)

    def pairs(
        self, newdata: Any, factor: Any, *, adjust: str = "tukey", conf_level: float = 0.95
    ) -> pd.DataFrame:
        """Pairwise odds ratios between a factor's marginal means, p-values adjusted
        (``"tukey" | "holm" | "bonferroni" | "none"``) as ``emmeans::pairs``."""
        from logitstats.results.grid import pairs

        return pairs(self, newdata, factor, adjust, conf_level)

    def _glance_extra(self) -> dict[str, Any]:
        return {}

    def glance(self) -> pd.DataFrame:
        """One-row DataFrame of fit statistics, as ``broom::glance``."""
        return glance_frame(self)

    # ------------------------------------------------------------------ summary
    def _term_structure(self) -> tuple[Any, ...]:
        """The design's terms (columns, factors, level codings): readable labels and
        reference-level rows of report and comparison tables (``reporting/labels.py``)."""
        from logitstats.design.terms import term_structure

        return term_structure(self.design)

    def _header(self) -> ModelHeader:
        return model_header(self)

    def summary(
        self,
        *,
        conf_level: float = 0.95,
        exponentiate: bool = False,
        ci_method: str | None = None,
        format: str = "text",
    ) -> str:
        """Summary: header (formula, outcome coding, rows, covariance, convergence, separation),
        coefficient table and fit statistics.

        Parameters
        ----------
        conf_level : float
        exponentiate : bool
            Odds ratios (binary) / relative-risk ratios (multinomial) with exponentiated CIs.
        ci_method : {None, "wald", "profile"}
            None: Wald intervals and z tests for maximum-likelihood fits; for Firth fits
            profile penalized-likelihood intervals and penalized likelihood-ratio tests (as
            ``logistf``). ``"wald"`` on a Firth fit gives Wald intervals and z tests (as
            ``brglm2``'s ``summary``).
        format : {"text", "markdown", "json"}

        Returns
        -------
        str
            ``format="text"``: a :class:`~logitstats.results.display.Summary`, a ``str`` that
            prints as the text and displays as HTML in a notebook.
        """
        return summary_of(self, conf_level, exponentiate, ci_method, format)

    def report(self, format: str = "text", path: Any = None, **options: Any) -> str | bytes:
        """A full regression report in ``format`` (text, markdown, html, latex, json, docx).

        See :func:`logitstats.reporting.report.report` for the sections and the keyword options
        (``title``, ``exponentiate``, ``ci_method``, ``conf_level``, ``figures``, ...).
        """
        from logitstats.reporting.report import report

        return report(self, format, path, **options)

    def save(self, path: Any) -> Any:
        """Write the fit as a JSON model file (schema ``logitstats.model/1``); returns the path.

        ``ls.load(path)`` reads it back (nothing in it is executed). See
        :mod:`logitstats.io.model_file` and the README ("Model files") for the fields.
        """
        from logitstats.io import save

        return save(self, path)

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the fields and the cache of computed intervals/tests, not the cached
        properties (derived again on demand); the design drops patsy's objects."""
        names = [f.name for f in fields(self) if f.name != "_cache"]
        state = {n: self.__dict__[n] for n in names}
        state["_cache"] = dict(self._cache)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __repr__(self) -> str:
        return _display.result_repr(self)

    def _repr_html_(self) -> str:
        return _display.result_html(self)

    def __str__(self) -> str:
        return self.summary()
