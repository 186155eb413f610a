"""Labels from the layout (results/labels.py): the same code for every family."""

from __future__ import annotations

import numpy as np
import pandas as pd

from logitstats.engine.layout import ParamLayout
from logitstats.results.labels import flat_index, label_columns, labelled

TERMS = ("Intercept", "x")
BIN = ParamLayout(TERMS)
MNL = ParamLayout(TERMS, outcomes=("b", "c"))


def test_binary_labels_are_a_series_over_terms():
    s = labelled(BIN, np.array([1.0, 2.0]), "params")
    pd.testing.assert_series_equal(
        s, pd.Series([1.0, 2.0], index=pd.Index(list(TERMS), name="term"), name="params")
    )
    assert list(flat_index(BIN)) == list(TERMS) and flat_index(BIN).name == "term"
    assert label_columns(BIN) == {"term": list(TERMS)}


def test_multinomial_labels_are_terms_by_outcomes():
    frame = labelled(MNL, np.array([1.0, 2.0, 3.0, 4.0]), "params")
    want = pd.DataFrame(
        [[1.0, 3.0], [2.0, 4.0]],
        index=pd.Index(list(TERMS), name="term"),
        columns=pd.Index(["b", "c"], name="outcome"),
    )
    pd.testing.assert_frame_equal(frame, want)
    idx = flat_index(MNL)
    assert list(idx.names) == ["outcome", "term"] and list(idx) == MNL.labels()
    assert label_columns(MNL) == {"outcome": ["b", "b", "c", "c"], "term": list(TERMS) * 2}
