"""Tests of ``logitstats.options``: the closed option sets and the parse functions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from logitstats.errors import LogitstatsError
from logitstats.options import (
    AnovaType,
    CIMethod,
    CovType,
    Format,
    Interval,
    MarginsMethod,
    Missing,
    PredictKind,
    PredictMissing,
    SummaryFormat,
    parse_anova_type,
    parse_bool,
    parse_int,
    parse_level,
    parse_option,
    parse_positive,
    parse_probability,
    parse_scalar_level,
)


@pytest.mark.parametrize(
    ("enum_cls", "value", "member"),
    [
        (CovType, "hc1", CovType.HC1),
        (CovType, " HC0 ", CovType.HC0),
        (CovType, CovType.CLUSTER, CovType.CLUSTER),
        (CIMethod, "PROFILE", CIMethod.PROFILE),
        (PredictKind, "Class", PredictKind.CLASS),
        (Format, "LaTeX", Format.LATEX),
        (MarginsMethod, "eyex", MarginsMethod.EYEX),
        (Interval, "conf_int", Interval.CONF_INT),
    ],
)
def test_parse_option_accepts_members_and_case_insensitive_strings(enum_cls, value, member):
    assert parse_option(enum_cls, value, "x") is member


@pytest.mark.parametrize(
    ("enum_cls", "value", "message"),
    [
        (Missing, "omit", r"^missing must be one of 'drop', 'raise'; got missing='omit'$"),
        (PredictMissing, None, r"^missing must be one of 'nan', 'raise'; got missing=None$"),
        (SummaryFormat, "html", r"^missing must be one of 'text', 'markdown', 'json'; got"),
        # a member of another option set is not a member of this one
        (CIMethod, CovType.HC0, r"must be one of 'wald', 'profile'; got missing=<CovType.HC0"),
        (PredictKind, 1, r"must be one of 'prob', 'link', 'class'; got missing=1$"),
    ],
)
def test_parse_option_names_the_choices_and_what_was_got(enum_cls, value, message):
    with pytest.raises(LogitstatsError, match=message):
        parse_option(enum_cls, value, "missing")


@pytest.mark.parametrize(
    ("value", "member"),
    [(2, AnovaType.II), (np.int64(3), AnovaType.III), ("ii", AnovaType.II), ("3", AnovaType.III)],
)
def test_parse_anova_type(value, member):
    assert parse_anova_type(value) is member


@pytest.mark.parametrize("value", [1, True, 2.0, "IV", None])
def test_parse_anova_type_rejects(value):
    with pytest.raises(LogitstatsError, match=r"type must be 2 or 3 \(or 'II', 'III'\); got"):
        parse_anova_type(value)


def test_parse_bool():
    assert parse_bool(True, "flag") is True
    assert parse_bool(np.bool_(False), "flag") is False
    for bad in ("no", "False", 0, 1, None):
        with pytest.raises(LogitstatsError, match=r"^flag must be True or False; got flag="):
            parse_bool(bad, "flag")


def test_parse_level():
    assert parse_level(0.9, "conf_level") == 0.9
    assert parse_level(np.float32(0.5), "conf_level") == 0.5
    for bad in (0, 1, 1.5, -0.1, math.nan, "0.95", True, None):
        with pytest.raises(
            LogitstatsError,
            match=r"^conf_level must be a number between 0 and 1, e\.g\. 0\.95; got conf_level=",
        ):
            parse_level(bad, "conf_level")


def test_parse_probability():
    assert parse_probability(0, "threshold") == 0.0
    assert parse_probability(1, "threshold") == 1.0
    for bad in (2, -0.5, math.nan, "0.5", True):
        with pytest.raises(
            LogitstatsError, match=r"^threshold must be a number in \[0, 1\]; got threshold="
        ):
            parse_probability(bad, "threshold")


def test_parse_int_and_positive():
    assert parse_int(np.int64(4), "bins", minimum=1) == 4
    for bad in (0, 2.0, True, "3", None):
        with pytest.raises(LogitstatsError, match=r"^bins must be an integer >= 1; got bins="):
            parse_int(bad, "bins", minimum=1)
    assert parse_positive(1e-8, "tol") == 1e-8
    for bad in (0, -1.0, math.inf, math.nan, True, "1e-8"):
        with pytest.raises(LogitstatsError, match=r"^tol must be a finite number > 0; got tol="):
            parse_positive(bad, "tol")


def test_parse_scalar_level():
    for ok in (None, 1, np.int64(2), "yes", True, 1.5):
        assert parse_scalar_level(ok, "event") is ok
    for bad in ([1], (1,), {1}, np.array([1]), {"a": 1}):
        with pytest.raises(
            LogitstatsError,
            match=r"^event must be a single outcome value such as 1 or 'yes'; got event=",
        ):
            parse_scalar_level(bad, "event")


def test_option_sets_match_their_users():
    """The enums are the one source of the choices the renderers and the CLI offer."""
    from logitstats.render.registry import FORMATS

    assert list(FORMATS) == list(Format)
    assert [f.value for f in Format] == ["text", "markdown", "html", "latex", "json", "docx"]
    with_summary = {f.value for f, spec in FORMATS.items() if spec.summary is not None}
    assert with_summary == {f.value for f in SummaryFormat}
