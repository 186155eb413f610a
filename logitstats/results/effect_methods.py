"""Questions asked of a fitted model: Wald tests, functions of the coefficients, analysis of
deviance, marginal effects, and the effects by variable through the formula (slopes,
comparisons, predictions, marginal means, pairs). Each is a plain function of a fit that parses
its options and calls the module that computes it; :class:`~logitstats.results.base.FitResult`
lists them as its methods (``slopes = effect_methods.slopes``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from logitstats.options import (
    AnovaTest,
    MarginsAt,
    MarginsMethod,
    parse_level,
    parse_option,
)
from logitstats.results import effects as _effects
from logitstats.results import hypotheses as _hypotheses

if TYPE_CHECKING:
    from logitstats.results.base import FitResult

__all__ = [
    "wald_test",
    "hypotheses",
    "anova",
    "marginal_effects",
    "slopes",
    "comparisons",
    "predictions",
    "marginal_means",
    "pairs",
]


# ------------------------------------------------------------------ tests and effects
def wald_test(fit: FitResult, hypothesis: Any) -> Any:
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
    return _hypotheses.wald_test(fit, hypothesis)


def hypotheses(fit: FitResult, hypothesis: str, *, conf_level: float = 0.95) -> pd.DataFrame:
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
    return _hypotheses.hypotheses(fit, hypothesis, conf_level)


def anova(fit: FitResult, type: int = 2, test: str = "lr") -> pd.DataFrame:
    """Per-term tests as ``car::Anova``: DataFrame ``term, df, statistic, p_value``, one row
    per term but the intercept, factors jointly (multinomial: all outcomes' coefficients).

    ``type=2``: each term after the terms that do not contain it; ``type=3``: after all
    others. ``test="lr"`` refits without the columns; ``"wald"`` uses the fit's covariance.
    See :mod:`logitstats.results.hypotheses`.
    """
    return _hypotheses.anova(fit, type, parse_option(AnovaTest, test, "test"))  # anova parses type


def marginal_effects(
    fit: FitResult,
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
    return _effects.marginal_effects(
        fit,
        at=parse_option(MarginsAt, at, "at").value,
        method=parse_option(MarginsMethod, method, "method").value,
        conf_level=parse_level(conf_level, "conf_level"),
    )


# ------------------------------------------------------------------ effects by variable
def slopes(
    fit: FitResult,
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
    from logitstats.results.slopes import slopes as compute

    return compute(fit, newdata, variables, by, at, conf_level, weights)


def comparisons(
    fit: FitResult,
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
    from logitstats.results.comparisons import comparisons as compute

    return compute(fit, newdata, variables, comparison, by, at, conf_level, weights)


def predictions(
    fit: FitResult,
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
    from logitstats.results.grid import predictions as compute

    return compute(fit, newdata, grid, by, conf_level, weights)


def marginal_means(
    fit: FitResult, newdata: Any, factor: Any, *, conf_level: float = 0.95
) -> pd.DataFrame:
    """emmeans-style marginal means of a factor's levels on the probability scale (equal
    weights over the reference grid). See :mod:`logitstats.results.grid`."""
    from logitstats.results.grid import marginal_means as compute

    return compute(fit, newdata, factor, conf_level)


def pairs(
    fit: FitResult, newdata: Any, factor: Any, *, adjust: str = "tukey", conf_level: float = 0.95
) -> pd.DataFrame:
    """Pairwise odds ratios between a factor's marginal means, p-values adjusted
    (``"tukey" | "holm" | "bonferroni" | "none"``) as ``emmeans::pairs``."""
    from logitstats.results.grid import pairs as compute

    return compute(fit, newdata, factor, adjust, conf_level)
