"""The one exception hierarchy of logitstats.

Every error raised on bad input is a :class:`LogitstatsError` (a ``ValueError``), so callers can
catch one class. Messages say what was expected, what was got, and what to do.

A fit that is separated or stops before converging still returns a result, with a
:class:`SeparationWarning` or :class:`ConvergenceWarning` (its summary says so); there is no
error class for either, because nothing raises one.
"""

from __future__ import annotations

__all__ = [
    "LogitstatsError",
    "FormulaError",
    "DataError",
    "LogitstatsWarning",
    "SeparationWarning",
    "ConvergenceWarning",
    "CollinearityWarning",
]


class LogitstatsError(ValueError):
    """Base class of every error logitstats raises on bad input or an impossible fit."""


class FormulaError(LogitstatsError):
    """The formula cannot be parsed or refers to something that is not in the data."""


class DataError(LogitstatsError):
    """The data (outcome, predictors, weights, offset, groups) cannot be used as given."""


class LogitstatsWarning(UserWarning):
    """Base class of logitstats warnings."""


class SeparationWarning(LogitstatsWarning):
    """Complete or quasi-complete separation: some estimates are infinite."""


class ConvergenceWarning(LogitstatsWarning):
    """The fit stopped before the convergence criterion was met."""


class CollinearityWarning(LogitstatsWarning):
    """Some design columns are perfectly collinear and were dropped (aliased)."""
