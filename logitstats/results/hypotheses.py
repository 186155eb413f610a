"""Tests and likelihood intervals of fitted models: labels and refits around the array code.

:func:`lr_test` (public as ``ls.lr_test``), and the machinery behind ``result.wald_test``,
``result.anova`` and ``result.conf_int(method="profile")``; the numerics live in
:mod:`logitstats.inference.tests` and :mod:`logitstats.inference.profile`.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats

from logitstats.design.terms import TermInfo, term_structure
from logitstats.errors import LogitstatsError, SeparationWarning
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
from logitstats.options import AnovaTest, AnovaType, parse_anova_type, parse_level, parse_option
from logitstats.results.refit import REFIT_OPTIONS, objective, refit

if TYPE_CHECKING:
    from logitstats.results.base import FitResult

__all__ = [
    "lr_test",
    "wald_test",
    "hypotheses",
    "term_restrictions",
    "anova",
    "profile_ci",
    "parameter_names",
    "TestResult",
]

_ML = "maximum likelihood"


def parameter_names(result: FitResult) -> list[str]:
    """Names of the flat parameters: the term (binary) or ``"term[outcome]"`` (multinomial)."""
    if result.layout.is_multinomial:
        return [f"{t}[{o}]" for o, t in result.layout.labels()]
    return list(result.layout.terms)


def _require_ml(result: FitResult, what: str) -> None:
    if result.method != _ML:
        raise LogitstatsError(
            f"{what} uses the likelihood of the model, but this fit maximised a "
            f"{result.method}; refit without firth=True for {what}"
        )


# --------------------------------------------------------------------------- profile intervals


def profile_ci(result: FitResult, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Profile-likelihood bounds of every coefficient; infinite bounds come with a warning."""
    _require_ml(result, "a profile-likelihood interval")
    st = result.state
    prof = profile_intervals(
        objective(result), st.params, st.loglik, st.information, level, options=REFIT_OPTIONS
    )
    if prof.unbounded:
        names = parameter_names(result)
        which = ", ".join(f"{names[j]} ({side})" for j, side in prof.unbounded)
        warnings.warn(
            f"the profile likelihood never reaches the {level:g} cut-off for {which}: that "
            "bound is infinite (separation: the estimate is not finite in that direction). "
            "Consider firth=True",
            SeparationWarning,
            stacklevel=4,
        )
    return prof.lower, prof.upper


# --------------------------------------------------------------------------- LR test


def _same_rows(a: FitResult, b: FitResult) -> str | None:
    da, db = a.design, b.design
    if da.kind != db.kind:
        return f"one is a {da.kind} model and the other a {db.kind} model"
    if da.y.shape[0] != db.y.shape[0] or not da.index.equals(db.index):
        return (
            f"they were fitted on different rows ({da.y.shape[0]} and {db.y.shape[0]} rows used; "
            "missing values in a predictor of only one model drop different rows). Fit both on "
            "the same complete rows"
        )
    if not np.array_equal(da.y, db.y) or da.reference != db.reference or da.event != db.event:
        return "their outcomes differ (a different outcome, event or reference level)"
    for name in ("weights", "offset"):
        va, vb = getattr(da, name), getattr(db, name)
        if (va is None) != (vb is None) or (va is not None and not np.array_equal(va, vb)):
            return f"their {name} differ"
    return None


def _nested(small: FitResult, big: FitResult) -> bool:
    """Every column of the smaller design lies in the column space of the larger one."""
    Xs, Xb = small.design.X, big.design.X
    if Xs.shape[1] == 0:
        return True
    coef, *_ = np.linalg.lstsq(Xb, Xs, rcond=None)
    resid = Xs - Xb @ coef
    scale = np.linalg.norm(Xs, axis=0) + 1.0
    return bool(np.all(np.linalg.norm(resid, axis=0) <= 1e-8 * scale))


def lr_test(restricted: FitResult, full: FitResult) -> TestResult:
    """Likelihood-ratio test of a restricted model against a larger model that nests it.

    Parameters
    ----------
    restricted, full : LogitResult or MLogitResult
        Fits of the same kind on the same rows (same outcome coding, weights and offset); the
        restricted model's design columns must lie in the column space of the full model's.

    Returns
    -------
    TestResult
        ``statistic = 2 (llf_full - llf_restricted)``, ``df`` the difference in the number of
        parameters, ``p_value`` from ``chi2(df)``.

    Raises
    ------
    LogitstatsError
        When the fits are not on the same rows, not nested, or in the wrong order.

    Examples
    --------
    >>> import logitstats as ls
    >>> df = ls.datasets.load("spector")
    >>> small = ls.logit("GRADE ~ GPA", data=df)
    >>> big = ls.logit("GRADE ~ GPA + TUCE + PSI", data=df)
    >>> t = ls.lr_test(small, big)
    >>> t.df, round(t.statistic, 4)
    (2, 6.6385)
    """
    from logitstats.results.base import FitResult

    for name, obj in (("restricted", restricted), ("full", full)):
        if not isinstance(obj, FitResult):
            raise LogitstatsError(
                f"{name} must be a fitted model (ls.logit or ls.mlogit); got {type(obj).__name__}"
            )
    for obj in (restricted, full):
        _require_ml(obj, "the likelihood-ratio test")
    problem = _same_rows(restricted, full)
    if problem:
        raise LogitstatsError(f"the two models cannot be compared by an LR test: {problem}")
    df = full.k_params - restricted.k_params
    if df <= 0:
        hint = " (did you swap restricted and full?)" if df < 0 else ""
        raise LogitstatsError(
            f"the full model must have more parameters than the restricted one; got "
            f"{full.k_params} (full) and {restricted.k_params} (restricted){hint}"
        )
    if not _nested(restricted, full):
        raise LogitstatsError(
            f"the models are not nested: some design columns of the restricted model "
            f"({restricted.design.formula!r}) are not in the span of the full model's "
            f"({full.design.formula!r}); the LR test needs nested models"
        )
    stat, p = lr_statistic(full.llf, restricted.llf, df)
    desc = f"{restricted.design.formula!r} (restricted) against {full.design.formula!r} (full)"
    return TestResult(stat, df, p, "likelihood ratio", desc)


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
    return TestResult(w, df, float(stats.chi2.sf(w, df)), "Wald (delta method)", desc)


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
        _require_ml(result, "an LR anova")
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
