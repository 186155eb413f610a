"""Typed result state (estimator, separation, firth, notes), warnings attributed to the caller,
and the multinomial offset through ``ls.mlogit``.

Expected values: the fits' own numbers under identities that hold exactly (a constant offset
moves the non-reference intercepts only; prediction with the training offset column equals the
fitted values), compared at ``RTOL_PROPERTY``; separation and Firth status of the endometrial
data as ``tests/fit/test_firth.py`` establishes against R.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

import logitstats as ls
from logitstats.errors import CollinearityWarning, LogitstatsError, SeparationWarning
from logitstats.options import Estimator
from logitstats.results.base import FirthState
from tests.tolerances import ATOL_PROPERTY, RTOL_PROPERTY


@pytest.fixture(scope="module")
def endometrial():
    return ls.datasets.load("endometrial")


@pytest.fixture(scope="module")
def modechoice():
    return ls.datasets.load("modechoice")


def test_results_carry_typed_state_and_no_extras(endometrial):
    fields = {f.name for f in dataclasses.fields(ls.logit("HG ~ PI + EH", endometrial))}
    assert "extras" not in fields
    assert {"estimator", "separation", "firth", "notes", "family"} <= fields
    firth = ls.logit("HG ~ NV + PI + EH", endometrial, firth=True)
    assert firth.estimator is Estimator.FIRTH and firth.method == "Firth penalized likelihood"
    assert isinstance(firth.firth, FirthState)
    assert firth.penalized_loglik == firth.firth.penalized_loglik
    assert firth.separation_text.endswith("(the Firth estimates are finite)")
    assert firth.notes and all(isinstance(n, str) for n in firth.notes)


def test_maximum_likelihood_fit_has_no_penalized_loglik(endometrial):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SeparationWarning)
        fit = ls.logit("HG ~ NV + PI + EH", endometrial)
    assert fit.estimator is Estimator.ML and fit.firth is None and fit.notes == ()
    assert fit.separation is not None and fit.separation.separated
    assert fit.separation_text == fit.separation.describe()
    with pytest.raises(LogitstatsError, match="penalized_loglik needs a Firth fit"):
        fit.penalized_loglik  # noqa: B018 - the property raises


def test_warnings_point_at_the_callers_line(endometrial):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ls.logit("HG ~ NV + PI + EH", endometrial)
        ls.logit("HG ~ PI + I(2 * PI)", endometrial)
    kinds = {w.category for w in caught}
    assert {SeparationWarning, CollinearityWarning} <= kinds
    assert all(w.filename == __file__ for w in caught), [(w.filename, w.lineno) for w in caught]


def test_mlogit_offset_constant_moves_the_non_reference_intercepts(modechoice):
    base = ls.mlogit("mode ~ hinc + psize", modechoice, tol=1e-13)
    data = modechoice.assign(z=0.5)
    shifted = ls.mlogit("mode ~ hinc + psize", data, offset="z", tol=1e-13)
    expected = base.params.copy()
    expected.loc["Intercept"] -= 0.5
    np.testing.assert_allclose(shifted.params, expected, rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)
    np.testing.assert_allclose(shifted.llf, base.llf, rtol=RTOL_PROPERTY)
    # predictions read the offset column of newdata; an offset array must be passed again
    np.testing.assert_allclose(
        shifted.predict(data).to_numpy(),
        base.predict(modechoice).to_numpy(),
        rtol=RTOL_PROPERTY,
        atol=ATOL_PROPERTY,
    )


def test_mlogit_offset_array_and_statsmodels_refusal(modechoice):
    rng = np.random.default_rng(3)
    off = rng.normal(0.0, 0.2, len(modechoice))
    fit = ls.mlogit("mode ~ hinc + psize", modechoice, offset=off)
    np.testing.assert_allclose(
        fit.predict(modechoice, offset=off).to_numpy(),
        fit.fitted.to_numpy(),
        rtol=RTOL_PROPERTY,
        atol=ATOL_PROPERTY,
    )
    with pytest.raises(LogitstatsError, match="pass offset= to predict"):
        fit.predict(modechoice)
    with pytest.raises(LogitstatsError, match="MNLogit has no offset; got offset"):
        fit.to_statsmodels(modechoice)


def test_mlogit_offset_in_the_formula_equals_the_argument(modechoice):
    data = modechoice.assign(z=np.linspace(-0.3, 0.3, len(modechoice)))
    in_formula = ls.mlogit("mode ~ hinc + psize + offset(z)", data)
    as_argument = ls.mlogit("mode ~ hinc + psize", data, offset="z")
    np.testing.assert_array_equal(in_formula.params.to_numpy(), as_argument.params.to_numpy())
