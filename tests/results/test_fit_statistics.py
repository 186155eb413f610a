"""The shared fit statistics (results/fit_statistics.py) against their definitions.

The values themselves are checked against R in tests/fit/ (logLik, deviance, AIC, BIC); here
the identities between them, as written in each property's docstring, on one fit per kind.
"""

from __future__ import annotations

import numpy as np
import pytest

import logitstats as ls
from tests.tolerances import RTOL_EXACT


@pytest.fixture(scope="module", params=["logit", "mlogit"])
def fit(request):
    df = ls.datasets.load("modechoice")
    if request.param == "logit":
        return ls.logit("I(mode == 'car') ~ hinc + psize", data=df)
    return ls.mlogit("mode ~ hinc + psize", data=df, reference="air")


def test_the_statistics_follow_their_definitions(fit):
    k, n = fit.k_params, fit.nobs
    np.testing.assert_allclose(fit.deviance, -2 * fit.llf, rtol=RTOL_EXACT)
    np.testing.assert_allclose(fit.aic, -2 * fit.llf + 2 * k, rtol=RTOL_EXACT)
    np.testing.assert_allclose(fit.bic, -2 * fit.llf + k * np.log(n), rtol=RTOL_EXACT)
    np.testing.assert_allclose(fit.lr_stat, fit.null_deviance - fit.deviance, rtol=RTOL_EXACT)
    np.testing.assert_allclose(fit.pseudo_r2_mcfadden, 1 - fit.llf / fit.llnull, rtol=RTOL_EXACT)
    cox = 1 - np.exp(-fit.lr_stat / n)
    np.testing.assert_allclose(fit.pseudo_r2_coxsnell, cox, rtol=RTOL_EXACT)
    np.testing.assert_allclose(
        fit.pseudo_r2_nagelkerke, cox / (1 - np.exp(2 * fit.llnull / n)), rtol=RTOL_EXACT
    )
    assert fit.df_resid == n - k

