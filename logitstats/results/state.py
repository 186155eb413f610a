"""Typed pieces of a result's state: the Firth state and the inference table of summaries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from logitstats.design.build import Design, _check_offset, newdata_matrix
from logitstats.design.frame import as_frame
from logitstats.errors import DataError, LogitstatsError
from logitstats.options import PredictKind, PredictMissing, parse_level, parse_option

__all__ = ["FirthState", "InferenceTable", "PredictRows", "new_offset", "prediction_rows"]


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


@dataclass(frozen=True)
class PredictRows:
    """The rows a ``predict`` call works on: design matrix, index, offset and parsed options."""

    X: np.ndarray
    index: pd.Index
    offset: np.ndarray | None
    kind: PredictKind
    level: float | None


def prediction_rows(
    result: Any, newdata: Any, offset: Any, kind: Any, conf_level: Any, missing: Any
) -> PredictRows:
    """Parse ``predict``'s options and build its rows: the training rows when ``newdata`` is
    None, else ``newdata`` through the training spec, with the offset from the result's own
    ``_new_offset`` (:func:`new_offset`; a model loaded from a file reads its stored offset
    column instead).

    Raises
    ------
    LogitstatsError
        An unknown ``kind`` or ``missing``, a bad ``conf_level``, or ``conf_level`` with
        ``kind="class"``.
    """
    k = parse_option(PredictKind, kind, "kind")
    miss = parse_option(PredictMissing, missing, "missing")
    level = None if conf_level is None else parse_level(conf_level, "conf_level")
    if k is PredictKind.CLASS and level is not None:
        raise LogitstatsError("conf_level is not available with kind='class'")
    design = result.design
    if newdata is None:
        return PredictRows(design.X, design.index, design.offset, k, level)
    X, _, index = newdata_matrix(design, newdata, missing=miss.value)
    return PredictRows(X, index, result._new_offset(newdata, offset, X.shape[0]), k, level)
