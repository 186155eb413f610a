"""render.format.cell: pandas cells become the ``float | None`` the fmt_* helpers take, with the
same printed result as passing the raw cell (the mypy-clean path must not change output)."""

import math

import numpy as np
import pandas as pd

from logitstats.render.format import cell, fmt_int, fmt_num, fmt_p


def test_cell_keeps_none_and_converts_numbers() -> None:
    assert cell(None) is None
    assert cell(np.int64(3)) == 3.0
    assert math.isnan(cell(float("nan")))


def test_cell_formats_like_the_raw_cell() -> None:
    df = pd.DataFrame({"n": [3, 7], "p": [0.00002, 0.04321], "x": [-13.021347, np.nan]})
    for r in df.itertuples(index=False):
        assert fmt_int(cell(r.n)) == fmt_int(r.n)
        assert fmt_p(cell(r.p)) == fmt_p(r.p)
        assert fmt_num(cell(r.x)) == fmt_num(r.x)
