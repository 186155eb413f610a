"""JSON summaries, reports and comparisons with documented, stable schemas.

Summary schema ``logitstats.summary/1``::

    {
      "schema": "logitstats.summary/1",
      "model": {ModelHeader fields},
      "conf_level": 0.95, "exponentiate": false,
      "coefficients": [{"outcome"?, "term", "estimate", "std_error", "statistic", "p_value",
                        "conf_low", "conf_high"}, ...],
      "statistics": {glance columns}
    }

The summary keeps full double precision and writes ASCII strings (``\\uXXXX`` escapes);
non-finite numbers are ``null``.

Report schema ``logitstats.report/1``::

    {
      "schema": "logitstats.report/1",
      "title": str,
      "model": {ModelHeader fields: kind, method, formula, data_name, outcome, event, reference,
                levels, nobs, n_rows_used, rows_note, cov_type, converged, n_iter, separation,
                notes},
      "conf_level": float, "ci_method": "wald" | "profile",
      "exponentiate": true | false | null,      # null: coefficients and ratios both shown
      "aliased": [str, ...],
      "coefficients": [{"outcome"?, "term", "estimate", "std_error", "statistic", "p_value",
                        "conf_low", "conf_high"}, ...],                      # link scale
      "ratios": [same keys, exponentiated] | null,  # odds ratios / relative-risk ratios
      "statistics": {glance columns},
      "tests": {"title": str, "rows": [{"term", "df", "statistic", "p_value"}, ...]} | null,
      "diagnostics": {"hosmer_lemeshow": {"statistic", "df", "p_value", "groups": [{"group",
                        "n", "observed_1", "expected_1", "observed_0", "expected_0"}, ...]},
                      "roc_auc": {"auc", "std_error", "conf_low", "conf_high", "conf_level"},
                      "brier_score": float,
                      "classification": {"threshold", "accuracy", "sensitivity",
                        "specificity", "ppv", "npv", "confusion": {"rows": [str, ...],
                        "columns": [str, ...], "counts": [[number, ...], ...]}}} | null,
      "figures": [{"name", "title"}, ...],     # drawn only in the HTML and docx reports
      "timestamp": str | null
    }

Comparison schema ``logitstats.comparison/2`` (``/1`` without ``layout``, ``ci_method``,
``rows``, ``notes`` and the models' ``cov_type`` and ``method``)::

    {"schema": "logitstats.comparison/2", "title", "kind", "exponentiate", "interval", "layout",
     "stars", "conf_level", "ci_method", "reference",
     "rows": [{"term" (null for a reference level), "label", "group", "reference"}, ...],
     "notes": [...],
     "models": [{"name", "formula", "cov_type", "method", "coefficients": [tidy rows],
                 "statistics": {glance}}, ...]}

In reports and comparisons numbers are rounded to 12 significant digits (far beyond the display
precision of the other formats, and stable across platforms' last-bit differences); non-finite
numbers are ``null``.
Strings keep non-ASCII text as it is, except control and bidi characters, which are written as
``\\uXXXX`` escapes (:func:`logitstats.render.escape.escape_json`): names read back exactly.
Keys are only ever added in a new schema version.
"""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import numpy as np
import pandas as pd

from logitstats.render.data import ComparisonData, ReportData, SummaryData
from logitstats.render.escape import escape_json

__all__ = [
    "summary_json",
    "report_json",
    "comparison_json",
    "SCHEMA",
    "REPORT_SCHEMA",
    "COMPARISON_SCHEMA",
    "to_jsonable",
]

SCHEMA = "logitstats.summary/1"
REPORT_SCHEMA = "logitstats.report/1"
COMPARISON_SCHEMA = "logitstats.comparison/2"


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


def summary_json(data: SummaryData) -> str:
    """The summary as a JSON document (schema ``logitstats.summary/1`` in the module docstring)."""
    doc = {
        "schema": SCHEMA,
        "model": dataclasses.asdict(data.header),
        "conf_level": data.conf_level,
        "exponentiate": data.exponentiate,
        "coefficients": data.tidy.to_dict(orient="records"),
        "statistics": data.glance.iloc[0].to_dict(),
    }
    return escape_json(json.dumps(to_jsonable(doc), indent=2, allow_nan=False)) + "\n"


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in df.to_dict(orient="records")]


def _round(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_round(v) for v in value]
    if isinstance(value, float):
        return float(f"{value:.12g}")
    return value


def _dump(doc: dict[str, Any]) -> str:
    text = json.dumps(_round(to_jsonable(doc)), indent=2, allow_nan=False, ensure_ascii=False)
    return escape_json(text) + "\n"


def report_json(data: ReportData) -> str:
    """A regression report as a JSON document (schema in the module docstring)."""
    d = data.diagnostics
    diagnostics = None
    if d is not None:
        c = d.confusion
        diagnostics = {
            "hosmer_lemeshow": {
                "statistic": d.hl_statistic,
                "df": d.hl_df,
                "p_value": d.hl_p_value,
                "groups": _records(d.hl_table),
            },
            "roc_auc": {
                "auc": d.auc,
                "std_error": d.auc_std_error,
                "conf_low": d.auc_conf_low,
                "conf_high": d.auc_conf_high,
                "conf_level": d.conf_level,
            },
            "brier_score": d.brier,
            "classification": {
                "threshold": d.threshold,
                "accuracy": d.accuracy,
                "sensitivity": d.sensitivity,
                "specificity": d.specificity,
                "ppv": d.ppv,
                "npv": d.npv,
                "confusion": {
                    "rows": [str(x) for x in c.index],
                    "columns": [str(x) for x in c.columns],
                    "counts": c.to_numpy().tolist(),
                },
            },
        }
    doc = {
        "schema": REPORT_SCHEMA,
        "title": data.title,
        "model": dataclasses.asdict(data.header),
        "conf_level": data.conf_level,
        "ci_method": data.ci_method,
        "exponentiate": data.exponentiate,
        "aliased": list(data.aliased),
        "coefficients": _records(data.tidy),
        "ratios": None if data.tidy_exp is None else _records(data.tidy_exp),
        "statistics": data.glance.iloc[0].to_dict(),
        "tests": None
        if data.tests is None
        else {"title": data.tests.title, "rows": _records(data.tests.table)},
        "diagnostics": diagnostics,
        "figures": [{"name": f.name, "title": f.title} for f in data.figures],
        "timestamp": data.timestamp,
    }
    return _dump(doc)


def comparison_json(data: ComparisonData) -> str:
    """A model comparison as a JSON document (schema in the module docstring)."""
    doc = {
        "schema": COMPARISON_SCHEMA,
        "title": data.title,
        "kind": data.kind,
        "exponentiate": data.exponentiate,
        "interval": data.interval,
        "layout": data.layout,
        "stars": data.stars,
        "conf_level": data.conf_level,
        "ci_method": data.ci_method,
        "reference": data.reference,
        "rows": [
            {"term": r.term, "label": r.label, "group": r.group, "reference": r.reference}
            for r in data.rows
        ],
        "notes": list(data.notes),
        "models": [
            {
                "name": n,
                "formula": f,
                "cov_type": data.cov_types[i] if data.cov_types else None,
                "method": data.methods[i] if data.methods else None,
                "coefficients": _records(t),
                "statistics": g.iloc[0].to_dict(),
            }
            for i, (n, f, t, g) in enumerate(
                zip(data.names, data.formulas, data.tidies, data.glances)
            )
        ],
    }
    return _dump(doc)
