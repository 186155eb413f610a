"""The formula registry and its evaluation environment (design/registry.py)."""

from __future__ import annotations

import numpy as np
import pytest

from logitstats.design import formula, registry, resources
from logitstats.errors import FormulaError


def test_the_checker_re_exports_the_registry_unchanged():
    # callers written against design.formula keep working after the split
    assert formula.FORMULA_FUNCTIONS is registry.FORMULA_FUNCTIONS
    assert formula.formula_env is registry.formula_env
    assert formula.FormulaEnvironment is registry.FormulaEnvironment


def test_splines_of_the_registry_are_the_bounded_ones():
    for name in ("bs", "cr", "cc"):
        assert registry.FORMULA_FUNCTIONS[name] is getattr(resources, name)


def test_environment_has_no_builtins_and_only_registered_numpy():
    env = registry.formula_env()
    assert env.eval("log(x)", inner_namespace={"x": np.e}) == pytest.approx(1.0)
    with pytest.raises(NameError):
        env.eval("open('f')")
    with pytest.raises(AttributeError, match=r"np\.savetxt is not available in a formula"):
        env.eval("np.savetxt")


def test_user_functions_cannot_redefine_a_registry_name():
    with pytest.raises(FormulaError, match=r"functions: 'log' is a formula function already"):
        registry.formula_env({"log": abs})
    env = registry.formula_env({"cube": lambda v: v**3})
    assert env.eval("cube(x)", inner_namespace={"x": 2}) == 8
