"""Labels of flat parameter vectors, attached once: pandas objects from a :class:`ParamLayout`.

The layout (``engine/layout.py``) owns the shape: which labels a flat position has
(:attr:`~logitstats.engine.layout.ParamLayout.index_names`, ``index_tuples``) and which table a
flat vector is shown as (``table``). This module only turns those into pandas objects, the same
way for every model family, so that no result branches on the kind of model.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from logitstats.engine.layout import ParamLayout

__all__ = ["flat_index", "label_columns", "labelled"]


def flat_index(layout: ParamLayout) -> pd.Index:
    """One label per flat position: an Index named ``term``, or a MultiIndex of the layout's
    :attr:`~ParamLayout.index_names` (``outcome``, ``term``)."""
    names, tuples = layout.index_names, layout.index_tuples()
    if len(names) == 1:
        return pd.Index([t[0] for t in tuples], name=names[0])
    return pd.MultiIndex.from_tuples(tuples, names=list(names))


def label_columns(layout: ParamLayout) -> dict[str, list[Any]]:
    """The label columns of a tidy table, one per :attr:`~ParamLayout.index_names`."""
    tuples = layout.index_tuples()
    return {name: [t[i] for t in tuples] for i, name in enumerate(layout.index_names)}


def labelled(layout: ParamLayout, flat: np.ndarray, name: str) -> pd.Series | pd.DataFrame:
    """``flat`` shown as the layout's table: a Series over terms (one column of parameters) or
    a DataFrame terms x outcomes."""
    values = layout.table(flat)
    index = pd.Index(list(layout.terms), name="term")
    if values.ndim == 1:
        return pd.Series(values, index=index, name=name)
    return pd.DataFrame(
        values, index=index, columns=pd.Index(list(layout.outcomes or ()), name="outcome")
    )
