"""The one list of output formats: each :class:`~logitstats.options.Format` with its renderers,
file suffix, binary-ness, figures and escaper.

Every place that offers, checks or writes a format (``summary``, ``report``, ``compare``, the
CLI, the example reports) reads :data:`FORMATS`, so adding a format is one module and one row.

Examples
--------
>>> from logitstats.options import Format
>>> spec = FORMATS[Format.LATEX]
>>> spec.suffix, spec.binary, spec.summary is None
('tex', False, True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from logitstats.errors import LogitstatsError
from logitstats.options import Format, SummaryFormat, parse_option
from logitstats.render import docx, html, json, latex, markdown, text
from logitstats.render.data import ComparisonData, ReportData, SummaryData
from logitstats.render.escape import (
    escape_html,
    escape_json,
    escape_latex,
    escape_markdown,
    escape_text,
)

__all__ = [
    "FormatSpec",
    "FORMATS",
    "format_spec",
    "render_summary",
    "render_report",
    "render_comparison",
]


@dataclass(frozen=True)
class FormatSpec:
    """How one format is rendered and written.

    Attributes
    ----------
    format : Format
    suffix : str
        File name suffix, without the dot.
    binary : bool
        The renderers return bytes (written only to a file), not text.
    figures : {None, "svg", "png"}
        How report figures are embedded (None: the format lists them by title only).
    escape : callable
        The format's one escaper (:mod:`logitstats.render.escape`); for JSON it is applied to
        the dumped text.
    report, comparison : callable
        ``ReportData -> str | bytes`` and ``ComparisonData -> str | bytes``.
    summary : callable or None
        ``SummaryData -> str``; None when ``summary()`` does not offer the format.
    """

    format: Format
    suffix: str
    binary: bool
    figures: Literal["svg", "png"] | None
    escape: Callable[[Any], str]
    report: Callable[[ReportData], Any]
    comparison: Callable[[ComparisonData], Any]
    summary: Callable[[SummaryData], str] | None = None


#: every output format, in the order they are offered
FORMATS: dict[Format, FormatSpec] = {
    Format.TEXT: FormatSpec(
        Format.TEXT,
        "txt",
        False,
        None,
        escape_text,
        text.report_text,
        text.comparison_text,
        text.summary_text,
    ),
    Format.MARKDOWN: FormatSpec(
        Format.MARKDOWN,
        "md",
        False,
        None,
        escape_markdown,
        markdown.report_markdown,
        markdown.comparison_markdown,
        markdown.summary_markdown,
    ),
    Format.HTML: FormatSpec(
        Format.HTML, "html", False, "svg", escape_html, html.report_html, html.comparison_html
    ),
    Format.LATEX: FormatSpec(
        Format.LATEX, "tex", False, None, escape_latex, latex.report_latex, latex.comparison_latex
    ),
    Format.JSON: FormatSpec(
        Format.JSON,
        "json",
        False,
        None,
        escape_json,
        json.report_json,
        json.comparison_json,
        json.summary_json,
    ),
    Format.DOCX: FormatSpec(
        Format.DOCX, "docx", True, "png", escape_text, docx.report_docx, docx.comparison_docx
    ),
}


def format_spec(format: Any, name: str = "format") -> FormatSpec:
    """The :class:`FormatSpec` of ``format`` (a :class:`Format` or its name, any case).

    Raises
    ------
    LogitstatsError
        ``"format must be one of 'text', ...; got format=..."``.
    """
    return FORMATS[parse_option(Format, format, name)]


def render_summary(data: SummaryData, format: Any = "text") -> str:
    """Render a summary (``format`` one of :class:`~logitstats.options.SummaryFormat`)."""
    fmt = Format(parse_option(SummaryFormat, format, "format").value)
    fn = FORMATS[fmt].summary
    if fn is None:  # SummaryFormat and the registry disagree: a bug, not a user error
        raise LogitstatsError(f"format={fmt.value!r} has no summary renderer")
    return fn(data)


def render_report(data: ReportData, format: Any = "text") -> str | bytes:
    """Render report data in one format (text, or bytes for a binary format)."""
    return format_spec(format).report(data)  # type: ignore[no-any-return]


def render_comparison(data: ComparisonData, format: Any = "text") -> str | bytes:
    """Render comparison data in one format (text, or bytes for a binary format)."""
    return format_spec(format).comparison(data)  # type: ignore[no-any-return]
