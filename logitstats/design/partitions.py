"""The design layer on one partition of a larger data set (the distributed fit, issue 14).

A distributed fit never holds every row: it learns what the design needs from summaries of the
partitions (pass 0), then builds each block of rows from its partition with the
:class:`~logitstats.design.spec.ModelSpec` (once when the blocks are persisted, else on every
pass). This module holds the per-partition
functions, pure and picklable arguments only:

- :func:`front`: the columns the formula reads, the extra vectors (weights, offset, groups) and
  the complete rows of a partition, counted per column (as :func:`build_design` counts them);
- :func:`representatives`: a few complete rows plus the first row of each distinct value of
  each column (every level of every factor and of the outcome, so a design built on the
  concatenated representatives has the levels of the whole data);
- :func:`transform_partials` / :func:`with_transforms`: the state of ``center``/``standardize``
  learnt on the partitions and merged;
- :func:`block`: the model arrays of a partition (the spec's matrix of its complete rows).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from patsy.eval import VarLookupDict

from logitstats.design import formula as formula_check
from logitstats.design.frame import _numeric, extra_vectors, isna, plain
from logitstats.design.outcome import eval_outcome
from logitstats.design.parse import formula_offset, parse_formula, referenced_columns
from logitstats.design.rhabits import expand_dot
from logitstats.design.spec import ModelSpec, _compiled
from logitstats.design.transforms import TRANSFORMS, TransformSpec
from logitstats.errors import DataError, FormulaError

__all__ = [
    "Request",
    "Front",
    "Block",
    "front",
    "representatives",
    "transform_partials",
    "with_transforms",
    "block",
    "MAX_REPRESENTED_LEVELS",
    "REPRESENTATIVE_ROWS",
]

# Columns with at most this many distinct values in a partition send the first row of each
# value to the client (factor levels); C(x) of a column with more levels than this per
# partition is refused later as an unseen level.
MAX_REPRESENTED_LEVELS = 1000
REPRESENTATIVE_ROWS = 64  # plus the first rows of each partition (start values, sample LP)


@dataclass(frozen=True)
class Request:
    """What every partition function needs: the model's arguments (column names only)."""

    formula: str
    kind: str
    weights: str | None
    offset: str | None
    groups: str | None
    functions: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def env(self) -> Any:
        return formula_check.formula_env(dict(self.functions) or None)


@dataclass(frozen=True)
class Front:
    """One partition's columns and complete rows (``keep``), with per-column missing counts."""

    outcome: str
    used: tuple[str, ...]
    keep: np.ndarray
    na_counts: dict[str, int]
    weights: np.ndarray | None
    offset: np.ndarray | None
    groups: np.ndarray | None
    offset_column: str | None


@dataclass(frozen=True)
class Block:
    """The model arrays of a partition's rows used, and the rows the formula made non-finite."""

    X: np.ndarray
    y: np.ndarray
    weights: np.ndarray | None
    offset: np.ndarray | None
    groups: np.ndarray | None
    nonfinite: dict[str, int]


