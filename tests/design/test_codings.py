"""The outcome coding per kind (design/codings.py): the one place the design layer asks the kind.

Expected values follow from the definitions in the module: a binary outcome is coded 0/1 with
the event as 1, a multinomial one by level codes with a reference, an ordinal one by its order.
"""

from __future__ import annotations

import typing

import numpy as np
import pandas as pd
import pytest

import logitstats as ls
from logitstats.design.build import OutcomeKind, build_design
from logitstats.design.codings import OUTCOME_CODINGS
from logitstats.errors import DataError


def test_one_coding_per_kind_of_design():
    assert set(OUTCOME_CODINGS) == set(typing.get_args(OutcomeKind))


def test_binary_codes_the_event_as_one():
    y = pd.Series(["no", "yes", "yes", "no"])
    coded = OUTCOME_CODINGS["binary"].code(y, "y", event="yes")
    np.testing.assert_array_equal(coded.y, [0, 1, 1, 0])
    assert coded.event == "yes"


def test_multinomial_codes_levels_and_keeps_the_reference():
    y = pd.Series(["b", "a", "c", "a"])
    coded = OUTCOME_CODINGS["multinomial"].code(y, "y", reference="c")
    assert coded.levels == ("a", "b", "c")
    np.testing.assert_array_equal(coded.y, [1, 0, 2, 0])
    assert (coded.event, coded.reference) == (None, "c")


def test_ordinal_codes_follow_the_given_order():
    y = pd.Series(["lo", "hi", "mid"])
    coded = OUTCOME_CODINGS["ordinal"].code(y, "y", levels=["lo", "mid", "hi"])
    assert coded.levels == ("lo", "mid", "hi")
    np.testing.assert_array_equal(coded.y, [0, 2, 1])


def test_only_ordinal_designs_give_the_intercept_to_the_cut_points():
    df = pd.DataFrame({"y": [0, 1, 2, 0, 1, 2, 1, 0], "x": [1.0, 2, 3, 1, 2, 3, 4, 0]})
    df["yb"] = (df["y"] > 0).astype(int)
    designs = {
        "binary": build_design("yb ~ x", df, kind="binary"),
        "multinomial": build_design("y ~ x", df, kind="multinomial"),
        "ordinal": build_design("y ~ x", df, kind="ordinal", levels=[0, 1, 2]),
    }
    for kind, design in designs.items():
        dropped = "Intercept" not in design.column_names
        assert dropped == OUTCOME_CODINGS[kind].intercept_is_cut_points, kind


def test_the_rows_rule_of_binary_designs_comes_from_the_table():
    # 3 rows, 4 columns: the binary rule refuses it in the aliasing step
    df = pd.DataFrame({"y": [0, 1, 0], "a": [1.0, 2, 3], "b": [2.0, 1, 5], "c": [0.0, 1, 1]})
    assert OUTCOME_CODINGS["binary"].more_rows_than_columns
    with pytest.raises(DataError, match=r"4 parameters .* only 3 rows"):
        ls.logit("y ~ a + b + c", df)


def test_a_lost_level_is_named_with_the_models_name():
    df = pd.DataFrame({"y": ["a", "b", "c", "a", "b"], "x": [1.0, 2.0, np.nan, 4.0, 5.0]})
    with pytest.raises(DataError, match=r"level\(s\) 'c' have no rows .* a multinomial logit"):
        ls.mlogit("y ~ x", df)
    with pytest.raises(DataError, match=r"level\(s\) 'c' have no rows .* an ordinal logit"):
        ls.ologit("y ~ x", df, levels=["a", "b", "c"])
