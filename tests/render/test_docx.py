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


# --------------------------------------------------------------------------- academic style


def _borders(el, tag: str) -> dict[str, str]:
    """Edge -> line value ("single", "nil") of the border element ``tag`` under ``el``."""
    from docx.oxml.ns import qn

    found = el.find(qn(tag))
    if found is None:
        return {}
    return {child.tag.split("}")[1]: child.get(qn("w:val")) for child in found}


def test_tables_have_horizontal_rules_only(blob):
    import docx
    from docx.oxml.ns import qn

    d = docx.Document(io.BytesIO(blob))
    assert d.tables
    for table in d.tables:
        tbl_pr = table._tbl.tblPr
        style = tbl_pr.find(qn("w:tblStyle"))
        assert style is None or style.get(qn("w:val")) != "TableGrid"  # no boxed cells
        edges = _borders(tbl_pr, "w:tblBorders")
        assert edges == {
            "top": "single",
            "left": "nil",
            "bottom": "single",
            "right": "nil",
            "insideH": "nil",
            "insideV": "nil",
        }
        for row in table.rows:
            for cell in row.cells:
                cell_edges = _borders(cell._tc.get_or_add_tcPr(), "w:tcBorders")
                assert set(cell_edges) <= {"top", "bottom"}  # never a vertical line
    grid = next(t for t in d.tables if t.rows[0].cells[0].text == "Term")
    header_rule = [_borders(c._tc.get_or_add_tcPr(), "w:tcBorders") for c in grid.rows[0].cells]
    assert all(e == {"bottom": "single"} for e in header_rule)  # the rule below the header
    assert all(
        _borders(c._tc.get_or_add_tcPr(), "w:tcBorders") == {}
        for row in grid.rows[1:]
        for c in row.cells
    )


def test_numbered_table_and_figure_captions(blob):
    import docx

    d = docx.Document(io.BytesIO(blob))
    captions = [p.text for p in d.paragraphs if p.style.name == "Caption"]
    tables = [c for c in captions if c.startswith("Table ")]
    figures = [c for c in captions if c.startswith("Figure ")]
    assert len(tables) == len(d.tables)
    assert [c.split(":")[0] for c in tables] == [f"Table {i}" for i in range(1, len(tables) + 1)]
    assert "Table 2: Coefficients" in tables
    assert figures == [
        "Figure 1: Odds ratios with 95 % confidence intervals (log scale)",
        "Figure 2: Calibration: observed event rate by bin of predicted probability",
        "Figure 3: ROC curve",
    ]
    # each figure caption follows its picture
    body = d.element.body
    paras = [el for el in body if el.tag.endswith("}p")]
    for i, el in enumerate(paras):
        if el.xpath(".//pic:pic"):
            assert docx.text.paragraph.Paragraph(paras[i + 1], d).text.startswith("Figure ")


def test_comparison_rule_above_the_fit_statistics():
    import docx

    df = ls.datasets.load("spector")
    table = ls.compare([ls.logit("GRADE ~ GPA", df), ls.logit("GRADE ~ GPA + PSI", df)])
    d = docx.Document(io.BytesIO(table.render("docx")))
    grid = d.tables[0]
    ruled = [
        row.cells[0].text
        for row in grid.rows[1:]
        if _borders(row.cells[0]._tc.get_or_add_tcPr(), "w:tcBorders") == {"top": "single"}
    ]
    assert ruled == ["SE type"]
    notes = [p.text for p in d.paragraphs]
    note = "Estimates: coefficients (log odds); standard errors in parentheses under each estimate."
    assert note in notes  # the table's notes follow it