def front(frame: pd.DataFrame, req: Request) -> Front:
    """The columns used and the complete rows of one partition (never raises for a partition
    without complete rows: the totals are judged on the client)."""
    env = req.env()
    parsed = req.formula
    if "~" in parsed:
        extra = [v for v in (req.weights, req.offset, req.groups) if isinstance(v, str)]
        parsed = expand_dot(parsed, frame.columns, extra)
    outcome_code, rhs = parse_formula(parsed)
    rhs, offset = formula_offset(rhs, req.offset, req.kind, frame)
    rhs_codes = [f.code for term in rhs.rhs_termlist for f in term.factors]
    used = list(
        dict.fromkeys(
            referenced_columns([outcome_code], frame, env)
            + referenced_columns(rhs_codes, frame, env)
        )
    )
    extras = extra_vectors(frame, None, offset, req.groups)
    w = None
    if req.weights is not None:
        if req.weights not in frame.columns:
            raise DataError(f"weights={req.weights!r} is not a column of data")
        w = _numeric(frame[req.weights].to_numpy(), "weights")
        bad = ~np.isfinite(w) | (w < 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DataError(
                f"weights ({req.weights}) must be finite and >= 0 (frequency weights); got "
                f"{float(w[i])!r} at index {plain(frame.index[i])!r} ({int(bad.sum())} bad values "
                "in this partition)"
            )
    keep = np.ones(frame.shape[0], dtype=bool)
    counts: dict[str, int] = {}
    for c in used:
        mask = isna(frame[c])
        if mask.any():
            counts[c] = int(mask.sum())
            keep &= ~mask
    off = extras.offset
    if off is not None and np.isnan(off).any():
        counts[extras.offset_column or "offset"] = int(np.isnan(off).sum())
        keep &= ~np.isnan(off)
    return Front(
        outcome_code,
        tuple(used),
        keep,
        counts,
        w,
        off,
        extras.groups,
        extras.offset_column,
    )


def representatives(frame: pd.DataFrame, fr: Front, extra: tuple[str, ...]) -> pd.DataFrame:
    """Complete rows standing for the partition: the first :data:`REPRESENTATIVE_ROWS` and the
    first of each distinct value of every column used with few distinct values."""
    cols = list(dict.fromkeys([*fr.used, *extra]))
    sub = frame.loc[fr.keep, cols] if not fr.keep.all() else frame[cols]
    n = sub.shape[0]
    pos = set(range(min(n, REPRESENTATIVE_ROWS)))
    for c in fr.used:
        col = sub[c]
        if col.nunique(dropna=True) <= MAX_REPRESENTED_LEVELS:
            first = ~col.duplicated(keep="first").to_numpy()
            pos.update(np.flatnonzero(first).tolist())
    return sub.iloc[sorted(pos)]


def _complete(frame: pd.DataFrame, fr: Front) -> pd.DataFrame:
    return frame if fr.keep.all() else frame.loc[fr.keep]


def transform_partials(frame: pd.DataFrame, req: Request, spec: ModelSpec) -> dict[int, list]:
    """Per factor with a stateful transform: the partition's ``[state]`` of that transform.

    Only ``center``, ``standardize`` and ``scale`` (mergeable states) as the outermost call of a
    factor are learnt on partitions; splines (``bs``/``cr``/``cc``) place knots at quantiles of
    all rows and are refused.
    """
    fr = front(frame, req)
    sub = _complete(frame, fr)
    env = req.env()
    out: dict[int, list] = {}
    for i, factor in enumerate(spec.factors):
        if not factor.transforms:
            continue
        check_learnable(factor.code, tuple(t.kind for t in factor.transforms))
        code, _ = _compiled(factor.code)
        obj = TRANSFORMS[factor.transforms[0].kind]()

        def learn(x: Any, *args: Any, _obj: Any = obj, **kwargs: Any) -> Any:
            _obj.memorize_chunk(x, *args, **kwargs)
            return x

        data = {c: sub[c] for c in spec.data_columns if c in sub.columns}
        lookup = VarLookupDict([{"__ls_stateful_0__": learn}, data, env.namespace])
        with np.errstate(divide="ignore", invalid="ignore"):
            eval(code, {"__builtins__": {}}, lookup)  # noqa: S307 (allow-listed code)
        out[i] = [_partial(obj)]
    return out


def check_learnable(code: str, kinds: tuple[str, ...]) -> None:
    """FormulaError unless the factor's transforms can be learnt partition by partition."""
    if len(kinds) != 1 or kinds[0] not in TRANSFORMS or not code.lstrip().startswith(kinds[0]):
        raise FormulaError(
            f"{code!r} calls the stateful transform(s) {list(kinds)}; on a Dask DataFrame "
            f"expected one of {sorted(TRANSFORMS)} as the outermost call of a factor (their "
            "state merges over partitions); got another form. Compute the column first "
            "(ddf.assign(...)) or fit on a pandas DataFrame"
        )


def _partial(obj: Any) -> tuple:
    if hasattr(obj, "_sum"):  # Center: a long-double sum and a count, merged by adding
        return ("sum", obj._sum, obj._count)
    return ("moments", obj.n, obj.mean, obj.m2)


def with_transforms(spec: ModelSpec, partials: Mapping[int, list]) -> ModelSpec:
    """``spec`` with each learnt transform's state merged over the partitions' partials."""
    factors = list(spec.factors)
    for i, parts in partials.items():
        kind = factors[i].transforms[0].kind
        obj = TRANSFORMS[kind]()
        if parts and parts[0][0] == "sum":
            sums = [p[1] for p in parts if p[1] is not None]
            obj._sum = sum(sums[1:], sums[0]) if sums else None
            obj._count = sum(p[2] for p in parts)
        else:
            for _, n_b, mean_b, m2_b in parts:
                if n_b == 0:
                    continue
                if obj.mean is None:
                    obj.n, obj.mean, obj.m2 = n_b, mean_b, m2_b
                    continue
                n = obj.n + n_b  # Chan, Golub and LeVeque's pairwise update
                delta = mean_b - obj.mean
                obj.mean = obj.mean + delta * (n_b / n)
                obj.m2 = obj.m2 + m2_b + delta**2 * (obj.n * n_b / n)
                obj.n = n
        obj.memorize_finish()
        factors[i] = dataclasses.replace(factors[i], transforms=(TransformSpec(kind, obj.state()),))
    return dataclasses.replace(spec, factors=tuple(factors))


def outcome_codes(values: pd.Series, levels: tuple[Any, ...], outcome: str) -> np.ndarray:
    """Codes of the outcome values into the training ``levels`` (DataError for another value)."""
    codes = pd.Index(list(levels)).get_indexer(pd.Series(values).to_numpy())
    if (codes < 0).any():
        bad = pd.Series(values).to_numpy()[codes < 0][0]
        raise DataError(
            f"outcome {outcome!r} holds {plain(bad)!r} in a partition; expected one of the "
            f"levels found in pass 0 {list(map(plain, levels))}; the data changed between passes"
        )
    return codes


def block(frame: pd.DataFrame, req: Request, spec: ModelSpec, coding: np.ndarray) -> Block:
    """The arrays of a partition's complete rows (all of ``spec.columns``).

    ``coding[j]`` is the outcome value the family reads for level ``spec.levels[j]`` (its dtype
    is the outcome's): the event indicator of a binary design, the level code otherwise.

    Rows whose design row is NaN (e.g. ``np.log`` of a negative value) are dropped and counted
    by design column, as :func:`~logitstats.design.build.build_design` does; an infinite value
    is a DataError.
    """
    fr = front(frame, req)
    sub = _complete(frame, fr)
    if sub.shape[0] == 0:  # a partition without a complete row
        k = len(spec.columns)
        empty = np.zeros(0)
        return Block(
            np.zeros((0, k)),
            np.zeros(0, dtype=coding.dtype),
            None if fr.weights is None else empty,
            None if fr.offset is None else empty,
            None if fr.groups is None else fr.groups[:0],
            {},
        )
    X = spec.matrix(sub[list(spec.data_columns)], functions=dict(req.functions) or None)
    nonfinite: dict[str, int] = {}
    ok = np.isfinite(X).all(axis=1) if X.size else np.ones(X.shape[0], dtype=bool)
    if not ok.all():
        if np.isinf(X).any():
            bad = [spec.columns[j] for j in range(X.shape[1]) if np.isinf(X[:, j]).any()]
            raise DataError(
                f"the formula produces non-finite values (NaN or inf) in {', '.join(bad)}; check "
                "transformations such as np.log of zero or negative values"
            )
        for j in range(X.shape[1]):
            k = int((~np.isfinite(X[:, j])).sum())
            if k:
                nonfinite[spec.columns[j]] = k
        X = X[ok]
    y_frame = sub.loc[ok, [c for c in fr.used if c in sub.columns]] if not ok.all() else sub
    codes = outcome_codes(eval_outcome(fr.outcome, y_frame, req.env()), spec.levels, fr.outcome)
    y = coding[codes]
    sel = fr.keep.copy()
    sel[np.flatnonzero(fr.keep)[~ok]] = False

    def rows(v: np.ndarray | None) -> np.ndarray | None:
        return None if v is None else np.ascontiguousarray(v[sel])

    return Block(
        np.ascontiguousarray(X, dtype=np.float64),
        y,
        rows(fr.weights),
        rows(fr.offset),
        rows(fr.groups),
        nonfinite,
    )
