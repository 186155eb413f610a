"""Word (.docx) reports and comparisons with real Word tables: :func:`document_docx` to bytes.

Tables are in the academic style (horizontal rules only: top, below the header, bottom, and
above the fit statistics of a comparison; no vertical lines, no boxed cells), each with a
numbered caption ("Table 1: ...", Word's Caption style) above and its notes below; figures are
numbered ("Figure 1: ...") in the same style.

Needs python-docx (the optional extra ``logitstats[docx]``), imported only when called. Figures
are embedded as PNG. The output is byte-reproducible: document properties carry no dates and
the zip members carry a fixed timestamp. Strings are escaped with
:func:`logitstats.render.escape.escape_text` (control characters, which XML cannot hold, are
shown as escapes).
"""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

from logitstats.errors import LogitstatsError
from logitstats.render.document import Document, Table
from logitstats.render.escape import escape_text

__all__ = ["document_docx"]

_EPOCH = (1980, 1, 1, 0, 0, 0)
_FIXED_DATE = datetime.datetime(2000, 1, 1)


def _import_docx() -> Any:
    try:
        import docx
    except ImportError:
        raise LogitstatsError(
            "format='docx' needs python-docx: pip install 'logitstats[docx]' "
            "(or pip install python-docx)"
        ) from None
    return docx


def _border(parent: Any, tag: str, edges: dict[str, str | None]) -> None:
    """Set ``parent``'s border element ``tag`` (``w:tblBorders`` or ``w:tcBorders``): each edge
    a line size in eighths of a point, or None for no line."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    old = parent.find(qn(tag))
    if old is not None:
        parent.remove(old)
    borders = OxmlElement(tag)
    for edge, size in edges.items():
        el = OxmlElement(f"w:{edge}")
        if size is None:
            el.set(qn("w:val"), "nil")
        else:
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), size)
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    parent.append(borders)


#: line sizes (eighths of a point): the top and bottom rules heavier than the header rule
_HEAVY, _LIGHT = "12", "6"


def _add_table(document: Any, t: Table, number: int) -> None:
    """A table in the academic style: horizontal rules only (top, below the header, bottom,
    and before a ``rules`` row), a numbered caption above and the notes below."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document.add_paragraph(f"Table {number}: {escape_text(t.caption)}", style="Caption")
    header = t.kind == "grid"
    rows = ([t.columns] if header else []) + list(t.rows)
    table = document.add_table(rows=len(rows), cols=len(t.align))
    tbl_pr = table._tbl.tblPr
    _border(
        tbl_pr,
        "w:tblBorders",
        {"top": _HEAVY, "left": None, "bottom": _HEAVY, "right": None}
        | {"insideH": None, "insideV": None},
    )
    offset = 1 if header else 0
    for i, r in enumerate(rows):
        for j, value in enumerate(r):
            cell = table.cell(i, j)
            para = cell.paragraphs[0]
            run = para.add_run(escape_text(value))
            if (header and i == 0) or (not header and j == 0):
                run.bold = True
            if t.align[j] == "r" and not (header and i == 0 and j == 0):
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if header and i == 0:
                _border(cell._tc.get_or_add_tcPr(), "w:tcBorders", {"bottom": _LIGHT})
            elif i - offset in t.rules:
                _border(cell._tc.get_or_add_tcPr(), "w:tcBorders", {"top": _LIGHT})
    for n in t.notes:
        note = document.add_paragraph()
        note.add_run(escape_text(n)).font.size = Pt(9)


def _normalise_zip(blob: bytes) -> bytes:
    """Rewrite the package with fixed member timestamps (byte-reproducible output)."""
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=_EPOCH)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def document_docx(doc: Document) -> bytes:
    """Render a :class:`Document` as the bytes of a .docx file."""
    docx = _import_docx()
    from docx.shared import Inches

    d = docx.Document()
    props = d.core_properties
    props.title = escape_text(doc.title)[:255]
    props.author = "logitstats"
    props.last_modified_by = "logitstats"
    props.comments = ""
    props.revision = 1
    # python-docx stamps "now" on new documents; reports carry no dates unless asked for.
    props.created = _FIXED_DATE
    props.modified = _FIXED_DATE
    d.add_heading(escape_text(doc.title), level=0)
    if doc.subtitle:
        d.add_paragraph(escape_text(doc.subtitle))
    number = 0
    for s in doc.sections:
        d.add_heading(escape_text(s.title), level=1)
        for t in s.tables:
            number += 1
            _add_table(d, t, number)
        for f in s.figures:
            if f.png is not None:
                d.add_picture(io.BytesIO(f.png), width=Inches(6))
                d.add_paragraph(escape_text(f.title), style="Caption")
        for n in s.notes:
            d.add_paragraph(escape_text(n))
    d.add_paragraph(escape_text(doc.footer))
    buf = io.BytesIO()
    d.save(buf)
    return _normalise_zip(buf.getvalue())
