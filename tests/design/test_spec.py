"""``logitstats.design.spec``: the plain-data ModelSpec, its JSON round trip and ``matrix``.

Expected matrices are the training designs themselves (``Design.X``, built through patsy's
``DesignInfo``) and ``newdata_matrix`` on new data: the spec must reproduce them bit for bit,
without the training data and without patsy's ``DesignInfo``. The formulas are every formula of
the R reference set (tests/reference/*.json, ``formula_py``) plus splines and stateful
transforms on the same datasets.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import logitstats as ls
from logitstats.design.build import build_design
from logitstats.design.newdata import newdata_matrix
from logitstats.design.spec import SPEC_SCHEMA, ModelSpec
from logitstats.errors import DataError, FormulaError

REF_DIR = Path(__file__).resolve().parents[1] / "reference"


def _reference_cases() -> list[tuple[str, str, str, object, str | None]]:
    cases = []
    for path in sorted(REF_DIR.glob("*.json")):
        if path.name == "ordinal.json":  # ordinal outcome coding is not a design kind yet
            continue
        for name, case in json.loads(path.read_text()).items():
            # model cases name a bundled dataset and a formula; other entries (meta, inline data,
            # the matrices of rank.json, effects tables) are not designs built from a formula
            if not isinstance(case, dict) or not {"data", "formula_py"} <= case.keys():
                continue
            if case["data"] == "inline":
                continue
            multi = path.name == "multinomial.json" or "reference" in case  # mlogit's baseline
            kind = "multinomial" if multi else "binary"
            weights = case.get("weights") if isinstance(case.get("weights"), list) else None
            cases.append((f"{path.stem}:{name}", case["data"], case["formula_py"], weights, kind))
    return cases


REFERENCE = _reference_cases()
# splines and stateful transforms on the reference datasets
EXTRA = [
    ("spector", "GRADE ~ bs(GPA, df=4) + center(TUCE) + standardize(TUCE):PSI", "binary"),
    ("spector", "GRADE ~ cr(GPA, df=3) + scale(PSI, ddof=1) - 1", "binary"),
    ("spector", "GRADE ~ cc(TUCE, df=4) + GPA - 1", "binary"),
    ("spector", "GRADE ~ bs(GPA, knots=[2.5, 3.2], degree=2) + I(center(TUCE)**2)", "binary"),
    (
        "affairs",
        "had_affair ~ C(religious, Sum) * standardize(age) + C(rate_marriage, Helmert)",
        "binary",
    ),
    ("modechoice", "mode ~ center(hinc) + bs(psize, df=3)", "multinomial"),
]


def _json_round_trip(spec: ModelSpec) -> ModelSpec:
    return ModelSpec.from_dict(json.loads(json.dumps(spec.to_dict())))


def test_reference_set_is_found():
    assert len(REFERENCE) >= 20  # every bundled-data case of the R reference files


@pytest.mark.parametrize(
    ("case", "data", "formula", "weights", "kind"), REFERENCE, ids=[c[0] for c in REFERENCE]
)
def test_json_round_trip_rebuilds_reference_designs_bit_for_bit(case, data, formula, weights, kind):
    df = ls.datasets.load(data)
    design = build_design(formula, df, kind=kind, weights=weights)
    spec = _json_round_trip(design.spec)
    X = spec.matrix(df)
    assert X.dtype == np.float64 and X.shape == design.X.shape
    assert np.array_equal(X, design.X)
    assert spec.columns == design.column_names
    assert spec.levels == tuple(design.levels) and spec.reference == design.reference


@pytest.mark.parametrize(("data", "formula", "kind"), EXTRA, ids=[e[1] for e in EXTRA])
def test_splines_and_stateful_transforms_round_trip_bit_for_bit(data, formula, kind):
    df = ls.datasets.load(data)
    design = build_design(formula, df, kind=kind)
    spec = _json_round_trip(design.spec)
    assert np.array_equal(spec.matrix(df), design.X)
    # on new data (other rows, a missing value): the same as the DesignInfo path, NaN included
    new = df.sample(frac=0.7, random_state=3).reset_index(drop=True)
    new.loc[2, spec.data_columns[0]] = np.nan
    expected, complete, _ = newdata_matrix(design, new)
    got = spec.matrix(new)
    assert np.array_equal(got, expected, equal_nan=True)
    assert np.isnan(got[2]).all() and not complete[2]


@pytest.mark.filterwarnings("ignore::logitstats.errors.CollinearityWarning")
def test_spec_records_transform_state_and_knots():
    df = ls.datasets.load("spector")
    spec = build_design(
        "GRADE ~ center(TUCE) + standardize(GPA) + bs(TUCE, df=4)", df, kind="binary"
    ).spec
    states = {f.code: [(t.kind, dict(t.state)) for t in f.transforms] for f in spec.factors}
    ((kind, state),) = states["center(TUCE)"]
    assert kind == "center" and state["mean"] == [float(df["TUCE"].mean())]
    ((kind, state),) = states["standardize(GPA)"]
    assert kind == "standardize" and state["n"] == 32
    assert np.isclose(np.sqrt(state["m2"][0] / 32), df["GPA"].std(ddof=0), rtol=1e-12, atol=0)
    ((kind, state),) = states["bs(TUCE, df=4)"]
    assert kind == "bs" and state["degree"] == 3
    assert state["knots"][0] == df["TUCE"].min() and state["knots"][-1] == df["TUCE"].max()


def test_spec_is_picklable_and_fit_exposes_it():
    df = ls.datasets.load("affairs")
    fit = ls.logit("had_affair ~ C(rate_marriage) + center(age)", data=df)
    spec = pickle.loads(pickle.dumps(fit.spec))
    assert np.array_equal(spec.matrix(df), fit.design.X)
    assert spec.to_dict()["schema"] == SPEC_SCHEMA
    assert spec.event == 1 and spec.levels == (0, 1)


def test_matrix_does_not_need_training_data_or_patsy_designinfo():
    df = ls.datasets.load("spector")
    blob = json.dumps(build_design("GRADE ~ GPA + center(TUCE)", df, kind="binary").spec.to_dict())
    assert "DesignInfo" not in blob and "patsy" not in blob
    X = ModelSpec.from_dict(json.loads(blob)).matrix({"GPA": [3.0], "TUCE": [df["TUCE"].mean()]})
    assert X.tolist() == [[1.0, 3.0, 0.0]]  # centred at the training mean, held in the spec


def test_unseen_level_names_factor_and_levels():
    df = ls.datasets.load("affairs")
    spec = build_design("had_affair ~ C(religious)", df, kind="binary").spec
    with pytest.raises(
        DataError,
        match=r"newdata: C\(religious\) holds the level 9, which was not seen "
        r"in training; levels seen in training: 1, 2, 3, 4; expected only those levels",
    ):
        spec.matrix(pd.DataFrame({"religious": [1, 9]}))


def test_user_functions_are_named_not_stored():
    df = ls.datasets.load("spector")

    def cube(v):
        return v**3

    design = build_design(
        "GRADE ~ cube(GPA)", df, kind="binary", env=ls.design.formula.formula_env({"cube": cube})
    )
    spec = _json_round_trip(design.spec)
    assert spec.functions == ("cube",)
    with pytest.raises(
        FormulaError,
        match=r"calls the user function\(s\) \['cube'\]; expected "
        r"them in functions=",
    ):
        spec.matrix(df)
    assert np.array_equal(spec.matrix(df, functions={"cube": cube}), design.X)


def test_from_dict_refuses_hostile_code_before_evaluating(tmp_path):
    df = ls.datasets.load("spector")
    d = build_design("GRADE ~ GPA", df, kind="binary").spec.to_dict()
    marker = tmp_path / "marker"
    d["factors"][0]["code"] = f"__import__('os').system('touch {marker}')"
    with pytest.raises(FormulaError, match=r"__import__"):
        ModelSpec.from_dict(d)
    assert not marker.exists()


def test_from_dict_refuses_wrong_schema_and_malformed():
    with pytest.raises(
        DataError,
        match=r"spec: expected a mapping with schema "
        r"'logitstats\.spec/1'; got 'logitstats\.spec/99'",
    ):
        ModelSpec.from_dict({"schema": "logitstats.spec/99"})
    with pytest.raises(DataError, match=r"spec: malformed \(KeyError"):
        ModelSpec.from_dict({"schema": SPEC_SCHEMA})


def test_aliased_columns_are_left_out_as_in_the_fit():
    df = ls.datasets.load("spector").assign(GPA2=lambda d: 2 * d["GPA"])
    with pytest.warns(ls.CollinearityWarning, match="GPA2"):
        design = build_design("GRADE ~ GPA + GPA2 + TUCE", df, kind="binary")
    spec = _json_round_trip(design.spec)
    assert spec.all_columns == ("Intercept", "GPA", "GPA2", "TUCE")
    assert spec.columns == ("Intercept", "GPA", "TUCE")
    assert np.array_equal(spec.matrix(df), design.X)


def test_from_dict_refuses_inconsistent_shapes():
    df = ls.datasets.load("affairs")
    d = build_design("had_affair ~ C(religious)", df, kind="binary").spec.to_dict()
    d["terms"][1]["subterms"][0]["contrasts"][0] = [[0.0, 1.0]]  # 1 level coded, 4 expected
    with pytest.raises(
        DataError,
        match=r"spec: term 'C\(religious\)', factor 'C\(religious\)': "
        r"expected a coding of shape \(4, 3\); got \(1, 2\)",
    ):
        ModelSpec.from_dict(d)
