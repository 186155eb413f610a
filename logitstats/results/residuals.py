r"""Residuals and influence of a binary fit, as R gives them for a binomial ``glm``.

With prior (frequency) weights :math:`w_i`, fitted :math:`\mu_i`, :math:`v_i = \mu_i(1-\mu_i)`:

- ``response``: :math:`y_i - \mu_i`; ``working``: :math:`(y_i - \mu_i)/v_i`;
- ``pearson``: :math:`\sqrt{w_i}(y_i - \mu_i)/\sqrt{v_i}`;
- ``deviance``: :math:`\operatorname{sign}(y_i - \mu_i)\sqrt{-2 w_i [y_i\log\mu_i +
  (1-y_i)\log(1-\mu_i)]}`;
- ``hat``: the diagonal of :math:`W^{1/2}X(X'WX)^{-1}X'W^{1/2}`, :math:`W = \mathrm{diag}(w_i
  v_i)` (``hatvalues``; the model-based information, whatever ``cov_type``);
- ``cooks_d``: :math:`r_{P,i}^2 h_i / (p (1-h_i)^2)` (``cooks.distance``, dispersion 1);
- ``rstandard``: :math:`r_{D,i}/\sqrt{1-h_i}`; ``rstudent``:
  :math:`\operatorname{sign}(r_{D,i})\sqrt{r_{D,i}^2 + h_i r_{P,i}^2/(1-h_i)}`
  (``rstudent.glm`` for the binomial family).

Weights enter as weights; rows are never expanded. The values are labelled with the index of
the rows used; pass ``data=`` (the frame the model was fitted on) to align them to its whole
index, NaN for the dropped rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import linalg

from logitstats.errors import LogitstatsError
from logitstats.options import ResidualKind, parse_option

if TYPE_CHECKING:
    from logitstats.results.base import FitResult

__all__ = ["residuals", "influence"]


def _require_binary(result: FitResult, what: str) -> None:
    if not result.family.defines_residuals:
        raise LogitstatsError(
            f"{what}: expected a binary fit (ls.logit); got a fit of kind "
            f"{result.design.kind!r}; per-level residuals are not defined here"
        )


def _parts(result: FitResult) -> dict[str, np.ndarray]:
    d = result.design
    eta = d.X @ result.state.params
    if d.offset is not None:
        eta = eta + d.offset
    mu = 1.0 / (1.0 + np.exp(-eta))
    y = d.y.astype(float)
    w = np.ones_like(y) if d.weights is None else d.weights.astype(float)
    v = mu * (1.0 - mu)
    with np.errstate(divide="ignore", invalid="ignore"):
        ll = np.where(y > 0, y * np.log(mu), 0.0) + np.where(y < 1, (1 - y) * np.log1p(-mu), 0.0)
    return {
        "response": y - mu,
        "working": (y - mu) / v,
        "pearson": np.sqrt(w) * (y - mu) / np.sqrt(v),
        "deviance": np.sign(y - mu) * np.sqrt(np.maximum(-2.0 * w * ll, 0.0)),
        "wv": w * v,
    }


def _align(values: dict[str, np.ndarray], result: FitResult, data: Any) -> pd.DataFrame:
    out = pd.DataFrame(values, index=result.design.index)
    if data is None:
        return out
    index = data.index if isinstance(data, pd.DataFrame) else pd.DataFrame(data).index
    missing = result.design.index.difference(index)
    if len(missing):
        raise LogitstatsError(
            f"data: expected the frame the model was fitted on; got one lacking {len(missing)} "
            "of the rows used; pass the same data frame"
        )
    return out.reindex(index)


def residuals(result: FitResult, kind: str = "deviance", data: Any = None) -> pd.Series:
    """See :meth:`LogitResult.residuals`."""
    _require_binary(result, "residuals")
    k = parse_option(ResidualKind, kind, "kind").value
    return _align({k: _parts(result)[k]}, result, data)[k]


def influence(result: FitResult, data: Any = None) -> pd.DataFrame:
    """See :meth:`LogitResult.influence`."""
    _require_binary(result, "influence")
    parts = _parts(result)
    X = result.design.X
    A = np.sqrt(parts["wv"])[:, None] * X
    # hat values from a thin QR of W^{1/2} X: h_i = ||Q_i||^2 (no inverse formed)
    Q = linalg.qr(A, mode="economic")[0]
    h = np.einsum("ij,ij->i", Q, Q)
    rp, rd = parts["pearson"], parts["deviance"]
    p = X.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        values = {
            "hat": h,
            "cooks_d": rp**2 * h / (p * (1.0 - h) ** 2),
            "rstandard": rd / np.sqrt(1.0 - h),
            "rstudent": np.sign(rd) * np.sqrt(rd**2 + h * rp**2 / (1.0 - h)),
            "resid_deviance": rd,
            "resid_pearson": rp,
        }
    return _align(values, result, data)
