"""The fast design-matrix filler gives patsy's matrix bit for bit (reference: patsy itself)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import patsy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logitstats.design import fill as design_fast
from logitstats.design.build import build_design, capture_env

NA = patsy.NAAction(NA_types=[])


def _data(n: int = 240, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "y": rng.integers(0, 2, n),
            "x1": rng.standard_normal(n),
            "x2": rng.uniform(1.0, 5.0, n),
            "x3": rng.integers(1, 9, n).astype(np.int64),
            "x4": rng.standard_normal(n).astype(np.float32),
            "g": rng.choice(["a", "b", "c", "d"], n),
            "h": pd.Categorical(rng.choice(["lo", "mid", "hi"], n), ["lo", "mid", "hi"]),
            "b": rng.integers(0, 2, n).astype(bool),
            "k": rng.integers(0, 3, n) * 10,
        }
    )


def _patsy_and_fast(rhs: str, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, object]:
    env = capture_env(0)
    desc = patsy.ModelDesc.from_formula(rhs)
    data = {c: frame[c] for c in frame.columns}
    info = design_fast.design_info(desc.rhs_termlist, data, env, NA)
    fast = design_fast.fill_matrix(info, data, frame.shape[0], frame.index)
    (slow,) = patsy.build_design_matrices([info], frame, NA_action=NA, return_type="matrix")
    return fast, np.asarray(slow), info


FORMULAS = [
    "~ x1 + x2 + g",
    "~ 0 + g",
    "~ g - 1 + x1",
    "~ C(g, Sum) + C(h, Helmert)",
    "~ C(g, Treatment('c')) + C(k)",
    "~ C(k, Poly) + h",
    "~ C(g, levels=['d', 'c', 'b', 'a'])",
    "~ b + x1:b",
    "~ x1:g + g",
    "~ g:h",
    "~ g * h",
    "~ x1 * x2 * g",
    "~ 0 + x1:x2 + g:x3",
    "~ np.log(x2) + I(x1 ** 2) + center(x3)",
    "~ standardize(x1) + bs(x2, df=4)",
    "~ x4 + x3 + x4:x3",
    "~ 1",
    "~ C(g, Diff):x1 + C(h, Sum):b",
]


@pytest.mark.parametrize("rhs", FORMULAS)
def test_fill_matrix_equals_patsy_bit_for_bit(rhs):
    fast, slow, info = _patsy_and_fast(rhs, _data())
    assert fast is not None, "the fast filler should handle this formula"
    assert fast.dtype == np.float64 and fast.flags.c_contiguous
    assert fast.shape == slow.shape == (240, len(info.column_names))
    assert np.array_equal(fast, slow)


def test_blocks_of_rows_join_up():
    # more rows than one fill block: the blocks must tile the matrix exactly
    n = 2 * design_fast.FILL_CHUNK_ROWS + 17
    fast, slow, _ = _patsy_and_fast("~ x1 * g + C(h, Sum):x2 + bs(x2, df=3)", _data(n, 3))
    assert np.array_equal(fast, slow)


TERMS = [
    "x1",
    "x2",
    "x3",
    "x4",
    "g",
    "h",
    "b",
    "C(k)",
    "C(g, Sum)",
    "C(h, Helmert)",
    "np.log(x2)",
    "I(x1 ** 2)",
    "center(x1)",
    "x1:g",
    "g:h",
    "x2:x3",
    "b:h",
    "C(k):x1",
    "bs(x1, df=3)",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    terms=st.lists(st.sampled_from(TERMS), min_size=1, max_size=5, unique=True),
    intercept=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_random_formulas_equal_patsy(terms, intercept, seed):
    rhs = "~ " + ("" if intercept else "0 + ") + " + ".join(terms)
    fast, slow, _ = _patsy_and_fast(rhs, _data(60, seed))
    assert fast is not None
    assert np.array_equal(fast, slow)


def test_build_design_equals_plain_patsy_dmatrix():
    frame = _data(500, 7)
    formula = "y ~ x1 + C(g, Sum) + h:x2 + b + np.log(x2)"
    design = build_design(formula, frame, kind="binary", env=capture_env(0))
    reference = patsy.dmatrix(formula.split("~")[1], frame, NA_action=NA)
    assert design.column_names == tuple(reference.design_info.column_names)
    assert np.array_equal(design.X, np.asarray(reference))


def test_unseen_level_or_missing_value_falls_back_to_patsy():
    frame = _data(50, 1)
    env = capture_env(0)
    desc = patsy.ModelDesc.from_formula("~ g + x1")
    info = design_fast.design_info(desc.rhs_termlist, dict(frame.items()), env, NA)
    new = frame.assign(g=frame["g"].where(frame.index != 3, "zzz"))
    assert design_fast.fill_matrix(info, dict(new.items()), 50, new.index) is None
    with pytest.raises(patsy.PatsyError, match="zzz"):
        patsy.build_design_matrices([info], new, NA_action=NA)
    missing = frame.assign(g=frame["g"].where(frame.index != 3, None))
    assert design_fast.fill_matrix(info, dict(missing.items()), 50, missing.index) is None


def test_codes_refuse_what_they_cannot_match_exactly():
    # mixed object values: left to patsy's own value-by-value conversion
    assert design_fast._codes(np.array(["a", 1], dtype=object), ("a", "b")) is None
    # categories in a different order than the training levels
    cat = pd.Categorical(["a", "b"], categories=["b", "a"])
    assert design_fast._codes(cat, ("a", "b")) is None
    assert design_fast._codes(pd.Categorical(["b", "a"]), ("a", "b")).tolist() == [1, 0]
    assert design_fast._codes(np.array([True, False]), (False, True)).tolist() == [1, 0]
    assert design_fast._codes(np.array([30, 10]), (10, 20, 30)).tolist() == [2, 0]


def test_the_callers_frame_is_not_copied_into_one_block():
    # the design reads columns; the frame is neither modified nor needed after the build
    frame = _data(100, 2)
    before = frame.copy(deep=True)
    build_design("y ~ x1 + g + h", frame, kind="binary", env=capture_env(0))
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize("dtype", ["str", "string", object])
def test_text_codes_equal_a_lookup_of_every_value(dtype):
    """Codes by one hash pass (factorize) + a lookup of the distinct values equal looking up
    each value among the levels (pd.Index.get_indexer, the definition)."""
    levels = ("g0", "g1", "g2", "g3")
    values = pd.Series(np.random.default_rng(3).choice(list(levels), 500)).astype(dtype)
    expected = pd.Index(list(levels)).get_indexer(values.astype(object).to_numpy())
    got = design_fast._codes(values, levels)
    assert got is not None and got.dtype == np.intp
    assert got.tolist() == expected.tolist()
    # a missing or an unseen value: None, the caller then raises its own message
    assert design_fast._codes(values.where(values.index != 7, None), levels) is None
    assert design_fast._codes(values.where(values.index != 7, "zzz"), levels) is None


def test_numeric_codes_match_ints_and_floats_as_equal_values():
    assert design_fast._codes(np.array([30.0, 10.0, 20.0]), (10, 20, 30)).tolist() == [2, 0, 1]
    assert design_fast._codes(np.array([1, 2, 1]), (1.0, 2.0)).tolist() == [0, 1, 0]
    assert design_fast._codes(np.array([1.0, np.nan]), (1.0, 2.0)) is None


def test_pandas_strings_are_coded_without_python_objects(monkeypatch):
    """A pandas (Arrow) string column is not turned into an object array (0.4 s per 1e6 rows):
    converting the column (more values than levels) raises; the distinct values may be."""
    values = pd.Series(["b", "a", "c", "a", "b", "b"], dtype="str")
    if type(values.array).__name__ != "ArrowStringArray":  # pragma: no cover - no pyarrow
        pytest.skip("pandas strings are not Arrow-backed in this environment")
    cls = type(values.array)
    for method in ("__array__", "to_numpy"):
        original = getattr(cls, method)

        def refuse(self, *args, _original=original, **kwargs):
            if len(self) > 3:
                raise AssertionError("the string column was converted to a numpy array")
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(cls, method, refuse)
    assert design_fast._codes(values, ("a", "b", "c")).tolist() == [1, 0, 2, 0, 1, 1]


def _levels_by_code(info) -> dict:
    return {f.code: (fi.type, fi.categories) for f, fi in info.factor_infos.items()}


@pytest.mark.parametrize("text", ["str", "string", "object", "numpy"])
def test_design_info_levels_equal_patsys(text):
    """The factor types and levels (and their element types) equal patsy's own
    design_matrix_builders on the same data (the reference)."""
    rng = np.random.default_rng(4)
    raw = rng.choice(["b", "a", "c", "A"], 300)
    g = raw if text == "numpy" else pd.Series(raw).astype(text)
    data = {
        "g": g,
        "m": np.array(["x", 1, "y"] * 100, dtype=object),  # mixed: patsy's own loop
        "b": rng.integers(0, 2, 300).astype(bool),
        "x": rng.standard_normal(300),
        "h": pd.Categorical(rng.choice(["lo", "hi"], 300), ["lo", "hi"]),
    }
    rhs = "~ g + C(g) + C(g, levels=['c', 'b', 'a', 'A']) + m + b + x + h + g:x"
    desc = patsy.ModelDesc.from_formula(rhs)
    ours = design_fast.design_info(desc.rhs_termlist, data, capture_env(0), NA)
    (reference,) = patsy.design_matrix_builders([desc.rhs_termlist], lambda: iter([data]), 0, NA)
    assert _levels_by_code(ours) == _levels_by_code(reference)
    for code, (_, levels) in _levels_by_code(ours).items():
        ref_levels = _levels_by_code(reference)[code][1]
        if levels is not None:
            assert [type(v) for v in levels] == [type(v) for v in ref_levels], code
    assert ours.column_names == reference.column_names


def test_text_levels_are_sniffed_from_the_distinct_values(monkeypatch):
    """patsy's sniffer loops over every value in Python; it is given the distinct ones."""
    seen: list[int] = []
    original = patsy.categorical.CategoricalSniffer.sniff

    def sniff(self, data):
        seen.append(len(getattr(data, "data", data)))
        return original(self, data)

    monkeypatch.setattr(patsy.categorical.CategoricalSniffer, "sniff", sniff)
    frame = _data(240, 5)
    desc = patsy.ModelDesc.from_formula("~ g + C(g)")
    info = design_fast.design_info(desc.rhs_termlist, dict(frame.items()), capture_env(0), NA)
    assert seen == [4, 4]
    assert _levels_by_code(info)["g"] == ("categorical", ("a", "b", "c", "d"))


