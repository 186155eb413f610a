"""The one list of output formats: each :class:`~logitstats.options.Format` with its renderers,
file suffix, binary-ness, figures and escaper.

Every place that offers, checks or writes a format (``summary``, ``report``, ``compare``, the
CLI, the example reports) reads :data:`FORMATS`, so adding a format is one module and one row.
A format module renders the format-neutral :class:`~logitstats.render.document.Document` of a
report, a comparison or a summary (``document``); JSON writes the typed data itself.

Examples
--------
>>> from logitstats.options import Format
>>> spec = FORMATS[Format.LATEX]
>>> spec.suffix, spec.binary, spec.summary is None
('tex', False, True)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from logitstats.errors import LogitstatsError
from logitstats.options import Format, SummaryFormat, parse_option
from logitstats.render.data import ComparisonData, ReportData, SummaryData
from logitstats.render.document import Document, comparison_document, report_document
from logitstats.render.escape import (
    escape_html,
    escape_json,
    escape_latex,
    escape_markdown,
    escape_text,
)
from logitstats.render.summary import summary_document

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
    document : callable or None
        The module's ``Document -> str | bytes`` (None for JSON, which writes the data).
    """

    format: Format
    suffix: str
    binary: bool
    figures: Literal["svg", "png"] | None
    escape: Callable[[Any], str]
    report: Callable[[ReportData], Any]
    comparison: Callable[[ComparisonData], Any]
    summary: Callable[[SummaryData], str] | None = None
    document: Callable[[Document], Any] | None = None


def _document_format(
    fmt: Format,
    suffix: str,
    escape: Callable[[Any], str],
    document: Callable[[Document], Any],
    *,
    binary: bool = False,
    figures: Literal["svg", "png"] | None = None,
    summary: Literal["console", "markdown"] | None = None,
) -> FormatSpec:
    """A format rendered by walking the format-neutral documents; ``summary`` is the label
    style of its summary layout (None: ``summary()`` does not offer the format)."""

    def report(data: ReportData) -> Any:
        return document(report_document(data))

    def comparison(data: ComparisonData) -> Any:
        return document(comparison_document(data))

    def summarise(data: SummaryData) -> str:
        return str(document(summary_document(data, console=summary == "console")))

    return FormatSpec(
        fmt,
        suffix,
        binary,
        figures,
        escape,
        report,
        comparison,
        None if summary is None else summarise,
        document,
    )


def _lazy(module: str, name: str) -> Callable[..., Any]:
    """``logitstats.render.<module>.<name>``, its module imported on the first call.

    A format's renderer is loaded only when that format is written: ``logitstats fit`` with
    text output never imports the docx, HTML or LaTeX writers.
    """

    def call(*args: Any, **kwargs: Any) -> Any:
        fn = getattr(importlib.import_module(f"logitstats.render.{module}"), name)
        return fn(*args, **kwargs)

    call.__name__ = name
    call.__qualname__ = f"{module}.{name}"
    call.__doc__ = f"``logitstats.render.{module}.{name}`` (imported on first use)."
    return call


#: every output format, in the order they are offered
FORMATS: dict[Format, FormatSpec] = {
    Format.TEXT: _document_format(
        Format.TEXT, "txt", escape_text, _lazy("text", "document_text"), summary="console"
    ),
    Format.MARKDOWN: _document_format(
        Format.MARKDOWN,
        "md",
        escape_markdown,
        _lazy("markdown", "document_markdown"),
        summary="markdown",
    ),
    Format.HTML: _document_format(
        Format.HTML, "html", escape_html, _lazy("html", "document_html"), figures="svg"
    ),
    Format.LATEX: _document_format(
        Format.LATEX, "tex", escape_latex, _lazy("latex", "document_latex")
    ),
    Format.JSON: FormatSpec(
        Format.JSON,
        "json",
        False,
        None,
        escape_json,
        _lazy("json", "report_json"),
        _lazy("json", "comparison_json"),
        _lazy("json", "summary_json"),
    ),
    Format.DOCX: _document_format(
        Format.DOCX,
        "docx",
        escape_text,
        _lazy("docx", "document_docx"),
        binary=True,
        figures="png",
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
    return format_spec(format).report(data)


def render_comparison(data: ComparisonData, format: Any = "text") -> str | bytes:
    """Render comparison data in one format (text, or bytes for a binary format)."""
    return format_spec(format).comparison(data)
