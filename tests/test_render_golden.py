"""Golden files of every renderer on two models (binary spector, multinomial anes96) and on a
comparison. Regenerate with ``python -m pytest tests/test_render_golden.py --update-golden`` and
review the diff.

Figures are left out here (their SVG comes from matplotlib; ``tests/test_plots.py`` and
``tests/test_examples.py`` cover them); the docx golden is the document XML (the zip container
is checked for byte reproducibility in ``tests/test_render_docx.py``).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.dom import minidom

import pytest

import logitstats as ls
from logitstats.report import build_report, render_report
from tests.report_cases import anes_fit, spector_fit

GOLDEN = Path(__file__).parent / "golden"
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


def _check(name: str, content: str | bytes, update: bool) -> None:
    text = _docx_xml(content) if isinstance(content, bytes) else content
    path = GOLDEN / name
    if update:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"missing golden file {path}; run pytest with --update-golden"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from its golden file (--update-golden to accept)"


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
