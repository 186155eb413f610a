"""Closed option sets and the checks every public option goes through at the boundary.

Each closed set of choices is a :class:`~enum.StrEnum`; :func:`parse_option` is the one lookup
(members or case-insensitive strings). Booleans, numbers in a range and outcome levels have their
own parse functions here, so every bad option gives the same kind of message: the argument's
name, what was expected and what was got. Imports only the standard library, numpy and
:mod:`logitstats.errors`, so every layer may use it.

Examples
--------
>>> from logitstats.options import CIMethod, parse_option
>>> parse_option(CIMethod, "Profile", "ci_method")
<CIMethod.PROFILE: 'profile'>
>>> parse_option(CIMethod, "spline", "method")
Traceback (most recent call last):
...
logitstats.errors.LogitstatsError: method must be one of 'wald', 'profile'; got method='spline'
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Iterable
from enum import StrEnum
from typing import Any, TypeVar

import numpy as np

from logitstats.errors import LogitstatsError

__all__ = [
    "CovType",
    "Missing",
    "PredictMissing",
    "PredictKind",
    "OrdinalPredictKind",
    "CIMethod",
    "AnovaTest",
    "AnovaType",
    "Format",
    "SummaryFormat",
    "MarginsAt",
    "MarginsMethod",
    "Interval",
    "EstimateLayout",
    "Comparison",
    "PAdjust",
    "ResidualKind",
    "Estimator",
    "parse_option",
    "parse_anova_type",
    "parse_bool",
    "parse_level",
    "parse_probability",
    "parse_int",
    "parse_positive",
    "parse_scalar_level",
]

E = TypeVar("E", bound=StrEnum)


class CovType(StrEnum):
    """The covariance estimators logitstats offers (``cov_type=``)."""

    NONROBUST = "nonrobust"
    HC0 = "HC0"
    HC1 = "HC1"
    CLUSTER = "cluster"


class Missing(StrEnum):
    """What a fit does with rows that hold missing values in a column the model uses."""

    DROP = "drop"
    RAISE = "raise"


class DaskBlocks(StrEnum):
    """Where a fit on a Dask DataFrame keeps each partition's design block between passes
    (``blocks=``): built once and persisted on the workers, rebuilt in every pass, or chosen
    from the blocks' estimated size against the cluster's memory."""

    AUTO = "auto"
    PERSIST = "persist"
    STREAM = "stream"


class PredictMissing(StrEnum):
    """What ``predict`` does with incomplete rows of ``newdata``: NaN predictions, or raise."""

    NAN = "nan"
    RAISE = "raise"


class PredictKind(StrEnum):
    """What ``predict`` returns (``kind=``)."""

    PROB = "prob"
    LINK = "link"
    CLASS = "class"


class OrdinalPredictKind(StrEnum):
    """What an ordinal fit's ``predict`` returns (``kind=``): ``PredictKind`` and ``"cumprob"``."""

    PROB = "prob"
    LINK = "link"
    CLASS = "class"
    CUMPROB = "cumprob"


class CIMethod(StrEnum):
    """Confidence-interval methods (``method=`` of ``conf_int``, ``ci_method=`` elsewhere)."""

    WALD = "wald"
    PROFILE = "profile"


class AnovaTest(StrEnum):
    """Per-term tests of ``anova`` (``test=``)."""

    LR = "lr"
    WALD = "wald"


class AnovaType(StrEnum):
    """Type II or III per-term tests (``type=`` of ``anova``: 2, 3, "II" or "III")."""

    II = "II"
    III = "III"


class Format(StrEnum):
    """Output formats of ``report``, ``compare(...).render`` and the CLI (``format=``).

    :data:`logitstats.render.registry.FORMATS` maps each to its renderer, file suffix and
    escaper; ``summary`` offers the subset :class:`SummaryFormat`.
    """

    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    LATEX = "latex"
    JSON = "json"
    DOCX = "docx"


class SummaryFormat(StrEnum):
    """Formats of ``summary``: the members of :class:`Format` with a summary layout."""

    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"


class MarginsAt(StrEnum):
    """Where marginal effects are evaluated: averaged over rows, or at the column means."""

    OVERALL = "overall"
    MEAN = "mean"


class MarginsMethod(StrEnum):
    """Marginal effect (``dydx``) or elasticity variants, as statsmodels' ``get_margeff``."""

    DYDX = "dydx"
    EYEX = "eyex"
    DYEX = "dyex"
    EYDX = "eydx"


class Comparison(StrEnum):
    """What ``comparisons`` reports of the average predictions ``m1`` (changed) and ``m0``:
    ``m1 - m0``, ``m1 / m0``, or the log odds ratio (marginaleffects' ``"difference"``,
    ``"ratioavg"``, ``"lnoravg"``)."""

    DIFFERENCE = "difference"
    RATIO = "ratio"
    LNOR = "lnor"


class PAdjust(StrEnum):
    """Multiplicity adjustment of ``pairs`` p-values (``emmeans``' ``adjust=``)."""

    TUKEY = "tukey"
    HOLM = "holm"
    BONFERRONI = "bonferroni"
    NONE = "none"


class ResidualKind(StrEnum):
    """Residual types of ``residuals(kind=...)``, as R's ``residuals.glm``."""

    DEVIANCE = "deviance"
    PEARSON = "pearson"
    RESPONSE = "response"
    WORKING = "working"


