"""Fast construction of patsy design matrices (part of the design layer; used by ``design.py``).

patsy stays the formula language and its ``DesignInfo`` the one source of truth for terms,
factor levels, contrasts and stateful transforms: :func:`design_info` asks patsy for it. Only the
filling of the matrix is done here, because patsy's own builder sets the pace on large data: it
copies every factor for its NA handling, writes the C-ordered matrix one strided column at a time
and, for categorical data that is not a pandas ``Categorical``, converts values one by one in
Python.

:func:`fill_matrix` evaluates each factor once (as patsy does), turns categorical factors into
integer codes with vectorised pandas/numpy operations, and fills the matrix in blocks of rows that
stay in cache. Each column is the same product, in the same order, of the same float64 factor
values as patsy's ``_build_subterm`` computes, so the matrix is bit-for-bit identical. Whatever
it does not recognise (an unusual factor type, a level outside the training levels, a missing
value, a shape or index mismatch) makes it return ``None``; the caller then uses patsy's own
builder, which produces the result or the error message patsy would.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import patsy.build as _pbuild
from patsy.categorical import _CategoricalBox
from patsy.design_info import DesignInfo, FactorInfo

from logitstats.design.frame import EXACT_INT_LIMIT
from logitstats.design.resources import check_design_size
from logitstats.errors import DataError
from logitstats.numerics.parallel import chunk_slices, map_chunks

__all__ = [
    "design_info",
    "fill_matrix",
    "fill_values",
    "fill_matrix_bounds",
    "ColumnBounds",
    "subterms_of_info",
    "Subterm",
    "FILL_CHUNK_ROWS",
]

FILL_CHUNK_ROWS = 2048  # a block of rows stays in L2 cache while its columns are written


def design_info(
    termlist: list[Any],
    data: Mapping[str, Any],
    env: Any,
    na_action: Any,
    *,
    n_rows: int | None = None,
    max_bytes: float | None = None,
) -> Any:
    """patsy's ``DesignInfo`` of a right-hand-side term list, learnt from ``data``.

    This is the data-dependent pass of ``patsy.dmatrix`` (stateful transforms memorise their
    state, categorical levels are sniffed) without building the matrix: the steps of
    ``patsy.design_matrix_builders``, with the size check of
    :func:`logitstats.design.resources.check_design_size` (when ``n_rows`` is given) between
    learning the factors' levels and making the contrast matrices.
    """
    factors = {f for term in termlist for f in term.factors}

    def data_iter_maker() -> Iterator[Mapping[str, Any]]:
        return iter([data])

    states = _pbuild._factors_memorize(factors, data_iter_maker, env)
    num_cols, cat_levels = _examine_factor_types(factors, states, data, na_action)
    if n_rows is not None:
        check_design_size(termlist, num_cols, cat_levels, n_rows, max_bytes)
    infos = {
        f: FactorInfo(f, "numerical", states[f], num_columns=num_cols[f], categories=None)
        if f in num_cols
        else FactorInfo(f, "categorical", states[f], num_columns=None, categories=cat_levels[f][0])
        for f in factors
    }
    codings = _pbuild._make_subterm_infos(termlist, num_cols, cat_levels)
    names = [
        name
        for subterms in codings.values()
        for st in subterms
        for name in _pbuild._subterm_column_names_iter(infos, st)
    ]
    used = {f: infos[f] for term in termlist for f in term.factors}
    return DesignInfo(names, factor_infos=used, term_codings=codings)


def _examine_factor_types(
    factors: Any, states: Any, data: Mapping[str, Any], na_action: Any
) -> tuple[dict, dict]:
    """``patsy.build._examine_factor_types`` on one block of data, the levels of text sniffed
    from the distinct values.

    patsy's ``CategoricalSniffer`` adds every value to a set in a Python loop (4 ms per 1000
    rows); a 1-D text column (every value a ``str``) is passed to it as its distinct values
    (``pandas.unique``, one hash pass), which give the same set, hence the same sorted levels.
    Anything else goes to the sniffer as patsy gives it.
    """
    num_cols: dict[Any, int] = {}
    sniffers: dict[Any, Any] = {}
    for factor in factors:
        value = factor.eval(states[factor], data)
        if _pbuild.guess_categorical(value):
            sniffer = _pbuild.CategoricalSniffer(na_action, factor.origin)
            sniffer.sniff(_distinct_text(value))
            sniffers[factor] = sniffer
        else:
            value = _pbuild.atleast_2d_column_default(value)
            _pbuild._max_allowed_dim(2, value, factor)
            num_cols[factor] = value.shape[1]
    return num_cols, {f: sn.levels_contrast() for f, sn in sniffers.items()}


def _distinct_text(value: Any) -> Any:
    """The distinct values of a 1-D all-``str`` factor value (boxed by ``C()`` or not), else
    ``value`` itself."""
    if isinstance(value, _CategoricalBox):
        if value.levels is not None:
            return value
        inner = _distinct_text(value.data)
        return value if inner is value.data else _CategoricalBox(inner, value.contrast, None)
    if isinstance(value, pd.Series | pd.Index):
        values: Any = value.array
    else:
        values = value
    if isinstance(values, pd.Categorical) or getattr(values, "ndim", 0) != 1:
        return value
    if isinstance(values, pd.api.extensions.ExtensionArray):
        text = pd.api.types.is_string_dtype(values.dtype) and not values.isna().any()
    elif isinstance(values, np.ndarray) and values.dtype.kind in "OU":
        text = pd.api.types.infer_dtype(values, skipna=False) == "string"
    else:
        text = False
    if not text:
        return value
    return pd.unique(values)  # same element types as iterating ``values`` gives


def _codes(raw: Any, categories: tuple[Any, ...]) -> np.ndarray | None:
    """Integer codes of categorical factor values into ``categories``, or None (use patsy)."""
    if isinstance(raw, _CategoricalBox):
        if raw.levels is not None and tuple(raw.levels) != categories:
            return None
        raw = raw.data
    if isinstance(raw, pd.Series | pd.Index):
        values: Any = raw.array
    else:
        values = raw
    if isinstance(values, pd.Categorical):
        if tuple(values.categories) != categories:
            return None
        codes = np.asarray(values.codes, dtype=np.intp)
    elif (
        isinstance(values, pd.api.extensions.ExtensionArray)
        and pd.api.types.is_string_dtype(values.dtype)
        and all(isinstance(c, str) for c in categories)
    ):
        codes = _lookup(values, categories)  # pandas strings (Arrow): no object array made
    else:
        arr = np.asarray(values)
        if arr.ndim != 1:
            return None
        if arr.dtype == np.bool_:
            if categories != (False, True):
                return None
            codes = arr.astype(np.intp)
        elif arr.dtype.kind in "iuf" and all(
            isinstance(c, int | float | np.integer | np.floating) and not isinstance(c, bool)
            for c in categories
        ):
            codes = _lookup(arr, categories)
        elif arr.dtype.kind in "OU" and all(isinstance(c, str) for c in categories):
            if arr.dtype.kind == "O" and not all(isinstance(v, str) for v in _sample(arr)):
                return None
            codes = _lookup(arr, categories)
        else:
            return None
    if codes.size and codes.min() < 0:
        return None  # missing or unseen level: patsy raises its own message
    return codes


def _lookup(values: Any, categories: tuple[Any, ...]) -> np.ndarray:
    """Position of each value among ``categories`` (-1 when absent or missing).

    One hash pass over the values (``pandas.factorize``: codes into the distinct values, missing
    values -1), then the few distinct values are looked up among ``categories`` with
    ``Index.get_indexer``, the same equality as looking up every value (1 == 1.0, "a" != "A").
    """
    codes, uniques = pd.factorize(values)
    where = pd.Index(list(categories)).get_indexer(uniques)
    # code -1 (missing) picks the appended -1
    return np.append(where, -1).astype(np.intp)[codes]


def _sample(arr: np.ndarray) -> np.ndarray:
    """Every value when short, else a spread-out sample (object arrays: a type check)."""
    return arr if arr.shape[0] <= 1000 else arr[:: max(1, arr.shape[0] // 1000)]


def _numerical(raw: Any, num_columns: int, n: int) -> np.ndarray | None:
    """A numerical factor as a 2-D array (n, num_columns), or None (use patsy)."""
    arr = np.asarray(raw)
    if arr.ndim == 0 or arr.ndim > 2 or arr.dtype.kind not in "iuf":
        return None
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.shape != (n, num_columns):
        return None
    return arr


def check_exact_numbers(raw: Any, code: str) -> None:
    """DataError when a numerical factor holds integers that float64 cannot hold exactly.

    int64 beyond 2**53 would be rounded on the way into the float64 design (two different ids
    becoming one number, and the column then "aliased" for a false reason).
    """
    arr = np.asarray(raw) if not isinstance(raw, np.ndarray) else raw
    if arr.dtype.kind not in "iu" or arr.size == 0:
        return
    big = max(abs(int(arr.max())), abs(int(arr.min())))
    if big > EXACT_INT_LIMIT:
        raise DataError(
            f"{code!r} holds integers of magnitude up to {big}; expected at most 2**53 for a "
            "numeric term (larger integers lose precision as float64); got "
            f"{arr.dtype}. If it is an identifier use C({code}); otherwise rescale it, "
            f"e.g. I({code} / 1e6)"
        )


def _factor_values(info: Any, data: Mapping[str, Any], n: int, index: Any) -> dict | None:
    values: dict[Any, np.ndarray] = {}
    for factor, fi in info.factor_infos.items():
        raw = factor.eval(fi.state, data)
        if isinstance(raw, pd.Series | pd.DataFrame) and index is not None:
            if not raw.index.equals(index):
                return None
        if fi.type == "numerical":
            check_exact_numbers(raw, factor.code)
            value = _numerical(raw, fi.num_columns, n)
        else:
            value = _codes(raw, tuple(fi.categories))
            if value is not None and value.shape[0] != n:
                value = None
        if value is None:
            return None
        values[factor] = value
    return values


@dataclass(frozen=True)
class Subterm:
    """One block of columns of a design: the product of some factors' columns.

    ``factors`` are keys of the factor values (patsy factors, or positions in a ModelSpec),
    ``contrasts`` each categorical factor's (levels x columns) coding (None for a numerical
    factor), ``widths`` the number of columns each factor contributes.
    """

    factors: tuple[Any, ...]
    contrasts: tuple[np.ndarray | None, ...]
    widths: tuple[int, ...]
    num_columns: int


def subterms_of_info(info: Any) -> list[Subterm]:
    """The subterms of a patsy ``DesignInfo``, in column order."""
    out: list[Subterm] = []
    for subterms in info.term_codings.values():
        for st in subterms:
            cms = tuple(
                np.asarray(st.contrast_matrices[f].matrix, dtype=np.float64)
                if f in st.contrast_matrices
                else None
                for f in st.factors
            )
            widths = tuple(
                cm.shape[1] if cm is not None else info.factor_infos[f].num_columns
                for f, cm in zip(st.factors, cms, strict=True)
            )
            out.append(Subterm(tuple(st.factors), cms, widths, st.num_columns))
    return out


def _combinations(widths: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
    """Column index tuples of a subterm, left-most factor fastest (patsy's, and R's, order)."""
    for combo in itertools.product(*[range(k) for k in reversed(widths)]):
        yield combo[::-1]


def _plan(subterms: list[Subterm], values: Mapping[Any, np.ndarray]) -> list[tuple]:
    """The fill operations of each subterm, resolved once (no dict lookups per block).

    ``("ones", a, b)``, ``("copy", a, b, values)``, ``("take", a, b, matrix, codes)`` or
    ``("product", column, [(matrix or None, codes or values, j), ...])``.
    """
    plan: list[tuple] = []
    start = 0
    for st in subterms:
        a, b = start, start + st.num_columns
        start = b
        factors = st.factors
        if not factors:
            plan.append(("ones", a, b))
        elif len(factors) == 1 and st.contrasts[0] is not None:
            plan.append(("take", a, b, st.contrasts[0], values[factors[0]]))
        elif len(factors) == 1:
            plan.append(("copy", a, b, values[factors[0]]))
            plan = _merge_copies(plan)
        else:
            for i, combo in enumerate(_combinations(st.widths)):
                parts = [
                    (cm, values[factor], j)
                    for factor, cm, j in zip(factors, st.contrasts, combo, strict=True)
                ]
                plan.append(("product", a + i, parts))
    return plan


def _merge_copies(plan: list[tuple]) -> list[tuple]:
    """``plan`` with its last two ops merged into one ``("rows", a, b, rows)`` when both copy
    one column and the columns are consecutive rows of one 2-D array (a pandas block).

    ``rows`` is a read-only slice of that array (the same values), so a block of rows is then
    filled by one transposed copy instead of one strided copy per column.
    """
    if len(plan) < 2 or plan[-1][0] != "copy" or plan[-2][0] not in ("copy", "rows"):
        return plan
    last, prev = plan[-1], plan[-2]
    one_column = prev[0] != "copy" or prev[2] - prev[1] == 1
    if last[2] - last[1] != 1 or prev[2] != last[1] or not one_column:
        return plan
    here = _block_row(last[3][:, 0])
    before = _block_row(prev[3][:, 0]) if prev[0] == "copy" else None
    start = prev[4] if prev[0] == "rows" else before and (before[0], before[1], before[1] + 1)
    if here is None or start is None or here[0] is not start[0] or here[1] != start[2]:
        return plan
    block, first, stop = start[0], start[1], here[1] + 1
    rows = block[first:stop]
    rows.flags.writeable = False
    return plan[:-2] + [("rows", prev[1], last[2], rows, (block, first, stop))]


def _block_row(column: np.ndarray) -> tuple[np.ndarray, int] | None:
    """``(block, i)`` when ``column`` is row ``i`` of the C-contiguous 2-D array ``block`` (the
    array it is a view of), else None."""
    block = column.base
    while isinstance(block, np.ndarray) and block.ndim != 2 and block.base is not None:
        block = block.base
    if (
        not isinstance(block, np.ndarray)
        or block.ndim != 2
        or not block.flags.c_contiguous
        or block.dtype != column.dtype
        or column.ndim != 1
        or column.shape[0] != block.shape[1]
        or column.strides[0] != column.dtype.itemsize
    ):
        return None
    offset = column.__array_interface__["data"][0] - block.__array_interface__["data"][0]
    row_bytes = block.strides[0]
    if row_bytes <= 0 or offset % row_bytes or not 0 <= offset // row_bytes < block.shape[0]:
        return None
    return block, offset // row_bytes


def _fill_block(plan: list[tuple], rows: slice, out: np.ndarray) -> None:
    """Fill ``out`` (the rows ``rows`` of the design matrix) following ``plan``."""
    for op in plan:
        kind = op[0]
        if kind == "copy":
            out[:, op[1] : op[2]] = op[3][rows]
        elif kind == "rows":
            out[:, op[1] : op[2]] = op[3][:, rows].T
        elif kind == "take":
            out[:, op[1] : op[2]] = op[3][op[4][rows]]
        elif kind == "ones":
            out[:, op[1] : op[2]] = 1.0
        else:
            column = np.ones(out.shape[0])
            for matrix, source, j in op[2]:
                if matrix is None:
                    column *= source[rows, j]
                else:
                    column *= matrix[source[rows], j]
            out[:, op[1]] = column


numerical = _numerical  # public names for spec.py
categorical_codes = _codes


def fill_matrix(info: Any, data: Mapping[str, Any], n: int, index: Any = None) -> np.ndarray | None:
    """The float64 C-ordered design matrix of ``data`` under ``info``, or None (use patsy).

    Parameters
    ----------
    info : patsy.DesignInfo
        From :func:`design_info` (or a training design, for new data).
    data : mapping of column name -> values
        Evaluated by patsy's factor code, exactly as ``patsy.build_design_matrices`` would.
    n : int
        Number of rows.
    index : pandas.Index, optional
        When given, factor values that are pandas objects must carry this index.

    Returns
    -------
    ndarray (n, len(info.column_names)) or None

    Notes
    -----
    Column ``c`` of a subterm with factors ``f_1, ..., f_m`` and column indices ``j_1, ..., j_m``
    is ``prod_k v_k`` where ``v_k = C_k[codes_k, j_k]`` for a categorical factor with contrast
    matrix ``C_k`` and ``v_k = values_k[:, j_k]`` for a numerical one, multiplied left to right
    in float64 as in ``patsy.build._build_subterm`` (``1.0 * v`` is exactly ``v``), so the result
    equals patsy's bit for bit. Rows are filled in blocks of ``FILL_CHUNK_ROWS``, shared out over
    the cores by threads (numpy copies release the GIL).
    """
    values = _factor_values(info, data, n, index)
    if values is None:
        return None
    return fill_values(subterms_of_info(info), values, n, len(info.column_names))


def fill_values(
    subterms: list[Subterm], values: Mapping[Any, np.ndarray], n: int, n_columns: int
) -> np.ndarray:
    """The float64 C-ordered matrix (n, n_columns) of ``subterms`` given each factor's values.

    Numerical factors' values are 2-D float arrays (n, width), categorical ones integer codes.
    """
    return _fill(subterms, values, n, n_columns, bounds=False)[0]


@dataclass(frozen=True)
class ColumnBounds:
    """Each design column's largest and smallest value (NaN when the column holds a NaN)."""

    high: np.ndarray
    low: np.ndarray

    @property
    def finite(self) -> bool:
        """True when every value of the matrix is finite (no NaN, no inf)."""
        return bool(np.isfinite(self.high).all() and np.isfinite(self.low).all())

    @property
    def max_abs(self) -> np.ndarray:
        """``max |x|`` of each column."""
        return np.maximum(self.high, -self.low)


