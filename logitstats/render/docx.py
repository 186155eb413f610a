"""Word (.docx) reports and comparisons with real Word tables: :func:`document_docx` to bytes.

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


def _add_table(document: Any, t: Table, section_title: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if t.caption != section_title:
        document.add_paragraph().add_run(escape_text(t.caption)).bold = True
    header = t.kind == "grid"
    rows = ([t.columns] if header else []) + list(t.rows)
    table = document.add_table(rows=len(rows), cols=len(t.align))
    table.style = "Table Grid"
    for i, r in enumerate(rows):
        for j, value in enumerate(r):
            cell = table.cell(i, j)
            para = cell.paragraphs[0]
            run = para.add_run(escape_text(value))
            if (header and i == 0) or (not header and j == 0):
                run.bold = True
            if t.align[j] == "r" and not (header and i == 0 and j == 0):
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT


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
    for s in doc.sections:
        d.add_heading(escape_text(s.title), level=1)
        for t in s.tables:
            _add_table(d, t, s.title)
        for f in s.figures:
            if f.png is not None:
                d.add_picture(io.BytesIO(f.png), width=Inches(6))
                d.add_paragraph().add_run(escape_text(f.title)).italic = True
        for n in s.notes:
            d.add_paragraph(escape_text(n))
    d.add_paragraph(escape_text(doc.footer))
    buf = io.BytesIO()
    d.save(buf)
    return _normalise_zip(buf.getvalue())
