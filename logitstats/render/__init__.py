"""Renderers: pure functions of tidy/glance data (and a model header) to text.

Only this package formats numbers.
"""

from .data import ModelHeader
from .json import summary_json
from .markdown import summary_markdown
from .text import summary_text

__all__ = ["ModelHeader", "SUMMARY_RENDERERS"]

SUMMARY_RENDERERS = {
    "text": summary_text,
    "markdown": summary_markdown,
    "json": summary_json,
}