def fill_matrix_bounds(
    info: Any, data: Mapping[str, Any], n: int, index: Any = None
) -> tuple[np.ndarray, ColumnBounds] | None:
    """:func:`fill_matrix` and the :class:`ColumnBounds` of the matrix, taken block by block
    while each block is in cache (no further pass over the matrix), or None (use patsy)."""
    values = _factor_values(info, data, n, index)
    if values is None:
        return None
    X, bounds = _fill(subterms_of_info(info), values, n, len(info.column_names), bounds=True)
    return (X, bounds) if bounds is not None else None


def _fill(
    subterms: list[Subterm],
    values: Mapping[Any, np.ndarray],
    n: int,
    n_columns: int,
    *,
    bounds: bool,
) -> tuple[np.ndarray, ColumnBounds | None]:
    plan = _plan(subterms, values)
    out = np.empty((n, n_columns), dtype=np.float64)
    slices = chunk_slices(n, FILL_CHUNK_ROWS)
    high = np.full((len(slices), n_columns), -np.inf)
    low = np.full((len(slices), n_columns), np.inf)

    def work(mine: list[slice]) -> None:  # blocks of rows shared out over the cores
        for rows in mine:
            block = out[rows]
            _fill_block(plan, rows, block)
            if bounds and block.shape[0]:
                b = rows.start // FILL_CHUNK_ROWS
                np.max(block, axis=0, out=high[b])
                np.min(block, axis=0, out=low[b])

    map_chunks(work, slices)
    if not bounds:  # (NaN propagates through max/min: a non-finite value shows in the bounds)
        return out, None
    return out, ColumnBounds(high.max(axis=0, initial=-np.inf), low.min(axis=0, initial=np.inf))
