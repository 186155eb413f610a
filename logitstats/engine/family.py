"""One engine interface: the arrays a fit sees (:class:`ModelArrays`) and the :class:`Family`.

A family (binary, multinomial, ordinal) gives, for a block of rows, the log-likelihood, score and
information (additive over blocks: :meth:`Family.block_stats`), the score per observation, start
values, linear predictors, probabilities and the columns of its null model. Newton
(:func:`logitstats.engine.newton.fit_family`), refits, profile intervals, covariances and
predictions call only this interface, so a new family or a new backend touches one place.

Families are frozen dataclasses over a :class:`~logitstats.engine.layout.ParamLayout` (the one
owner of the flat <-> terms x outcomes order); they hold no data. Numpy only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol, runtime_checkable

import numpy as np

from logitstats.engine.layout import ParamLayout

__all__ = [
    "ModelArrays",
    "BlockStats",
    "Family",
    "IndexModel",
    "ProbabilityDerivatives",
    "Reparametrisation",
]


@dataclass(frozen=True)
class ModelArrays:
    """The arrays of a model as the engine sees them, shape-checked once.

    Attributes
    ----------
    X : ndarray (n, p)
        Design matrix (float64).
    y : ndarray (n,)
        Outcome: 0/1 (binary) or level codes (multinomial, ordinal).
    weights : ndarray (n,) or None
        Frequency weights.
    offset : ndarray (n,) or None
        Known term added to the linear predictor (multinomial: to each non-reference one).

    Examples
    --------
    >>> import numpy as np
    >>> a = ModelArrays(np.ones((3, 2)), np.array([0.0, 1.0, 1.0]))
    >>> a.n_rows, a.n_cols, a.total_weight
    (3, 2, 3.0)
    """

    X: np.ndarray
    y: np.ndarray
    weights: np.ndarray | None = None
    offset: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.X.ndim != 2:
            raise ValueError(f"ModelArrays: X must be 2-D (n, p); got shape {self.X.shape}")
        n = self.X.shape[0]
        for name in ("y", "weights", "offset"):
            value = getattr(self, name)
            if value is not None and value.shape != (n,):
                raise ValueError(
                    f"ModelArrays: {name} must have shape ({n},), one value per row of X; "
                    f"got {value.shape}"
                )

    @property
    def n_rows(self) -> int:
        return int(self.X.shape[0])

    @property
    def n_cols(self) -> int:
        return int(self.X.shape[1])

    @property
    def total_weight(self) -> float:
        """The number of observations: rows, or the sum of the frequency weights."""
        return float(self.n_rows if self.weights is None else self.weights.sum())

    def rows(self, rows: slice | np.ndarray) -> ModelArrays:
        """A block of rows (X made C-contiguous: the block kernels read it row-wise)."""
        return ModelArrays(
            np.ascontiguousarray(self.X[rows]),
            self.y[rows],
            None if self.weights is None else self.weights[rows],
            None if self.offset is None else self.offset[rows],
        )

    def columns(self, columns: Sequence[int] | np.ndarray) -> ModelArrays:
        """The same rows with the design columns ``columns`` only (nested models, null model)."""
        cols = np.asarray(columns, dtype=int)
        return ModelArrays(np.ascontiguousarray(self.X[:, cols]), self.y, self.weights, self.offset)


@dataclass(frozen=True)
class BlockStats:
    """Additive statistics of a block of rows at some parameters, in the flat order.

    ``information`` (observed information, minus the Hessian) is None when not asked for.
    """

    loglik: float
    score: np.ndarray
    information: np.ndarray | None


@runtime_checkable
class Reparametrisation(Protocol):
    """An unconstrained parametrisation Newton runs on (e.g. ordered cut-points).

    ``jacobian(free)`` is ``d params / d free``, lower triangular and invertible.
    """

    def to_free(self, params: np.ndarray) -> np.ndarray: ...

    def to_params(self, free: np.ndarray) -> np.ndarray: ...

    def jacobian(self, free: np.ndarray) -> np.ndarray: ...


@runtime_checkable
class Family(Protocol):
    """What Newton, refits, inference and prediction need of a model family.

    Implemented once per family: :class:`~logitstats.engine.binary.BinaryFamily`,
    :class:`~logitstats.engine.multinomial.MultinomialFamily`,
    :class:`~logitstats.engine.ordinal_family.OrdinalFamily`. ``params`` are always flat
    vectors in ``layout``'s order. A family's own parameters that belong to no design column
    (ordinal cut-points) survive :meth:`subset`.
    """

    # Read-only in the protocol: the families are frozen dataclasses.
    @property
    def layout(self) -> ParamLayout:
        """The parameter layout (names and blocks of the flat vector)."""
        ...

    @property
    def intercept_col(self) -> int | None:
        """The intercept column of the design, if any."""
        ...

    @property
    def n_params(self) -> int:
        """Length of the flat parameter vector."""
        ...

    @property
    def reparametrisation(self) -> Reparametrisation | None:
        """The parametrisation Newton runs on, or None for ``params`` themselves."""
        ...

    @property
    def outcome_column(self) -> bool:
        """Whether tables of probabilities have one row per outcome level (an ``outcome``
        column): False for a binary model, whose one probability is P(event)."""
        ...

    @property
    def has_reference_level(self) -> bool:
        """Whether the parameters are contrasts against a reference outcome level (so fits
        compared side by side must share it): True for the baseline-category logit only."""
        ...

    @property
    def defines_residuals(self) -> bool:
        """Whether the per-observation residual kinds of R's ``residuals.glm`` (and the
        influence measures) are defined: True for a binary model only."""
        ...

    def block_stats(
        self, block: ModelArrays, params: np.ndarray, with_info: bool = True
    ) -> BlockStats:
        """Statistics of one block of rows: a pure function, additive over blocks."""
        ...

    def loglik_score_info(
        self, arrays: ModelArrays, params: np.ndarray
    ) -> tuple[float, np.ndarray, np.ndarray]:
        """The sum of :meth:`block_stats` over all rows (in memory: threads over row chunks)."""
        ...

    def loglik_score(self, arrays: ModelArrays, params: np.ndarray) -> tuple[float, np.ndarray]:
        """Log-likelihood and score only: :meth:`loglik_score_info` less the information."""
        ...

    def score_obs(self, arrays: ModelArrays, params: np.ndarray) -> np.ndarray:
        """Unweighted per-row scores, shape ``(n, n_params)`` (robust covariances)."""
        ...

    def start(self, arrays: ModelArrays) -> np.ndarray:
        """Starting values (the null-model estimate where it is known in closed form)."""
        ...

    def linear_predictor(
        self, X: np.ndarray, params: np.ndarray, offset: np.ndarray | None = None
    ) -> np.ndarray:
        """Linear predictor(s) of the rows of ``X``."""
        ...

    def probabilities(
        self, X: np.ndarray, params: np.ndarray, offset: np.ndarray | None = None
    ) -> np.ndarray:
        """Fitted probabilities of the rows of ``X``."""
        ...

    def subset(self, columns: Sequence[int]) -> Family:
        """The same family on the design columns ``columns`` only (refits, null model)."""
        ...

    def column_positions(self, columns: Sequence[int]) -> np.ndarray:
        """Flat positions of the parameters of :meth:`subset` ``(columns)`` in this family's
        vector (the start of a nested refit)."""
        ...

    def null_columns(self) -> list[int]:
        """Design columns of the null model (the intercept, if any)."""
        ...


class IndexModel(NamedTuple):
    """A family as an index model over ``K`` outcome levels (see
    :mod:`logitstats.inference.margins`).

    Attributes
    ----------
    coef : ndarray (p, K)
        Coefficients of every level, zeros in the reference column.
    free : ndarray (p, K)
        Position of each coefficient in the flat parameter vector, -1 where it is fixed at 0.
    offset : ndarray (n, K) or None
        The offset added to each level's linear predictor (0 for the reference level).
    outputs : list of int or None
        The levels reported (None: all).
    """

    coef: np.ndarray
    free: np.ndarray
    offset: np.ndarray | None
    outputs: list[int] | None


@runtime_checkable
class ProbabilityDerivatives(Protocol):
    """What marginal effects need of a family: its probability columns and their derivative
    with respect to one design column (implemented by the binary and multinomial families).

    ``prob_table`` is ``(n, m)``: one column, P(event), for a binary model; one per outcome level
    for a multinomial one. ``dprob(X, params, column, prob=...)`` is the derivative of
    ``prob_table`` with respect to design column ``column``, the same shape, holding the other
    columns fixed; ``prob`` is ``prob_table`` at the same point when already computed.
    ``index_model(params, offset)`` is the family as an :class:`IndexModel` (marginal effects).
    """

    def index_model(self, params: np.ndarray, offset: np.ndarray | None = None) -> IndexModel: ...

    def prob_table(
        self, X: np.ndarray, params: np.ndarray, offset: np.ndarray | None = None
    ) -> np.ndarray: ...

    def dprob(
        self,
        X: np.ndarray,
        params: np.ndarray,
        column: int,
        offset: np.ndarray | None = None,
        prob: np.ndarray | None = None,
    ) -> np.ndarray: ...
