"""Tests and likelihood intervals of fitted models: labels and refits around the array code.

The machinery behind ``result.wald_test``, ``result.anova`` and
``result.conf_int(method="profile")`` (``ls.lr_test`` is in :mod:`logitstats.results.lr`); the
numerics live in :mod:`logitstats.inference.tests` and :mod:`logitstats.inference.profile`.
Imports :mod:`logitstats.results.base` for type checking only: the results import this module,
not the other way round.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from logitstats.design.terms import TermInfo, term_structure
from logitstats.errors import LogitstatsError, SeparationWarning, warn
from logitstats.inference.delta import delta_table
from logitstats.inference.nonlinear import is_nonlinear, parse_expressions
from logitstats.inference.profile import profile_intervals
from logitstats.inference.tests import (
    TestResult,
    conjugate_complement,
    lr_statistic,
    parse_hypothesis,
    split_restrictions,
    wald_statistic,
)
from logitstats.inference.tests import (
    wald_test as _wald,
)
from logitstats.numerics.distributions import chi2_sf
from logitstats.options import (
    AnovaTest,
    AnovaType,
    Estimator,
    parse_anova_type,
    parse_level,
    parse_option,
)
from logitstats.results.refit import REFIT_OPTIONS, objective, refit

if TYPE_CHECKING:
    from logitstats.results.base import FitResult

__all__ = [
    "wald_test",
    "hypotheses",
    "term_restrictions",
    "anova",
    "profile_ci",
    "parameter_names",
    "require_ml",
    "TestResult",
]


def parameter_names(result: FitResult) -> list[str]:
    """Names of the flat parameters: the term (binary) or ``"term[outcome]"`` (multinomial)."""
    return result.layout.parameter_names()


def require_ml(result: FitResult, what: str) -> None:
    if result.estimator is not Estimator.ML:
        raise LogitstatsError(
            f"{what} uses the likelihood of the model, but this fit maximised a "
            f"{result.method}; refit without firth=True for {what}"
        )


# --------------------------------------------------------------------------- profile intervals


def profile_ci(result: FitResult, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Profile-likelihood bounds of every coefficient; infinite bounds come with a warning."""
    require_ml(result, "a profile-likelihood interval")
    st = result.state
    prof = profile_intervals(
        objective(result), st.params, st.loglik, st.information, level, options=REFIT_OPTIONS
    )
    if prof.unbounded:
        names = parameter_names(result)
        which = ", ".join(f"{names[j]} ({side})" for j, side in prof.unbounded)
        warn(
            f"the profile likelihood never reaches the {level:g} cut-off for {which}: that "
            "bound is infinite (separation: the estimate is not finite in that direction). "
            "Consider firth=True",
            SeparationWarning,
        )
    return prof.lower, prof.upper


# --------------------------------------------------------------------------- Wald test


def term_restrictions(result: FitResult) -> dict[str, list[int]]:
    """Flat positions of each term's coefficients, by name: ``"C(rank)"`` (binary: its
    columns; multinomial: its columns in every outcome) and, multinomial, ``"C(rank)[bus]"``
    (one outcome)."""
    layout = result.layout
    out: dict[str, list[int]] = {}
    for term in term_structure(result.design):
        cols = list(term.columns)
        out[term.name] = [int(j) for j in layout.term_positions(cols)]
        for k, o in enumerate(layout.outcomes or ()):
            out[f"{term.name}[{o}]"] = [k * layout.n_terms + c for c in cols]
    return out


