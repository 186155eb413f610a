"""Notebook HTML fragments: a ``<div class="logitstats ...">`` with a scoped style and no
``<head>`` or script, shared by results (:mod:`logitstats.results.display`) and comparisons."""

from __future__ import annotations

__all__ = ["STYLE", "wrap", "html_fragment"]

STYLE = (
    "<style>"
    ".logitstats table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:.3rem 0}"
    ".logitstats th,.logitstats td{padding:.15rem .6rem;vertical-align:top}"
    ".logitstats thead th{text-align:right;border-bottom:1px solid #555}"
    ".logitstats td.r,.logitstats th.r{text-align:right;white-space:nowrap}"
    ".logitstats td.l,.logitstats th.l{text-align:left}"
    ".logitstats caption{text-align:left;font-weight:600}"
    ".logitstats p.note{font-size:.9em;margin:.2rem 0}"
    "</style>"
)


def wrap(kind: str, parts: list[str]) -> str:
    """``parts`` (already escaped HTML) inside the scoped ``logitstats-<kind>`` block."""
    return f'<div class="logitstats logitstats-{kind}">{STYLE}' + "".join(parts) + "</div>"


def html_fragment(page: str, kind: str) -> str:
    """The ``<main>`` of a standalone HTML page (a rendered comparison or report) as a notebook
    fragment: no ``<head>``, its page-wide CSS replaced by the scoped style of this module."""
    start, end = page.find("<main>"), page.find("</main>")
    body = page[start + len("<main>") : end] if start >= 0 and end > start else page
    return wrap(kind, [body])
