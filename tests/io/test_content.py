"""The field checks of a model file's content (io/content.py) name the field, what was expected
and what was got; the stored design (io/stored.py) refuses what needs the training rows."""

from __future__ import annotations

import numpy as np
import pytest

from logitstats.errors import ModelFileError
from logitstats.io.content import check_finite, check_int, get_field, separation_info
from logitstats.io.loaded import StoredDesign
from logitstats.io.stored import StoredDesign as Home
from logitstats.io.stored import needs_data


def test_missing_field_is_named_with_its_path():
    with pytest.raises(ModelFileError, match=r"expected the field design\.'rows'; got a file"):
        get_field({"formula": "y ~ x"}, "rows", "design.")


@pytest.mark.parametrize("value", [True, -1, 1.5, "3"])
def test_counts_are_non_negative_integers_not_bools(value):
    with pytest.raises(ModelFileError, match=r"design\.nobs expected an integer >= 0; got "):
        check_int(value, "design.nobs")


def test_non_finite_estimates_are_refused_with_their_positions():
    arr = np.array([0.5, np.nan, 1.0, np.inf])
    with pytest.raises(ModelFileError, match=r"params expected finite numbers; got NaN or inf "
                       r"at \[1, 3\]; the file is damaged"):  # fmt: skip
        check_finite(arr, "params")


def test_unknown_separation_status_is_refused():
    with pytest.raises(ModelFileError, match=r"separation\.status expected one of .*; got 'x'"):
        separation_info({"status": "x"})
    assert separation_info(None) is None


def test_the_stored_design_keeps_its_old_import_path():
    assert StoredDesign is Home
    assert "ls.load(path, data=" in str(needs_data("the outcome"))
