"""Readable term names, reference-level rows, labels, order, drop and keep (reporting/labels)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import logitstats as ls
from logitstats.reporting.labels import factor_variable, merge_rows, select_rows, term_rows


@pytest.fixture(scope="module")
def affairs():
    return ls.datasets.load("affairs")


@pytest.fixture(scope="module")
def factor_fit(affairs):
    return ls.logit(
        "had_affair ~ C(rate_marriage) + C(religious, Treatment(2)) * educ + np.log(yrs_married)",
        affairs,
    )


def _labels(rows):
    return [(r.label, r.reference) for r in rows]


def test_factor_variable_reads_the_factor_code():
    assert factor_variable("C(race, Treatment('white'))") == "race"
    assert factor_variable('Q("my col")') == "my col"
    assert factor_variable('C(Q("a, b"), Sum)') == "a, b"
    assert factor_variable("np.log(age)") == "np.log(age)"


def test_readable_names_and_reference_rows_follow_the_design(factor_fit):
    rows = term_rows(factor_fit)
    # the reference level is the design's (Treatment(2) makes level 2 the reference of
    # religious), placed just before the factor's first level
    assert _labels(rows) == [
        ("Intercept", False),
        ("rate_marriage: 1", True),
        ("rate_marriage: 2", False),
        ("rate_marriage: 3", False),
        ("rate_marriage: 4", False),
        ("rate_marriage: 5", False),
        ("religious: 2", True),
        ("religious: 1", False),
        ("religious: 3", False),
        ("religious: 4", False),
        ("educ", False),
        ("religious: 1 × educ", False),
        ("religious: 3 × educ", False),
        ("religious: 4 × educ", False),
        ("np.log(yrs_married)", False),
    ]
    terms = [r.term for r in rows if not r.reference]
    assert terms == list(factor_fit.params.index)  # every column once, in the design's order
    assert {r.group for r in rows if r.variable == "religious"} == {"C(religious, Treatment(2))"}


def test_a_string_column_is_a_factor_too():
    df = pd.DataFrame(
        {"y": [0, 1, 0, 1, 1, 0, 1, 0, 1, 1], "g": list("abcabcabca"), "x": np.arange(10.0)}
    )
    rows = term_rows(ls.logit("y ~ g + x", df))
    assert _labels(rows) == [
        ("Intercept", False),
        ("g: a", True),
        ("g: b", False),
        ("g: c", False),
        ("x", False),
    ]


def test_labels_by_column_variable_or_term(factor_fit):
    rows = term_rows(
        factor_fit,
        {
            "rate_marriage": "Marriage rating",
            "C(religious, Treatment(2))[T.4]": "Very religious",
            "educ": "Education",
        },
    )
    got = [r.label for r in rows]
    assert got[1:3] == ["Marriage rating: 1", "Marriage rating: 2"]
    assert "Very religious" in got and "Education" in got
    assert "religious: 3 × Education" in got  # a variable's label carries into interactions


def test_labels_must_be_a_dict_of_strings(factor_fit):
    with pytest.raises(ls.LogitstatsError, match=r"labels must be a dict of term name -> display"):
        factor_fit.report(labels=["gpa"], figures=False)
    with pytest.raises(ls.LogitstatsError, match=r"labels must be a dict .*got labels=\{'a': 1\}"):
        ls.compare([factor_fit], labels={"a": 1})


def test_order_drop_keep(factor_fit):
    rows = term_rows(factor_fit)
    ordered = select_rows(rows, order=["educ", "rate_marriage"])
    assert [r.label for r in ordered][:7] == [
        "educ",
        "rate_marriage: 1",
        "rate_marriage: 2",
        "rate_marriage: 3",
        "rate_marriage: 4",
        "rate_marriage: 5",
        "Intercept",
    ]
    # a variable names its main-effect rows; an interaction is named by its own term
    dropped = select_rows(rows, drop=["Intercept", "religious", "C(religious, Treatment(2)):educ"])
    assert [r.label for r in dropped] == [
        "rate_marriage: 1",
        "rate_marriage: 2",
        "rate_marriage: 3",
        "rate_marriage: 4",
        "rate_marriage: 5",
        "educ",
        "np.log(yrs_married)",
    ]
    kept = select_rows(rows, keep="np.log(yrs_married)")
    assert [r.label for r in kept] == ["np.log(yrs_married)"]


def test_order_drop_keep_errors(factor_fit):
    rows = term_rows(factor_fit)
    with pytest.raises(
        ls.LogitstatsError,
        match=r"drop names a term that no table row has: 'gpa'; expected a column name, label "
        r"or variable, one of ",
    ):
        select_rows(rows, drop=["gpa"])
    with pytest.raises(ls.LogitstatsError, match=r"give drop= or keep=, not both"):
        select_rows(rows, drop=["educ"], keep=["educ"])
    with pytest.raises(ls.LogitstatsError, match=r"order must be a list of term names .*got"):
        select_rows(rows, order=[1, 2])


def test_merge_keeps_first_appearance(affairs):
    small = term_rows(ls.logit("had_affair ~ age", affairs))
    big = term_rows(ls.logit("had_affair ~ C(rate_marriage) + age", affairs))
    merged = merge_rows([small, big])
    labels = [r.label for r in merged]
    assert labels[:4] == ["Intercept", "age", "rate_marriage: 1", "rate_marriage: 2"]
