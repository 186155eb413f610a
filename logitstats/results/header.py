"""The summary header and the glance row of a fitted model (typed data for the renderers)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from logitstats.render.data import ModelHeader

if TYPE_CHECKING:
    from logitstats.results.base import FitResult

__all__ = ["model_header", "glance_frame"]


def model_header(result: FitResult) -> ModelHeader:
    """Formula, outcome coding, rows, covariance, convergence, separation and notes."""
    d = result.design
    notes = list(result.notes)
    if d.aliased:
        notes.append(
            "aliased (perfectly collinear) columns dropped, shown as NA: "
            + "; ".join(d.aliased_reasons)
        )
    if not result.converged:
        notes.append(f"the fit did not converge ({result.state.message}); estimates are unreliable")
    return ModelHeader(
        kind=d.kind,
        method=result.method,
        formula=d.formula,
        data_name=d.data_name or "data",
        outcome=d.outcome,
        event=None if d.event is None else str(d.event),
        reference=str(d.reference),
        levels=tuple(str(v) for v in d.levels),
        nobs=result.nobs,
        n_rows_used=d.rows.n_used,
        rows_note=d.rows.describe(),
        cov_type=result.cov_type.value,
        converged=result.converged,
        n_iter=result.n_iter,
        separation=result.separation_text,
        notes=tuple(notes),
    )


def glance_frame(result: FitResult) -> pd.DataFrame:
    """One-row DataFrame of fit statistics, as ``broom::glance`` (``result.glance()``)."""
    row: dict[str, Any] = {
        "nobs": result.nobs,
        "n_dropped": result.n_dropped,
        "df_model": result.df_model,
        "df_resid": result.df_resid,
        "loglik": result.llf,
        "loglik_null": result.llnull,
        "deviance": result.deviance,
        "null_deviance": result.null_deviance,
        "aic": result.aic,
        "bic": result.bic,
        "pseudo_r2_mcfadden": result.pseudo_r2_mcfadden,
    }
    row.update(result._glance_extra())
    row.update(
        lr_stat=result.lr_stat,
        lr_df=result.df_model,
        lr_pvalue=result.lr_pvalue,
        converged=result.converged,
        n_iter=result.n_iter,
        cov_type=result.cov_type.value,
    )
    return pd.DataFrame([row])
