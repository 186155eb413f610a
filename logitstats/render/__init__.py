"""Renderers: pure functions of tidy/glance data (and a model header) to text.

Only this package formats numbers.
"""

from logitstats.render.data import ModelHeader
from logitstats.render.json import summary_json
from logitstats.render.markdown import summary_markdown
from logitstats.render.text import summary_text

__all__ = ["ModelHeader", "SUMMARY_RENDERERS"]

SUMMARY_RENDERERS = {
    "text": summary_text,
    "markdown": summary_markdown,
    "json": summary_json,
}
