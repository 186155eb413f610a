"""Golden files of every renderer on two models (binary spector, multinomial anes96) and on a
comparison. Regenerate with ``python -m pytest tests/test_render_golden.py --update-golden`` and
review the diff.

The comparison (:mod:`tests.golden_compare`) is exact on structure and text and numerical at
``RTOL_GOLDEN`` on numbers, so the files pass on any CPU (BLAS kernels move estimates in the
12th digit); the tests at the end check that a 1e-6 change of one estimate, a changed label or a
changed layout still fail.

Figures are left out here (their SVG comes from matplotlib; ``tests/test_plots.py`` and
``tests/test_examples.py`` cover them); the docx golden is the document XML (the zip container
is checked for byte reproducibility in ``tests/test_render_docx.py``).
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path
from xml.dom import minidom

import pytest

import logitstats as ls
from logitstats.render.data import ReportData
from logitstats.reporting.report import build_report, render_report
from tests.golden_compare import assert_matches_golden, golden_differences
from tests.report_cases import anes_fit, spector_fit

GOLDEN = Path(__file__).parents[1] / "golden"
SUFFIX = {
    "text": "txt",
    "markdown": "md",
    "html": "html",
    "latex": "tex",
    "json": "json",
    "docx": "docx.xml",
}


def _docx_xml(blob: bytes) -> str:
    """word/document.xml, one element per line so that golden diffs are readable."""
    xml = zipfile.ZipFile(io.BytesIO(blob)).read("word/document.xml")
    return minidom.parseString(xml).toprettyxml(indent=" ")


HINT = "run `python -m pytest tests/test_render_golden.py --update-golden` to accept"


def _text(content: str | bytes) -> str:
    return _docx_xml(content) if isinstance(content, bytes) else content


def _check(name: str, content: str | bytes, update: bool) -> None:
    text = _text(content)
    path = GOLDEN / name
    if update:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"missing golden file {path}; run pytest with --update-golden"
    assert_matches_golden(name, text, path.read_text(encoding="utf-8"), HINT)


MODELS = {"binary_spector": spector_fit, "multinomial_anes96": anes_fit}


@pytest.mark.parametrize("model", sorted(MODELS))
@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_report_golden(model, fmt, update_golden):
    data = build_report(MODELS[model](), figures=False)
    _check(f"report_{model}.{SUFFIX[fmt]}", render_report(data, fmt), update_golden)


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_comparison_golden(fmt, update_golden):
    df = ls.datasets.load("spector")
    fits = [ls.logit("GRADE ~ GPA", df), ls.logit("GRADE ~ GPA + TUCE + PSI", df)]
    table = ls.compare(fits, names=["GPA only", "full"], stars=True)
    _check(f"comparison_spector.{SUFFIX[fmt]}", table.render(fmt), update_golden)


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_comparison_golden_multinomial(fmt, update_golden):
    fits = [
        anes_fit(),
        ls.mlogit("party ~ age + income", ls.datasets.load("anes96"), reference="Dem"),
    ]
    table = ls.compare(fits, exponentiate=True, interval="conf_int")
    _check(f"comparison_anes96.{SUFFIX[fmt]}", table.render(fmt), update_golden)


# ------------------------------------------------------------- the comparison still bites


def _spector_report_with(**tidy_changes) -> ReportData:
    """The spector report data with columns of the link-scale tidy table replaced."""
    data = build_report(spector_fit(), figures=False)
    tidy = data.tidy.copy()
    for column, values in tidy_changes.items():
        tidy[column] = values(tidy[column])
    return dataclasses.replace(data, tidy=tidy)


def _golden(name: str) -> str:
    return (GOLDEN / name).read_text(encoding="utf-8")


def test_an_estimate_scaled_by_one_plus_1e_6_fails_the_json_golden():
    def scale_gpa(est):
        return est.where(est.index != 1, est * (1 + 1e-6))  # row 1 is GPA

    data = _spector_report_with(estimate=scale_gpa)
    assert data.tidy["term"].iloc[1] == "GPA"
    diffs = golden_differences(
        "report_binary_spector.json",
        str(render_report(data, "json")),
        _golden("report_binary_spector.json"),
    )
    # 2.82611259489 is the golden GPA estimate; times 1 + 1e-6 it is 2.8261154210
    assert len(diffs) == 1, diffs
    assert diffs[0].startswith("$.coefficients[1].estimate: expected 2.82611259489; got 2.8261154")


def test_an_unchanged_report_rebuilt_from_its_data_passes():
    data = _spector_report_with()
    for fmt in ("json", "text"):
        name = f"report_binary_spector.{SUFFIX[fmt]}"
        assert golden_differences(name, str(render_report(data, fmt)), _golden(name)) == []


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "latex", "json", "docx"])
def test_a_changed_label_fails_every_golden(fmt):
    data = _spector_report_with(term=lambda t: t.replace("TUCE", "TUCF"))
    name = f"report_binary_spector.{SUFFIX[fmt]}"
    diffs = golden_differences(name, _text(render_report(data, fmt)), _golden(name))
    assert diffs and "TUC" in diffs[0], diffs


def test_a_changed_layout_or_a_changed_printed_number_fails_the_text_golden():
    name = "report_binary_spector.txt"
    golden = _golden(name)
    assert golden_differences(name, golden.replace("\n\n", "\n", 1), golden)
    assert golden_differences(name, golden.replace("Term     ", "Term    ", 1), golden)
    # two units in the last printed digit of the GPA estimate
    changed = golden.replace("GPA          2.8261", "GPA          2.8263", 1)
    assert changed != golden
    assert golden_differences(name, changed, golden) == [
        "line 25: number differs: expected 2.8261; got 2.8263"
    ]
