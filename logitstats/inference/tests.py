"""Wald and likelihood-ratio tests on ndarrays (no pandas, no patsy).

- Wald test of ``H0: R b = q``: ``W = (R b - q)' (R V R')^{-1} (R b - q) ~ chi2(rank R)``.
- LR test of nested models: ``LR = 2 (l_full - l_restricted) ~ chi2(k_full - k_restricted)``.
- Type II Wald hypotheses for a term with higher-order relatives follow ``car::Anova``: the
  rows of the hypothesis span the conjugate complement, with respect to ``V``, of the
  relatives' coefficients within the term's and the relatives' coefficients.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.linalg

from logitstats.errors import LogitstatsError
from logitstats.numerics.distributions import chi2_sf

__all__ = [
    "TestResult",
    "wald_statistic",
    "lr_statistic",
    "parse_hypothesis",
    "conjugate_complement",
    "split_restrictions",
]


@dataclass(frozen=True)
class TestResult:
    """The result of a hypothesis test.

    Attributes
    ----------
    statistic : float
        The chi-square statistic.
    df : int
        Its degrees of freedom.
    p_value : float
        ``P(chi2(df) > statistic)``.
    test : str
        ``"Wald"``, ``"Wald (delta method)"`` (nonlinear restrictions) or
        ``"likelihood ratio"``.
    description : str
        The hypothesis in words.
    """

    __test__ = False  # not a pytest test class

    statistic: float
    df: int
    p_value: float
    test: str
    description: str

    def __str__(self) -> str:
        return (
            f"{self.test} test: {self.description}\n"
            f"chi2({self.df}) = {self.statistic:.6g}, p = {self.p_value:.4g}"
        )


def _chi2_p(stat: float, df: int) -> float:
    return float(chi2_sf(stat, df)) if df > 0 else float("nan")


def wald_statistic(
    params: np.ndarray, cov: np.ndarray, R: np.ndarray, q: np.ndarray
) -> tuple[float, int]:
    """``(W, rank R)`` for ``H0: R b = q`` with covariance ``cov`` of ``b``.

    Raises
    ------
    LogitstatsError
        When ``R V R'`` is singular (redundant or contradictory restrictions).
    """
    R = np.atleast_2d(np.asarray(R, dtype=float))
    diff = R @ params - np.asarray(q, dtype=float)
    middle = R @ cov @ R.T
    rank = int(np.linalg.matrix_rank(R))
    if rank < R.shape[0] or not np.all(np.isfinite(middle)):
        raise LogitstatsError(
            f"the {R.shape[0]} restrictions are linearly dependent (rank {rank}); "
            "drop the redundant ones"
        )
    try:
        fac = scipy.linalg.cho_factor(middle, check_finite=False)
        w = float(diff @ scipy.linalg.cho_solve(fac, diff, check_finite=False))
    except (np.linalg.LinAlgError, ValueError):
        raise LogitstatsError(
            "R V R' is not positive definite for these restrictions (a tested coefficient has "
            "no finite variance); check the model for aliasing or separation"
        ) from None
    return w, rank


def wald_test(
    params: np.ndarray, cov: np.ndarray, R: np.ndarray, q: np.ndarray, description: str
) -> TestResult:
    """:class:`TestResult` of the Wald test ``R b = q``."""
    w, df = wald_statistic(params, cov, R, q)
    return TestResult(w, df, _chi2_p(w, df), "Wald", description)


def lr_statistic(loglik_full: float, loglik_restricted: float, df: int) -> tuple[float, float]:
    """``(LR, p)``; LR is clipped at 0 (a negative value is rounding in the two fits)."""
    lr = max(2.0 * (loglik_full - loglik_restricted), 0.0)
    return lr, _chi2_p(lr, df)


def conjugate_complement(X: np.ndarray, Z: np.ndarray, ip: np.ndarray) -> np.ndarray:
    """Basis of the part of ``span(Z)`` orthogonal to ``span(X)`` in the inner product ``ip``.

    As ``car:::ConjComp``: ``Z Q[:, rank:]`` with ``Q`` from the complete QR of ``Z' ip X``.
    """
    if X.shape[1] == 0:
        return Z
    Q, Rm = scipy.linalg.qr(Z.T @ ip @ X)
    diag = np.abs(np.diag(Rm)) if Rm.size else np.zeros(0)
    rank = int(np.sum(diag > 1e-7 * (diag.max() if diag.size else 0.0)))
    if rank == 0:
        return Z
    return Z @ Q[:, rank:]


_NUMBER = re.compile(r"\s*(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def _parse_side(text: str, names: Sequence[str]) -> tuple[np.ndarray, float]:
    """Coefficients of a linear combination ``a*name + b*name - c + ...`` and its constant."""
    coef = np.zeros(len(names))
    const = 0.0
    by_length = sorted(range(len(names)), key=lambda i: -len(names[i]))
    pos, n = 0, len(text)
    expect_term = True
    sign = 1.0
    while pos < n:
        ch = text[pos]
        if ch.isspace():
            pos += 1
            continue
        if ch in "+-" and expect_term:
            sign = -sign if ch == "-" else sign
            pos += 1
            continue
        if ch in "+-":
            sign = -1.0 if ch == "-" else 1.0
            expect_term = True
            pos += 1
            continue
        if not expect_term:
            raise LogitstatsError(f"cannot parse {text!r} at {text[pos:]!r}: expected + or -")
        factor = 1.0
        m = _NUMBER.match(text, pos)
        if m and not any(text.startswith(names[i], pos) for i in by_length):
            factor = float(m.group(0))
            pos = m.end()
            rest = text[pos:].lstrip()
            if not rest.startswith("*"):
                const += sign * factor
                sign, expect_term = 1.0, False
                continue
            pos = n - len(rest) + 1
            while pos < n and text[pos].isspace():
                pos += 1
        for i in by_length:
            if text.startswith(names[i], pos):
                coef[i] += sign * factor
                pos += len(names[i])
                break
        else:
            raise LogitstatsError(
                f"cannot parse {text!r} at {text[pos:]!r}: expected a coefficient name, one "
                f"of {', '.join(map(repr, names[:12]))}{' ...' if len(names) > 12 else ''}"
            )
        sign, expect_term = 1.0, False
    if expect_term and pos > 0 and text.strip():
        raise LogitstatsError(f"cannot parse {text!r}: it ends with an operator")
    return coef, const


def parse_hypothesis(hypothesis: str, names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(R, q)`` of restrictions such as ``"x1 = x2"`` or ``"x1 - 2*x2 = 1, x3 = 0"``.

    Restrictions are separated by ``,`` or ``;``; each side is a linear combination of the
    coefficient names (matched literally, longest first, so names may hold brackets, dots and
    parentheses) and numbers; a restriction with no ``=`` means ``= 0``.
    """
    if not isinstance(hypothesis, str) or not hypothesis.strip():
        raise LogitstatsError(
            f"hypothesis must be a string such as 'x1 = x2' or a tuple (R, q); got {hypothesis!r}"
        )
    parts = _split_top(hypothesis)
    rows, rhs = [], []
    for part in parts:
        sides = part.split("=")
        if len(sides) > 2:
            raise LogitstatsError(f"restriction {part.strip()!r} has more than one '='")
        left, lc = _parse_side(sides[0], names)
        right, rc = _parse_side(sides[1], names) if len(sides) == 2 else (np.zeros(len(names)), 0.0)
        row = left - right
        if not np.any(row):
            raise LogitstatsError(f"restriction {part.strip()!r} involves no coefficient")
        rows.append(row)
        rhs.append(rc - lc)
    return np.array(rows), np.array(rhs)


def split_restrictions(text: str) -> list[str]:
    """The restrictions of ``text``: split on ',' and ';' outside brackets and parentheses."""
    return _split_top(text)


def _split_top(text: str) -> list[str]:
    """Split on ',' and ';' outside brackets and parentheses."""
    out: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch in ",;" and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [p for p in out if p.strip()]
