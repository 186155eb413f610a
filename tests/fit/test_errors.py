"""Bad input to ``logit`` and ``LogitResult.predict``: a ``LogitstatsError`` subclass whose message
names the argument, column or level, what was expected and what was got, and suggests the fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import logitstats as ls
from logitstats.errors import DataError, FormulaError, LogitstatsError


@pytest.fixture()
def sp() -> pd.DataFrame:
    return ls.datasets.load("spector")


@pytest.fixture()
def sp_str(sp) -> pd.DataFrame:
    out = sp.copy()
    out["result"] = np.where(out["GRADE"] == 1, "pass", "fail")
    out["group"] = np.where(out["PSI"] == 1, "psi", "lecture")
    return out


def test_hierarchy():
    assert issubclass(FormulaError, LogitstatsError)
    assert issubclass(DataError, LogitstatsError)
    assert issubclass(LogitstatsError, ValueError)


# --------------------------------------------------------------------------- formula


def test_unknown_column_names_it_and_suggests_close_match(sp):
    with pytest.raises(
        FormulaError, match=r"'TUC', which is not a column of data; did you mean 'TUCE'"
    ):
        ls.logit("GRADE ~ GPA + TUC", sp)


def test_unknown_column_lists_columns(sp):
    with pytest.raises(FormulaError, match=r"'zzz'.*columns: 'GRADE', 'GPA', 'TUCE', 'PSI'"):
        ls.logit("GRADE ~ zzz", sp)


def test_bare_builtin_name_is_looked_up_as_a_column(sp):
    # 'type' is a Python built-in, but a whole term of that name is a misspelt column
    with pytest.raises(FormulaError, match=r"formula refers to 'type', which is not a column"):
        ls.logit("GRADE ~ GPA + type", sp)


def test_unknown_outcome_column(sp):
    with pytest.raises(FormulaError, match=r"'GRAD', which is not a column.*did you mean 'GRADE'"):
        ls.logit("GRAD ~ GPA", sp)


@pytest.mark.parametrize(
    "formula, where",
    [
        ("GRADE ~ GPA +", r"expression ended \(at '\+', character 13\)"),
        ("GRADE ~ (GPA", r"Unmatched '\('"),
        ("GRADE ~ GPA ++ * TUCE", r"not '\*'"),
    ],
)
def test_formula_syntax_error_is_one_line_and_suggests_syntax(sp, formula, where):
    with pytest.raises(FormulaError, match=r"cannot parse formula .*" + where) as info:
        ls.logit(formula, sp)
    assert "\n" not in str(info.value)
    assert "check the syntax, e.g. 'y ~ x1 + C(group)" in str(info.value)


def test_formula_without_tilde(sp):
    with pytest.raises(FormulaError, match=r"outcome on the left of '~', as in 'y ~ x1 \+ x2'"):
        ls.logit("GRADE GPA", sp)


def test_formula_not_a_string(sp):
    with pytest.raises(FormulaError, match=r"formula must be a string .*; got int"):
        ls.logit(3, sp)


# --------------------------------------------------------------------------- outcome


def test_outcome_with_more_than_two_values_suggests_mlogit(sp_str):
    df = sp_str.assign(three=np.array(["a", "b", "c", "a"] * 8))
    with pytest.raises(DataError, match=r"'three' has 3 distinct values \('a', 'b', 'c'\).*mlogit"):
        ls.logit("three ~ GPA", df)


def test_numeric_outcome_with_many_values_suggests_mlogit(sp):
    with pytest.raises(
        DataError, match=r"outcome 'TUCE' has 14 distinct values \(12, 14, .*mlogit"
    ):
        ls.logit("TUCE ~ GPA", sp)


def test_numeric_outcome_with_a_stray_code(sp):
    df = sp.assign(y=sp["GRADE"].where(sp.index != 3, 2))
    with pytest.raises(DataError, match=r"outcome 'y' must be coded 0/1; found the values 2"):
        ls.logit("y ~ GPA", df)


def test_numeric_outcome_not_01_asks_for_event(sp):
    with pytest.raises(DataError, match=r"values 1 and 2, not 0/1; pass event=<value>"):
        ls.logit("y ~ GPA", sp.assign(y=sp["GRADE"] + 1))


def test_outcome_with_one_value(sp):
    with pytest.raises(DataError, match=r"outcome 'one' has only one value \(1\) in the 32 rows"):
        ls.logit("one ~ GPA", sp.assign(one=1))


def test_outcome_with_one_value_after_dropping_rows(sp):
    df = sp.assign(x=sp["GPA"].where(sp["GRADE"] == 1))
    with pytest.raises(DataError, match=r"only one value \(1\) in the 11 rows used"):
        ls.logit("GRADE ~ x", df)


def test_event_not_among_values_lists_them(sp_str):
    with pytest.raises(
        DataError, match=r"event='passed' is not among .* its values are 'fail', 'pass'"
    ):
        ls.logit("result ~ GPA", sp_str, event="passed")


def test_numeric_event_not_among_values(sp):
    with pytest.raises(DataError, match=r"event=3 is not among .*'GRADE'; its values are 0, 1"):
        ls.logit("GRADE ~ GPA", sp, event=3)


# --------------------------------------------------------------------------- missing and non-finite


def test_every_row_dropped(sp):
    with pytest.raises(DataError, match=r"every row of data has a missing value .*\(x 32\)"):
        ls.logit("GRADE ~ GPA + x", sp.assign(x=np.nan))


def test_every_row_dropped_by_two_columns(sp):
    x = np.where(sp.index < 16, np.nan, 1.0)
    z = np.where(sp.index >= 16, np.nan, 1.0)
    with pytest.raises(DataError, match=r"every row .*\(x 16, z 16\); nothing is left to fit"):
        ls.logit("GRADE ~ x + z", sp.assign(x=x, z=z))


def test_nan_with_missing_raise_names_column_and_count(sp):
    df = sp.copy()
    df.loc[[3, 5], "GPA"] = np.nan
    with pytest.raises(
        DataError, match=r"missing values .*: GPA \(2\); with missing='raise'.*'drop'"
    ):
        ls.logit("GRADE ~ GPA", df, missing="raise")


def test_nan_in_outcome_with_missing_raise(sp):
    df = sp.assign(GRADE=sp["GRADE"].where(sp.index != 2))
    with pytest.raises(DataError, match=r"GRADE \(1\)"):
        ls.logit("GRADE ~ GPA", df, missing="raise")


@pytest.mark.parametrize("missing", ["drop", "raise"])
def test_inf_in_data(sp, missing):
    df = sp.copy()
    df.loc[4, "GPA"] = np.inf
    with pytest.raises(DataError, match=r"non-finite values \(NaN or inf\) in GPA \(1 rows\)"):
        ls.logit("GRADE ~ GPA", df, missing=missing)


def test_log_of_zero_names_the_transformed_term(sp):
    with pytest.raises(DataError, match=r"in np.log\(PSI\) \(18 rows\); check transformations"):
        ls.logit("GRADE ~ np.log(PSI)", sp)


def test_missing_option(sp):
    with pytest.raises(
        DataError, match=r"missing must be one of 'drop', 'raise'; got missing='omit'"
    ):
        ls.logit("GRADE ~ GPA", sp, missing="omit")


# --------------------------------------------------------------------------- weights and offset


@pytest.mark.parametrize("bad, shown", [(-1.0, r"-1\.0"), (np.nan, "nan"), (np.inf, "inf")])
def test_bad_weight_value(sp, bad, shown):
    w = np.ones(32)
    w[2] = bad
    with pytest.raises(
        DataError,
        match=rf"^weights must be finite and >= 0 \(frequency weights\); got {shown} at row 2 "
        r"\(index 2; 1 bad values in all\)",
    ):
        ls.logit("GRADE ~ GPA", sp, weights=w)


def test_all_zero_weights(sp):
    with pytest.raises(
        DataError, match=r"weights \(w\) are all zero; at least one must be positive"
    ):
        ls.logit("GRADE ~ GPA", sp.assign(w=0.0), weights="w")


def test_weights_column_unknown(sp):
    with pytest.raises(DataError, match=r"weights='wt' is not a column of data"):
        ls.logit("GRADE ~ GPA", sp, weights="wt")


def test_weights_wrong_length(sp):
    with pytest.raises(DataError, match=r"one value per row of data \(32 rows\); got shape \(2,\)"):
        ls.logit("GRADE ~ GPA", sp, weights=[1.0, 2.0])


def test_weights_not_numeric(sp):
    with pytest.raises(DataError, match=r"weights must be numeric"):
        ls.logit("GRADE ~ GPA", sp.assign(wt="a"), weights="wt")


def test_offset_infinite(sp):
    off = np.zeros(32)
    off[1] = np.inf
    with pytest.raises(DataError, match=r"offset .*holds infinite values"):
        ls.logit("GRADE ~ GPA", sp, offset=off)


# --------------------------------------------------------------------------- data container


def test_data_not_a_frame():
    with pytest.raises(DataError, match=r"data must be a pandas DataFrame.*; got list"):
        ls.logit("GRADE ~ GPA", [1, 2])


def test_data_without_rows(sp):
    with pytest.raises(DataError, match=r"data has no rows"):
        ls.logit("GRADE ~ GPA", sp.iloc[:0])


def test_bad_options(sp):
    with pytest.raises(LogitstatsError, match=r"cov_type must be one of .*got cov_type='HC9'"):
        ls.logit("GRADE ~ GPA", sp, cov_type="HC9")
    with pytest.raises(LogitstatsError, match=r"tol must be a finite number > 0; got tol=-1"):
        ls.logit("GRADE ~ GPA", sp, tol=-1)
    with pytest.raises(LogitstatsError, match=r"max_iter must be an integer >= 1; got max_iter=0"):
        ls.logit("GRADE ~ GPA", sp, max_iter=0)


# --------------------------------------------------------------------------- predict


def test_newdata_lacking_a_column(sp_str):
    fit = ls.logit("GRADE ~ GPA + group", sp_str)
    with pytest.raises(
        DataError, match=r"newdata lacks the column\(s\) \['group'\] used by the model"
    ):
        fit.predict(sp_str.drop(columns="group"))


def test_newdata_with_unseen_level_names_column_and_level(sp_str):
    fit = ls.logit("GRADE ~ GPA + group", sp_str)
    new = sp_str.head(3).assign(group="online")
    with pytest.raises(
        DataError,
        match=r"newdata: group holds the level 'online', which was not seen in training; "
        r"levels seen in training: 'lecture', 'psi'",
    ):
        fit.predict(new)


def test_newdata_with_unseen_level_of_c_factor(sp):
    fit = ls.logit("GRADE ~ GPA + C(PSI)", sp)
    with pytest.raises(DataError, match=r"C\(PSI\) holds the level 2, which was not seen"):
        fit.predict(sp.head(2).assign(PSI=2))


def test_predict_bad_kind_and_level(sp):
    fit = ls.logit("GRADE ~ GPA", sp)
    with pytest.raises(LogitstatsError, match=r"kind must be one of 'prob', 'link', 'class'"):
        fit.predict(kind="response")
    with pytest.raises(LogitstatsError, match=r"conf_level must be a number between 0 and 1"):
        fit.predict(conf_level=95)


def test_predict_needs_offset_when_fitted_with_offset_array(sp):
    fit = ls.logit("GRADE ~ GPA", sp, offset=np.full(32, 0.1))
    with pytest.raises(DataError, match=r"fitted with an offset given as an array; pass offset="):
        fit.predict(sp.head(3))
    fit_col = ls.logit("GRADE ~ GPA", sp.assign(off=0.1), offset="off")
    with pytest.raises(DataError, match=r"newdata lacks the offset column 'off'"):
        fit_col.predict(sp.head(3))


def test_conf_int_bad_arguments(sp):
    fit = ls.logit("GRADE ~ GPA", sp)
    with pytest.raises(LogitstatsError, match=r"level must be a number between 0 and 1"):
        fit.conf_int(level=1.5)
    with pytest.raises(LogitstatsError, match=r"method must be one of 'wald', 'profile'"):
        fit.conf_int(method="score")
