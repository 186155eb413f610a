"""The one exception hierarchy of logitstats.

Every error raised on bad input is a :class:`LogitstatsError` (a ``ValueError``), so callers can
catch one class. Messages say what was expected, what was got, and what to do.

A fit that is separated or stops before converging still returns a result, with a
:class:`SeparationWarning` or :class:`ConvergenceWarning` (its summary says so); there is no
error class for either, because nothing raises one.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path
from types import FrameType

__all__ = [
    "LogitstatsError",
    "FormulaError",
    "DataError",
    "ModelFileError",
    "NotAvailableForDistributedData",
    "LogitstatsWarning",
    "SeparationWarning",
    "ConvergenceWarning",
    "CollinearityWarning",
    "warn",
]

_PACKAGE_DIR = str(Path(__file__).resolve().parent) + os.sep


class LogitstatsError(ValueError):
    """Base class of every error logitstats raises on bad input or an impossible fit."""


class FormulaError(LogitstatsError):
    """The formula cannot be parsed or refers to something that is not in the data."""


class DataError(LogitstatsError):
    """The data (outcome, predictors, weights, offset, groups) cannot be used as given."""


class ModelFileError(DataError):
    """A model file (``ls.load``) is refused: not ``logitstats.model/1``, altered, or malformed;
    or the training data it needs is not given (or not the data it was fitted on)."""


class NotAvailableForDistributedData(LogitstatsError):
    """A statistic needs every row in one place and the fit ran on a Dask DataFrame."""


class LogitstatsWarning(UserWarning):
    """Base class of logitstats warnings."""


class SeparationWarning(LogitstatsWarning):
    """Complete or quasi-complete separation: some estimates are infinite."""


class ConvergenceWarning(LogitstatsWarning):
    """The fit stopped before the convergence criterion was met."""


class CollinearityWarning(LogitstatsWarning):
    """Some design columns are perfectly collinear and were dropped (aliased)."""


def _outside_stacklevel() -> int:
    """The ``stacklevel`` of the first frame outside the logitstats package (the user's call),
    counted from the caller of :func:`warn`."""
    frame: FrameType | None = sys._getframe(2)  # the caller of warn()
    level = 1
    while frame is not None:
        filename = str(Path(frame.f_code.co_filename).resolve())
        if not filename.startswith(_PACKAGE_DIR):
            return level
        frame = frame.f_back
        level += 1
    return level


def warn(message: str, category: type[Warning]) -> None:
    """Issue a warning attributed to the user's code: the first stack frame outside the
    logitstats package, found by walking the stack (no hand-counted ``stacklevel``).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn("the fit did not converge", ConvergenceWarning)
    >>> caught[0].category.__name__, caught[0].filename.endswith("errors.py")
    ('ConvergenceWarning', False)
    """
    warnings.warn(message, category, stacklevel=_outside_stacklevel() + 1)
