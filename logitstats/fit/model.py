"""The one path from a built design to a result: engine, separation check, null model,
covariance (``fit_model``), shared by :mod:`logitstats.fit.logit` and
:mod:`logitstats.fit.mlogit`.

What differs between the models is passed in, not branched on: the engine
:class:`~logitstats.engine.family.Family`, the result class, the separation check and the
remedy its warning suggests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from logitstats.design.build import Design
from logitstats.engine.family import Family, ModelArrays
from logitstats.engine.newton import FitState, NewtonOptions, fit_family, null_state
from logitstats.fit.separation import warn_separation
from logitstats.inference.covariance import CovType, covariance
from logitstats.inference.separation import SeparationInfo
from logitstats.options import parse_int, parse_positive
from logitstats.results.base import FitResult

__all__ = ["fit_model", "newton_options", "intercept_column", "model_arrays"]

R = TypeVar("R", bound=FitResult)
SeparationCheck = Callable[[Design, Family, FitState], SeparationInfo]


def newton_options(tol: float, max_iter: int) -> NewtonOptions:
    """The public ``tol`` and ``max_iter`` checked at the boundary, as Newton's options."""
    return NewtonOptions(
        tol=parse_positive(tol, "tol"), max_iter=parse_int(max_iter, "max_iter", minimum=1)
    )


def design_budget(max_design_bytes: float | None) -> float | None:
    """The public ``max_design_bytes`` checked at the boundary (None: the default budget of
    :mod:`logitstats.design.resources`)."""
    if max_design_bytes is None:
        return None
    return parse_positive(max_design_bytes, "max_design_bytes")


def intercept_column(design: Design) -> int | None:
    """Index of the intercept column of X, if the model has one."""
    return design.column_names.index("Intercept") if "Intercept" in design.column_names else None


def model_arrays(design: Design) -> ModelArrays:
    """The arrays the engine sees: X, y, weights and offset of the design."""
    return ModelArrays(design.X, design.y, design.weights, design.offset)


def fit_model(
    design: Design,
    family: Family,
    cov_type: CovType,
    options: NewtonOptions,
    *,
    result_type: type[R],
    separation: SeparationCheck,
    remedy: str,
) -> R:
    """Fit ``family`` on ``design`` by maximum likelihood and build the frozen result.

    The fit's one warning (separation, else non-convergence) is issued here, after the
    separation check; the null model is fitted now, never lazily; robust covariances use the
    family's per-observation scores.
    """
    arrays = model_arrays(design)
    state = fit_family(family, arrays, options)
    info = separation(design, family, state)
    warn_separation(info, state, model=design.kind, remedy=remedy)
    null = null_state(family, arrays, options)
    score_obs = None
    if cov_type is not CovType.NONROBUST:
        score_obs = family.score_obs(arrays, state.params)
    cov = covariance(cov_type, state.information, score_obs, design.weights, design.groups)
    return result_type(
        design=design,
        family=family,
        state=state,
        null_state=null,
        cov_type=cov_type,
        cov_array=cov,
        separation=info,
    )
