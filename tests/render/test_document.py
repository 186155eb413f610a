"""The document model (render/document_model.py), its builders (render/report_document.py,
render/comparison_document.py) and the one import path that gathers them (render/document.py)."""

from __future__ import annotations

import pytest

from logitstats.render import comparison_document as comparison
from logitstats.render import document, document_model, report_document
from logitstats.render.document import Code, Phrase, Verbatim, cell_text, ci_labels


@pytest.mark.parametrize(
    ("name", "home"),
    [
        ("Document", document_model),
        ("Section", document_model),
        ("Table", document_model),
        ("Cell", document_model),
        ("cell_text", document_model),
        ("ci_labels", document_model),
        ("REFERENCE_CELL", document_model),
        ("report_document", report_document),
        ("GLANCE_LABELS", report_document),
        ("comparison_document", comparison),
        ("comparison_rows", comparison),
    ],
)
def test_the_old_import_path_gives_the_same_objects(name, home):
    assert getattr(document, name) is getattr(home, name)


def test_cell_text_escapes_user_text_only():
    def escape(x: object) -> str:
        return str(x).replace("*", r"\*")

    def code(x: object) -> str:
        return f"`{x}`"

    cell = Phrase(("a*b", Verbatim("1.5*"), Code("y ~ x")))
    assert cell_text(cell, escape, code) == r"a\*b1.5*`y ~ x`"


def test_ci_labels_are_the_bounds_in_percent():
    # R's confint() column names: "2.5 %" and "97.5 %" at level 0.95
    assert ci_labels(0.95) == ("2.5 %", "97.5 %")
    assert ci_labels(0.9) == ("5 %", "95 %")
