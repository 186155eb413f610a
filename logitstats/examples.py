"""The example reports in ``reports/``, generated from the bundled datasets by one command::

    logitstats examples --output reports

An index (``examples.md``) and four examples, each written as text (``.txt``), Markdown
(``.md``), standalone HTML (``.html``, with figures), LaTeX (``.tex``) and JSON (``.json``):

- ``binary_affairs``: a binary model with factors (Fair's affairs data);
- ``multinomial_anes96``: a multinomial model of party identification (ANES 1996);
- ``compare_affairs``: a comparison of three nested binary models;
- ``compare_estimators_affairs``: one model three ways (model-based SEs, HC1 SEs, Firth),
  odds ratios with 95 % CIs in one cell, labelled terms;
- ``firth_endometrial``: a quasi-separated model fitted with Firth's penalized likelihood.

The output is deterministic (no dates, fixed SVG hash salt): on one machine, regenerating
reproduces the files byte for byte. Another CPU's BLAS kernel may move numbers in the 12th
significant digit (JSON) and so change matplotlib's hashed SVG ids; ``tests/test_examples.py``
therefore compares the committed files with regenerated ones as golden files (text and
structure exactly, numbers at a named tolerance, see ``tests/golden_compare.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from logitstats import datasets
from logitstats.fit.logit import logit
from logitstats.fit.mlogit import mlogit
from logitstats.render.registry import FORMATS as _REGISTRY
from logitstats.reporting.compare import compare
from logitstats.reporting.report import build_report, render_report, write_output

__all__ = ["EXAMPLES", "FORMATS", "write_examples", "example_outputs"]

#: file suffix per report format written (every text format of the registry)
FORMATS = {str(f): spec.suffix for f, spec in _REGISTRY.items() if not spec.binary}

AFFAIRS = "had_affair ~ C(rate_marriage) + age + np.log(yrs_married) + C(religious) + educ"


@dataclass(frozen=True)
class Example:
    """One example: a file stem, a one-line description and a function making its outputs."""

    stem: str
    description: str
    make: Callable[[], dict[str, str]]


def _report_outputs(fit: Any, **options: Any) -> dict[str, str]:
    data = build_report(fit, **options)
    return {fmt: str(render_report(data, fmt)) for fmt in FORMATS}


def _binary() -> dict[str, str]:
    fit = logit(AFFAIRS, datasets.load("affairs"), data_name="affairs")
    return _report_outputs(fit, title="Extramarital affairs (Fair 1978): binary logit")


def _multinomial() -> dict[str, str]:
    fit = mlogit(
        "party ~ age + educ + income + selfLR",
        datasets.load("anes96"),
        reference="Dem",
        data_name="anes96",
    )
    return _report_outputs(fit, title="Party identification (ANES 1996): multinomial logit")


def _comparison() -> dict[str, str]:
    df = datasets.load("affairs")
    fits = [
        logit("had_affair ~ age + educ", df, data_name="affairs"),
        logit("had_affair ~ C(rate_marriage) + age + educ", df, data_name="affairs"),
        logit(AFFAIRS, df, data_name="affairs"),
    ]
    table = compare(
        fits, stars=True, title="Extramarital affairs (Fair 1978): nested binary logits"
    )
    return {fmt: str(table.render(fmt)) for fmt in FORMATS}


def _estimators() -> dict[str, str]:
    df = datasets.load("affairs")
    fits = [
        logit(AFFAIRS, df, data_name="affairs"),
        logit(AFFAIRS, df, data_name="affairs", cov_type="HC1"),
        logit(AFFAIRS, df, data_name="affairs", firth=True),
    ]
    table = compare(
        fits,
        names=["ML", "ML, HC1", "Firth"],
        exponentiate=True,
        interval="conf_int",
        layout="inline",
        labels={
            "rate_marriage": "Marriage rating",
            "religious": "Religiousness",
            "age": "Age (years)",
            "np.log(yrs_married)": "log(years married)",
            "educ": "Education (years)",
        },
        order=["age", "np.log(yrs_married)", "educ"],
        drop=["Intercept"],
        title="Extramarital affairs (Fair 1978): odds ratios by estimator",
    )
    return {fmt: str(table.render(fmt)) for fmt in FORMATS}


def _firth() -> dict[str, str]:
    fit = logit(
        "HG ~ NV + PI + EH", datasets.load("endometrial"), firth=True, data_name="endometrial"
    )
    return _report_outputs(
        fit, title="Endometrial cancer grade (Heinze & Schemper 2002): Firth logit"
    )


EXAMPLES: tuple[Example, ...] = (
    Example("binary_affairs", "binary logit with factors, Fair's affairs data", _binary),
    Example("multinomial_anes96", "multinomial logit of party identification", _multinomial),
    Example("compare_affairs", "three nested binary logits side by side", _comparison),
    Example(
        "compare_estimators_affairs",
        "one logit with model-based, HC1 and Firth columns (odds ratios [95 % CI])",
        _estimators,
    ),
    Example("firth_endometrial", "quasi-separated data fitted with Firth's method", _firth),
)


INDEX = "examples.md"


def _index() -> str:
    lines = [
        "# Example reports",
        "",
        "Generated from the bundled datasets by `logitstats examples --output reports`; do not",
        "edit by hand. `tests/test_examples.py` checks that regenerating them reproduces these",
        "files: the text exactly, the numbers to 1e-8 relative (the last digits of the JSON and",
        "the SVG ids of the figures depend on the CPU's BLAS kernel).",
        "",
    ]
    for ex in EXAMPLES:
        files = ", ".join(f"[{fmt}]({ex.stem}.{suf})" for fmt, suf in FORMATS.items())
        lines.append(f"- `{ex.stem}`: {ex.description} ({files})")
    return "\n".join(lines) + "\n"


def example_outputs() -> dict[str, str]:
    """File name -> content of every example report and of the index (nothing written)."""
    out: dict[str, str] = {INDEX: _index()}
    for ex in EXAMPLES:
        for fmt, text in ex.make().items():
            out[f"{ex.stem}.{FORMATS[fmt]}"] = text
    return out


def write_examples(directory: str | Path = "reports") -> list[Path]:
    """Write every example report into ``directory`` (created if needed); returns the paths."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in example_outputs().items():
        write_output(text, d / name)
        paths.append(d / name)
    return paths
