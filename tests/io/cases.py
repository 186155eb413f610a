"""The fitted cases of the R reference set, for the model-file and pickle round trips.

Each case is built from ``tests/reference/*.json`` (formula, data, weights, offset, cluster
column, reference level; the ordinal fits as ``tests/fit/test_ologit.py`` builds them) exactly
as the R-comparison tests fit it, and returns the fit, the
data it was fitted on, and the keywords that data needs again in ``ls.load(path, data=...)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

import logitstats as ls
from tests.conftest import load_reference

BINARY = load_reference("binary_glm")
MULTI = load_reference("multinomial")
FIRTH = load_reference("firth")
INFER = load_reference("inference")
ORDINAL = load_reference("ordinal")
ORDINAL_FORMULA = {"housing": "Sat ~ Infl + Type + Cont", "wine": "rating ~ temp + contact"}

Case = tuple[Any, pd.DataFrame, dict[str, Any]]


def _binary(case: str) -> Case:
    ref = BINARY[case]
    df = ls.datasets.load(ref["data"])
    if case == "spector_weighted":
        w = np.asarray(ref["weights"], dtype=float)
        return ls.logit(ref["formula_py"], df, weights=w), df, {"weights": w}
    if case == "spector_offset":
        df = df.assign(off=0.1 * df["TUCE"])  # the reference's offset_definition
        return ls.logit(ref["formula_py"], df, offset="off"), df, {}
    return ls.logit(ref["formula_py"], df), df, {}


def _multi(case: str) -> Case:
    ref = MULTI[case]
    df = ls.datasets.load(ref["data"])
    kw: dict[str, Any] = {}
    if "weights" in ref:
        kw["weights"] = np.asarray(ref["weights"], dtype=float)
    return ls.mlogit(ref["formula_py"], df, reference=ref["reference"], **kw), df, kw


def _firth(case: str) -> Case:
    ref = FIRTH[case]
    df = (
        pd.DataFrame(ref["data_inline"])
        if ref["data"] == "inline"
        else ls.datasets.load(ref["data"])
    )
    return ls.logit(ref["formula_py"], df, firth=True), df, {}


def _sandwich(case: str, cov_type: str) -> Case:
    ref = INFER[case]
    df = ls.datasets.load(ref["data"])
    col = ref["cluster_column"]
    if col not in df.columns:  # spector: g = ((row_number - 1) %/% 4) + 1
        df = df.assign(**{col: np.asarray(ref["cluster_values"])})
    groups = col if cov_type == "cluster" else None
    if "reference" in ref:
        fit = ls.mlogit(
            ref["formula_py"], df, reference=ref["reference"], cov_type=cov_type, groups=groups
        )
    else:
        fit = ls.logit(ref["formula_py"], df, cov_type=cov_type, groups=groups)
    return fit, df, {"groups": groups}


def _ordinal(case: str) -> Case:
    ref = ORDINAL[case]
    df = pd.DataFrame(ref["data_inline"])  # R's factor levels, the outcome ordered
    outcome = ref["formula_r"].split("~")[0].strip()
    for col, levels in ref["factor_levels"].items():
        df[col] = pd.Categorical(df[col], categories=levels, ordered=col == outcome)
    kw = {} if ref["weights"] is None else {"weights": ref["weights"]}
    return ls.ologit(ORDINAL_FORMULA[case], df, **kw), df, kw


CASES: dict[str, Callable[[], Case]] = {
    **{c: (lambda c=c: _binary(c)) for c in BINARY if c != "meta"},
    **{f"mlogit_{c}": (lambda c=c: _multi(c)) for c in MULTI if c != "meta"},
    **{c: (lambda c=c: _firth(c)) for c in ("endometrial_firth", "separation_toy_firth")},
    "hc1_spector": lambda: _sandwich("sandwich_spector", "HC1"),
    "hc1_affairs": lambda: _sandwich("sandwich_affairs", "HC1"),
    "cluster_spector": lambda: _sandwich("sandwich_spector", "cluster"),
    "cluster_affairs": lambda: _sandwich("sandwich_affairs", "cluster"),
    "cluster_anes96_party": lambda: _sandwich("sandwich_anes96_party", "cluster"),
    "ologit_housing_weighted": lambda: _ordinal("housing"),
    "ologit_wine": lambda: _ordinal("wine"),
}