class Interval(StrEnum):
    """What ``compare`` shows under each estimate."""

    STD_ERROR = "std_error"
    CONF_INT = "conf_int"


class Estimator(StrEnum):
    """How a fit's estimates were found; the value is the method line of summaries."""

    ML = "maximum likelihood"
    FIRTH = "Firth penalized likelihood"


class EstimateLayout(StrEnum):
    """Where ``compare`` puts the SE or CI: under the estimate or in its cell."""

    STACKED = "stacked"
    INLINE = "inline"


def _choices(enum_cls: type[StrEnum]) -> str:
    return ", ".join(repr(m.value) for m in enum_cls)


def parse_option(enum_cls: type[E], value: object, argname: str) -> E:
    """The member of ``enum_cls`` that ``value`` names.

    Parameters
    ----------
    enum_cls : StrEnum subclass
        The closed option set.
    value : object
        A member, or a string equal to a member's value up to case and surrounding spaces.
    argname : str
        The argument's name, for the message.

    Returns
    -------
    member of enum_cls

    Raises
    ------
    LogitstatsError
        ``"<argname> must be one of 'a', 'b'; got <argname>=<value>"``.
    """
    if isinstance(value, enum_cls):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        for member in enum_cls:
            if member.value.lower() == text:
                return member
    raise LogitstatsError(f"{argname} must be one of {_choices(enum_cls)}; got {argname}={value!r}")


def parse_anova_type(value: object, argname: str = "type") -> AnovaType:
    """``2``, ``"2"`` or ``"II"`` -> :attr:`AnovaType.II`; ``3``, ``"3"`` or ``"III"`` -> ``III``.

    Raises
    ------
    LogitstatsError
        ``"type must be 2 or 3 (or 'II', 'III'); got type=1"``.
    """
    if isinstance(value, AnovaType):
        return value
    key: str | None = None
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        key = str(int(value))
    elif isinstance(value, str):
        key = value.strip().upper()
    found = {"2": AnovaType.II, "3": AnovaType.III, "II": AnovaType.II, "III": AnovaType.III}
    if key not in found:
        raise LogitstatsError(f"{argname} must be 2 or 3 (or 'II', 'III'); got {argname}={value!r}")
    return found[key]


def parse_bool(value: object, argname: str) -> bool:
    """``value`` as a bool; only ``True``/``False`` (and numpy booleans) are accepted.

    Raises
    ------
    LogitstatsError
        ``"<argname> must be True or False; got <argname>='no'"`` (a string such as ``"no"``
        is truthy, so it is refused rather than guessed).
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise LogitstatsError(f"{argname} must be True or False; got {argname}={value!r}")


def _real(value: object) -> float | None:
    """``float(value)`` for a real number (not a bool, not a string), else None."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        return None
    return float(value)


def parse_level(value: object, argname: str) -> float:
    """A confidence level, a number strictly between 0 and 1.

    Raises
    ------
    LogitstatsError
        ``"<argname> must be a number between 0 and 1, e.g. 0.95; got <argname>=1.5"``.
    """
    x = _real(value)
    if x is None or not 0.0 < x < 1.0:
        raise LogitstatsError(
            f"{argname} must be a number between 0 and 1, e.g. 0.95; got {argname}={value!r}"
        )
    return x


def parse_probability(value: object, argname: str) -> float:
    """A probability in the closed interval [0, 1] (NaN is refused).

    Raises
    ------
    LogitstatsError
        ``"<argname> must be a number in [0, 1]; got <argname>=2"``.
    """
    x = _real(value)
    if x is None or not 0.0 <= x <= 1.0:
        raise LogitstatsError(
            f"{argname} must be a number in [0, 1]; got {argname}={value!r}"
        )
    return x


def parse_int(value: object, argname: str, *, minimum: int) -> int:
    """An integer (not a bool, not a float) ``>= minimum``.

    Raises
    ------
    LogitstatsError
        ``"<argname> must be an integer >= <minimum>; got <argname>=<value>"``.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        ok = False
    else:
        ok = int(value) >= minimum
    if not ok:
        raise LogitstatsError(f"{argname} must be an integer >= {minimum}; got {argname}={value!r}")
    return int(value)  # type: ignore[call-overload]


def parse_positive(value: object, argname: str) -> float:
    """A finite number ``> 0`` (not a bool or a string)."""
    x = _real(value)
    if x is None or not (math.isfinite(x) and x > 0):
        raise LogitstatsError(f"{argname} must be a finite number > 0; got {argname}={value!r}")
    return x


def parse_scalar_level(value: Any, argname: str) -> Any:
    """``value`` unchanged if it can name one outcome level (None passes through).

    A level is one scalar value (a number, string, bool, ...); a list, tuple, array or other
    container is refused, since it would otherwise be compared with each level as a whole.

    Raises
    ------
    LogitstatsError
        ``"<argname> must be a single outcome value such as 1 or 'yes'; got <argname>=[1]"``.
    """
    if value is None or isinstance(value, (str, bytes)):
        return value
    if isinstance(value, Iterable) or not isinstance(value, Hashable):
        raise LogitstatsError(
            f"{argname} must be a single outcome value such as 1 or 'yes'; got "
            f"{argname}={value!r} ({type(value).__name__}); pass one of the outcome's values"
        )
    return value
