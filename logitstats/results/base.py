"""What every result shares: the typed fit state, labels, derived statistics, tidy and glance.

Labels are attached here, once. Derived statistics are cached properties computed from the
flat arrays of the fit (se -> z -> p -> CI); nothing behind a property fits a model.
:class:`FitResult` has no base class: it lists, as its properties and methods, the plain
functions of a fit of two modules of their own, the fit statistics
(:mod:`~logitstats.results.fit_statistics`: llf, deviance, AIC, pseudo R-squared, ...) and the
tests and effects (:mod:`~logitstats.results.effect_methods`: wald_test, anova, slopes, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np
import pandas as pd

from logitstats.design.build import Design
from logitstats.design.spec import ModelSpec
from logitstats.engine import FitState
from logitstats.engine.family import Family, ModelArrays
from logitstats.engine.layout import ParamLayout
from logitstats.inference.covariance import CovType
from logitstats.inference.separation import SeparationInfo
from logitstats.numerics.distributions import norm_ppf, norm_sf
from logitstats.options import (
    CIMethod,
    Estimator,
)
from logitstats.render.data import ModelHeader
from logitstats.results import display as _display
from logitstats.results import effect_methods as _effect_methods
from logitstats.results import fit_statistics as _fit_statistics
from logitstats.results.header import glance_frame, model_header
from logitstats.results.hypotheses import profile_ci
from logitstats.results.labels import flat_index, labelled
from logitstats.results.state import FirthState, InferenceTable, new_offset
from logitstats.results.tables import ci_flat, summary_of, tidy_frame

__all__ = ["FitResult", "FirthState", "CI_METHODS", "InferenceTable"]

CI_METHODS = tuple(m.value for m in CIMethod)

_T = TypeVar("_T")


def _statistic(function: Callable[[FitResult], _T]) -> _T:
    """``property(function)``: a read-only property of the fit, typed for mypy as the value it
    returns (``property`` itself is untyped: every ``fit.llf`` would be ``Any``)."""
    return cast("_T", property(function))


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

    # ------------------------------------------------------------------ fit statistics
    # (properties of the functions of a fit in results/fit_statistics.py, formulas in their
    # docstrings)
    llf = _statistic(_fit_statistics.llf)
    llnull = _statistic(_fit_statistics.llnull)
    deviance = _statistic(_fit_statistics.deviance)
    null_deviance = _statistic(_fit_statistics.null_deviance)
    k_params = _statistic(_fit_statistics.k_params)
    nobs = _statistic(_fit_statistics.nobs)
    n_dropped = _statistic(_fit_statistics.n_dropped)
    n_rows_used = _statistic(_fit_statistics.n_rows_used)
    dropped_by_column = _statistic(_fit_statistics.dropped_by_column)
    df_model = _statistic(_fit_statistics.df_model)
    df_resid = _statistic(_fit_statistics.df_resid)
    converged = _statistic(_fit_statistics.converged)
    n_iter = _statistic(_fit_statistics.n_iter)
    aic = _statistic(_fit_statistics.aic)
    bic = _statistic(_fit_statistics.bic)
    # a plain property (typed Any): LogitResult overrides it by a property, which mypy allows
    # over a property only
    lr_stat = property(_fit_statistics.lr_stat)
    lr_pvalue = _statistic(_fit_statistics.lr_pvalue)
    pseudo_r2_mcfadden = _statistic(_fit_statistics.pseudo_r2_mcfadden)
    pseudo_r2_coxsnell = _statistic(_fit_statistics.pseudo_r2_coxsnell)
    pseudo_r2_nagelkerke = _statistic(_fit_statistics.pseudo_r2_nagelkerke)

    # ------------------------------------------------------------------ tests and effects
    # (functions of a fit in results/effect_methods.py, which parse the options)
    wald_test = _effect_methods.wald_test
    hypotheses = _effect_methods.hypotheses
    anova = _effect_methods.anova
    marginal_effects = _effect_methods.marginal_effects
    slopes = _effect_methods.slopes
    comparisons = _effect_methods.comparisons
    predictions = _effect_methods.predictions
    marginal_means = _effect_methods.marginal_means
    pairs = _effect_methods.pairs

    # every family's result defines predict (binary.py, multinomial.py, ordinal.py); declared
    # here for the type checker only, so shared code (results/grid.py) may call it
    if TYPE_CHECKING:

        def predict(self, newdata: Any = None, *args: Any, **kwargs: Any) -> Any: ...

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
    def outcome_labels(self) -> list[str] | None:
        """The outcome levels (as strings) that tables of probabilities have a row per, or
        None when there is one probability, P(event) (the family's ``outcome_column``)."""
        return [str(v) for v in self.design.levels] if self.family.outcome_column else None

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

    def _average_prob(
        self, X: np.ndarray, offset: np.ndarray | None, w: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(Weighted) average of the probability table over the rows of ``X``, shape (m,), and
        its Jacobian in the flat parameters, (m, size); implemented per kind of result."""
        raise NotImplementedError

    def _average_slope(
        self, X: np.ndarray, dX: np.ndarray, offset: np.ndarray | None, w: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """As :meth:`_average_prob`, of the derivative along ``dX = dX/dv``."""
        raise NotImplementedError

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
