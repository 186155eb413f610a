"""Fitted results as statsmodels models (``result.to_statsmodels(data)``).

The model statsmodels gets is formula-based, so that ``res.predict(raw_dataframe)`` builds the
design from raw columns as logitstats does: the right-hand side of the user's formula, evaluated
by patsy in the names the fit used, on the rows the fit used. The outcome is the fit's coding
(a 0/1 column for binary fits, integer codes with the reference level as 0 for multinomial
fits) when the formula's left-hand side cannot be passed verbatim. The built design is checked
against the fit's before anything is returned.

Covariances are carried over so that the statsmodels SEs equal ours:

- ``HC0``: ``cov_type="HC0"``;
- ``HC1``: statsmodels' discrete-model ``"HC1"`` has no ``n / (n - k)`` factor (it equals
  HC0), so ``cov_type="cluster"`` with every row its own cluster is used: its factor
  ``G / (G - 1) * (n - 1) / (n - k)`` is then exactly ``n / (n - k)``, sandwich's HC1;
- ``cluster``: ``cov_type="cluster"`` with integer codes of the fit's cluster ids (so ``1`` and
  ``"1"`` stay different clusters); the factor is ``G / (G - 1) * (n - 1) / (n - k)`` in both.

Frequency weights go to ``GLM(family=Binomial(), freq_weights=w)`` (statsmodels' Logit has no
weights) with ``nonrobust`` or ``HC0`` covariance only: statsmodels' GLM ``HC1`` and
``cluster`` corrections count rows, not the sum of the weights, and cannot reproduce ours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from logitstats.design.build import _as_frame
from logitstats.errors import DataError, LogitstatsError
from logitstats.inference.covariance import CovType, _codes

if TYPE_CHECKING:
    from logitstats.results.base import FitResult

__all__ = ["rows_used", "formula_env", "cov_options", "check_built"]

#: name of the outcome column added when the formula's outcome cannot be passed verbatim
CODED_OUTCOME = "_logitstats_y"


def rows_used(result: FitResult, data: Any) -> pd.DataFrame:
    """The rows of ``data`` the fit used (a new frame; ``data`` is not modified)."""
    if data is None:
        raise LogitstatsError(
            "to_statsmodels(data) needs the data the model was fitted on (a result keeps "
            "arrays, not your columns); got data=None. Call fit.to_statsmodels(df)"
        )
    frame = _as_frame(data)
    index = result.design.index
    missing = index.difference(frame.index)
    if len(missing) or frame.index.has_duplicates:
        raise DataError(
            "data must be the data the model was fitted on, with the same index; expected "
            f"rows {list(index[:3])}...; got an index lacking {len(missing)} of them"
            + (" or with duplicate labels" if frame.index.has_duplicates else "")
        )
    return frame.loc[index].copy()


def formula_env(result: FitResult) -> dict[str, Any]:
    """The names the formula's factors were evaluated with (numpy, functions of the caller)."""
    ns: dict[str, Any] = {"np": np, "numpy": np}
    info = getattr(result.design, "design_info", None)  # None once unpickled
    if info is None:
        ns.update(getattr(result.design, "user_functions", {}) or {})
        return ns
    for fi in info.factor_infos.values():
        env = (getattr(fi, "state", None) or {}).get("eval_env")
        for d in getattr(env, "_namespaces", ()):
            ns.update(d)
    return ns


def cov_options(result: FitResult) -> dict[str, Any]:
    """``fit()`` keywords that make statsmodels' covariance equal the fit's (module notes)."""
    ct = result.cov_type
    if ct is CovType.NONROBUST:
        return {}
    if ct is CovType.HC0:
        return {"cov_type": "HC0"}
    if ct is CovType.HC1:
        rows = np.arange(result.design.y.shape[0])
        return {"cov_type": "cluster", "cov_kwds": {"groups": rows}}
    codes, _ = _codes(np.asarray(result.design.groups))
    return {"cov_type": "cluster", "cov_kwds": {"groups": codes}}


def split_formula(result: FitResult) -> tuple[str, str]:
    """The formula's outcome and right-hand side, as text."""
    lhs, rhs = result.design.formula.split("~", 1)
    return lhs.strip(), rhs.strip()


def check_built(result: FitResult, exog: Any, endog: Any) -> None:
    """LogitstatsError unless statsmodels built the fit's design and outcome from the data."""
    d = result.design
    X = np.asarray(exog, dtype=float)
    y = np.asarray(endog, dtype=float).reshape(-1)
    if X.shape != d.X.shape or not np.allclose(X, d.X, rtol=1e-12, atol=0.0, equal_nan=False):
        raise LogitstatsError(
            "statsmodels built a different design matrix from data than the fit's (expected "
            f"shape {d.X.shape}; got {X.shape}); pass the data the model was fitted on, unchanged"
        )
    if y.shape != d.y.shape or not np.array_equal(y, np.asarray(d.y, dtype=float)):
        raise LogitstatsError(
            "statsmodels read a different outcome from data than the fit's; pass the data the "
            "model was fitted on, unchanged"
        )