# --------------------------------------------------------------------------- rows of a pandas block


def _block_frame(n: int = 3000, p: int = 6, seed: int = 3) -> pd.DataFrame:
    """Float columns from a dict of arrays: pandas consolidates them into one C-ordered 2-D
    block, each column a row of it (as in tests/benchmarks/cases.py)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    frame = pd.DataFrame({f"x{j}": X[:, j] for j in range(p)})
    frame["g"] = rng.choice(["a", "b", "c"], n)
    frame["i"] = rng.integers(0, 5, n)
    return frame


@pytest.mark.parametrize(
    "rhs",
    [
        "~ x0 + x1 + x2 + x3 + x4 + x5",  # the whole block in order: one transposed copy
        "~ x0 + x1 + g + x2 + x3",  # two runs, split by a factor
        "~ x5 + x4 + x3",  # backwards in memory: column copies
        "~ x0 + x2 + x4",  # every other row of the block: column copies
        "~ x0 + i + x1 + x1:x2 + I(x3 * 2)",  # int column, product, transform in between
    ],
)
def test_columns_of_one_block_equal_patsy(rhs):
    """Consecutive columns that are rows of one pandas block are copied by one transposed
    copy per row block; the matrix is still patsy's, bit for bit."""
    frame = _block_frame()
    fast, slow, _ = _patsy_and_fast(rhs, frame)
    assert fast is not None
    np.testing.assert_array_equal(fast, slow)  # a copy: identical values


