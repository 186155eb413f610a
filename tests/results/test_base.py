"""FitResult (results/base.py) is composed, not inherited (STYLE.md rule 12, issue 11): the fit
statistics and the tests and effects are plain functions of a fit (results/fit_statistics.py,
results/effect_methods.py) that FitResult lists as its properties and methods.

Before: ``FitResult(FitStatistics, EffectMethods)``, two mixins that declared FitResult's fields
under TYPE_CHECKING and cast ``self``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import pydoc

import pytest

import logitstats as ls
import logitstats.results
from logitstats.results import effect_methods, fit_statistics
from logitstats.results.base import FitResult


def _classes_of_results() -> list[type]:
    """Every class defined in a module of logitstats/results/."""
    found = []
    for info in pkgutil.iter_modules(logitstats.results.__path__):
        module = importlib.import_module(f"logitstats.results.{info.name}")
        found += [
            c
            for c in vars(module).values()
            if inspect.isclass(c) and c.__module__ == module.__name__
        ]
    return found


def test_no_class_in_results_is_a_mixin():
    # a base defined in results/ must be a result class; a class has one base at most
    classes = _classes_of_results()
    assert FitResult in classes and ls.LogitResult in classes
    assert FitResult.__bases__ == (object,)
    for cls in classes:
        assert len(cls.__bases__) == 1, f"{cls.__qualname__} has bases {cls.__bases__}"
        (base,) = cls.__bases__
        if base.__module__.startswith("logitstats.results."):
            assert issubclass(base, FitResult), f"{cls.__qualname__} mixes in {base}"


def test_no_module_of_functions_defines_a_class():
    for module in (fit_statistics, effect_methods):
        defined = [
            c
            for c in vars(module).values()
            if inspect.isclass(c) and c.__module__ == module.__name__
        ]
        assert not defined, module.__name__


@pytest.mark.parametrize("name", fit_statistics.__all__)
def test_every_fit_statistic_is_a_property_of_its_function(name):
    prop = vars(FitResult)[name]
    assert isinstance(prop, property) and prop.fget is getattr(fit_statistics, name)
    assert prop.fset is None  # read-only, as before
    assert prop.__doc__ == getattr(fit_statistics, name).__doc__


@pytest.mark.parametrize("name", effect_methods.__all__)
def test_every_effect_method_is_its_function(name):
    assert vars(FitResult)[name] is getattr(effect_methods, name)
    for result in (ls.LogitResult, ls.MLogitResult, ls.OLogitResult):
        assert getattr(result, name) is getattr(effect_methods, name)


@pytest.fixture(scope="module")
def fit():
    return ls.logit("GRADE ~ GPA + TUCE + PSI", data=ls.datasets.load("spector"))


def test_the_methods_bind_with_the_signature_they_had(fit):
    # the signature of EffectMethods.slopes before, self bound
    params = inspect.signature(fit.slopes).parameters.values()
    assert [(p.name, p.kind.name) for p in params] == [
        ("newdata", "POSITIONAL_OR_KEYWORD"),
        ("variables", "POSITIONAL_OR_KEYWORD"),
        ("by", "KEYWORD_ONLY"),
        ("at", "KEYWORD_ONLY"),
        ("conf_level", "KEYWORD_ONLY"),
        ("weights", "KEYWORD_ONLY"),
    ]
    assert fit.slopes.__self__ is fit
    assert str(inspect.signature(fit.anova)) == (
        "(type: 'int' = 2, test: 'str' = 'lr') -> 'pd.DataFrame'"
    )


def test_help_and_dir_show_the_statistics_and_methods(fit):
    names = set(dir(fit))
    assert set(fit_statistics.__all__) <= names and set(effect_methods.__all__) <= names
    assert "marginaleffects::avg_slopes" in pydoc.render_doc(ls.LogitResult.slopes)
    assert "R's ``logLik``" in pydoc.render_doc(ls.LogitResult)