def _linear(result: FitResult, text: str, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(R, q)`` of a linear hypothesis; a restriction that is a term name stands for all of
    the term's coefficients being 0 (a joint test, as ``car::linearHypothesis`` on them)."""
    terms = term_restrictions(result)
    eye = np.eye(len(names))
    rows: list[np.ndarray] = []
    rhs: list[np.ndarray] = []
    for part in split_restrictions(text):
        key = part.strip()
        if key in terms and key not in names:
            rows.append(eye[terms[key]])
            rhs.append(np.zeros(len(terms[key])))
            continue
        R, q = parse_hypothesis(part, names)
        rows.append(R)
        rhs.append(q)
    return np.vstack(rows), np.concatenate(rhs)


def nonlinear_values(
    result: FitResult, hypothesis: str
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Labels, values ``g(b)`` ``(m,)`` and exact Jacobian ``(m, k)`` of nonlinear functions."""
    exprs = parse_expressions(hypothesis, parameter_names(result))
    b = result.state.params
    vals, grads = zip(*(e.value_and_gradient(b) for e in exprs), strict=True)
    return [e.text for e in exprs], np.array(vals), np.vstack(grads)


def _nonlinear_wald(result: FitResult, hypothesis: str, desc: str) -> TestResult:
    """``g' (J V J')^{-1} g ~ chi2(r)`` of the restrictions ``g(b) = 0`` (Stata's ``testnl``)."""
    _, g, J = nonlinear_values(result, hypothesis)
    w, df = wald_statistic(g, J @ result.cov_array @ J.T, np.eye(g.size), np.zeros(g.size))
    return TestResult(w, df, float(chi2_sf(w, df)), "Wald (delta method)", desc)


def wald_test(result: FitResult, hypothesis: Any) -> TestResult:
    """Wald test of linear restrictions, term names, or nonlinear restrictions (delta method);
    see :meth:`FitResult.wald_test`."""
    names = parameter_names(result)
    k = len(names)
    if isinstance(hypothesis, str):
        if not hypothesis.strip():
            parse_hypothesis(hypothesis, names)  # raises the message for an empty string
        desc = hypothesis.strip()
        if is_nonlinear(hypothesis):
            return _nonlinear_wald(result, hypothesis, desc)
        try:
            R, q = _linear(result, hypothesis, names)
        except LogitstatsError as linear_error:
            try:  # e.g. a product of coefficients, "GPA*TUCE = 1"
                return _nonlinear_wald(result, hypothesis, desc)
            except LogitstatsError:
                raise linear_error from None
    elif isinstance(hypothesis, tuple) and len(hypothesis) == 2:
        R = np.atleast_2d(np.asarray(hypothesis[0], dtype=float))
        q = np.atleast_1d(np.asarray(hypothesis[1], dtype=float))
        if R.shape[1] != k or q.shape != (R.shape[0],):
            raise LogitstatsError(
                f"hypothesis (R, q) must have R of shape (r, {k}) and q of shape (r,); got R "
                f"{R.shape} and q {q.shape}"
            )
        desc = f"R b = q with {R.shape[0]} restriction(s)"
    else:
        raise LogitstatsError(
            "hypothesis must be a string such as 'x1 = x2' or a tuple (R, q); got "
            f"{type(hypothesis).__name__}"
        )
    return _wald(result.state.params, result.cov_array, R, q, desc)


def hypotheses(result: FitResult, hypothesis: Any, conf_level: float = 0.95) -> pd.DataFrame:
    """Delta-method estimates of functions of the coefficients; see
    :meth:`FitResult.hypotheses`."""
    level = parse_level(conf_level, "conf_level")
    labels, g, J = nonlinear_values(result, hypothesis)
    t = delta_table(g, J, result.cov_array, level)
    out = pd.DataFrame({"term": labels})
    for name in ("estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high"):
        out[name] = getattr(t, name)
    return out


# --------------------------------------------------------------------------- anova


def _relatives(term: TermInfo, terms: list[TermInfo]) -> list[TermInfo]:
    """Terms that contain ``term`` (its higher-order relatives), as ``car``'s ``relatives``."""
    own = set(term.factors)
    return [u for u in terms if u is not term and own <= set(u.factors)]


def anova(result: FitResult, type: int = 2, test: str = "lr") -> pd.DataFrame:
    """Per-term tests; see :meth:`FitResult.anova`."""
    kind = 2 if parse_anova_type(type, "type") is AnovaType.II else 3
    t = parse_option(AnovaTest, test, "test").value
    if t == "lr":
        require_ml(result, "an LR anova")
    layout = result.layout
    terms = [u for u in term_structure(result.design) if u.factors]
    if not terms:
        raise LogitstatsError("the model has no terms besides the intercept to test")
    rows = []
    for term in terms:
        rels = _relatives(term, terms) if kind == 2 else []
        df = len(term.columns) * layout.n_outcomes
        if t == "lr":
            rel_cols = [c for u in rels for c in u.columns]
            ll1 = refit(result, list(term.columns) + rel_cols).loglik
            ll2 = refit(result, rel_cols).loglik if rels else result.llf
            stat, p = lr_statistic(ll2, ll1, df)
        else:
            pos_t = layout.term_positions(list(term.columns))
            eye = np.eye(layout.size)
            if rels:
                pos_r = layout.term_positions([c for u in rels for c in u.columns])
                L = conjugate_complement(
                    eye[pos_r].T, eye[np.r_[pos_r, pos_t]].T, result.cov_array
                ).T
                L = L[~np.all(np.abs(L) < 1e-12, axis=1)]
            else:
                L = eye[pos_t]
            res = _wald(result.state.params, result.cov_array, L, np.zeros(L.shape[0]), term.name)
            stat, df, p = res.statistic, res.df, res.p_value
        rows.append({"term": term.name, "df": df, "statistic": stat, "p_value": p})
    return pd.DataFrame(rows, columns=["term", "df", "statistic", "p_value"])
