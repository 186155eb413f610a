"""JSON summary with a stable schema (``logitstats.summary/1``).

Schema::

    {
      "schema": "logitstats.summary/1",
      "model": {ModelHeader fields},
      "conf_level": 0.95, "exponentiate": false,
      "coefficients": [{"outcome"?, "term", "estimate", "std_error", "statistic", "p_value",
                        "conf_low", "conf_high"}, ...],
      "statistics": {glance columns}
    }

Non-finite numbers are written as ``null`` (strict JSON); numbers keep full double precision.
Strings are ASCII (``\\uXXXX`` escapes), so names read back exactly and nothing in them can
drive a terminal (:func:`logitstats.render.escape.escape_json`).
"""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import numpy as np
import pandas as pd

from logitstats.render.data import ModelHeader
from logitstats.render.escape import escape_json

__all__ = ["summary_json", "SCHEMA", "to_jsonable"]

SCHEMA = "logitstats.summary/1"


def to_jsonable(value: Any) -> Any:
    """Plain Python values for json: numpy scalars unwrapped, NaN/inf -> None."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return f if math.isfinite(f) else None
    return value


def summary_json(
    header: ModelHeader,
    tidy: pd.DataFrame,
    glance: pd.DataFrame,
    *,
    conf_level: float = 0.95,
    exponentiate: bool = False,
) -> str:
    """The summary as a JSON document (see the module docstring for the schema)."""
    doc = {
        "schema": SCHEMA,
        "model": dataclasses.asdict(header),
        "conf_level": conf_level,
        "exponentiate": exponentiate,
        "coefficients": tidy.to_dict(orient="records"),
        "statistics": glance.iloc[0].to_dict(),
    }
    return escape_json(json.dumps(to_jsonable(doc), indent=2, allow_nan=False)) + "\n"
