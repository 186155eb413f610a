"""Number formatting shared by every renderer, so that all formats agree digit for digit."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["fmt_num", "fmt_fixed", "fmt_p", "fmt_p_clause", "fmt_int", "fmt_stat"]


def fmt_num(x: float | None, digits: int = 4) -> str:
    """Fixed ``digits`` decimals for ordinary magnitudes, scientific outside [1e-3, 1e6).

    >>> fmt_num(-13.021347), fmt_num(0.0000123), fmt_num(float("nan")), fmt_num(float("inf"))
    ('-13.0213', '1.230e-05', 'NA', 'Inf')
    """
    if x is None:
        return "NA"
    x = float(x)
    if math.isnan(x):
        return "NA"
    if math.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    if x == 0 or 1e-3 <= abs(x) < 1e6:
        return f"{x:.{digits}f}"
    return f"{x:.{digits - 1}e}"


def fmt_fixed(x: float | None, digits: int = 4) -> str:
    """Fixed ``digits`` decimals at every magnitude (never scientific): the cells of one table
    column line up on the decimal point.

    >>> fmt_fixed(-13.021347), fmt_fixed(0.0000123), fmt_fixed(2.5e7), fmt_fixed(-0.00001)
    ('-13.0213', '0.0000', '25000000.0000', '0.0000')
    """
    if x is None:
        return "NA"
    x = float(x)
    if math.isnan(x):
        return "NA"
    if math.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    text = f"{x:.{digits}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def fmt_p(p: float | None) -> str:
    """p-values: ``'< 0.001'`` below 0.001, else three decimals.

    >>> fmt_p(0.00002), fmt_p(0.04321), fmt_p(1.0)
    ('< 0.001', '0.043', '1.000')
    """
    if p is None or math.isnan(float(p)):
        return "NA"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def fmt_p_clause(p: float | None) -> str:
    """``'p < 0.001'`` or ``'p = 0.043'``, for prose such as test lines.

    >>> fmt_p_clause(0.00002), fmt_p_clause(0.04321)
    ('p < 0.001', 'p = 0.043')
    """
    text = fmt_p(p)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def fmt_stat(x: float | None) -> str:
    """Test statistics (z, chi-square): two decimals, or scientific when huge."""
    return fmt_num(x, digits=2) if x is None or math.isnan(float(x)) or abs(x) < 1e6 else f"{x:.2e}"


def fmt_int(x: float | None) -> str:
    """Counts; a non-integer (fractional frequency weights) keeps two decimals."""
    if x is None or math.isnan(float(x)):
        return "NA"
    return f"{int(round(x))}" if float(x).is_integer() else f"{x:.2f}"


def cell(x: Any) -> float | None:
    """A pandas/NumPy cell as the ``float | None`` the ``fmt_*`` functions take.

    ``None`` stays ``None`` (printed "NA"); any other value goes through ``float`` exactly as
    the ``fmt_*`` functions would convert it themselves.

    >>> cell(None), cell(3), cell(float("nan"))
    (None, 3.0, nan)
    """
    return None if x is None else float(x)
