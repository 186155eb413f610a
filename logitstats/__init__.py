"""logitstats: logistic regression with real statistical inference.

>>> import logitstats as ls
>>> fit = ls.logit("GRADE ~ GPA + TUCE + PSI", data=ls.datasets.load("spector"))
>>> fit.converged
True

The numerically stable helpers work on any array (max-subtraction, log-sum-exp):

>>> print(ls.softmax([8, 5, 2]))
[0.95033021 0.04731416 0.00235563]
>>> print(ls.log_softmax([8, 5, 2]).round(6), round(float(ls.logsumexp([8, 5, 2])), 6))
[-0.050946 -3.050946 -6.050946] 8.050946
>>> print(round(float(ls.sigmoid(0.0)), 3), round(float(ls.log_sigmoid(-800.0)), 1))
0.5 -800.0
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from logitstats import datasets, errors
from logitstats.errors import (
    CollinearityWarning,
    ConvergenceWarning,
    DataError,
    FormulaError,
    LogitstatsError,
    ModelFileError,
    SeparationWarning,
)
from logitstats.fit.logit import logit
from logitstats.fit.mlogit import mlogit
from logitstats.fit.ologit import ologit
from logitstats.fit.separation import check_separation
from logitstats.inference.separation import SeparationInfo
from logitstats.io import load
from logitstats.io.loaded import LoadedLogitResult, LoadedMLogitResult, LoadedOLogitResult

# The names below are the functions, not the submodule logitstats/softmax.py. Importing a
# submodule sets it as an attribute of the package only when it is first loaded, and this
# statement is what first loads it (nothing above imports it), so the functions bound here stay
# bound whatever is imported later, including ``import logitstats.numerics.softmax``
# (tests/test_public_api.py checks both import orders in fresh interpreters).
from logitstats.numerics.softmax import log_sigmoid, log_softmax, logsumexp, sigmoid, softmax
from logitstats.reporting import plots
from logitstats.reporting.compare import Comparison, compare
from logitstats.results import LogitResult, MLogitResult, OLogitResult
from logitstats.results.hypotheses import TestResult
from logitstats.results.lr import lr_test

try:
    __version__ = version("logitstats")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    # models
    "logit",
    "mlogit",
    "ologit",
    "check_separation",
    # model files
    "load",
    # results and tests
    "LogitResult",
    "MLogitResult",
    "LoadedLogitResult",
    "LoadedMLogitResult",
    "OLogitResult",
    "LoadedOLogitResult",
    "TestResult",
    "SeparationInfo",
    "Comparison",
    "lr_test",
    "compare",
    # helpers
    "softmax",
    "log_softmax",
    "logsumexp",
    "sigmoid",
    "log_sigmoid",
    "datasets",
    "plots",
    # errors and warnings
    "errors",
    "LogitstatsError",
    "FormulaError",
    "DataError",
    "ModelFileError",
    "SeparationWarning",
    "ConvergenceWarning",
    "CollinearityWarning",
    "__version__",
]
