"""Typed pieces of a result's state: the Firth state and the inference table of summaries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from logitstats.design.build import Design, _check_offset
from logitstats.design.frame import as_frame
from logitstats.errors import DataError

__all__ = ["FirthState", "InferenceTable", "new_offset"]


@dataclass(frozen=True)
class InferenceTable:
    """The coefficient table a summary or report shows and how its inference was done.

    ``tidy`` has the columns of :meth:`FitResult.tidy`; ``statistic`` names its test statistic
    (``"z"``: Wald z; ``"chi-square"``: penalized likelihood-ratio chi-square on 1 df);
    ``ci_method`` is the resolved interval method; ``notes`` say what was used.
    """

    tidy: pd.DataFrame
    statistic: str
    ci_method: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class FirthState:
    """What a Firth fit adds to its state: the penalized log-likelihood at the estimate,
    ``l* = l + 0.5 log det I(b)``.

    The profile penalized-likelihood intervals and tests are computed from the result's design
    and estimate when asked for (:mod:`logitstats.inference.firth_inference`) and cached, so
    nothing here is a callable.
    """

    penalized_loglik: float


def new_offset(design: Design, newdata: Any, offset: Any, n: int) -> np.ndarray | None:
    """The offset of new rows: ``offset=``, else the fitted offset column of ``newdata``."""
    if offset is not None:
        off = np.asarray(offset, dtype=float)
        if off.shape != (n,):
            raise DataError(f"offset must have one value per row of newdata ({n}); got {off.shape}")
        _check_offset(off, "offset")
        return off
    if design.offset is None:
        return None
    col = design.offset_column
    if col is not None:
        frame = as_frame(newdata)
        if col not in frame.columns:
            raise DataError(f"newdata lacks the offset column {col!r} the model was fitted with")
        off = frame[col].to_numpy(dtype=float)
        _check_offset(off, f"offset ({col})")
        return off
    raise DataError(
        "the model was fitted with an offset given as an array; pass offset= to predict "
        "with one value per row of newdata"
    )
