"""The parameter layout (logitstats.engine.layout.ParamLayout): flat vector <-> terms x outcomes.

Reference: statsmodels' ``MNLogit`` flattens its (terms x outcomes) parameter matrix with
``ravel(order="F")`` (outcome-major), as the R reference files do (tests/reference/README.md).
Integer arrays are used so that every comparison is exact without comparing floats.
"""

from __future__ import annotations

import numpy as np
import pytest

from logitstats.engine.layout import ParamLayout

TERMS = ("Intercept", "age", "educ")
MNL = ParamLayout(TERMS, outcomes=("Ind", "Rep"))
BIN = ParamLayout(TERMS)


def test_sizes():
    assert (MNL.n_terms, MNL.n_outcomes, MNL.size, MNL.is_multinomial) == (3, 2, 6, True)
    assert (BIN.n_terms, BIN.n_outcomes, BIN.size, BIN.is_multinomial) == (3, 1, 3, False)


def test_flat_is_outcome_major_like_statsmodels():
    matrix = np.arange(6).reshape(3, 2)  # rows terms, columns outcomes
    flat = MNL.to_flat(matrix)
    np.testing.assert_array_equal(flat, matrix.ravel(order="F"))
    np.testing.assert_array_equal(MNL.to_matrix(flat), matrix)


@pytest.mark.parametrize("layout", [MNL, BIN, ParamLayout(("x",), outcomes=(1, 2, 3, 4))])
def test_round_trips(layout):
    flat = np.arange(layout.size)
    matrix = layout.to_matrix(flat)
    assert matrix.shape == (layout.n_terms, layout.n_outcomes)
    np.testing.assert_array_equal(layout.to_flat(matrix), flat)
    # trailing axes travel along (e.g. the columns of a covariance matrix)
    block = np.arange(layout.size * 2).reshape(layout.size, 2)
    assert layout.to_matrix(block).shape == (layout.n_terms, layout.n_outcomes, 2)
    np.testing.assert_array_equal(layout.to_flat(layout.to_matrix(block)), block)


def test_binary_to_flat_copies_a_vector():
    vector = np.arange(3)
    flat = BIN.to_flat(vector)
    flat[0] = 99
    assert vector[0] == 0  # the caller's array is not changed


def test_wrong_size_is_refused():
    with pytest.raises(ValueError, match="expected 6 parameters, got 5"):
        MNL.to_matrix(np.arange(5))


def test_labels_and_flat_index_agree():
    labels = MNL.labels()
    assert labels[:4] == [
        ("Ind", "Intercept"),
        ("Ind", "age"),
        ("Ind", "educ"),
        ("Rep", "Intercept"),
    ]
    for pos, (outcome, term) in enumerate(labels):
        assert MNL.flat_index(term, outcome) == pos
    assert BIN.labels() == [(None, t) for t in TERMS]
    assert [BIN.flat_index(t) for t in TERMS] == [0, 1, 2]


def test_term_positions_cover_every_outcome():
    np.testing.assert_array_equal(MNL.term_positions(slice(1, 3)), [1, 2, 4, 5])
    np.testing.assert_array_equal(MNL.term_positions([0]), [0, 3])
    np.testing.assert_array_equal(BIN.term_positions([2]), [2])
    flat = np.arange(MNL.size)
    np.testing.assert_array_equal(
        flat[MNL.term_positions([1])], MNL.to_matrix(flat)[1]
    )  # the row of one term


def test_labels_and_table_are_owned_by_the_layout():
    assert BIN.index_names == ("term",)
    assert BIN.index_tuples() == [(t,) for t in TERMS]
    assert MNL.index_names == ("outcome", "term")
    assert MNL.index_tuples() == MNL.labels()
    flat = np.arange(MNL.size)
    np.testing.assert_array_equal(MNL.table(flat), MNL.to_matrix(flat))
    np.testing.assert_array_equal(BIN.table(np.arange(3)), np.arange(3))  # one column: a vector


def test_place_puts_a_flat_vector_into_a_layout_with_more_terms():
    full = MNL.with_terms(("Intercept", "dropped", "age", "educ"))
    assert full.outcomes == MNL.outcomes
    placed = MNL.place(np.arange(1, MNL.size + 1, dtype=float), full)
    want = np.array([1, np.nan, 2, 3, 4, np.nan, 5, 6])  # outcome-major, NaN where not fitted
    np.testing.assert_array_equal(placed, want)
    np.testing.assert_array_equal(
        BIN.place(np.array([1.0, 2.0, 3.0]), BIN.with_terms(("Intercept", "x", "age", "educ"))),
        [1.0, np.nan, 2.0, 3.0],
    )
