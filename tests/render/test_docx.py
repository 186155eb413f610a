"""docx reports: real Word tables holding the same cells, figures embedded, reproducible bytes."""

from __future__ import annotations

import builtins
import io
import zipfile

import pytest

import logitstats as ls
from logitstats.render.document import report_document
from logitstats.reporting.report import build_report
from tests.report_cases import docx_tables, spector_fit


@pytest.fixture(scope="module")
def blob() -> bytes:
    return spector_fit().report("docx")


def test_real_tables_with_the_document_cells(blob):
    doc = report_document(build_report(spector_fit(), figures=False))
    expected = []
    for s in doc.sections:
        for t in s.tables:
            head = [list(t.columns)] if t.kind == "grid" else []
            expected.append(head + [list(r) for r in t.rows])
    assert docx_tables(blob) == expected


def test_figures_embedded_as_png(blob):
    z = zipfile.ZipFile(io.BytesIO(blob))
    media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(media) == 3
    assert all(z.read(n)[:8] == b"\x89PNG\r\n\x1a\n" for n in media)


def test_bytes_reproducible_and_undated(blob):
    again = spector_fit().report("docx")
    assert again == blob
    z = zipfile.ZipFile(io.BytesIO(blob))
    assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = z.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core


def test_comparison_docx_has_tables():
    df = ls.datasets.load("spector")
    table = ls.compare([ls.logit("GRADE ~ GPA", df), ls.logit("GRADE ~ GPA + PSI", df)])
    tables = docx_tables(table.render("docx"))
    # one table: coefficients, then SE type, estimator and fit statistics; then the formulas
    assert tables[0][0] == ["", "(1)", "(2)"]
    frame = table.to_frame()
    assert tables[0][1:] == frame[["term", "(1)", "(2)"]].to_numpy().tolist()
    assert [r[0] for r in tables[0] if r[0]][-7:] == [
        "SE type",
        "Estimator",
        "N",
        "Log-likelihood",
        "AIC",
        "BIC",
        "McFadden R²",
    ]
    assert tables[1] == [["(1)", "GRADE ~ GPA"], ["(2)", "GRADE ~ GPA + PSI"]]


def test_missing_python_docx_is_a_clear_error(monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "docx" or name.startswith("docx."):
            raise ImportError("no docx")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ls.LogitstatsError, match=r"format='docx' needs python-docx: pip install"):
        spector_fit().report("docx", figures=False)
