"""The public surface of ``import logitstats as ls`` (DESIGN.md, "Public API")."""

from __future__ import annotations

import subprocess
import sys
import types

import numpy as np
import pytest

import logitstats as ls
from tests.tolerances import RTOL_PROPERTY

# DESIGN.md lists these module-level names; renaming one is a breaking change.
DESIGN_NAMES = [
    "logit",
    "mlogit",
    "lr_test",
    "compare",
    "check_separation",
    "softmax",
    "log_softmax",
    "logsumexp",
    "sigmoid",
    "log_sigmoid",
    "datasets",
    "plots",
]
KERNELS = ["softmax", "log_softmax", "logsumexp", "sigmoid", "log_sigmoid"]
_E = np.exp(np.array([8.0, 5.0, 2.0]) - 8.0)
EXPECTED = _E / _E.sum()


def test_every_design_name_is_public():
    for name in DESIGN_NAMES:
        assert name in ls.__all__, name
        assert hasattr(ls, name), name
    assert all(hasattr(ls, name) for name in ls.__all__)


@pytest.mark.parametrize("name", KERNELS)
def test_numerics_are_the_functions_not_the_submodule(name):
    import logitstats.numerics.softmax  # noqa: F401  (must not rebind ls.softmax to the module)

    obj = getattr(ls, name)
    assert isinstance(obj, types.FunctionType), type(obj)
    assert obj is getattr(sys.modules["logitstats.numerics.softmax"], name)


def test_softmax_values():
    # the definitions, exp(s - 8) / sum(exp(s - 8)) for s = (8, 5, 2); the printed value
    # [0.95033021 0.04731416 0.00235563] is pinned by the doctest of logitstats/__init__.py
    np.testing.assert_allclose(ls.softmax([8, 5, 2]), EXPECTED, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(ls.log_softmax([8, 5, 2]), np.log(EXPECTED), rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(ls.logsumexp([8, 5, 2]), 8.0 + np.log(_E.sum()), rtol=RTOL_PROPERTY)


@pytest.mark.parametrize(
    "code",
    [
        # the submodule imported first, before the package
        "import logitstats.numerics.softmax\nimport logitstats as ls",
        # the package first, then the submodule, then a from-import of it
        "import logitstats as ls\nimport logitstats.numerics.softmax\n"
        "from logitstats import softmax as f\n"
        "assert f is ls.softmax",
        # a submodule that imports from logitstats.numerics.softmax first
        "import logitstats.results.binary\nimport logitstats as ls",
    ],
    ids=["submodule first", "package first", "other submodule first"],
)
def test_softmax_stays_the_function_in_any_import_order(code):
    check = (
        "\nimport types\n"
        "assert all(isinstance(getattr(ls, n), types.FunctionType) for n in "
        f"{KERNELS!r}), ls.softmax\n"
        "print(*ls.softmax([8, 5, 2]).tolist())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code + check], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    got = np.array(out.stdout.split(), dtype=float)
    np.testing.assert_allclose(got, EXPECTED, rtol=RTOL_PROPERTY)


def test_only_raised_errors_are_exported():
    """SeparationError and ConvergenceError were exported but never raised: removed."""
    for name in ("SeparationError", "ConvergenceError"):
        assert not hasattr(ls, name)
        assert not hasattr(ls.errors, name)
    for name in ls.errors.__all__:
        assert getattr(ls, name, getattr(ls.errors, name)) is getattr(ls.errors, name)
    assert issubclass(ls.DataError, ls.LogitstatsError)
    assert issubclass(ls.LogitstatsError, ValueError)


HEAVY = ("scipy.stats", "scipy.optimize", "matplotlib", "statsmodels", "pandas", "patsy")


def _fresh(code: str) -> list[str]:
    """Run ``code`` in a fresh interpreter; it prints one line of space-separated words."""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_import_loads_no_heavy_dependency():
    """``import logitstats`` is lazy (PEP 562): no scipy.stats/optimize, matplotlib,
    statsmodels, pandas or patsy until a name that needs them is used."""
    code = (
        "import sys\nimport logitstats\n"
        f"print(*[m for m in {HEAVY!r} if m in sys.modules], 'end')"
    )
    assert _fresh(code) == ["end"]


def test_lazy_names_resolve_and_are_listed():
    code = (
        "import types\nimport logitstats as ls\n"
        "listed = set(dir(ls))\n"
        "missing = [n for n in ls.__all__ if n not in listed]\n"
        "from logitstats import logit, mlogit, ologit, DataError\n"
        "assert logit is ls.logit and mlogit is ls.mlogit and ologit is ls.ologit\n"
        "assert isinstance(ls.datasets, types.ModuleType) and callable(ls.plots.forest_plot)\n"
        "assert all(getattr(ls, n) is not None for n in ls.__all__)\n"
        "assert isinstance(ls.__version__, str)\n"
        "print(*missing, 'end')"
    )
    assert _fresh(code) == ["end"]


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="module 'logitstats' has no attribute 'nonesuch'"):
        ls.nonesuch  # noqa: B018


def test_fit_and_tables_load_no_scipy_stats_optimize_matplotlib_statsmodels():
    """A binary fit with its tables needs only numpy, pandas, patsy and scipy.linalg/special."""
    code = (
        "import sys\nimport logitstats as ls\n"
        "df = ls.datasets.load('spector')\n"
        "fit = ls.logit('GRADE ~ GPA + TUCE + PSI', data=df)\n"
        "fit.tidy(exponentiate=True); fit.glance(); fit.summary(); fit.predict(df)\n"
        f"print(*[m for m in {HEAVY[:4]!r} if m in sys.modules], 'end')"
    )
    assert _fresh(code) == ["end"]