def test_block_columns_merge_into_one_copy():
    """The plan of six adjacent block columns is one ``rows`` operation over a (6, n) slice."""
    frame = _block_frame()
    data = {c: frame[c] for c in frame.columns}
    desc = patsy.ModelDesc.from_formula("~ 0 + x0 + x1 + x2 + x3 + x4 + x5")
    info = design_fast.design_info(desc.rhs_termlist, data, capture_env(0), NA)
    values = design_fast._factor_values(info, data, frame.shape[0], frame.index)
    plan = design_fast._plan(design_fast.subterms_of_info(info), values)
    assert [op[0] for op in plan] == ["rows"]
    assert plan[0][3].shape == (6, frame.shape[0])
    assert not plan[0][3].flags.writeable


def test_separate_arrays_are_not_merged():
    """Columns that are separate arrays (a dict of columns) keep one copy each."""
    rng = np.random.default_rng(4)
    data = {"x0": rng.standard_normal(50), "x1": rng.standard_normal(50)}
    desc = patsy.ModelDesc.from_formula("~ 0 + x0 + x1")
    info = design_fast.design_info(desc.rhs_termlist, data, capture_env(0), NA)
    values = design_fast._factor_values(info, data, 50, None)
    plan = design_fast._plan(design_fast.subterms_of_info(info), values)
    assert [op[0] for op in plan] == ["copy", "copy"]


# --------------------------------------------------------------------------- column bounds


def test_bounds_are_the_columns_max_and_min():
    frame = _data(n=5000)  # more than one block of FILL_CHUNK_ROWS rows
    env = capture_env(0)
    desc = patsy.ModelDesc.from_formula("~ x1 + x2 + g + x1:x3")
    data = {c: frame[c] for c in frame.columns}
    info = design_fast.design_info(desc.rhs_termlist, data, env, NA)
    X, bounds = design_fast.fill_matrix_bounds(info, data, frame.shape[0], frame.index)
    np.testing.assert_array_equal(X, design_fast.fill_matrix(info, data, 5000, frame.index))
    np.testing.assert_array_equal(bounds.high, X.max(axis=0))  # max/min are exact
    np.testing.assert_array_equal(bounds.low, X.min(axis=0))
    np.testing.assert_array_equal(bounds.max_abs, np.abs(X).max(axis=0))
    assert bounds.finite


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_bounds_see_a_non_finite_value(bad):
    frame = _data(n=5000)
    frame.loc[4321, "x1"] = bad
    data = {c: frame[c] for c in frame.columns}
    desc = patsy.ModelDesc.from_formula("~ x1 + x2")
    info = design_fast.design_info(desc.rhs_termlist, data, capture_env(0), NA)
    _, bounds = design_fast.fill_matrix_bounds(info, data, 5000, frame.index)
    assert not bounds.finite
