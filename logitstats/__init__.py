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

import importlib
from typing import TYPE_CHECKING, Any

from logitstats import errors
from logitstats.errors import (
    CollinearityWarning,
    ConvergenceWarning,
    DataError,
    FormulaError,
    LogitstatsError,
    ModelFileError,
    SeparationWarning,
)

if TYPE_CHECKING:  # the checker sees the names; at run time __getattr__ imports them on first use
    from logitstats import datasets
    from logitstats.fit.logit import logit
    from logitstats.fit.mlogit import mlogit
    from logitstats.fit.ologit import ologit
    from logitstats.fit.separation import check_separation
    from logitstats.inference.separation import SeparationInfo
    from logitstats.io import load
    from logitstats.io.loaded import LoadedLogitResult, LoadedMLogitResult, LoadedOLogitResult
    from logitstats.numerics.softmax import log_sigmoid, log_softmax, logsumexp, sigmoid, softmax
    from logitstats.reporting import plots
    from logitstats.reporting.compare import Comparison, compare
    from logitstats.results import LogitResult, MLogitResult, OLogitResult
    from logitstats.results.hypotheses import TestResult
    from logitstats.results.lr import lr_test

    __version__: str

# Lazy public surface (PEP 562, as scipy and SPEC 1 do): ``import logitstats`` loads only the
# errors; a name below is imported from its module on first access and then bound in the
# package namespace, so later accesses are plain attribute reads. This keeps pandas, patsy,
# scipy.linalg and the model code out of ``import logitstats`` (tests/test_public_api.py checks
# sys.modules in a fresh interpreter). The kernels are the functions of numerics/softmax.py,
# bound here by name, so ``import logitstats.numerics.softmax`` never rebinds ``ls.softmax``.
_LAZY: dict[str, tuple[str, str | None]] = {
    "datasets": ("logitstats.datasets", None),
    "plots": ("logitstats.reporting.plots", None),
    "logit": ("logitstats.fit.logit", "logit"),
    "mlogit": ("logitstats.fit.mlogit", "mlogit"),
    "ologit": ("logitstats.fit.ologit", "ologit"),
    "check_separation": ("logitstats.fit.separation", "check_separation"),
    "SeparationInfo": ("logitstats.inference.separation", "SeparationInfo"),
    "load": ("logitstats.io", "load"),
    "LoadedLogitResult": ("logitstats.io.loaded", "LoadedLogitResult"),
    "LoadedMLogitResult": ("logitstats.io.loaded", "LoadedMLogitResult"),
    "LoadedOLogitResult": ("logitstats.io.loaded", "LoadedOLogitResult"),
    "softmax": ("logitstats.numerics.softmax", "softmax"),
    "log_softmax": ("logitstats.numerics.softmax", "log_softmax"),
    "logsumexp": ("logitstats.numerics.softmax", "logsumexp"),
    "sigmoid": ("logitstats.numerics.softmax", "sigmoid"),
    "log_sigmoid": ("logitstats.numerics.softmax", "log_sigmoid"),
    "Comparison": ("logitstats.reporting.compare", "Comparison"),
    "compare": ("logitstats.reporting.compare", "compare"),
    "LogitResult": ("logitstats.results", "LogitResult"),
    "MLogitResult": ("logitstats.results", "MLogitResult"),
    "OLogitResult": ("logitstats.results", "OLogitResult"),
    "TestResult": ("logitstats.results.hypotheses", "TestResult"),
    "lr_test": ("logitstats.results.lr", "lr_test"),
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("logitstats")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0+unknown"


def __getattr__(name: str) -> Any:
    """Import a public name on first access (PEP 562) and bind it in the package namespace."""
    if name == "__version__":
        value: Any = _version()
    elif name in _LAZY:
        module_name, attr = _LAZY[name]
        module = importlib.import_module(module_name)
        value = module if attr is None else getattr(module, attr)
    else:
        raise AttributeError(f"module 'logitstats' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The bound names and every public name, loaded or not (``dir(logitstats)``)."""
    return sorted(set(globals()) | set(__all__))


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
