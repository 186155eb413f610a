"""Bounded resources: the size of a design is computed, and checked, before it is allocated.

After patsy has learnt each factor's type and levels (cheap: no matrix, no contrast matrix yet),
:func:`check_design_size` bounds the number of columns of every term (the product, over its
factors, of a categorical factor's number of levels or a numerical factor's number of columns)
and the bytes of the float64 design (rows x columns) plus the contrast matrices (levels x
levels per categorical factor of a term). Over the budget, a :class:`DataError` names the term
that makes the design large, before anything large is allocated.

The budget is, in order: the ``max_bytes`` argument, the environment variable
``LOGITSTATS_MAX_DESIGN_BYTES`` (bytes, e.g. ``8e9``), or the default: a quarter
(``DEFAULT_MEMORY_FRACTION``) of the memory available to the process (the smaller of the
system's available memory and the room left under an address-space limit), which leaves room
for the copies a fit makes of the design (aliasing check, weighted cross-products).

Splines are bounded before patsy computes their knots: ``bs``, ``cr`` and ``cc`` of a formula
are :class:`BoundedBS` / :class:`BoundedCR` / :class:`BoundedCC`, patsy's transforms whose
``memorize_finish`` first checks that ``df`` (and ``bs``'s ``degree``) is at most the number of
rows (a spline basis cannot have more useful columns than rows), so ``bs(x, df=10**9)`` is a
:class:`DataError` instead of a 10**9-quantile allocation.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from numbers import Real
from typing import Any

from patsy.mgcv_cubic_splines import CC, CR
from patsy.splines import BS
from patsy.state import stateful_transform

from logitstats.errors import DataError

__all__ = [
    "BoundedBS",
    "BoundedCC",
    "BoundedCR",
    "bs",
    "cc",
    "cr",
    "check_spline_size",
    "BUDGET_ENV",
    "DEFAULT_MEMORY_FRACTION",
    "available_memory",
    "check_design_size",
    "design_budget",
]

BUDGET_ENV = "LOGITSTATS_MAX_DESIGN_BYTES"
DEFAULT_MEMORY_FRACTION = 0.25
_FALLBACK_MEMORY = 4 * 2**30  # when the platform says nothing about its memory
_ITEM = 8  # bytes of a float64


def available_memory() -> int:
    """Bytes the process can still allocate: available RAM, capped by an ``RLIMIT_AS`` limit."""
    avail = None
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    avail = int(line.split()[1]) * 1024
                    break
    except OSError:
        pass
    if avail is None:
        try:
            avail = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError, AttributeError):
            avail = _FALLBACK_MEMORY
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY:
            with open("/proc/self/statm") as fh:
                used = int(fh.read().split()[0]) * resource.getpagesize()
            avail = min(avail, max(soft - used, 0))
    except (ImportError, OSError, ValueError):
        pass
    return int(avail)


def design_budget(max_bytes: float | None = None) -> int:
    """The budget in bytes: ``max_bytes``, else ``$LOGITSTATS_MAX_DESIGN_BYTES``, else the default.

    Raises
    ------
    DataError
        ``max_bytes`` or the environment variable is not a positive number.
    """
    value: float | str | None
    source, value = "max_design_bytes", max_bytes
    if value is None and os.environ.get(BUDGET_ENV):
        source, value = BUDGET_ENV, os.environ[BUDGET_ENV]
    if value is None:
        return int(DEFAULT_MEMORY_FRACTION * available_memory())
    try:
        budget = float(value)
    except (TypeError, ValueError):
        budget = float("nan")
    if not budget > 0 or budget == float("inf"):
        raise DataError(f"{source} must be a positive number of bytes, e.g. 8e9; got {value!r}")
    return int(budget)


def _gib(n: float) -> str:
    return f"{n / 2**30:.3g} GiB"


def check_design_size(
    termlist: Sequence[Any],
    num_columns: Mapping[Any, int],
    levels: Mapping[Any, Any],
    n_rows: int,
    max_bytes: float | None = None,
) -> None:
    """DataError when the design of ``termlist`` on ``n_rows`` rows would exceed the budget.

    Parameters
    ----------
    termlist : sequence of patsy Term
    num_columns : mapping factor -> int
        Columns of each numerical factor (patsy's ``num_column_counts``).
    levels : mapping factor -> (levels, contrast)
        Each categorical factor's levels (patsy's ``cat_levels_contrasts``).
    n_rows : int
    max_bytes : float, optional
        See :func:`design_budget`.

    Notes
    -----
    Term ``t`` has at most ``prod_f w_f`` columns, ``w_f`` = levels or columns of factor ``f``;
    the estimate is ``8 * (n_rows * sum_t cols_t + sum_t sum_{f categorical} levels_f**2)``.
    """
    total_cols = 0
    contrast_bytes = 0
    worst = (0, "", "")
    for term in termlist:
        cols = 1
        parts = []
        for factor in term.factors:
            if factor in num_columns:
                width = int(num_columns[factor])
                parts.append(f"{factor.name()} has {width} column(s)")
            else:
                width = len(levels[factor][0])
                contrast_bytes += _ITEM * width * width
                parts.append(f"{factor.name()} has {width} levels")
            cols *= width
        total_cols += cols
        if cols > worst[0]:
            worst = (cols, term.name(), "; ".join(parts))
    need = _ITEM * n_rows * total_cols + contrast_bytes
    budget = design_budget(max_bytes)
    if need <= budget:
        return
    cols, name, why = worst
    raise DataError(
        f"the design would need about {_gib(need)} ({n_rows} rows x up to {total_cols} columns"
        f" of float64, plus contrast matrices); expected at most the budget of {_gib(budget)}; "
        f"the largest term is {name!r}, with up to {cols} columns ({why}). Use fewer levels "
        "(group rare ones, or leave an identifier out), fewer interactions or fewer rows; "
        f"or raise the budget with max_design_bytes= or the environment variable {BUDGET_ENV}"
    )


# --------------------------------------------------------------------------- splines


def check_spline_size(name: str, n_rows: int, args: Mapping[str, Any]) -> None:
    """DataError when a spline's ``df`` or ``degree`` exceeds ``n_rows`` (before any knot).

    Parameters
    ----------
    name : str
        ``"bs"``, ``"cr"`` or ``"cc"``, for the message.
    n_rows : int
        The number of values the spline is learnt on.
    args : mapping
        The spline's keyword arguments (patsy's ``memorize_chunk`` arguments).
    """
    for arg in ("df", "degree"):
        value = args.get(arg)
        if isinstance(value, Real) and not isinstance(value, bool) and float(value) > n_rows:
            advice = "df=3 to 10 is usual; or pass knots=[...]" if arg == "df" else "3 is cubic"
            raise DataError(
                f"{name}(..., {arg}={value!r}): expected {arg} at most the number of rows "
                f"({n_rows}), as a spline basis cannot have more columns than rows; got "
                f"{arg}={value!r}. Use a small {arg} ({advice})"
            )


def _n_rows(tmp: Mapping[str, Any]) -> int:
    return int(sum(len(x) for x in tmp.get("xs", ())))


class BoundedBS(BS):
    """patsy's ``bs`` whose ``df`` and ``degree`` are checked before its knots are computed."""

    def memorize_finish(self) -> None:
        check_spline_size("bs", _n_rows(self._tmp), self._tmp.get("args", {}))
        super().memorize_finish()


class BoundedCR(CR):
    """patsy's ``cr`` whose ``df`` is checked before its knots are computed."""

    def memorize_finish(self) -> None:
        check_spline_size("cr", _n_rows(self._tmp), self._tmp.get("args", {}))
        super().memorize_finish()


class BoundedCC(CC):
    """patsy's ``cc`` whose ``df`` is checked before its knots are computed."""

    def memorize_finish(self) -> None:
        check_spline_size("cc", _n_rows(self._tmp), self._tmp.get("args", {}))
        super().memorize_finish()


bs = stateful_transform(BoundedBS)
cr = stateful_transform(BoundedCR)
cc = stateful_transform(BoundedCC)
