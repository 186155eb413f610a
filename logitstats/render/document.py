"""Format-neutral report documents: sections of tables whose cells are already formatted.

Every report format (text, Markdown, HTML, LaTeX, docx) walks the same :class:`Document`, so the
numbers agree digit for digit across formats: each number is formatted exactly once, by the
builders, with :mod:`logitstats.render.format`. Renderers only escape and lay out the cell
strings.

The model (:class:`Document`, :class:`Section`, :class:`Table`, the cell types) is in
:mod:`logitstats.render.document_model`; the builders are
:mod:`logitstats.render.report_document` and :mod:`logitstats.render.comparison_document`. This
module gathers them under one name.
"""

from __future__ import annotations

from logitstats.render.comparison_document import comparison_document
from logitstats.render.comparison_document import comparison_rows as comparison_rows
from logitstats.render.document_model import (
    REFERENCE_CELL,
    Code,
    Document,
    Phrase,
    Section,
    Table,
    Verbatim,
    cell_text,
    ci_labels,
)
from logitstats.render.document_model import Cell as Cell
from logitstats.render.report_document import GLANCE_LABELS, report_document

__all__ = [
    "Verbatim",
    "Code",
    "Phrase",
    "cell_text",
    "Table",
    "Section",
    "Document",
    "report_document",
    "comparison_document",
    "ci_labels",
    "GLANCE_LABELS",
    "REFERENCE_CELL",
]
