"""The design of a loaded model: :class:`StoredDesign`, the spec and labels of a
:class:`~logitstats.design.build.Design` without its rows.

The row arrays raise :class:`~logitstats.errors.ModelFileError` saying that the training data is
needed (``ls.load(path, data=df)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from logitstats.design.build import RowAccounting
from logitstats.design.spec import ModelSpec
from logitstats.errors import ModelFileError

_NEEDS_DATA = (
    "{what} needs the training data, which a loaded model does not hold; expected "
    "ls.load(path, data=<the data the model was fitted on>) (with the same weights=, offset=, "
    "groups= and functions=); got a model loaded without data"
)


def needs_data(what: str) -> ModelFileError:
    """The error of ``what`` (training data) asked of a model loaded without data."""
    return ModelFileError(_NEEDS_DATA.format(what=what))


@dataclass(frozen=True, eq=False)
class StoredDesign:
    """The design of a loaded model: the spec and labels of a :class:`Design`, no rows.

    The row arrays (``X``, ``y``, ``groups``, ``index``; ``weights`` and ``offset`` when the
    fit had them) and patsy's ``design_info`` are properties that raise
    :class:`~logitstats.errors.ModelFileError`; ``weights``/``offset`` are None when the fit
    had none.
    """

    spec: ModelSpec
    formula: str
    kind: str
    column_names: tuple[str, ...]
    term_slices: tuple[tuple[str, slice], ...]
    outcome: str
    levels: tuple[Any, ...]
    event: Any
    reference: Any
    rows: RowAccounting
    has_intercept: bool
    stored_nobs: float
    has_weights: bool
    has_offset: bool
    offset_column: str | None = None
    data_name: str | None = None
    columns_used: tuple[str, ...] = ()
    aliased: tuple[str, ...] = ()
    aliased_reasons: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    fingerprint: str | None = None
    user_functions: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def nobs(self) -> float:
        """The number of observations of the fit (sum of the frequency weights, or rows)."""
        return self.stored_nobs

    @property
    def outcomes(self) -> tuple[Any, ...]:
        """Multinomial: the non-reference outcome levels, in level order."""
        return tuple(v for v in self.levels if v != self.reference)

    @property
    def X(self) -> np.ndarray:  # noqa: N802 (the Design's name)
        raise needs_data(
            "the design matrix (fitted values, residuals, diagnostics, profile "
            "intervals, LR tests, report figures)"
        )

    @property
    def y(self) -> np.ndarray:
        raise needs_data("the outcome of the fitted rows")

    @property
    def weights(self) -> np.ndarray | None:
        """None for a model fitted without weights; else the weights are training data."""
        if not self.has_weights:
            return None
        raise needs_data("the frequency weights of the fitted rows")

    @property
    def offset(self) -> np.ndarray | None:
        """None for a model fitted without an offset; else the offset is training data."""
        if not self.has_offset:
            return None
        raise needs_data("the offset of the fitted rows")

    @property
    def groups(self) -> np.ndarray | None:
        raise needs_data("the cluster ids of the fitted rows")

    @property
    def index(self) -> pd.Index:
        raise needs_data("the index of the fitted rows (predict() without newdata)")

    @property
    def design_info(self) -> Any:
        raise needs_data("patsy's DesignInfo")
