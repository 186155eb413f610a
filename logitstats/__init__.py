"""logitstats: logistic regression with real statistical inference.

>>> import logitstats as ls
>>> fit = ls.logit("GRADE ~ GPA + TUCE + PSI", data=ls.datasets.load("spector"))
>>> fit.converged
True
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from . import datasets, errors, plots
from .api import logit, mlogit
from .compare import Comparison, compare
from .errors import (
    CollinearityWarning,
    ConvergenceError,
    ConvergenceWarning,
    DataError,
    FormulaError,
    LogitstatsError,
    SeparationError,
    SeparationWarning,
)
from .honest import check_separation
from .inference.separation import SeparationInfo
from .results import LogitResult, MLogitResult
from .results.hypotheses import TestResult, lr_test
from .softmax import log_sigmoid, sigmoid

try:
    __version__ = version("logitstats")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    "logit",
    "compare",
    "Comparison",
    "plots",
    "LogitResult",
    "mlogit",
    "lr_test",
    "TestResult",
    "MLogitResult",
    "datasets",
    "errors",
    "sigmoid",
    "log_sigmoid",
    "LogitstatsError",
    "FormulaError",
    "DataError",
    "SeparationError",
    "ConvergenceError",
    "SeparationWarning",
    "CollinearityWarning",
    "check_separation",
    "SeparationInfo",
    "ConvergenceWarning",
    "__version__",
]
